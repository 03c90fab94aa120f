#!/usr/bin/env bash
# Idempotent installs of the servers the connector tests start (see tests/services.py):
#   smbd (Debian samba) and azurite (npm, under .ci/node). moto, gcp-storage-emulator and dask come
#   from the Python test extra. Safe to run again: each step is skipped when already done.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v smbd >/dev/null 2>&1 && [ ! -x /usr/sbin/smbd ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-services: smbd missing and not root; run: sudo apt-get install samba" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends samba
fi

if [ ! -x "$here/node/node_modules/.bin/azurite-blob" ]; then
  command -v npm >/dev/null 2>&1 || { echo "install-services: npm missing (needed for azurite)" >&2; exit 1; }
  npm install --no-audit --no-fund --prefix "$here/node" azurite@3
fi

# The SMB fixture serves its share as this Unix user (smbd must switch to a real account).
if [ "$(id -u)" -eq 0 ] && ! id piiscan-smb >/dev/null 2>&1; then
  useradd -M -s /usr/sbin/nologin piiscan-smb
fi
echo "install-services: smbd $(/usr/sbin/smbd --version 2>/dev/null || echo '?'), azurite $("$here/node/node_modules/.bin/azurite-blob" --version 2>/dev/null || echo '?')"
