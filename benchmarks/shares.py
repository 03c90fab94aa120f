"""The benchmark's independent shares: prose from the public corpora, and many small files.

    python -m benchmarks.shares prose OUT_DIR            GUM + BTC test halves grouped into .txt files
    python -m benchmarks.shares small OUT_DIR --files N  N files of 200-800 B in nested folders (seeded)

The prose share is text nobody on the team wrote: each GUM test document is one file (under its genre), and the
Broad Twitter Corpus test tweets are grouped, in their file order, 100 to a file (under their section). The
small-files share is generated (it measures per-object overhead, not detection): short notes from the synthetic
values of ``benchmarks.generate``, 200-800 bytes each, 100 to a folder, three folder levels deep.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from benchmarks.generate import FILLER, SENSITIVE, person

TWEETS_PER_FILE = 100


def prose_share(out: Path, half: str = "test") -> tuple[int, int]:
    """Write the GUM and BTC ``half`` as .txt files under ``out``; returns (files, bytes)."""
    from benchmarks.eval.public import corpus_dir

    src = corpus_dir()
    files = total = 0

    def put(path: Path, text: str) -> None:
        nonlocal files, total
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        path.write_bytes(data)
        files += 1
        total += len(data)

    with open(src / f"gum.{half}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            meta = rec.get("meta") or {}
            name = str(meta.get("doc") or rec["id"]).replace("/", "_").replace(":", "_")
            put(out / "gum" / str(meta.get("genre", "other")) / f"{name}.txt", rec["text"] + "\n")
    groups: dict[str, list[str]] = {}
    with open(src / f"btc.{half}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            section = str((rec.get("meta") or {}).get("section") or "x")
            groups.setdefault(section, []).append(rec["text"].replace("\n", " "))
    for section, tweets in sorted(groups.items()):
        for i in range(0, len(tweets), TWEETS_PER_FILE):
            put(out / "btc" / section / f"tweets{i // TWEETS_PER_FILE:03d}.txt",
                "\n".join(tweets[i:i + TWEETS_PER_FILE]) + "\n")
    return files, total


def small_note(rng: random.Random) -> bytes:
    """One 200-800 byte note: mostly filler, sometimes a contact line or a sensitive sentence."""
    size = rng.randint(200, 800)
    parts: list[str] = []
    if rng.random() < 0.3:
        p = person(rng)
        parts.append(f"Contact {p['name']} on {p['phone']} or {p['email']}.")
    if rng.random() < 0.1:
        parts.append(rng.choice(SENSITIVE))
    text = " ".join(parts)
    while len(text) < size:
        text += (" " if text else "") + rng.choice(FILLER)
    return (text[:size - 1] + "\n").encode()            # exactly ``size`` bytes (the values are ASCII)


def small_share(out: Path, nfiles: int, seed: int = 11) -> tuple[int, int]:
    """``nfiles`` notes of 200-800 B, 100 per folder, under out/aa/bb/cc/; returns (files, bytes)."""
    rng = random.Random(seed)
    total = 0
    for i in range(nfiles):
        leaf = i // 100
        folder = out / f"a{leaf // 100:02d}" / f"b{leaf // 10 % 10}" / f"c{leaf % 10}"
        if i % 100 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        data = small_note(rng)
        (folder / f"note{i:06d}.txt").write_bytes(data)
        total += len(data)
    return nfiles, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["prose", "small"])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--half", choices=["dev", "test"], default="test")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    if args.kind == "prose":
        files, total = prose_share(args.out, args.half)
    else:
        files, total = small_share(args.out, args.files, args.seed)
    print(f"{files} files, {total / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
