"""Detector throughput on a prose file and a CSV, through the scanner's extract → analyse_segment path.

    python -m benchmarks.eval.throughput [--prose-kb 1024] [--rows 5000] [--presidio]
    python -m benchmarks.eval.throughput --save DIR; (other checkout) python -m benchmarks.eval.throughput --load DIR

Single process. Prints KB/s for: a scan (per-object NER budget), --full-counts, and optionally Presidio's
default AnalyzerEngine on the same prose chunked at line ends."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import time
from pathlib import Path


def make_inputs(prose_kb: int, rows: int, seed: int = 3) -> tuple[bytes, bytes]:
    from benchmarks.eval.corpus import build_corpus
    from benchmarks.eval.values import Values

    docs = build_corpus(480, seed, dt.date(2026, 1, 1))
    parts, size, i = [], 0, 0
    while size < prose_kb * 1024:
        text = docs[i % len(docs)].text + "\n\n"
        parts.append(text)
        size += len(text.encode())
        i += 1
    prose = "".join(parts).encode()
    v = Values(seed, dt.date(2026, 1, 1))
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "full_name", "email", "phone", "dob", "ni_number", "postcode", "amount", "notes"])
    for n in range(rows):
        w.writerow([n, v.person(), v.email(), v.phone(), v.dob(), v.nino(), v.postcode(), f"{n % 97}.50",
                    "Gift Aid declared" if n % 3 else ""])
    return prose, buf.getvalue().encode()


def scan_bytes(detector, data: bytes, name: str, full_counts: bool) -> float:
    from scanner.analysis import HoldingBuilder, analyse_segment
    from scanner.extract import ExtractContext, extractor_for
    from scanner.privacy import Hasher

    kind = "csv" if name.endswith(".csv") else "text"
    builder = HoldingBuilder(Hasher(b"t" * 32), full_counts=full_counts) if _has_budget() else \
        HoldingBuilder(Hasher(b"t" * 32))
    t0 = time.perf_counter()
    for seg in extractor_for(kind)(io.BytesIO(data), ExtractContext(name=name, encoding="utf-8")):
        analyse_segment(detector, builder, seg)
    builder.holding()
    return time.perf_counter() - t0


def _has_budget() -> bool:
    import dataclasses

    from scanner.analysis import HoldingBuilder

    return any(f.name == "full_counts" for f in dataclasses.fields(HoldingBuilder))


def presidio_prose(data: bytes) -> float:
    from benchmarks.eval.presidio_default import build_presidio
    from detectors.ner import chunk_lines

    analyzer = build_presidio()
    text = data.decode()
    t0 = time.perf_counter()
    for _, chunk in chunk_lines(text):
        analyzer.analyze(chunk, language="en")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prose-kb", type=int, default=1024)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--presidio", action="store_true")
    parser.add_argument("--save", metavar="DIR", help="write the generated inputs to DIR and stop")
    parser.add_argument("--load", metavar="DIR", help="time inputs saved with --save (e.g. from another checkout)")
    args = parser.parse_args()
    if args.load:
        prose, table = (Path(args.load, n).read_bytes() for n in ("notes.txt", "export.csv"))
    else:
        prose, table = make_inputs(args.prose_kb, args.rows)
    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        Path(args.save, "notes.txt").write_bytes(prose)
        Path(args.save, "export.csv").write_bytes(table)
        return
    if args.presidio:
        t = presidio_prose(prose)
        print(f"Presidio default, prose: {len(prose) / 1024 / t:8.1f} KB/s")
    from detectors.engine import Detector

    detector = Detector()
    accelerated = getattr(detector, "accelerated", None)
    print(f"pattern pass: {'hyperscan' if accelerated else 're' if accelerated is False else 'Presidio'}")
    modes = [False, True] if _has_budget() else [True]
    for full in modes:
        label = "full counts" if full else "scan (NER budget)"
        for name, data in (("notes.txt", prose), ("export.csv", table)):
            t = scan_bytes(detector, data, name, full)
            print(f"{label:18s} {name:10s} {len(data) / 1024:7.0f} KB {len(data) / 1024 / t:9.1f} KB/s")


if __name__ == "__main__":
    main()
