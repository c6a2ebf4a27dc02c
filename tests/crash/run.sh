#!/bin/sh
# The crash-safety test: runs tests/crash/run.py with python3, passing every argument on
# (`--iterations N`, `--seed N`, `--database-url URL`, `--keep`; `--help` lists them).
# See docs/operations.md, "Crash safety".
exec python3 "$(dirname "$0")/run.py" "$@"
