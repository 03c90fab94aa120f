"""Local and NFS-mounted paths: walk without following symlinks; owner and mode as facts."""
from __future__ import annotations

import dataclasses
import functools
import os
import pwd
import socket
import stat
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import IO, Any, Iterator
from urllib.parse import quote_from_bytes, unquote_to_bytes

from scanner.connectors.access import EXECUTE, READ, Access, access_of
from scanner.connectors.base import Connector, Deadline
from scanner.errors import ObjectError, SourceError
from scanner.model import Container, ObjectRef, shown_name

# A symbolic link met on the walk is listed as skipped with this reason (never silently left out: it may point at
# a folder of personal data elsewhere); --follow-symlinks reads through it instead
NOT_FOLLOWED = "symbolic link, not followed (--follow-symlinks reads through it)"


def file_uri(path: str | Path) -> str:
    return Path(path).absolute().as_uri()


def _walked_uri(path: str) -> str:
    """file_uri() of a path the walk built from the normalised root (no "." or "//" left to clean)."""
    if os.name == "posix":
        return "file://" + quote_from_bytes(os.fsencode(path))      # what PurePosixPath.as_uri() does
    return file_uri(path)


class LocalConnector(Connector):
    scheme = "file"

    def _root(self) -> Path:
        return Path(os.path.abspath(self.source.path))

    def containers(self) -> Iterator[Container]:
        root = self._root()
        try:
            st = root.lstat()
        except FileNotFoundError:
            raise SourceError(f"{self.source.raw}: no such file or directory") from None
        except OSError as exc:
            raise SourceError(f"{self.source.raw}: cannot read ({exc.strerror or exc.__class__.__name__})") from None
        if stat.S_ISLNK(st.st_mode) and self._follow:
            try:
                st = root.stat()
            except OSError:
                raise SourceError(f"{self.source.raw}: a symbolic link whose target cannot be read") from None
        elif stat.S_ISLNK(st.st_mode):
            raise SourceError(f"{self.source.raw}: is a symbolic link, and symlinks are not followed "
                              "(name the folder or file it points to, or use --follow-symlinks)")
        if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            raise SourceError(f"{self.source.raw}: not a regular file or directory")
        host = socket.gethostname()
        facts: dict[str, object] = {"host": host, "path": str(root), **_mount_facts(root)}
        # NOTE: "public" for a local source is judged by effective access (issue 19 item 3): True when some file
        # within it is readable by everyone (its mode and every folder above it within the source, ACLs where
        # present), False when none is, None when the walk was cut short; the first such file is the evidence
        public, exposed = _find_exposed(root, st)
        if exposed is not None:
            # NOTE: the modes that let everyone read the first such file, not its folders' and file's names: a
            # name may hold personal data, and a container's facts are kept before any object name is read
            facts["exposed"] = _without_names(exposed)
        yield Container(uri=file_uri(root), provider="file", location=host, location_type="on-prem",
                        public=public, facts=facts)

    @property
    def _follow(self) -> bool:
        """--follow-symlinks: follow links to folders and files (a folder already on the walk is not re-entered)."""
        return bool(self.options.extra.get("follow_symlinks"))

    def objects(self, container: Container) -> Iterator[ObjectRef]:
        root = self._root()
        if root.is_file() and (self._follow or not root.is_symlink()):
            ref = self._ref(container, root, shown_name(root.name), chain=())
            yield _followed(ref, root) if root.is_symlink() else ref
            return
        self._visited: set[tuple[int, int]] = set()
        if self._follow:
            st = root.stat()
            self._visited.add((st.st_dev, st.st_ino))
        try:
            chain: tuple[_Folder, ...] | None = (_folder(str(root), ".", root.lstat()),)
        except OSError:
            chain = None
        yield from self._walk(container, root, root, chain)

    def _walk(self, container: Container, root: Path, directory: Path,
              chain: tuple[_Folder, ...] | None) -> Iterator[ObjectRef]:
        """Objects below ``directory``; ``chain`` is the folders from the root down to it, with everyone's access
        (None when some folder's access could not be read: nothing below is then judged exposed)."""
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            rel = os.path.relpath(directory, root)
            yield ObjectRef(uri=file_uri(directory) + "/", container=container.uri, key=shown_name(rel) + "/",
                            facts={"error": f"cannot list directory ({exc.strerror or 'error'})"})
            return
        prefix = len(str(root).rstrip("/")) + 1          # entry.path[prefix:] is the path relative to the root
        for entry in entries:
            path = entry.path
            try:
                if entry.is_symlink():
                    if self._follow:   # NOTE: only with --follow-symlinks; a folder seen before is a loop
                        yield from self._follow_link(container, root, path, path[prefix:])
                    else:              # NOTE: by default never follow symlinks: loops and escapes out of the share
                        yield ObjectRef(uri=_walked_uri(path), container=container.uri, key=shown_name(path[prefix:]),
                                        size=0, facts={"skip": NOT_FOLLOWED})
                    continue
                if entry.is_dir(follow_symlinks=False):
                    sub = (*chain, _folder(path, path[prefix:], entry.stat(follow_symlinks=False))) if chain else None
                    yield from self._walk(container, root, Path(path), sub)
                elif entry.is_file(follow_symlinks=False):
                    yield self._ref(container, path, shown_name(path[prefix:]), entry.stat(follow_symlinks=False),
                                    chain=chain)
                else:                  # NOTE: a FIFO, socket or device is listed as skipped, never opened
                    st = entry.stat(follow_symlinks=False)
                    yield ObjectRef(uri=_walked_uri(path), container=container.uri, key=shown_name(path[prefix:]),
                                    size=0, facts={"skip": f"not a regular file ({_special_kind(st.st_mode)})"})
            except FileNotFoundError:
                continue               # vanished between listing and stat: it no longer exists
            except OSError as exc:
                yield ObjectRef(uri=_walked_uri(path), container=container.uri, key=shown_name(path[prefix:]),
                                facts={"error": f"cannot stat ({exc.strerror or 'error'})"})

    def _follow_link(self, container: Container, root: Path, path: str, rel: str) -> Iterator[ObjectRef]:
        try:
            st = os.stat(path)
        except OSError:
            yield ObjectRef(uri=_walked_uri(path), container=container.uri, key=shown_name(rel), size=0,
                            facts={"skip": "symbolic link to nothing readable"})
            return
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) in self._visited:
                yield ObjectRef(uri=_walked_uri(path) + "/", container=container.uri, key=shown_name(rel) + "/",
                                size=0, facts={"skip": "symbolic link loop (folder already scanned)"})
                return
            self._visited.add((st.st_dev, st.st_ino))
            # NOTE: files below are opened by their path through the link: O_NOFOLLOW checks only the last part
            yield from self._walk(container, root, Path(path), None)
        elif stat.S_ISREG(st.st_mode):
            yield _followed(self._ref(container, path, shown_name(rel), st, chain=None), Path(os.path.realpath(path)))

    def _ref(self, container: Container, path: str | Path, key: str, st: os.stat_result | None = None,
             chain: tuple[_Folder, ...] | None = None) -> ObjectRef:
        st = st or os.lstat(path)
        modified = datetime.fromtimestamp(st.st_mtime, tz=UTC)
        exposure = _file_exposure(path, st, chain) if chain is not None else None
        return ObjectRef(
            uri=_walked_uri(path) if isinstance(path, str) else file_uri(path), container=container.uri, key=key,
            size=st.st_size, modified=modified,
            etag=f"{st.st_mtime_ns}-{st.st_size}-{st.st_ino}",
            facts={"owner": _owner(st.st_uid), "mode": oct(stat.S_IMODE(st.st_mode)),
                   "world_readable": exposure is not None,
                   **({"exposure": exposure} if exposure is not None else {}),
                   # NOTE: a name that is not UTF-8 is kept only in the URI (percent-encoded): facts are stored
                   **({"path": str(path)} if shown_name(str(path)) == str(path) else {})},
        )

    def open(self, ref: ObjectRef, deadline: Deadline | None = None) -> IO[bytes]:
        path = ref.facts.get("path") or os.fsdecode(unquote_to_bytes(ref.uri.removeprefix("file://")))
        try:
            # NOTE: O_NONBLOCK: a file replaced by a FIFO (or a device) after listing must not block the open;
            # the type is then checked on the opened descriptor, so no swap after the check can fool it
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except FileNotFoundError:
            raise ObjectError("deleted before it could be read") from None
        except PermissionError:
            raise ObjectError("permission denied") from None
        except OSError as exc:
            raise ObjectError(f"cannot open ({exc.strerror or exc.__class__.__name__})") from None
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise ObjectError("not a regular file (replaced after listing)")
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")


