#!/usr/bin/env bash
# The accessibility crawl (issue 7): builds the pcplan binary, installs axe-core and
# puppeteer-core from the committed package-lock.json when they are missing, and runs
# crawl.mjs against `pcplan demo` in Debian's Chromium. It does not install Chromium
# (`.ci/run` does, with apt) and never downloads a browser. Runs selftest.mjs first. Exits
# non-zero on any violation. Extra arguments go to crawl.mjs (`--per-shape 5`, `--report out.json`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export PUPPETEER_SKIP_DOWNLOAD=1

chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    echo "a11y: no Chromium at $chromium; install Debian's (apt-get install chromium) or set CHROMIUM" >&2
    exit 2
fi

if [ ! -d "$here/node_modules/axe-core" ] || [ ! -d "$here/node_modules/puppeteer-core" ]; then
    (cd "$here" && npm ci --no-audit --no-fund)
fi

(cd "$root" && cargo build -p pcplan)

# First prove the checks still catch what they are meant to catch.
node "$here/selftest.mjs" --chromium "$chromium"
exec node "$here/crawl.mjs" --bin "$CARGO_TARGET_DIR/debug/pcplan" --chromium "$chromium" "$@"
