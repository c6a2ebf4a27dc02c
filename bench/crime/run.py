"""Benchmark of `pcplan crime aggregate` against DuckDB (`read_csv` + `GROUP BY`).

It builds 36 monthly police.uk street files of one force (Leicestershire) laid out as
police.uk serves them (`YYYY-MM/YYYY-MM-leicestershire-street.csv`): the 13 real months
of the demo archive, and 23 more made by copying a real month of the same calendar month
with its `Month` cells rewritten (so the volume and the mix of a real year repeat; the
counts of the made-up months are not real figures). Then, in one run, it times both tools
on the same files, each in its own process under GNU time (wall time and peak resident
memory), with the same area rule: the LSOA name's prefix, and again with a join to the
ONS lookup. It checks that both give the same rows and totals, and prints one table.

It is not a test and not part of CI: timings depend on the machine. It downloads
nothing; `run.sh` installs DuckDB (from PyPI) before calling it.

Usage: python run.py --pcplan BINARY [--kind cli|example] [--repeat 5] [--keep DIR]
       python run.py duckdb FOLDER OUT.csv [LOOKUP.csv.gz]   (the DuckDB worker)
"""

import argparse
import csv
import gzip
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "crates" / "pcplan-demo" / "data" / "policeuk"
ARCHIVE = DEMO / "leicestershire-2021-10_2022-10.zip"
LOOKUP = DEMO / "lsoa11_to_lad_leicestershire-pfa.csv.gz"
FORCE = "leicestershire"
GNU_TIME = "/usr/bin/time"
NO_OUTCOME = "No outcome recorded"


# ---------------------------------------------------------------------------
# The input files.
# ---------------------------------------------------------------------------


