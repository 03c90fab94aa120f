"""pii-scan's detector and Presidio's default analyzer on independent public text: GUM and the Broad Twitter
Corpus (../shared/corpora/, see its README for the sources, licences and attribution), in one run.

    python -m benchmarks.eval.public                       # dev and test halves of both corpora
    python -m benchmarks.eval.public --halves dev          # tuning: never look at test-half errors
    python -m benchmarks.eval.public --corpora gum --halves dev --no-presidio

Scored labels: PERSON and LOCATION, the personal data the corpora annotate. Their ORG spans are not scored
(pii-scan does not report organisations; Presidio's ORGANIZATION is ignored), but a PERSON or LOCATION
predicted on an organisation is a false positive. A predicted USERNAME (an @-handle) is scored as PERSON:
right where the corpus labels the handle a person, wrong where it labels it an organisation or leaves it
unlabelled. Other predicted labels (EMAIL_ADDRESS, DATE_OF_BIRTH, ...) are neither right nor wrong here.
Ours is what ``pii-scan detect --jsonl`` runs (Detector.analyze_many: every finding, no NER budget), or with
``--scan`` what ``pii-scan scan`` runs on each text as one object (scanner.analysis.analyse_segment on one prose
segment, the per-object NER budget on); Presidio's default AnalyzerEngine (same spaCy model) gets each text
chunked at line ends.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.eval.score import Prf, Span, score

ROOT = Path(__file__).resolve().parents[2]
SCORED = ("PERSON", "LOCATION")
AS_SCORED = {"PERSON": "PERSON", "LOCATION": "LOCATION", "USERNAME": "PERSON"}   # predicted label → scored


def corpus_dir() -> Path:
    """$PII_SCAN_CORPORA, else shared/corpora beside the checkout (or beside a folder above it: worktrees)."""
    import os

    if os.environ.get("PII_SCAN_CORPORA"):
        return Path(os.environ["PII_SCAN_CORPORA"]).resolve()
    for parent in ROOT.parents:
        if (parent / "shared" / "corpora").is_dir():
            return parent / "shared" / "corpora"
    return ROOT.parent / "shared" / "corpora"


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_spans(record: dict) -> list[Span]:
    return [(s["start"], s["end"], s["label"]) for s in record["spans"] if s["label"] in SCORED]


def scored(spans: Sequence[tuple]) -> list[Span]:
    """Predicted (start, end, label, ...) mapped onto the scored labels; others dropped."""
    return [(s[0], s[1], AS_SCORED[s[2]]) for s in spans if s[2] in AS_SCORED]


def run_ours(detector, texts: list[str]) -> tuple[list[list[Span]], float]:
    t0 = time.process_time()
    found = detector.analyze_many(texts)
    cpu = time.process_time() - t0
    return [scored([(d.start, d.end, d.entity) for d in f]) for f in found], cpu


def run_scan(detector, texts: list[str]) -> tuple[list[list[Span]], float]:
    """Each text as one object through the scan's analysis (NER budget on): the prose detections it counts."""
    from dataclasses import dataclass, field

    from scanner.analysis import HoldingBuilder, analyse_segment
    from scanner.model import Segment, SegmentKind
    from scanner.privacy import Hasher

    @dataclass
    class Spans(HoldingBuilder):
        seen: list = field(default_factory=list)      # every prose detection the scan counted

        def add_prose(self, seg, detections):
            detections = list(detections)
            self.seen.extend(detections)
            super().add_prose(seg, detections)

    hasher = Hasher(b"benchmark")
    out = []
    t0 = time.process_time()
    for text in texts:
        builder = Spans(hasher)
        analyse_segment(detector, builder, Segment(SegmentKind.PROSE, text=text, where={"line": 1, "offset": 0}))
        out.append(scored([(d.start, d.end, d.entity) for d in builder.seen]))
    return out, time.process_time() - t0


def run_presidio(analyzer, texts: list[str], cache: Path | None, key: str) -> list[list[Span]]:
    """Presidio's spans, from ``cache`` when it holds this file's (offsets and labels only, no text)."""
    from benchmarks.eval.presidio_default import LABEL_MAP, _dedupe
    from detectors.ner import chunk_lines

    if cache is not None:
        hit = cache / f"presidio-{key}.json"
        if hit.exists():
            return [[tuple(s) for s in spans] for spans in json.loads(hit.read_text())]
    out = []
    for text in texts:
        spans = []
        for base, chunk in chunk_lines(text):
            if chunk.strip():
                for r in analyzer.analyze(chunk, language="en"):
                    label = LABEL_MAP.get(r.entity_type)
                    if label:
                        spans.append((base + r.start, base + r.end, label, round(r.score, 4)))
        out.append(scored(_dedupe(spans)))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"presidio-{key}.json").write_text(json.dumps(out))
    return out


