#!/usr/bin/env bash
# Idempotent installs of the servers the connector tests start (see tests/services.py):
#   smbd (Debian samba), tesseract-ocr, chromium and azurite (npm, under .ci/node). moto, gcp-storage-emulator and dask come
#   from the Python test extra. Safe to run again: each step is skipped when already done.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# Debian packages, installed in one apt-get run when any is missing: smbd for the SMB server,
# tesseract for the OCR extra, chromium for the HTML report's screenshot test.
missing=()
{ command -v smbd >/dev/null 2>&1 || [ -x /usr/sbin/smbd ]; } || missing+=(samba)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-services: missing ${missing[*]} and not root; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
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
