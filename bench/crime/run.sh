#!/usr/bin/env bash
# Crime aggregation benchmark: `pcplan crime aggregate` against DuckDB's read_csv +
# GROUP BY on 36 monthly police.uk street files of one force, in one run, printed as one
# table. See bench/README.md.
#
# It creates (or reuses) a Python virtual environment, installs the pinned DuckDB of
# requirements.txt from PyPI, builds pcplan in release mode and runs run.py. It is not a
# test and is not run by CI. Extra arguments go to run.py (e.g. --repeat 3, --keep DIR).
#
# Environment: BENCH_VENV (default ~/.cache/bench-venv), CARGO_TARGET_DIR (default
# target/), BENCH_PCPLAN=cli|example|auto (default auto: the `pcplan crime aggregate`
# command when it builds, otherwise the aggregate_timed example of pcplan-crime, which
# runs the same library code without the rest of pcplan).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${BENCH_VENV:-$HOME/.cache/bench-venv}"
target="${CARGO_TARGET_DIR:-$repo/target}"
kind="${BENCH_PCPLAN:-auto}"

if [ ! -x /usr/bin/time ]; then
    echo "error: the benchmark reads peak memory with GNU time; install it (Debian: apt-get install time)" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

cd "$repo"
args=()
if [ "$kind" != example ]; then
    if cargo build --quiet --release -p pcplan && "$target/release/pcplan" crime aggregate --help >/dev/null 2>&1; then
        args=(--pcplan "$target/release/pcplan" --kind cli)
    elif [ "$kind" = cli ]; then
        echo "error: \`pcplan crime aggregate\` did not build; run with BENCH_PCPLAN=example" >&2
        exit 1
    fi
fi
if [ ${#args[@]} -eq 0 ]; then
    echo "note: timing the aggregate_timed example of pcplan-crime" >&2
    cargo build --quiet --release -p pcplan-crime --example aggregate_timed
    args=(--pcplan "$target/release/examples/aggregate_timed" --kind example)
fi
exec "$venv/bin/python" "$here/run.py" "${args[@]}" "$@"
