"""Run every benchmark side by side and print a table.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/run.py [--sizes 10000,100000,1000000] [--skip-es]

Logs come from the deterministic demo generator (about 500 events per client) and are kept in
benchmarks/data/ between runs. Each measurement is a fresh process; its wall time and peak
memory (max RSS) are reported. "cold" runs without a projection snapshot, "warm" with one.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
PY = sys.executable
FOLLOWUP = [PY, "-m", "tui_followup"]
ENV = dict(os.environ, TZ="Asia/Tokyo", FOLLOWUP_NOW="2026-11-25T08:30+09:00")


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or ENV, cwd=ROOT)
    stdout = proc.stdout.read()  # type: ignore[union-attr]
    stderr = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr.decode()}")
    return wall, usage.ru_maxrss / 1024, stdout.decode().split("\n", 1)[0]


def log_for(events: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"demo-{events}.jsonl"
    if not path.exists():
        subprocess.run(FOLLOWUP + ["demo", "--out", str(path), "--events", str(events), "--today", "2026-11-25"],
                       check=True, env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL)
    return path


def snapshot_of(log: Path) -> Path:
    return log.with_name(log.name + ".snapshot")


def best(cmd: list[str], repeat: int, before=None) -> tuple[float, float, str]:
    results = []
    for _ in range(repeat):
        if before:
            before()
        results.append(run_measured(cmd))
    return min(results, key=lambda r: r[0])


def best_cold(command: list[str], log: Path, repeat: int, floors: list | None = None) -> tuple[float, float, str]:
    """A command on a fresh copy of the log each time: no snapshot can be there (the CLI
    leaves one behind in the background after it answered; a copy is never reused).
    With ``floors``, the floor is measured just before each run too (it moves with the
    machine's load: the two are compared under the same conditions)."""
    results = []
    for n in range(repeat):
        copy = DATA / f"cold-{n}-{log.name}"
        shutil.copyfile(log, copy)
        shutil.copyfile(log.with_name(log.name + ".head"), copy.with_name(copy.name + ".head"))
        os.sync()
        if floors is not None:
            floors.append(run_measured([PY, "benchmarks/floor.py", str(log)]))
        results.append(run_measured(FOLLOWUP + ["--log", str(copy)] + command))
        time.sleep(1)  # its background snapshot writer done: not competing with the next run
        for leftover in DATA.glob(copy.name + "*"):
            leftover.unlink()
    time.sleep(1)  # let the last background snapshot writer finish before the next measurement
    for leftover in DATA.glob("cold-*"):
        leftover.unlink()
    return min(results, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-es", action="store_true", help="leave out the eventsourcing reference")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
          f"Python {platform.python_version()} · {time.strftime('%Y-%m-%d')}")
    rows = []
    for events in sizes:
        log = log_for(events)
        size_mb = log.stat().st_size / 1e6
        r = args.repeat
        floors: list = []
        cold_due = best_cold(["due", "--json"], log, r, floors)  # the floor taken in turn with it
        cold_status = best_cold(["status", "--json"], log, r, floors)
        floor = min(floors, key=lambda run: run[0])
        measured = {
            "floor: msgspec decode only": floor,
            "naive: json.loads per line": best([PY, "benchmarks/naive.py", str(log)], r),
            "due --json, cold (no snapshot)": cold_due,
            "status --json, cold": cold_status,
        }
        snapshot_of(log).unlink(missing_ok=True)
        subprocess.run(FOLLOWUP + ["--log", str(log), "due", "--json"], env=ENV, cwd=ROOT,
                       stdout=subprocess.DEVNULL, check=True)  # leaves a snapshot when big enough
        time.sleep(1)  # written in the background, after the answer
        measured["due --json, warm (snapshot)"] = best(FOLLOWUP + ["--log", str(log), "due", "--json"], r)
        measured["status --json, warm"] = best(FOLLOWUP + ["--log", str(log), "status", "--json"], r)
        measured["audit --json, warm"] = best(FOLLOWUP + ["--log", str(log), "audit", "--json"], r)
        measured["check (whole log, hash chain)"] = best(FOLLOWUP + ["--log", str(log), "check"], 1)
        copy = DATA / f"tui-{events}.jsonl"
        shutil.copyfile(log, copy)
        shutil.copyfile(log.with_name(log.name + ".head"), copy.with_name(copy.name + ".head"))
        os.sync()
        # The app writes no snapshot here (it would on closing): every run on the copy is cold.
        runs = [run_measured([PY, "benchmarks/tui.py", str(copy)]) for _ in range(r)]
        cold = min(runs, key=lambda run: float(run[2].split()[0]))
        measured["TUI first paint of Today (cold)"] = (float(cold[2].split()[0]), cold[1], "")
        if snapshot_of(log).exists():
            shutil.copyfile(snapshot_of(log), snapshot_of(copy))
        os.sync()  # the copy's dirty pages must not be flushed by the first append's fsync
        runs = [run_measured([PY, "benchmarks/tui.py", str(copy)]) for _ in range(r)]
        tui = min(runs, key=lambda run: float(run[2].split()[0]))
        measured["TUI first paint of Today (warm)"] = (float(tui[2].split()[0]), tui[1], "")
        append = min(runs, key=lambda run: float(run[2].split()[1]))
        measured["TUI: record 1 event, due list updated"] = (float(append[2].split()[1]) / 1000, append[1], "")
        snapshot_of(copy).unlink(missing_ok=True)
        copy.unlink()
        if not args.skip_es:
            db = DATA / f"es-{events}.sqlite"
            if not db.exists():  # storing the events in the library's SQLite is not timed
                subprocess.run([PY, "benchmarks/es_reference.py", str(log), str(db), "--build"], env=ENV,
                               cwd=ROOT, check=True)
            measured["eventsourcing lib: replay to due list"] = best(
                [PY, "benchmarks/es_reference.py", str(log), str(db)], 1)
        print(f"\n## {events:,} events · {size_mb:.0f} MB log")
        print(f"{'':42} {'seconds':>9} {'x floor':>8} {'peak MB':>8} {'x log':>6}")
        for name, (secs, rss, _) in measured.items():
            ratio = secs / floor[0]
            print(f"{name:42} {secs:9.3f} {ratio:8.2f} {rss:8.0f} {rss / size_mb:6.2f}")
            rows.append((events, name, secs, ratio, rss))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
