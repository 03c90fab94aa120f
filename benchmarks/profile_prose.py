"""Where prose time goes: CPU per stage, per 100 KB, under cProfile, as `scan` or as `detect` runs it.

    python -m benchmarks.profile_prose DIR_OR_JSONL [--mode scan|detect] [--top 0]

DIR: every file under it is read as `scan` reads a text file (64 KB prose segments, one object per file, the
per-object NER budget on). JSONL: each record's "text" is one object. ``--mode detect`` gives all texts to
Detector.analyze_many at once (what ``pii-scan detect --jsonl`` does: every finding, no budget). Prints the
CPU seconds of the run without the profiler, then one row per stage (cumulative time of the functions that
make it, measured under cProfile and scaled to the unprofiled total); ``--top N`` also prints cProfile's N
costliest functions. Use the prose share (benchmarks.shares, test halves) for speed only: never tune
detection on what it shows.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from collections.abc import Callable
from pathlib import Path

# stage -> functions (file suffix, function name) whose cumulative time makes it; a stage's functions never
# call each other's (so their times add), and "NER model" is what the runner spends outside its splitting.
STAGES: dict[str, list[tuple[str, str]]] = {
    "splitting (sentences, candidate pass)": [("detectors/ner.py", "pieces")],
    "NER (spaCy model + clean-up)": [("detectors/ner.py", "spans_many")],
    "patterns (recognisers, checksums, context)": [("detectors/fastpath.py", "candidates")],
    "  of which context scoring": [("detectors/recognizers/__init__.py", "score_in_context")],
    "phones": [("detectors/fastpath.py", "candidates#PhonePass")],
    "name rules (labels, given names, mentions)": [("detectors/names.py", "find"),
                                                   ("detectors/names.py", "later_mentions")],
    "gazetteers (towns, world places)": [("detectors/ner.py", "fix"), ("detectors/engine.py", "relabel_places"),
                                         ("detectors/engine.py", "world_places")],
    "overlaps and merging": [("detectors/engine.py", "resolve_overlaps"),
                             ("detectors/engine.py", "merge_locations")],
    "special categories": [("detectors/special.py", "iter_find")],
    "children": [("detectors/children.py", "find")],
    "name runs (subject index, past the budget)": [("detectors/names.py", "candidates")],
}


def load_texts(source: Path) -> list[list[str]]:
    """Objects, each a list of prose segments as the scan cuts them."""
    if source.is_dir():
        from scanner.extract.text import SEGMENT_CHARS

        objects = []
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            text = path.read_text(encoding="utf-8", errors="replace")
            segs, pending = [], text
            while len(pending) >= SEGMENT_CHARS:
                cut = pending.rfind("\n", 0, SEGMENT_CHARS) + 1 or SEGMENT_CHARS
                segs.append(pending[:cut])
                pending = pending[cut:]
            if pending.strip():
                segs.append(pending)
            objects.append(segs)
        return objects
    with source.open(encoding="utf-8") as fh:
        return [[json.loads(line)["text"]] for line in fh if line.strip()]


def runner(detector, objects: list[list[str]], mode: str) -> Callable[[], None]:
    if mode == "detect":
        texts = [t for segs in objects for t in segs]
        return lambda: detector.analyze_many(texts) and None

    from scanner.analysis import HoldingBuilder, analyse_segment
    from scanner.model import Segment, SegmentKind
    from scanner.privacy import Hasher

    hasher = Hasher(b"profile")

    def scan() -> None:
        for segs in objects:
            builder = HoldingBuilder(hasher)
            for seg in segs:
                analyse_segment(detector, builder, Segment(SegmentKind.PROSE, text=seg,
                                                           where={"line": 1, "offset": 0}))
    return scan


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    table = stats.stats  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    for stage, funcs in STAGES.items():
        total = 0.0
        for suffix, name in funcs:
            name, _, cls = name.partition("#")
            for (filename, line, func), (_, _, _, cum, _) in table.items():
                if func == name and filename.endswith(suffix):
                    if suffix == "detectors/fastpath.py" and name == "candidates":
                        # PatternPass.candidates comes first in the file, PhonePass.candidates after it
                        first = min(ln for (f, ln, fn) in table if fn == name and f.endswith(suffix))
                        if (line == first) == bool(cls):
                            continue
                    total += cum
        out[stage] = total
    out["NER (spaCy model + clean-up)"] -= out["splitting (sentences, candidate pass)"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path)
    ap.add_argument("--mode", choices=["scan", "detect"], default="scan")
    ap.add_argument("--top", type=int, default=0)
    args = ap.parse_args()
    from detectors.engine import Detector

    detector = Detector()
    objects = load_texts(args.source)
    kb = sum(len(t.encode()) for segs in objects for t in segs) / 1e3
    run = runner(detector, objects, args.mode)
    run()                                     # warm-up: caches, lazy imports (the scan's workers are warm too)
    detector = Detector()                     # ... but not the NER piece cache
    run = runner(detector, objects, args.mode)
    t0 = time.process_time()
    run()
    plain = time.process_time() - t0
    detector = Detector()
    run = runner(detector, objects, args.mode)
    prof = cProfile.Profile(time.process_time)
    t0 = time.process_time()
    prof.runcall(run)
    profiled = time.process_time() - t0
    stats = pstats.Stats(prof)
    scale = plain / profiled
    stages = stage_seconds(stats)
    print(f"{args.source} ({args.mode}): {len(objects)} objects, {kb:.0f} KB; {plain:.2f} CPU s without the "
          f"profiler ({kb / plain:.0f} KB/s CPU), {profiled:.2f} with it\n")
    print("| stage | CPU s per 100 KB | share |")
    print("|---|---:|---:|")
    counted = 0.0
    for stage, secs in stages.items():
        if not stage.startswith("  "):
            counted += secs
        print(f"| {stage} | {secs * scale / kb * 100:.3f} | {secs / profiled:.0%} |")
    print(f"| other (segment handling, bookkeeping) | {(profiled - counted) * scale / kb * 100:.3f} | "
          f"{(profiled - counted) / profiled:.0%} |")
    print(f"| **total** | {plain / kb * 100:.3f} | 100% |")
    if args.top:
        out = io.StringIO()
        stats.stream = out  # type: ignore[attr-defined]
        stats.sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