def months_back(last, count):
    """`count` months ending with `last` (YYYY-MM), oldest first."""
    year, month = map(int, last.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def rewrite_month(data, old, new):
    """The file with every row's `Month` cell (the second) changed from `old` to `new`.

    Only the second cell is touched: the first comma of each line ends the Crime ID,
    which is never quoted, and no cell of a police.uk street file spans lines."""
    old_b, new_b = f",{old},".encode(), f",{new},".encode()
    lines = data.split(b"\n")
    out = [lines[0]]
    for line in lines[1:]:
        comma = line.find(b",")
        if comma >= 0 and line[comma:comma + len(old_b)] == old_b:
            line = line[:comma] + new_b + line[comma + len(old_b):]
        out.append(line)
    return b"\n".join(out)


def make_files(folder):
    """Writes the 36 monthly folders; returns (months, made-up months, bytes)."""
    real = {}
    with zipfile.ZipFile(ARCHIVE) as z:
        for name in z.namelist():
            if name.endswith("-street.csv"):
                real[name.split("/")[0]] = z.read(name)
    months = months_back(max(real), 36)
    made_up = []
    total = 0
    for month in months:
        if month in real:
            data = real[month]
        else:
            # The real month of the same calendar month (2020-10 is made from 2021-10).
            source = next(m for m in sorted(real) if m[5:] == month[5:])
            data = rewrite_month(real[source], source, month)
            made_up.append((month, source))
        target = folder / month / f"{month}-{FORCE}-street.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        total += len(data)
    return months, made_up, total


def unzip_lookup(folder):
    """The lookup as plain CSV, for DuckDB."""
    path = folder / "lookup.csv"
    path.write_bytes(gzip.decompress(LOOKUP.read_bytes()))
    return path


# ---------------------------------------------------------------------------
# The DuckDB worker: runs in its own process.
# ---------------------------------------------------------------------------

PREFIX = "regexp_replace(trim(\"LSOA name\"), ' [0-9]+[A-Z]+$', '')"


def duckdb_query(folder, lookup):
    files = f"{folder}/*/*-street.csv"
    no_location = "coalesce(\"LSOA code\", '') = '' AND coalesce(\"LSOA name\", '') = ''"
    if lookup:
        area = f"coalesce(l.LADNM, {PREFIX})"
        join = f"LEFT JOIN read_csv('{lookup}', header = true, all_varchar = true) l ON s.\"LSOA code\" = l.LSOA11CD"
    else:
        area, join = PREFIX, ""
    return f"""
        SELECT s."Month" AS month,
               CASE WHEN {no_location} THEN s."Falls within" || ' (no location)' ELSE {area} END AS area,
               s."Crime type" AS crime_type,
               coalesce(nullif(s."Last outcome category", ''), '{NO_OUTCOME}') AS outcome,
               count(*) AS count
        FROM read_csv('{files}', header = true, all_varchar = true) s {join}
        GROUP BY ALL
        ORDER BY ALL
    """


def duckdb_worker(folder, out, lookup):
    started = time.perf_counter()
    import duckdb  # imported here so that the import is timed by the parent, not the query

    imported = time.perf_counter()
    con = duckdb.connect()
    query = duckdb_query(folder, lookup)
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")
    done = time.perf_counter()
    print(f"{imported - started:.3f} {done - imported:.3f}", file=sys.stderr)


# ---------------------------------------------------------------------------
# Timing.
# ---------------------------------------------------------------------------


def timed(cmd, stdout_path):
    """Runs cmd under GNU time; returns (wall s, peak MiB, stderr lines)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t, open(stdout_path, "wb") as out:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%e %M", "-o", t.name, *cmd], stdout=out, stderr=subprocess.PIPE, check=False
        )
        if proc.returncode != 0:
            sys.exit(f"error: {' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')}")
        wall, kib = t.read().split()[-2:]
    return float(wall), int(kib) / 1024, proc.stderr.decode(errors="replace").splitlines()


def read_rows(path, kind):
    """(month, area, crime_type, outcome) -> count from a tool's CSV output."""
    rows = {}
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header == ["month", "area", "crime_type", "outcome", "count"], (kind, header)
        for month, area, crime_type, outcome, count in reader:
            key = (month, area, crime_type, outcome)
            assert key not in rows, (kind, key)
            rows[key] = int(count)
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pcplan", required=True)
    ap.add_argument("--kind", choices=["cli", "example"], default="cli")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep")
    args = ap.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="crime-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "files"
    if folder.exists():
        shutil.rmtree(folder)
    months, made_up, total = make_files(folder)
    archive = work / "files.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*.csv")):
            z.write(path, path.relative_to(folder).as_posix())
    lookup_csv = unzip_lookup(work)
    mb = total / 1e6
    print(f"{len(months)} monthly files of Leicestershire Police, {months[0]} to {months[-1]}: "
          f"{mb:.1f} MB of CSV in {folder}")
    print(f"  real months: {len(months) - len(made_up)} (the demo archive); made up by copying the real "
          f"month of the same calendar month with its Month cells rewritten: {len(made_up)} "
          f"({made_up[0][0]} from {made_up[0][1]} ... {made_up[-1][0]} from {made_up[-1][1]})")
    if args.kind == "example":
        print("  pcplan: the aggregate_timed example of pcplan-crime (the same library code as the CLI)")
    print(f"  each tool runs {args.repeat} times per case, alternating; the table gives the median run")

    def pcplan_cmd(path, lookup):
        if args.kind == "cli":
            cmd = [args.pcplan, "crime", "aggregate", str(path), "--format", "csv"]
            return cmd + (["--lookup", str(LOOKUP)] if lookup else [])
        return [args.pcplan, str(path)] + (["--lookup", str(LOOKUP)] if lookup else [])

    def duckdb_cmd(lookup):
        cmd = [sys.executable, __file__, "duckdb", str(folder), str(work / "duckdb.csv")]
        return cmd + ([str(lookup_csv)] if lookup else [])

    cases = [("name prefix", False), ("ONS lookup", True)]
    results = []
    for case, lookup in cases:
        runs = {"pcplan": [], "pcplan zip": [], "duckdb": []}
        for _ in range(args.repeat):
            runs["pcplan"].append(timed(pcplan_cmd(folder, lookup), work / "pcplan.csv"))
            runs["duckdb"].append(timed(duckdb_cmd(lookup), work / "duckdb.out"))
            runs["pcplan zip"].append(timed(pcplan_cmd(archive, lookup), work / "pcplan-zip.csv"))
        ours = read_rows(work / "pcplan.csv", "pcplan")
        theirs = read_rows(work / "duckdb.csv", "duckdb")
        zipped = read_rows(work / "pcplan-zip.csv", "pcplan zip")
        same = ours == theirs == zipped
        check = (f"pcplan {len(ours)} rows, {sum(ours.values())} crimes; DuckDB {len(theirs)} rows, "
                 f"{sum(theirs.values())} crimes; identical rows: {'yes' if same else 'NO'}")
        if not same:
            diff = sorted(set(ours.items()) ^ set(theirs.items()))[:10]
            check += f"\n    first differences: {diff}"
        results.append((case, runs, check))

    print()
    header = f"{'area rule':<12} | {'tool':<11} | {'wall s':>7} | {'MB/s':>6} | {'peak MiB':>8} | {'query s':>7} | {'runs (wall s)':<30}"
    print(header)
    print("-" * len(header))
    for case, runs, _ in results:
        for tool, timings in runs.items():
            walls = [w for w, _, _ in timings]
            median = statistics.median(walls)
            peak = statistics.median([p for _, p, _ in timings])
            query = "-"
            if tool == "duckdb":
                query = f"{statistics.median([float(e[-1].split()[1]) for _, _, e in timings]):.3f}"
            spread = " ".join(f"{w:.2f}" for w in walls)
            print(f"{case:<12} | {tool:<11} | {median:>7.3f} | {mb / median:>6.0f} | {peak:>8.1f} | {query:>7} | {spread:<30}")
    print()
    for case, _, check in results:
        print(f"{case}: {check}")
    print("\nwall s: the whole process (DuckDB's includes starting Python and importing duckdb);"
          "\nquery s: DuckDB's read_csv + GROUP BY + writing the CSV alone, timed inside its process;"
          "\nMB/s: MB of CSV (10^6 bytes, uncompressed) over wall s; peak MiB: GNU time's maximum resident set.")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "duckdb":
        duckdb_worker(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        main()
