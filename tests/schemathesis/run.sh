#!/usr/bin/env bash
# Fuzzes pcplan's JSON API against its OpenAPI document (issue 8) with schemathesis.
#
# Installs schemathesis (a pinned version, from PyPI) into a virtual environment under
# $HOME/.cache/pcplan-schemathesis when it is not there yet; builds nothing: it runs the
# `pcplan` binary `cargo test --workspace` (or `cargo build -p pcplan`) already built at
# $CARGO_TARGET_DIR/debug/pcplan (override with PCPLAN_BIN). In a throwaway data folder it
# adds an administrator `schemathesis` with a random password, starts `pcplan demo` on a
# free local port (the demo content loaded), signs in with curl through `POST /sign-in`,
# and runs schemathesis against http://127.0.0.1:PORT/api/v1/openapi.json with the
# session cookie, in all its phases (examples, coverage, fuzzing, stateful), with the
# checks that every response is not a server error (5xx) and that its status, content
# type and body are the ones the document gives. The server is stopped and the folder
# removed on exit, whatever happens. Exits non-zero on any failure.
#
# Nothing is excluded: every operation of the document is fuzzed, writes included, on a
# database thrown away afterwards. The account cannot lock itself out (only `POST /sign-in`
# counts failed sign-ins, and it is not under /api/v1) and cannot end its own session (no
# API route signs out or changes a password).
#
# Settings (environment): SCHEMATHESIS_MAX_EXAMPLES (examples per operation and phase,
# default 50), SCHEMATHESIS_SEED (default 1, so a run can be repeated), SCHEMATHESIS_WORKERS
# (default 1: with more, hypothesis's parsing of its own source in several threads at once
# now and then fails inside Python 3.11 with "AST constructor recursion depth mismatch", an
# error of the tool, not of pcplan, that would fail the run). Extra arguments go to
# `st run` (`--include-path-regex '/reports'`).
set -euo pipefail
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/pcplan-target}"

version=4.32.5
venv="$HOME/.cache/pcplan-schemathesis"
bin="${PCPLAN_BIN:-$CARGO_TARGET_DIR/debug/pcplan}"
examples="${SCHEMATHESIS_MAX_EXAMPLES:-50}"
seed="${SCHEMATHESIS_SEED:-1}"
workers="${SCHEMATHESIS_WORKERS:-1}"

if [ ! -x "$bin" ]; then
    echo "schemathesis: no pcplan binary at $bin; run \`cargo build -p pcplan\` first, or set PCPLAN_BIN" >&2
    exit 2
fi

if [ "$("$venv/bin/st" --version 2>/dev/null || true)" != "st, version $version" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "schemathesis==$version"
fi

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A password the policy accepts (twelve characters or more, not common, not the username),
# new on each run and never written anywhere but this process's memory and the database.
password="$(python3 -c 'import secrets; print("fuzz-" + secrets.token_urlsafe(24))')"
printf '%s\n' "$password" |
    "$bin" user add schemathesis --role admin --password-stdin --data-dir "$work/data" >/dev/null

# Port 0: the system picks a free port and the server prints the address it got.
"$bin" demo --data-dir "$work/data" --listen 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
origin=""
for _ in $(seq 1 600); do
    origin="$(sed -n 's|^pcplan is serving on \(http://[0-9.:]*\)$|\1|p' "$work/server.log" | head -n 1)"
    [ -n "$origin" ] && break
    if ! kill -0 "$server" 2>/dev/null; then
        echo "schemathesis: pcplan demo stopped before serving:" >&2
        cat "$work/server.log" >&2
        exit 1
    fi
    sleep 1
done
if [ -z "$origin" ]; then
    echo "schemathesis: pcplan demo did not start serving within 10 minutes:" >&2
    tail -n 50 "$work/server.log" >&2
    exit 1
fi
echo "schemathesis: pcplan demo is serving on $origin"

status="$(curl -sS -o /dev/null -D "$work/sign-in.headers" -w '%{http_code}' \
    --data-urlencode username=schemathesis --data-urlencode "password=$password" "$origin/sign-in")"
cookie="$(sed -n 's/^[Ss]et-[Cc]ookie: \(pcplan_session=[^;]*\).*/\1/p' "$work/sign-in.headers" | head -n 1)"
if [ "$status" != 303 ] || [ -z "$cookie" ]; then
    echo "schemathesis: signing in failed (HTTP $status)" >&2
    exit 1
fi
if [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$origin/api/v1/plans")" != 200 ]; then
    echo "schemathesis: the session from signing in is not accepted by the API" >&2
    exit 1
fi

# In the throwaway folder, so nothing schemathesis writes lands in the checkout.
cd "$work"
set +e
"$venv/bin/st" run "$origin/api/v1/openapi.json" \
    --header "Cookie: $cookie" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$examples" \
    --seed "$seed" \
    --workers "$workers" \
    --request-timeout 60 \
    --generation-with-security-parameters false \
    --generation-database none \
    --no-color \
    "$@"
result=$?
set -e
if [ "$result" != 0 ]; then
    echo "schemathesis: failures above; the server's log follows" >&2
    grep -E 'ERROR|panicked' "$work/server.log" | tail -n 40 >&2 || true
fi
exit "$result"