def _special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


@dataclass(frozen=True)
class _Folder:
    rel: str                     # path relative to the source root ("." for the root)
    access: Access
    searchable: bool             # everyone may search (x) this folder


def _folder(path: str, rel: str, st: os.stat_result) -> _Folder:
    access, bits = access_of(path, st)
    return _Folder(shown_name(rel), access, bool(bits & EXECUTE))


def _file_exposure(path: str | Path, st: os.stat_result, chain: tuple[_Folder, ...]) -> dict[str, Any] | None:
    """The evidence that everyone can read the file (its access and every folder's above it), or None."""
    if not all(f.searchable for f in chain):
        return None
    if not st.st_mode & stat.S_IROTH and not _acl_may_widen(path):
        return None
    access, bits = access_of(path, st)
    if not bits & READ:
        return None
    return {"file": access.evidence(), "folders": [{"path": f.rel, **f.access.evidence()} for f in chain]}


def _acl_may_widen(path: str | Path) -> bool:
    """NOTE: only an NFSv4 ACL can give everyone more than the mode's "other" bits (a POSIX ACL_OTHER entry
    equals them): skip the extra system call on a file whose mode denies others unless it has one."""
    try:
        os.getxattr(path, "system.nfs4_acl", follow_symlinks=False)
    except (OSError, AttributeError):
        return False
    return True


