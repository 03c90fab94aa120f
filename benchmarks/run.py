"""Throughput, scaling, memory and re-scan benchmark; prints a Markdown table.

    python -m benchmarks.run --size-mb 20 [--scales 1,4,16] [--workers 2] [--presidio-seconds 0] [--work DIR]

In one run: generates the mixed share at each scale (seeded), times `pii-scan scan` on it with a fresh
state store (MB/s, files/s, peak RSS of the whole process tree), re-scans the unchanged 1× and largest
shares with the same store (checking from the store that no object was read again), and measures
Presidio's default AnalyzerEngine on the whole 1× share (or, with --presidio-seconds N, on the files it reaches in
about N seconds, in a seeded random order: quicker, but a sample of ~60 files moves the rate by ±20%).
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.generate import generate


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) summed over the process and its children, stdout."""
    t0 = time.perf_counter()
    out = tempfile.TemporaryFile("w+")       # NOTE: not a pipe: a big report would block the child on a full pipe
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.DEVNULL, text=True)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    out.seek(0)
    stdout = out.read()
    out.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return time.perf_counter() - t0, peak, stdout


def reads_in_run(state: Path) -> int:
    """Objects read (not re-used) by the newest run in the store."""
    with sqlite3.connect(state) as db:
        run = db.execute("SELECT id FROM runs ORDER BY started DESC, rowid DESC LIMIT 1").fetchone()[0]
        return db.execute("SELECT count(*) FROM results WHERE run_id = ?", (run,)).fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=20)
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--presidio-seconds", type=float, default=0, help="cap Presidio's run (0: the whole 1x share)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="pii-scan-bench-"))
    env = dict(os.environ, PII_SCAN_HOME=str(work / "home"), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
    scales = [int(s) for s in args.scales.split(",")]
    rows = []
    first: dict[int, tuple[Path, Path, tuple]] = {}         # scale -> corpus, state, its row in ``rows``

    def scan(corpus: Path, state: Path) -> tuple[float, int]:
        cmd = [sys.executable, "-m", "scanner.cli", "scan", str(corpus), "--state", str(state), "--format", "json",
               "-q", "--workers", str(args.workers)]
        secs, peak, _ = measure(cmd, env)
        return secs, peak

    for scale in scales:
        corpus = work / f"share-{scale}x"
        if not corpus.exists():
            generate(corpus, args.size_mb * scale, args.seed)
        files = [p for p in corpus.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        state = work / f"state-{scale}x.db"
        state.unlink(missing_ok=True)
        secs, peak = scan(corpus, state)
        rows.append((f"pii-scan scan, {scale}×", len(files), size, secs, peak, reads_in_run(state)))
        first[scale] = (corpus, state, rows[-1])
        print(f"# {rows[-1]}", file=sys.stderr, flush=True)
    for scale in sorted({scales[0], scales[-1]}):
        corpus, state, (_, nfiles, size, secs0, _, _) = first[scale]
        secs, peak = scan(corpus, state)
        rows.append((f"re-scan unchanged, {scale}× ({secs / secs0:.1%} of first)", nfiles, size, secs, peak,
                     reads_in_run(state)))
    base = first[scales[0]][0]
    secs, peak, out = measure([sys.executable, "-m", "benchmarks.presidio_baseline", str(base), "--max-seconds",
                               str(args.presidio_seconds)], env)
    res = json.loads(out.strip().splitlines()[-1])
    covered = "all files" if res["files"] == res["of"] else f"{res['files']}/{res['of']} files in the time cap"
    rows.append((f"Presidio default AnalyzerEngine, 1× ({covered})",
                 res["files"], res["bytes"], res["seconds"], peak, None))
    print(f"\nCorpus: seed {args.seed}, 1× = {args.size_mb} MB; {args.workers} workers; {os.cpu_count()} CPUs\n")
    print("| run | files | MB | seconds | MB/s | files/s | peak RSS (MB) | objects read |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, nfiles, nbytes, secs, peak, reads in rows:
        print(f"| {name} | {nfiles:,} | {nbytes / 1e6:.2f} | {secs:.1f} | {nbytes / 1e6 / secs:.3f} | "
              f"{nfiles / secs:.2f} | {peak / 1e6:.0f} | {'' if reads is None else reads} |")
    presidio_rate = res["bytes"] / res["seconds"]
    for scale in sorted({scales[0], scales[-1]}):
        row = first[scale][2]
        ratio = (row[2] / row[3]) / presidio_rate
        print(f"\npii-scan at {scale}× vs Presidio default (same mix, Presidio on the 1× share): "
              f"{ratio:.2f}× the throughput (MB/s)" + (", start-up included" if scale == scales[0] else "."))
    if len(scales) > 1:
        t = [first[s][2][3] for s in scales]
        print("Scaling (time / time at 1×, ideal = scale): " + ", ".join(f"{s}×: {x / t[0]:.2f}" for s, x in zip(scales, t)))
        # time = fixed + per_mb * MB, least squares: the fixed part is start-up (models, store, report)
        mb = [first[s][2][2] / 1e6 for s in scales]
        mean_x, mean_t = sum(mb) / len(mb), sum(t) / len(t)
        per_mb = sum((x - mean_x) * (y - mean_t) for x, y in zip(mb, t)) / sum((x - mean_x) ** 2 for x in mb)
        fixed = mean_t - per_mb * mean_x
        worst = max(abs(y - (fixed + per_mb * x)) / y for x, y in zip(mb, t))
        print(f"Linear fit: {fixed:.1f} s + {per_mb:.3f} s/MB (each scale within {worst:.0%} of the line)")


if __name__ == "__main__":
    main()
