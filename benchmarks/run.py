"""Throughput, scaling, memory and re-scan benchmark on several shares, side by side with Presidio; prints Markdown.

    python -m benchmarks.run [--shares mixed,prose,small10k,small100k] [--size-mb 20] [--scales 1,16]
                             [--workers 2] [--presidio-seconds 0] [--presidio-small-files 2000] [--repeats 3]
                             [--f1] [--work DIR]

Shares (built once under --work, reused when they exist):
  mixed      the seeded generated UK share (letters, case notes, CSV, JSON logs, zip, XLSX) at each of --scales
             (1× = --size-mb MB): peak RSS at 1× and 16× shows whether memory stays flat.
  prose      text nobody here wrote: the GUM and Broad Twitter Corpus *test* halves (../shared/corpora) as .txt files
             (benchmarks/shares.py), about 1 MB.
  small10k   10,000 generated notes of 200-800 B in nested folders (per-object overhead).
  small100k  100,000 of the same.
For each share: `pii-scan scan` with a fresh state store (MB/s, files/s, peak RSS and PSS of the whole process tree), a
re-scan of the unchanged share with the same store (checking from the store that no object was read again; for
mixed at the smallest and largest scale), and Presidio's default AnalyzerEngine on the same files in line-aligned
≤ 4 KB chunks (benchmarks/presidio_baseline.py). Presidio reads every file, except: with --presidio-seconds N it
stops after about N seconds (a seeded random sample of files), and on the small-file shares it reads a seeded
random sample of --presidio-small-files files (0: all). A sample's rate stands for the whole share, and the
table says so. The ratio is pii-scan's MB/s (start-up included) over Presidio's MB/s on the same share; the
second ratio takes pii-scan's start-up (measured as a scan of one short note) off its seconds, as Presidio's clock
starts after its analyzer is built. Each first scan and the start-up are measured --repeats times (a fresh state
store each time) and the median run is reported: these machines are shared, and one run of a few seconds varies
by 10-20% (Presidio's run, tens of seconds long, is measured once). Peak PSS splits the pages the forked workers
share with the forkserver (the model, the lexicons) among them; peak RSS counts them once per process.
--f1 also prints the dev benchmark's overlap micro-F1 (benchmarks.eval.public --halves dev: GUM and BTC dev, PERSON
+LOCATION, pii-scan only) as `scan` runs (each text one object, NER budget on) and as `detect` runs.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.generate import generate
from benchmarks.shares import prose_share, small_share

SHARES = ("mixed", "prose", "small10k", "small100k")
SMALL = {"small10k": 10_000, "small100k": 100_000}


def pss(pid: int) -> int | None:
    """Proportional set size (bytes) of one process: pages shared with others (a forked worker's copy of the
    model) count in part. Linux only (/proc/PID/smaps_rollup); None elsewhere or when the process is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


@dataclass
class Measured:
    secs: float
    peak: int                      # peak RSS summed over the process tree (counts shared pages once per process)
    peak_pss: int | None           # peak PSS summed over the tree (shared pages split among their users)
    stdout: str


