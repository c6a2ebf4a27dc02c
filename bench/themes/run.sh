#!/usr/bin/env bash
# Theme-analysis benchmark: pcplan against scikit-learn (TF-IDF + NMF) on labelled
# data, in one run, printed as one table. See bench/README.md.
#
# It creates (or reuses) a Python virtual environment, installs the pinned packages of
# requirements.txt from PyPI, builds pcplan in release mode and runs run.py. It is not
# a test and is not run by CI. Extra arguments go to run.py (e.g. --sizes 10000).
#
# Environment: BENCH_VENV (default ~/.cache/bench-venv), CARGO_TARGET_DIR (default
# target/), BENCH_PCPLAN=cli|example|auto (default auto: the `pcplan themes analyse`
# command when it builds, otherwise the analyse_jsonl example of pcplan-themes),
# PCPLAN_EMBEDDING_MODEL (the all-MiniLM-L6-v2 directory: pcplan is then built with the
# `embeddings` feature and run.py adds rows for themes from sentence embeddings).
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
features=()
if [ -n "${PCPLAN_EMBEDDING_MODEL:-}" ]; then
    features=(--features embeddings)
fi
if [ "$kind" != example ]; then
    if cargo build --quiet --release -p pcplan "${features[@]}" && "$target/release/pcplan" themes analyse --help >/dev/null 2>&1; then
        args=(--pcplan "$target/release/pcplan" --kind cli)
    elif [ "$kind" = cli ]; then
        echo "error: \`pcplan themes analyse\` did not build; run with BENCH_PCPLAN=example" >&2
        exit 1
    fi
fi
if [ ${#args[@]} -eq 0 ]; then
    echo "note: timing the analyse_jsonl example of pcplan-themes" >&2
    cargo build --quiet --release -p pcplan-themes --example analyse_jsonl
    args=(--pcplan "$target/release/examples/analyse_jsonl" --kind example)
fi
exec "$venv/bin/python" "$here/run.py" "${args[@]}" "$@"
