"""Effective access for everyone ("others") on a local or NFS path: the mode bits, and ACLs where present.

A file is readable by everyone only if everyone may read it *and* may search (x) every folder above it
within the source; a folder is listable by everyone if everyone may read and search it and every folder
above it (issue 19 item 3). ACLs are read from extended attributes:

- POSIX ACLs (``system.posix_acl_access``, ext4/xfs/btrfs): the ACL_OTHER entry is what everyone gets (the
  kernel keeps it equal to the mode's "other" bits); named user/group entries grant access to someone in
  particular, not to everyone, and are given as evidence only.
- NFSv4 ACLs (``system.nfs4_acl``, NFS v4 mounts): the first ``EVERYONE@`` entry that mentions the right
  decides, and it overrides the mode bits, which an NFSv4 server only approximates.

NOTE: the formats are the kernel's (include/uapi/linux/posix_acl_xattr.h) and RFC 7530 §6.2.1 (XDR); both
are a few fixed-size fields, read with struct rather than a compiled binding (pylibacl needs libacl headers,
and no maintained library reads the NFSv4 attribute).
"""
from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass

READ, WRITE, EXECUTE = 4, 2, 1
_POSIX_XATTR = "system.posix_acl_access"
_NFS4_XATTR = "system.nfs4_acl"
_POSIX_TAGS = {0x01: "user::", 0x02: "user:", 0x04: "group::", 0x08: "group:", 0x10: "mask::", 0x20: "other::"}
_ACL_OTHER = 0x20
# RFC 7530: ACE types and the access-mask bits that mean "read" (file data / folder listing) and "search"
_NFS4_ALLOW, _NFS4_DENY = 0, 1
_NFS4_READ_DATA, _NFS4_EXECUTE = 0x1, 0x20


@dataclass(frozen=True)
class Acl:
    kind: str                    # posix | nfs4
    others: int | None           # rwx bits everyone gets by this ACL (None: the ACL does not say)
    entries: tuple[str, ...]     # as getfacl prints them ("user:1000:r--"), for evidence; no names resolved


def rwx(bits: int) -> str:
    return "".join(c if bits & b else "-" for c, b in (("r", READ), ("w", WRITE), ("x", EXECUTE)))


def parse_posix_acl(data: bytes) -> Acl | None:
    """A ``system.posix_acl_access`` value (version 2: 4-byte header, 8-byte entries), or None if malformed."""
    if len(data) < 4 or (len(data) - 4) % 8 or struct.unpack_from("<I", data)[0] != 2:
        return None
    others, entries = None, []
    for off in range(4, len(data), 8):
        tag, perm, uid = struct.unpack_from("<HHI", data, off)
        if tag == _ACL_OTHER:
            others = perm & 7
        label = _POSIX_TAGS.get(tag, f"tag{tag}:")
        entries.append(f"{label}{uid}:{rwx(perm)}" if tag in (0x02, 0x08) else f"{label}{rwx(perm)}")
    return Acl("posix", others, tuple(entries))


def parse_nfs4_acl(data: bytes) -> Acl | None:
    """A ``system.nfs4_acl`` value (XDR: count, then type, flags, mask, who per entry), or None if malformed."""
    try:
        (count,), off = struct.unpack_from(">I", data), 4
        read = execute = None
        entries = []
        for _ in range(min(count, 1024)):
            kind, _flags, mask, length = struct.unpack_from(">IIII", data, off)
            off += 16
            who = data[off:off + length].decode("utf-8", "replace")
            off += (length + 3) // 4 * 4
            entries.append(f"{'allow' if kind == _NFS4_ALLOW else 'deny' if kind == _NFS4_DENY else kind}:"
                           f"{who}:{mask:#x}")
            if who != "EVERYONE@" or kind not in (_NFS4_ALLOW, _NFS4_DENY):
                continue
            if read is None and mask & _NFS4_READ_DATA:
                read = kind == _NFS4_ALLOW
            if execute is None and mask & _NFS4_EXECUTE:
                execute = kind == _NFS4_ALLOW
    except struct.error:
        return None
    # NOTE: an NFSv4 ACL denies whatever no entry allows
    return Acl("nfs4", (READ if read else 0) | (EXECUTE if execute else 0), tuple(entries))


def read_acl(path: str | os.PathLike[str]) -> Acl | None:
    """The path's ACL (NFSv4 first, then POSIX), or None where there is none or xattrs are not supported."""
    for name, parse in ((_NFS4_XATTR, parse_nfs4_acl), (_POSIX_XATTR, parse_posix_acl)):
        try:
            data = os.getxattr(path, name, follow_symlinks=False)
        except (OSError, AttributeError):          # ENODATA, ENOTSUP, EPERM; no xattrs on this platform
            continue
        acl = parse(data)
        if acl is not None:
            return acl
    return None


def others_bits(mode: int, acl: Acl | None) -> int:
    """What everyone may do: the ACL's answer where it gives one, else the mode's "other" bits."""
    if acl is not None and acl.others is not None:
        return acl.others
    return mode & 7


@dataclass(frozen=True)
class Access:
    """Everyone's effective access to one path, with the evidence."""

    mode: str                    # "0644"
    others: str                  # "r--" (what everyone gets on the path itself)
    acl: Acl | None = None

    def evidence(self) -> dict[str, object]:
        out: dict[str, object] = {"mode": self.mode, "others": self.others}
        if self.acl is not None:
            out["acl"] = {"kind": self.acl.kind, "entries": list(self.acl.entries)}
        return out


def access_of(path: str | os.PathLike[str], st: os.stat_result, with_acl: bool = True) -> tuple[Access, int]:
    """(evidence, everyone's rwx bits) for ``path`` with stat result ``st``."""
    acl = read_acl(path) if with_acl else None
    bits = others_bits(st.st_mode, acl)
    return Access(f"{stat.S_IMODE(st.st_mode):04o}", rwx(bits), acl), bits
