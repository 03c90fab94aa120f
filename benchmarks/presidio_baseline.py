"""Baseline: Presidio's default AnalyzerEngine (built offline, as in services.md §6) on each file's
extracted text, in chunks of a few KB cut at line ends. Prints one JSON line: files, bytes, seconds.

    python -m benchmarks.presidio_baseline DIR [--max-seconds 0] [--max-files 0]       (0: every file)
"""
from __future__ import annotations

import argparse
import io
import json
import random
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path


def texts(path: Path) -> Iterator[str]:
    data = path.read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                yield zf.read(name).decode("utf-8", "replace")
    elif path.suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        for ws in wb.worksheets:
            yield "\n".join(", ".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True))
    else:
        yield data.decode("utf-8", "replace")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--max-seconds", type=float, default=0, help="stop after the file that crosses this (0: none)")
    ap.add_argument("--max-files", type=int, default=0, help="a seeded random sample of this many files (0: all)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from benchmarks.eval.presidio_default import (
        build_presidio,  # the default recognisers, spaCy sm, offline
    )
    from detectors.ner import chunk_lines  # the same few-KB cuts at line ends as ours

    analyzer = build_presidio()
    files = sorted(p for p in args.root.rglob("*") if p.is_file())
    # NOTE: in a seeded random order, so the files done within the time cap are a sample of the whole mix
    # (in path order they would all be one folder's, e.g. only prose)
    random.Random(args.seed).shuffle(files)
    total = len(files)
    if args.max_files:
        files = files[:args.max_files]
    done = nbytes = findings = 0
    t0 = time.perf_counter()
    for path in files:
        for text in texts(path):
            for _, piece in chunk_lines(text):
                findings += len(analyzer.analyze(piece, language="en"))
        done += 1
        nbytes += path.stat().st_size
        if args.max_seconds and time.perf_counter() - t0 > args.max_seconds:
            break
    print(json.dumps({"files": done, "of": total, "bytes": nbytes, "seconds": time.perf_counter() - t0,
                      "findings": findings}))


if __name__ == "__main__":
    main()
