"""Error analysis on a DEV half of GUM or the Broad Twitter Corpus: every false negative and false positive
(overlap matching, PERSON and LOCATION as benchmarks.eval.public scores them) with its context and a rough
class, written to a file outside the repository. Test halves are refused: tune on dev only.

    python -m benchmarks.eval.errors gum /tmp/gum-dev-errors.tsv
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from benchmarks.eval.public import corpus_dir, gold_spans, load, scored
from benchmarks.eval.score import Span, _matches


def classify_miss(text: str, start: int, end: int, label: str, orig: str) -> str:
    """A rough class for a gold span nothing overlapped."""
    value = text[start:end]
    words = value.split()
    if value[:1].islower() or value.split()[0].lower() in ("the", "a", "an"):
        head = [w for w in words if w[:1].isupper()]
        if not head:
            return "lower-case"
        return "determiner/common-noun head"
    if value.isupper() and len(value) > 3:
        return "all-caps"
    if value.startswith(("@", "#")):
        return "handle/hashtag"
    if len(words) >= 5:
        return "long mention (5+ words)"
    if label == "PERSON" and len(words) == 1:
        return "one-word person"
    if label == "LOCATION" and len(words) == 1:
        return "one-word place"
    return f"{label.lower()} {len(words)} words"


def errors(records: Sequence[dict], found: Sequence[Sequence[tuple]]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for record, predicted in zip(records, found, strict=True):
        text = record["text"]
        gold = gold_spans(record)
        orig = {(s["start"], s["end"]): s.get("orig_label", "") for s in record["spans"]}
        others = [(s["start"], s["end"], s["label"]) for s in record["spans"] if s["label"] not in ("PERSON", "LOCATION")]
        pred: list[Span] = scored([(d[0], d[1], d[2]) for d in predicted])
        why = {(d[0], d[1]): d[3] for d in predicted}
        pairs = _matches(gold, pred, overlap=True)
        hit_g = {g for g, _ in pairs}
        hit_p = {p for _, p in pairs}
        for i, (s, e, label) in enumerate(gold):
            if i in hit_g:
                continue
            wrong = [p for p in pred if p[0] < e and s < p[1]]
            cls = f"labelled {wrong[0][2]}" if wrong else classify_miss(text, s, e, label, orig.get((s, e), ""))
            rows.append(("FN", label, cls, record["id"], text[s:e], _context(text, s, e), ""))
        for i, (s, e, label) in enumerate(pred):
            if i in hit_p:
                continue
            on = [g for g in gold + others if g[0] < e and s < g[1]]
            cls = f"on gold {on[0][2]}" if on else "unlabelled text"
            rows.append(("FP", label, cls, record["id"], text[s:e], _context(text, s, e), why.get((s, e), "")))
    return rows


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width):start].replace("\n", "⏎").replace("\t", " ")
    right = text[end:end + width].replace("\n", "⏎").replace("\t", " ")
    return f"{left}[[{text[start:end]}]]{right}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", choices=["gum", "btc"])
    parser.add_argument("out", type=Path, help="a TSV file (outside the repository: it quotes the corpus)")
    args = parser.parse_args(argv)
    from detectors.engine import Detector

    records = load(corpus_dir() / f"{args.corpus}.dev.jsonl")
    detector = Detector()
    found = detector.analyze_many([r["text"] for r in records], explain=True)
    rows = errors(records, [[(d.start, d.end, d.entity, d.explanation) for d in f] for f in found])
    with args.out.open("w", encoding="utf-8") as fh:
        fh.write("kind\tlabel\tclass\tid\tvalue\tcontext\twhy\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    counts = Counter((r[0], r[1], r[2]) for r in rows)
    for (kind, label, cls), n in counts.most_common(40):
        print(f"{n:5d}  {kind} {label:8s} {cls}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