def measure(cmd: list[str], env: dict[str, str]) -> Measured:
    """Wall seconds, peak RSS and PSS summed over the process and its children, stdout."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:   # NOTE: not a pipe: a big report would block the child on a full pipe
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.DEVNULL, text=True)
        ps = psutil.Process(proc.pid)
        peak, peak_pss = 0, 0
        while proc.poll() is None:
            try:
                tree = [ps, *ps.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            else:                   # a process that has just exited reads as None: it counts 0 in this sample
                peak_pss = max(peak_pss, sum(pss(p.pid) or 0 for p in tree))
            time.sleep(0.05)
        out.seek(0)
        stdout = out.read()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return Measured(time.perf_counter() - t0, peak, peak_pss or None, stdout)


def reads_in_run(state: Path) -> int:
    """Objects read (not re-used) by the newest run in the store."""
    with sqlite3.connect(state) as db:
        run = db.execute("SELECT id FROM runs ORDER BY started DESC, rowid DESC LIMIT 1").fetchone()[0]
        return db.execute("SELECT count(*) FROM results WHERE run_id = ?", (run,)).fetchone()[0]


@dataclass
class Row:
    share: str
    run: str
    files: int
    nbytes: int
    secs: float
    peak: int | None
    reads: int | None = None
    ratio: float | None = None
    pss: int | None = None
    ratio_warm: float | None = None      # the ratio with pii-scan's start-up (a one-file scan) taken off its time

    def cells(self) -> str:
        def mb(n: int | None) -> str:
            return "" if n is None else f"{n / 1e6:.0f}"
        ratio = "" if self.ratio is None else f"**{self.ratio:.1f}×**"
        warm = "" if self.ratio_warm is None else f"{self.ratio_warm:.1f}×"
        return (f"| {self.share} | {self.run} | {self.files:,} | {self.nbytes / 1e6:.2f} | {self.secs:.1f} | "
                f"{self.nbytes / 1e6 / self.secs:.3f} | {self.files / self.secs:,.0f} | {mb(self.peak)} | "
                f"{mb(self.pss)} | {'' if self.reads is None else f'{self.reads:,}'} | {ratio} | {warm} |")


def share_files(corpus: Path) -> tuple[int, int]:
    files = [p for p in corpus.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def build(name: str, corpus: Path, size_mb: float, seed: int) -> None:
    if corpus.exists():
        return
    tmp = corpus.with_name(corpus.name + ".part")
    if name.startswith("mixed"):
        generate(tmp, size_mb, seed)
    elif name == "prose":
        prose_share(tmp)
    else:
        small_share(tmp, SMALL[name])
    tmp.rename(corpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shares", default=",".join(SHARES))
    ap.add_argument("--size-mb", type=float, default=20, help="the mixed share at 1×")
    ap.add_argument("--scales", default="1,16", help="mixed share scales")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--presidio-seconds", type=float, default=0, help="cap each Presidio run (0: every file)")
    ap.add_argument("--presidio-small-files", type=int, default=2000,
                    help="Presidio reads a seeded sample of this many files of a small-file share (0: all)")
    ap.add_argument("--no-presidio", action="store_true")
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs of each first scan and of the start-up; the median is reported")
    ap.add_argument("--f1", action="store_true", help="also print the dev benchmark's micro-F1")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    shares = [s for s in args.shares.split(",") if s]
    bad = [s for s in shares if s not in SHARES]
    if bad:
        ap.error(f"unknown share {bad[0]!r} (one of {', '.join(SHARES)})")
    if args.repeats < 1:
        ap.error("--repeats: at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix="pii-scan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PII_SCAN_HOME=str(work / "home"), TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS="")
    scales = [int(s) for s in args.scales.split(",")]
    rows: list[Row] = []
    notes: list[str] = []

    def scan(corpus: Path, state: Path) -> Measured:
        cmd = [sys.executable, "-m", "scanner.cli", "scan", str(corpus), "--state", str(state), "--format", "json",
               "-q", "--workers", str(args.workers)]
        return measure(cmd, env)

    # pii-scan's start-up: a scan of one short note (imports, forkserver, model, lexicons, store, report). Presidio's
    # clock starts after its analyzer is built, so "start-up excluded" is the like-for-like ratio of the two.
    one = work / "share-one-file"
    if not one.exists():
        one.mkdir()
        (one / "note.txt").write_text("Case note: spoke to the tenant about the repairs on Tuesday.\n")
    # NOTE: the first run fills the data directory's caches (pattern database, gazetteer) and the page cache, as
    # a user's first scan does once: the median of the runs after it is the start-up every later scan pays
    startups = []
    for _ in range(1 + args.repeats):
        (work / "state-one-file.db").unlink(missing_ok=True)
        startups.append(scan(one, work / "state-one-file.db").secs)
    startup = statistics.median(startups[1:])
    notes.append(f"start-up: a scan of one short note took {startup:.1f} s (median of {args.repeats}; first run, "
                 f"caches cold: {startups[0]:.1f} s; \"start-up excluded\" takes {startup:.1f} s off pii-scan's "
                 f"seconds)")

    def rated(row: Row, rate: float) -> None:
        row.ratio = row.nbytes / row.secs / rate
        if row.secs > startup:
            row.ratio_warm = row.nbytes / (row.secs - startup) / rate

    def log(row: Row) -> None:
        print(f"# {row}", file=sys.stderr, flush=True)

    def presidio(share: str, corpus: Path, files: int, nbytes: int) -> float | None:
        """Presidio's MB/s on ``corpus`` (adds its row); None with --no-presidio."""
        if args.no_presidio:
            return None
        cmd = [sys.executable, "-m", "benchmarks.presidio_baseline", str(corpus), "--max-seconds",
               str(args.presidio_seconds), "--seed", str(args.seed)]
        if share in SMALL and args.presidio_small_files:
            cmd += ["--max-files", str(args.presidio_small_files)]
        got = measure(cmd, env)
        peak, out = got.peak, got.stdout
        res = json.loads(out.strip().splitlines()[-1])
        rate = res["bytes"] / res["seconds"]
        if res["files"] == res["of"]:
            rows.append(Row(share, "Presidio default AnalyzerEngine (every file)", res["files"], res["bytes"],
                            res["seconds"], peak))
        else:       # a seeded random sample: its rate, extrapolated to the whole share
            rows.append(Row(share, f"Presidio default AnalyzerEngine (sample of {res['files']:,}/{res['of']:,} files, "
                                   f"time extrapolated)", files, nbytes, nbytes / rate, peak))
        log(rows[-1])
        return rate

    def scan_row(share: str, corpus: Path, state: Path, files: int, nbytes: int, first: Row | None = None) -> Row:
        """Scan ``corpus`` with ``state`` and add the row: a first scan (the median of --repeats, each with a fresh
        ``state``, the last one's kept for the re-scan), or (``first``: its row) a re-scan."""
        if first is None:
            runs = []
            for _ in range(args.repeats):
                state.unlink(missing_ok=True)
                runs.append(scan(corpus, state))
            m = sorted(runs, key=lambda r: r.secs)[(len(runs) - 1) // 2]
        else:
            m = scan(corpus, state)
        run = "pii-scan scan" if first is None else f"re-scan unchanged ({m.secs / first.secs:.1%} of first)"
        row = Row(share, run, files, nbytes, m.secs, m.peak, reads_in_run(state), pss=m.peak_pss)
        rows.append(row)
        log(row)
        return row

    for share in shares:
        if share == "mixed":
            first: dict[int, tuple[Path, Path, Row]] = {}
            for scale in scales:
                corpus = work / f"share-{scale}x"
                build("mixed", corpus, args.size_mb * scale, args.seed)
                nfiles, size = share_files(corpus)
                state = work / f"state-mixed-{scale}x.db"
                first[scale] = (corpus, state, scan_row(f"mixed {scale}×", corpus, state, nfiles, size))
            for scale in sorted({scales[0], scales[-1]}):
                corpus, state, row0 = first[scale]
                scan_row(f"mixed {scale}×", corpus, state, row0.files, row0.nbytes, row0)
            base = first[scales[0]]
            rate = presidio(f"mixed {scales[0]}×", base[0], base[2].files, base[2].nbytes)
            if rate:
                for scale in scales:
                    rated(first[scale][2], rate)
            if len(scales) > 1:
                lo, hi = first[scales[0]][2], first[scales[-1]][2]
                notes.append(f"mixed: peak RSS {(hi.peak or 0) / 1e6:.0f} MB at {scales[-1]}× vs {(lo.peak or 0) / 1e6:.0f} MB at "
                             f"{scales[0]}× ({(hi.peak or 0) / (lo.peak or 1) - 1:+.0%}); time {hi.secs / lo.secs:.2f}× "
                             f"for {scales[-1] / scales[0]:.0f}× the data")
                if hi.pss and lo.pss:
                    notes.append(f"mixed: peak PSS {hi.pss / 1e6:.0f} MB at {scales[-1]}× vs {lo.pss / 1e6:.0f} MB at "
                                 f"{scales[0]}× ({hi.pss / lo.pss - 1:+.0%})")
            continue
        corpus = work / f"share-{share}"
        build(share, corpus, args.size_mb, args.seed)
        nfiles, size = share_files(corpus)
        state = work / f"state-{share}.db"
        first_row = scan_row(share, corpus, state, nfiles, size)
        scan_row(share, corpus, state, nfiles, size, first_row)
        rate = presidio(share, corpus, nfiles, size)
        if rate:
            rated(first_row, rate)

    print(f"\n{args.workers} workers; {os.cpu_count()} CPUs; mixed 1× = {args.size_mb} MB, seed {args.seed}; "
          f"shares in {work}\n")
    print("| share | run | files | MB | seconds | MB/s | files/s | peak RSS (MB) | peak PSS (MB) | objects read | "
          "× Presidio (MB/s) | × Presidio, start-up excluded |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(row.cells())
    for note in notes:
        print(f"\n{note}")
    if args.f1:
        print("\nDev benchmark (benchmarks.eval.public, dev halves; overlap micro-F1 over PERSON+LOCATION; CPU s/MB of "
              "pii-scan's detection alone). A speed change that lowers `scan` F1 by more than 0.01 is not taken.\n")
        print("| run | GUM dev F1 | BTC dev F1 | GUM CPU s/MB | BTC CPU s/MB |")
        print("|---|---:|---:|---:|---:|")
        for label, extra in (("`scan` (NER budget on)", ["--scan"]), ("`detect` (every finding)", [])):
            out = work / "f1.json"
            subprocess.run([sys.executable, "-m", "benchmarks.eval.public", "--halves", "dev", "--no-presidio",
                            "--json", str(out), *extra], env=env, check=True, stdout=subprocess.DEVNULL)
            f1 = json.loads(out.read_text())
            gum, btc = f1["gum.dev"], f1["btc.dev"]
            print(f"| {label} | {gum['ours_overlap_f1']:.3f} | {btc['ours_overlap_f1']:.3f} | "
                  f"{gum['cpu_s_per_mb']:.1f} | {btc['cpu_s_per_mb']:.1f} |")


if __name__ == "__main__":
    main()