def _without_names(value: Any) -> Any:
    """``value`` (exposure evidence) with every "path" entry left out, at any depth."""
    if isinstance(value, dict):
        return {k: _without_names(v) for k, v in value.items() if k != "path"}
    if isinstance(value, list):
        return [_without_names(v) for v in value]
    return value


MAX_EXPOSURE_ENTRIES = 200_000     # entries looked at to decide a local source's "public"; beyond: unknown


def _find_exposed(root: Path, st: os.stat_result) -> tuple[bool | None, dict[str, Any] | None]:
    """(public, evidence) for a local source: a depth-first walk that enters only folders everyone may search,
    and stops at the first file everyone may read."""
    if stat.S_ISREG(st.st_mode):
        found = _file_exposure(root, st, ())
        return found is not None, ({"path": shown_name(root.name), **found} if found else None)
    top = _folder(str(root), ".", st)
    stack: list[tuple[str, tuple[_Folder, ...]]] = [(str(root), (top,))]
    prefix, seen = len(str(root).rstrip("/")) + 1, 0
    while stack:
        directory, chain = stack.pop()
        if not chain[-1].searchable:
            continue
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_EXPOSURE_ENTRIES:
                return None, None
            try:
                if entry.is_symlink():
                    continue
                est = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(est.st_mode):
                    stack.append((entry.path, (*chain, _folder(entry.path, entry.path[prefix:], est))))
                elif stat.S_ISREG(est.st_mode):
                    found = _file_exposure(entry.path, est, chain)
                    if found is not None:
                        return True, {"path": shown_name(entry.path[prefix:]), **found}
            except OSError:
                continue
    return False, None


@functools.lru_cache(maxsize=1024)
def _owner(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _mount_facts(path: Path) -> dict[str, str]:
    """The filesystem type and source of the mount holding ``path`` (nfs server:/export for NFS)."""
    best: tuple[str, str, str] | None = None
    try:
        with open("/proc/self/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) < 3:
                    continue
                device, mount_point, fstype = parts[0], parts[1].replace("\\040", " "), parts[2]
                if str(path).startswith(mount_point.rstrip("/") + "/") or str(path) == mount_point:
                    if best is None or len(mount_point) > len(best[1]):
                        best = (device, mount_point, fstype)
    except OSError:
        return {}
    if best is None:
        return {}
    facts = {"fstype": best[2], "mount": best[1]}
    if best[2].startswith("nfs") or best[2] in {"cifs", "smb3"}:
        facts["remote"] = best[0]
    return facts


def _followed(ref: ObjectRef, real: Path) -> ObjectRef:
    """An object reached through a followed symlink: read from its real path (open() never follows links)."""
    return dataclasses.replace(ref, facts={**ref.facts, "path": str(real), "via_symlink": True})