def _cell(p: Prf) -> str:
    return f"{p.precision:.3f} | {p.recall:.3f} | {p.f1:.3f}"


def table(name: str, gold_n: dict[str, int], ours: dict[str, dict[str, Prf]],
          theirs: dict[str, dict[str, Prf]] | None) -> str:
    head = "| " + name + " | match | gold | ours P | R | F1 |" + (" Presidio P | R | F1 |" if theirs else "")
    rows = [head, "|---|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if theirs else "")]
    for mode in ("overlap", "exact"):
        for entity in [*SCORED, "micro"]:
            n = sum(gold_n.values()) if entity == "micro" else gold_n.get(entity, 0)
            label = f"**{entity}**" if entity == "micro" else entity
            row = f"| {label} | {mode} | {n} | {_cell(ours[mode].get(entity, Prf(0, 0, n)))} |"
            if theirs:
                row += f" {_cell(theirs[mode].get(entity, Prf(0, 0, n)))} |"
            rows.append(row)
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=["gum", "btc"], choices=["gum", "btc"])
    parser.add_argument("--halves", nargs="+", default=["dev", "test"], choices=["dev", "test"])
    parser.add_argument("--no-presidio", action="store_true")
    parser.add_argument("--presidio-cache", type=Path, default=None,
                        help="keep Presidio's spans (offsets and labels) per corpus file here")
    parser.add_argument("--scan", action="store_true",
                        help="ours as `scan` runs it (one object per text, NER budget on), not as `detect`")
    parser.add_argument("--json", type=Path, default=None, help="also write the micro scores here")
    args = parser.parse_args(argv)
    files = []
    for corpus in args.corpora:
        for half in args.halves:
            path = corpus_dir() / f"{corpus}.{half}.jsonl"
            if not path.is_file():
                print(f"{path}: missing (set PII_SCAN_CORPORA)", file=sys.stderr)
                return 2
            files.append((f"{corpus}.{half}", path))
    loaded = [(name, path, load(path)) for name, path in files]
    analyzer = None
    if not args.no_presidio:
        # NOTE: Presidio first: its registry loader looks recogniser classes up by name among all loaded
        # subclasses, and some of ours share a name with Presidio's (see benchmarks/eval/run.py).
        from benchmarks.eval.presidio_default import build_presidio

        analyzer = build_presidio()
    from detectors.engine import Detector

    detector = Detector()
    summary: dict[str, dict] = {}
    for name, path, records in loaded:
        texts = [r["text"] for r in records]
        gold = [gold_spans(r) for r in records]
        gold_n: dict[str, int] = {}
        for spans in gold:
            for _, _, label in spans:
                gold_n[label] = gold_n.get(label, 0) + 1
        ours, cpu = (run_scan if args.scan else run_ours)(detector, texts)
        mb = sum(len(t.encode()) for t in texts) / 1e6
        ours_s = {"overlap": score(zip(gold, ours, strict=True), overlap=True), "exact": score(zip(gold, ours, strict=True))}
        theirs_s = None
        if analyzer is not None:
            key = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            theirs = run_presidio(analyzer, texts, args.presidio_cache, f"{name}-{key}")
            theirs_s = {"overlap": score(zip(gold, theirs, strict=True), overlap=True), "exact": score(zip(gold, theirs, strict=True))}
        print(f"\n{name}: {len(records)} texts, {mb:.2f} MB; ours {cpu:.1f} CPU s ({cpu / mb:.1f} CPU s/MB)\n")
        print(table(name, gold_n, ours_s, theirs_s))
        entry = {"ours_overlap_f1": round(ours_s["overlap"]["micro"].f1, 4),
                 "ours_exact_f1": round(ours_s["exact"]["micro"].f1, 4), "cpu_s_per_mb": round(cpu / mb, 2)}
        if theirs_s:
            entry |= {"presidio_overlap_f1": round(theirs_s["overlap"]["micro"].f1, 4),
                      "presidio_exact_f1": round(theirs_s["exact"]["micro"].f1, 4)}
        summary[name] = entry
    print("\n| file | ours overlap F1 | Presidio overlap F1 | ours exact F1 | Presidio exact F1 |")
    print("|---|---:|---:|---:|---:|")
    for name, e in summary.items():
        print(f"| {name} | {e['ours_overlap_f1']:.3f} | {e.get('presidio_overlap_f1', float('nan')):.3f} | "
              f"{e['ours_exact_f1']:.3f} | {e.get('presidio_exact_f1', float('nan')):.3f} |")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
