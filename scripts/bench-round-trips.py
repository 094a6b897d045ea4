#!/usr/bin/env python3
"""Command round trips on both engines: `claim add` and `claims --json` (BENCHMARKS.md, issue 12).

One process per command, as a reviewer or a script runs them: `factdesk claim add DESK kabul-embassy.txt
--quote …` (catch up with the folder, place the claim, store it and its audit entry) and `factdesk claims
DESK kabul-embassy.txt --json` (catch up, list every claim with its placement and attribution). RUNS runs of
each, per binary and engine, every binary and engine taking its turn run by run (the order rotating), so
the machine's load falls on all alike; the claims accumulate (1..RUNS on each store). Wall clock of
`subprocess.run`, process start included. Prints p50/p95 per binary, engine and command.

Run it on a throwaway PostgreSQL cluster, under nice (the machine is shared):

    nice -n 10 scripts/pg-test-cluster.sh run python3 scripts/bench-round-trips.py --runs 100 \\
        baseline=/tmp/factdesk-before target/debug/factdesk

Each binary gets its own SQLite file and its own PostgreSQL database, so they never share claims.
The draft is `../shared/fixtures/drafts/kabul-embassy.txt`, copied into a temporary desk (never committed).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DRAFT = "kabul-embassy.txt"


def percentile(values, fraction):
    ordered = sorted(values)
    at = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[at]


def sentences(text):
    """Quotes to tag: sentences found exactly once in the draft, cycled through."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        sentence = sentence.strip()
        if 30 <= len(sentence) <= 300 and "\n" not in sentence and text.count(sentence) == 1:
            found.append(sentence)
    return found


def create_database(server_url, name):
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    subprocess.run([psql, server_url, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, "", ""))


def timed(command, env):
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--draft", default=str(Path(__file__).resolve().parents[2] / "shared/fixtures/drafts" / DRAFT))
    parser.add_argument("--count-round-trips", action="store_true",
                        help="then count the messages one `claims --json` sends to the server (strace's sendto calls)")
    parser.add_argument("binaries", nargs="+", help="NAME=PATH or PATH")
    args = parser.parse_args()
    server = os.environ.get("FACTDESK_TEST_POSTGRES")
    if not server:
        sys.exit("run under scripts/pg-test-cluster.sh run (FACTDESK_TEST_POSTGRES is not set)")

    work = Path(tempfile.mkdtemp(prefix="factdesk-round-trips."))
    try:
        desk = work / "desk"
        desk.mkdir()
        shutil.copy(args.draft, desk / DRAFT)
        quotes = sentences((desk / DRAFT).read_text(encoding="utf-8"))
        env = dict(os.environ)
        env.pop("FACTDESK_DB", None)

        stores = []  # (binary name, binary, engine, --db)
        for index, given in enumerate(args.binaries):
            name, _, path = given.rpartition("=")
            name = name or Path(path).name
            path = str(Path(path).resolve())
            lite = str(work / f"{index}.db")
            team = create_database(server, f"bench_{index}")
            subprocess.run([path, "team", "init", team], env=env, check=True, capture_output=True)
            for db in (lite, team):
                subprocess.run([path, "--db", db, "reviewer", "set", "bench"], env=env, capture_output=True)
                subprocess.run([path, "--db", db, "scan", str(desk)], env=env, check=True, capture_output=True)
            stores += [(name, path, "SQLite", lite), (name, path, "PostgreSQL", team)]

        times = {(name, engine, what): [] for name, _, engine, _ in stores for what in ("claim add", "claims --json")}
        for run in range(args.runs):
            quote = quotes[run % len(quotes)]
            turn = run % len(stores)
            for name, path, engine, db in stores[turn:] + stores[:turn]:
                times[(name, engine, "claim add")].append(
                    timed([path, "--db", db, "claim", "add", str(desk), DRAFT, "--quote", quote], env))
                times[(name, engine, "claims --json")].append(
                    timed([path, "--db", db, "claims", str(desk), DRAFT, "--json"], env))

        print(f"{args.runs} runs each, load average at the end: {os.getloadavg()[0]:.1f}")
        print("| binary | engine | command | p50 | p95 |")
        print("| --- | --- | --- | --- | --- |")
        for (name, engine, what), values in times.items():
            print(f"| {name} | {engine} | `{what}` | {statistics.median(values):.1f} ms | "
                  f"{percentile(values, 0.95):.1f} ms |")
        if args.count_round_trips:
            print(f"| binary | messages sent to PostgreSQL by one `claims --json` ({args.runs} claims) |")
            print("| --- | --- |")
            for name, path, engine, db in stores:
                if engine != "PostgreSQL":
                    continue
                trace = work / "trace"
                subprocess.run(["strace", "-f", "-qq", "-e", "trace=sendto,sendmsg", "-o", str(trace),
                                path, "--db", db, "claims", str(desk), DRAFT, "--json"],
                               env=env, check=True, capture_output=True)
                sent = sum(1 for line in trace.read_text().splitlines() if "sendto(" in line or "sendmsg(" in line)
                print(f"| {name} | {sent} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
