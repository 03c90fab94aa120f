"""A minimal writer of Compound File Binary (MS-CFB, version 3) files, for building Outlook .msg test
fixtures: extract-msg and olefile only read them. Storages and streams; small streams in the mini stream."""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class Node:
    name: str
    data: bytes | None = None                     # None: a storage
    children: list[Node] = field(default_factory=list)

    def add(self, name: str, data: bytes | None = None) -> Node:
        node = Node(name, data)
        self.children.append(node)
        return node


def _chain(fat: list[int], first: int, count: int) -> None:
    for k in range(count):
        fat[first + k] = first + k + 1 if k + 1 < count else END


def write(root: Node) -> bytes:
    """The compound file holding ``root``'s tree (``root`` is the Root Entry)."""
    nodes: list[Node] = []

    def collect(node: Node) -> None:
        nodes.append(node)
        for child in node.children:
            collect(child)

    collect(root)
    index = {id(n): i for i, n in enumerate(nodes)}
    mini_stream, mini_fat, big, start = bytearray(), [], [], {}
    for n in nodes[1:]:
        if n.data is None or not n.data:
            continue
        if len(n.data) < CUTOFF:
            first, count = len(mini_stream) // MINI, math.ceil(len(n.data) / MINI)
            start[id(n)] = first
            mini_fat.extend([0] * count)
            _chain(mini_fat, first, count)
            mini_stream += n.data + b"\0" * (count * MINI - len(n.data))
        else:
            big.append(n)
    dir_sectors = math.ceil(len(nodes) * 128 / SECTOR)
    minifat_sectors = math.ceil(len(mini_fat) * 4 / SECTOR)
    ministream_sectors = math.ceil(len(mini_stream) / SECTOR)
    big_sectors = [math.ceil(len(n.data) / SECTOR) for n in big]
    body = dir_sectors + minifat_sectors + ministream_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < body + fat_sectors:
        fat_sectors += 1
    fat = [FREE] * (fat_sectors * SECTOR // 4)
    for k in range(fat_sectors):
        fat[k] = FATSECT
    pos = fat_sectors
    dir_start = pos
    _chain(fat, pos, dir_sectors)
    pos += dir_sectors
    minifat_start = pos if minifat_sectors else END
    _chain(fat, pos, minifat_sectors)
    pos += minifat_sectors
    ministream_start = pos if ministream_sectors else END
    _chain(fat, pos, ministream_sectors)
    pos += ministream_sectors
    for n, count in zip(big, big_sectors, strict=True):
        start[id(n)] = pos
        _chain(fat, pos, count)
        pos += count

    def entry(n: Node) -> bytes:
        name = n.name.encode("utf-16-le") + b"\0\0"
        kind = 5 if n is root else (1 if n.data is None else 2)
        siblings = [] if n is root else next(p.children for p in nodes if n in p.children)
        k = siblings.index(n) if siblings else -1
        right = index[id(siblings[k + 1])] if siblings and k + 1 < len(siblings) else NOSTREAM
        child = index[id(n.children[0])] if n.children else NOSTREAM
        if n is root:
            first, size = ministream_start, len(mini_stream)
        elif n.data:
            first, size = start[id(n)], len(n.data)
        else:
            first, size = (END if kind == 2 else 0), 0       # an empty stream has no sector
        return (name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), kind, 1, NOSTREAM, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", first, size))

    directory = b"".join(entry(n) for n in nodes).ljust(dir_sectors * SECTOR, b"\0")
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_start, 0, CUTOFF, minifat_start,
                            minifat_sectors, END, 0)
              + struct.pack("<109I", *difat))
    out = bytearray(header.ljust(SECTOR, b"\0"))
    out += struct.pack(f"<{len(fat)}I", *fat)
    out += directory
    out += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(minifat_sectors * SECTOR, b"\xff")
    out += bytes(mini_stream).ljust(ministream_sectors * SECTOR, b"\0")
    for n, count in zip(big, big_sectors, strict=True):
        out += n.data.ljust(count * SECTOR, b"\0")
    return bytes(out)
