#!/usr/bin/env bash
# Load benchmark: a live pcplan on loopback under wrk, on SQLite and on PostgreSQL, with
# nginx serving a saved copy of the public plan page as the ceiling, printed as one
# table with the targets of issue 8. See bench/README.md. Not a test; CI does not run it.
#
# For each backend it starts `pcplan demo` on a fresh database (a temporary data
# directory; for PostgreSQL a new database it creates and drops), with the survey's
# rate limits raised, and sets up through the HTTP interface, with curl, what the load
# needs: a staff session (the account is made with `pcplan user add` before the server
# starts), and an open, public consultation exercise with one question. Then, with
# wrk --latency:
#   1. nginx serving the saved /plan page (once, with the first backend's page);
#   2. pcplan's /plan;
#   3. a mixed load (mixed.lua): the plan page, search, survey submissions, staff edits;
#   4. survey submissions alone, paced at SURVEY_RATE a second (survey.lua), after which
#      every token answered "Response sent" is looked up in the database: one missing
#      is a lost submission.
# Every process and temporary file it made is removed on exit, whatever the exit.
#
# Needs wrk (Debian: wrk), nginx (nginx-light), curl, python3, sqlite3 and, for the
# PostgreSQL leg, psql and a server where POSTGRES_URL may create databases.
#
# Settings (environment):
#   PROFILE=release        release: `cargo build --release -p pcplan`; dev: `cargo build
#                          -p pcplan` (pcplan's own crates unoptimised: far slower);
#                          dev-opt: the dev profile with pcplan's own crates optimised
#                          too (CARGO_PROFILE_DEV_OPT_LEVEL=2; the dependencies are at
#                          opt-level 2 in dev already), which reuses the dependencies
#                          `cargo test --workspace` built: minutes, where a first release
#                          build takes most of an hour on 2 cores
#   PCPLAN_BIN=PATH        use this pcplan binary and build nothing
#   DURATION=20            seconds of each wrk run
#   CONNECTIONS=64         connections of runs 1 to 3
#   THREADS=2              wrk threads of runs 1 and 2 (runs 3 and 4 use one thread per
#                          connection, so that each response is matched with its request)
#   MIX=plan:40,search:30,survey:20,staff:10   run 3's proportions, per 100 requests
#   SURVEY_RATE=200        submissions a second offered in run 4
#   SURVEY_CONNECTIONS=16  connections (and threads) of run 4
#   BACKENDS="sqlite postgres"
#   POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres   a database on the server
#                          to connect to for CREATE and DROP DATABASE; the run's own
#                          database is made beside it and dropped at the end
#   PORT=18080             pcplan's port on 127.0.0.1; NGINX_PORT=18081 nginx's
#   WRK_TIMEOUT=10s        a response slower than this counts as a timeout error
#   START_TIMEOUT=600      seconds to wait for `pcplan demo` to load the demo and answer
#   KEEP=DIR               copy the logs, wrk's output and the saved page to DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

profile="${PROFILE:-release}"
pcplan_bin="${PCPLAN_BIN:-}"
duration="${DURATION:-20}"
duration="${duration%s}"
connections="${CONNECTIONS:-64}"
threads="${THREADS:-2}"
mix="${MIX:-plan:40,search:30,survey:20,staff:10}"
survey_rate="${SURVEY_RATE:-200}"
survey_connections="${SURVEY_CONNECTIONS:-16}"
backends="${BACKENDS:-sqlite postgres}"
postgres_url="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
port="${PORT:-18080}"
nginx_port="${NGINX_PORT:-18081}"
wrk_timeout="${WRK_TIMEOUT:-10s}"
start_timeout="${START_TIMEOUT:-600}"
keep="${KEEP:-}"

# pcplan reads PCPLAN_* settings; one left in the caller's environment (a database URL,
# a configuration file) would point the run at someone's real data.
for name in $(compgen -e); do
    case "$name" in PCPLAN_*) unset "$name" ;; esac
done

die() {
    echo "error: $*" >&2
    exit 1
}
note() { echo "== $*"; }

# ---- checks before anything starts -------------------------------------------------

for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing; Debian: apt-get install wrk nginx-light curl python3"
done
for backend in $backends; do
    case "$backend" in
        sqlite) command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is missing; Debian: apt-get install sqlite3" ;;
        postgres)
            command -v psql >/dev/null 2>&1 || die "psql is missing; Debian: apt-get install postgresql-client"
            psql "$postgres_url" -Atqc 'SELECT 1' >/dev/null ||
                die "cannot reach PostgreSQL at $postgres_url; set POSTGRES_URL, or BACKENDS=sqlite"
            ;;
        *) die "BACKENDS names \`$backend\`; use sqlite and postgres" ;;
    esac
done
[[ "$duration" =~ ^[0-9]+$ ]] || die "DURATION=$DURATION; give whole seconds, like 20"
for value in "$connections" "$threads" "$survey_rate" "$survey_connections" "$port" "$nginx_port"; do
    [[ "$value" =~ ^[1-9][0-9]*$ ]] || die "\`$value\` is not a whole number above 0 (CONNECTIONS, THREADS, SURVEY_RATE, SURVEY_CONNECTIONS, PORT, NGINX_PORT)"
done
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$port" "$nginx_port"; do
    if port_in_use "$p"; then die "port $p on 127.0.0.1 is in use; set PORT or NGINX_PORT"; fi
done

# ---- clean-up ----------------------------------------------------------------------

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pcplan-load.XXXXXX")"
pcplan_pid=""
nginx_pid=""
pg_database=""

stop_pid() { # pid, signal: ask, then wait up to 10 s, then kill
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill "-$2" "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

stop_pcplan() {
    [[ -n "$pcplan_pid" ]] && stop_pid "$pcplan_pid" INT
    pcplan_pid=""
}

stop_nginx() {
    [[ -n "$nginx_pid" ]] && stop_pid "$nginx_pid" TERM
    nginx_pid=""
}

drop_database() {
    if [[ -n "$pg_database" ]]; then
        psql "$postgres_url" -Atqc "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" >/dev/null 2>&1 ||
            echo "warning: could not drop database $pg_database; drop it by hand" >&2
        pg_database=""
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_pcplan
    stop_nginx
    drop_database
    if [[ -n "$keep" ]]; then
        mkdir -p "$keep"
        cp "$tmp"/*.txt "$tmp"/plan.html "$keep/" 2>/dev/null || true
        for dir in "$tmp"/*/; do
            for file in "$dir"*.log "$dir"*.conf "$dir"logs/*.log; do
                [[ -f "$file" ]] && cp "$file" "$keep/$(basename "$dir")-$(basename "$file")"
            done
        done
        echo "logs and wrk output kept in $keep"
    fi
    rm -rf "$tmp"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- build -------------------------------------------------------------------------

if [[ -z "$pcplan_bin" ]]; then
    target="${CARGO_TARGET_DIR:-$repo/target}"
    case "$profile" in
        release)
            note "building pcplan (release)"
            (cd "$repo" && cargo build --quiet --release -p pcplan)
            pcplan_bin="$target/release/pcplan"
            ;;
        dev)
            note "building pcplan (dev)"
            (cd "$repo" && cargo build --quiet -p pcplan)
            pcplan_bin="$target/debug/pcplan"
            ;;
        dev-opt)
            note "building pcplan (dev profile, opt-level 2 throughout)"
            (cd "$repo" && CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo build --quiet --workspace --bin pcplan)
            # Copied out: the next ordinary build writes an unoptimised binary to the same path.
            cp "$target/debug/pcplan" "$tmp/pcplan"
            pcplan_bin="$tmp/pcplan"
            ;;
        *) die "PROFILE=$profile; use release, dev or dev-opt" ;;
    esac
else
    profile="given binary"
fi
[[ -x "$pcplan_bin" ]] || die "no pcplan binary at $pcplan_bin"

# ---- results -----------------------------------------------------------------------

declare -A R # "<column>.<run>.<key>" -> value, from the LOAD lines the wrk scripts print

# run_wrk COLUMN RUN WRK-ARGS...: runs wrk, shows its report, keeps its LOAD lines in R.
run_wrk() {
    local column="$1" run="$2"
    shift 2
    local out="$tmp/$column-$run.txt"
    wrk --latency --timeout "$wrk_timeout" -d "${duration}s" "$@" >"$out" 2>&1 || {
        cat "$out" >&2
        die "wrk failed ($column, $run)"
    }
    grep -v '^LOAD ' "$out" | sed 's/^/    /'
    local tag key value
    while read -r tag key value; do
        [[ "$tag" == LOAD ]] && R["$column.$run.$key"]="$value"
    done <"$out"
    [[ -n "${R[$column.$run.requests]:-}" ]] || die "wrk printed no results ($column, $run); see above"
}

# ---- pcplan ------------------------------------------------------------------------

base="http://127.0.0.1:$port"
jar="$tmp/cookies.jar"
username="load-admin"
# Random, so it is never a common password, and long enough for the policy (12+).
password="Lt-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"

start_pcplan() { # backend
    local backend="$1" data="$tmp/$1"
    mkdir -p "$data"
    # The data directory is given for PostgreSQL too: mail the reminders task writes
    # goes there, never into the directory the script was started from.
    store_args=(--data-dir "$data")
    if [[ "$backend" == postgres ]]; then
        pg_database="pcplan_load_$(date +%s)_$$"
        psql "$postgres_url" -Atqc "CREATE DATABASE \"$pg_database\"" >/dev/null
        database_url="${postgres_url%%\?*}"
        database_url="${database_url%/*}/$pg_database"
        store_args+=(--database-url "$database_url")
    else
        database_url=""
    fi
    printf '%s\n' "$password" | (cd "$data" && "$pcplan_bin" user add "$username" --role admin --password-stdin \
        "${store_args[@]}") >"$data/user-add.log" 2>&1 || {
        cat "$data/user-add.log" >&2
        die "pcplan user add failed ($backend)"
    }
    note "$backend: starting pcplan demo on $base"
    # The survey allows 10 responses per client in 10 minutes and 600 a minute from
    # everyone by default; every request here comes from 127.0.0.1.
    (cd "$data" && exec env PCPLAN_SURVEY_PER_CLIENT=1000000000 PCPLAN_SURVEY_PER_MINUTE=1000000000 \
        "$pcplan_bin" demo --listen "127.0.0.1:$port" "${store_args[@]}") >"$data/pcplan.log" 2>&1 &
    pcplan_pid=$!
    local waited=0
    until curl -fsS -o /dev/null "$base/plan" 2>/dev/null; do
        if ! kill -0 "$pcplan_pid" 2>/dev/null; then
            tail -n 30 "$data/pcplan.log" >&2
            die "pcplan demo stopped before it answered ($backend)"
        fi
        ((waited += 1))
        ((waited <= start_timeout * 2)) || die "pcplan demo did not answer within ${start_timeout}s ($backend)"
        sleep 0.5
    done
    note "$backend: pcplan answered after about $((waited / 2)) s"
}

# curl_status FILE ARGS...: the body to FILE, the status (and the Location) on stdout.
curl_status() {
    local file="$1"
    shift
    curl -sS -o "$file" -w '%{http_code} %{redirect_url}' -b "$jar" -c "$jar" "$@"
}

expect() { # what, wanted status, "status location"
    local what="$1" wanted="$2" got="$3"
    [[ "${got%% *}" == "$wanted" ]] || die "$what answered ${got%% *}, not $wanted"
}

setup_over_http() { # backend: sign in, make the open public exercise, find the edit
    local backend="$1" page="$tmp/page.html" got
    rm -f "$jar"
    got="$(curl_status "$page" --data-urlencode "username=$username" --data-urlencode "password=$password" \
        "$base/sign-in")"
    expect "POST /sign-in" 303 "$got"
    cookie="pcplan_session=$(awk '$6 == "pcplan_session" { print $7 }' "$jar")"
    [[ "$cookie" != "pcplan_session=" ]] || die "no session cookie after signing in"

    # The exercise: open from yesterday (the server's local date decides) for a month.
    got="$(curl_status "$page" "$base/staff/consultations")"
    expect "GET /staff/consultations" 200 "$got"
    local body_id
    body_id="$(python3 "$here/form.py" options /staff/consultations body <"$page" | sed -n 1p)" ||
        die "could not read the bodies offered by the new exercise form"
    slug="load-test-$(date +%s)"
    local opens closes
    opens="$(date -d yesterday +%-d/%-m/%Y)"
    closes="$(date -d '+30 days' +%-d/%-m/%Y)"
    got="$(curl_status "$page" \
        --data-urlencode "body=$body_id" \
        --data-urlencode "title=Load test survey" \
        --data-urlencode "kind=public_survey" \
        --data-urlencode "slug=$slug" \
        --data-urlencode "summary=A survey made by bench/load/run.sh to measure pcplan under load." \
        --data-urlencode "opens-day=${opens%%/*}" --data-urlencode "opens-month=$(cut -d/ -f2 <<<"$opens")" \
        --data-urlencode "opens-year=${opens##*/}" \
        --data-urlencode "closes-day=${closes%%/*}" --data-urlencode "closes-month=$(cut -d/ -f2 <<<"$closes")" \
        --data-urlencode "closes-year=${closes##*/}" \
        --data-urlencode "channels=online_survey" \
        --data-urlencode "privacy_notice=The answers are test data and are deleted after the run." \
        --data-urlencode "plan=" --data-urlencode "note=" \
        "$base/staff/consultations")"
    expect "POST /staff/consultations" 303 "$got"
    exercise_path="$(sed -E 's/^[0-9]+ [a-z]+:\/\/[^/]+//; s/\?.*$//' <<<"$got")"
    [[ "$exercise_path" == /staff/consultations/* ]] || die "unexpected place after creating the exercise: $got"
    got="$(curl_status "$page" --data-urlencode "number=1" \
        --data-urlencode "text=What should the police and crime plan do about where you live?" \
        --data-urlencode "hint=" --data-urlencode "kind=open" --data-urlencode "options=" \
        --data-urlencode "required=yes" --data-urlencode "max_chars=5000" \
        "$base$exercise_path/questions")"
    expect "POST $exercise_path/questions" 303 "$got"
    got="$(curl_status "$page" --data-urlencode "public=yes" "$base$exercise_path/public")"
    expect "POST $exercise_path/public" 303 "$got"
    got="$(curl_status "$page" "$base/consultations/$slug/respond")"
    expect "GET /consultations/$slug/respond" 200 "$got"

    # The staff edit: the working draft's plan details (title, vision, dates), posted
    # back with the vision changed, as the form does.
    got="$(curl_status "$page" "$base/staff")"
    expect "GET /staff" 200 "$got"
    local plan_path=""
    for candidate in $(grep -oE 'href="/staff/plans/[0-9a-fA-F-]+"' "$page" | sed -E 's/href="(.*)"/\1/' | sort -u); do
        got="$(curl_status "$page" "$base$candidate/header")"
        if [[ "${got%% *}" == 200 ]]; then
            plan_path="$candidate"
            break
        fi
    done
    [[ -n "$plan_path" ]] || die "found no plan whose details form opens from /staff"
    edit_path="$plan_path/header"
    local form
    form="$(python3 "$here/form.py" fields "$edit_path" vision <"$page")" || die "could not read the form at $edit_path"
    edit_body="$(sed -n 1p <<<"$form")"
    edit_value="$(sed -n 2p <<<"$form")"
    got="$(curl_status "$page" -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary "$edit_body&vision=$edit_value" "$base$edit_path")"
    expect "POST $edit_path" 303 "$got"
    note "$backend: signed in; exercise /consultations/$slug is open and public; staff edits post to $edit_path"
}

# Responses stored for the exercise, as its staff page counts them.
stored_count() {
    local got
    got="$(curl_status "$tmp/count.html" "$base$exercise_path")"
    expect "GET $exercise_path" 200 "$got"
    grep -oE 'All [0-9]+ responses' "$tmp/count.html" | grep -oE '[0-9]+' || die "no count of responses on $exercise_path"
}

# The tokens of run RUN_ID the database holds (the store keeps `web:<token>`).
stored_tokens() { # backend run_id
    local query="SELECT substr(fingerprint, 5) FROM responses WHERE fingerprint LIKE 'web:$2%'"
    if [[ "$1" == postgres ]]; then
        psql "$database_url" -Atqc "$query"
    else
        sqlite3 -readonly "$tmp/sqlite/pcplan.db" "$query"
    fi
}

# check_stored COLUMN RUN RUN_ID TOKENS-FILE: accepted tokens missing from the database.
check_stored() {
    local column="$1" run="$2" run_id="$3" accepted="$4"
    # Posts still in flight when wrk stopped may finish after it; they were not answered
    # to wrk, so they are stored and not counted, never the other way round.
    sleep 2
    sort -u "$accepted" >"$accepted.sorted"
    stored_tokens "$column" "$run_id" | sort -u >"$tmp/$column-$run-stored.txt"
    R["$column.$run.stored"]="$(wc -l <"$tmp/$column-$run-stored.txt")"
    R["$column.$run.lost"]="$(comm -23 "$accepted.sorted" "$tmp/$column-$run-stored.txt" | wc -l)"
    R["$column.$run.unanswered"]="$(comm -13 "$accepted.sorted" "$tmp/$column-$run-stored.txt" | wc -l)"
}

fresh_dir() { # name: an empty directory under the temporary one, for the threads' lines
    rm -rf "${tmp:?}/$1"
    mkdir -p "$tmp/$1"
    echo "$tmp/$1"
}

new_run_id() { head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# ---- nginx -------------------------------------------------------------------------

start_nginx() { # the saved page
    local dir="$tmp/nginx"
    mkdir -p "$dir/html" "$dir/logs"
    cp "$1" "$dir/html/plan.html"
    # Its own prefix, configuration, pid file, logs and temporary paths: the system's
    # nginx, if one runs, is never touched. Workers as many as cores, like pcplan's
    # runtime; no access log, as pcplan writes none per request.
    cat >"$dir/nginx.conf" <<EOF
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
$([[ $(id -u) == 0 ]] && echo "user $(id -un) $(id -gn);")
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $dir/html;
        location = /plan { default_type "text/html; charset=utf-8"; try_files /plan.html =404; }
    }
}
EOF
    nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/logs/stdout.log" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/plan" 2>/dev/null && return 0
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$dir/logs/stdout.log" "$dir/logs/error.log" >&2 2>/dev/null || true
    die "nginx did not start"
}

# ---- the runs ----------------------------------------------------------------------

export LOAD_DIR="$here"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "machine: $(nproc) cores, load average $load_before before the runs; pcplan: $profile ($pcplan_bin);" \
    "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"
echo "each run ${duration} s; runs 1-3 at $connections connections; run 4 at $survey_rate submissions/s offered"
columns=()
nginx_done=""
for backend in $backends; do
    start_pcplan "$backend"
    setup_over_http "$backend"
    columns+=("$backend")

    if [[ -z "$nginx_done" ]]; then
        curl -fsS -o "$tmp/plan.html" "$base/plan" || die "could not save /plan"
        start_nginx "$tmp/plan.html"
        note "1. nginx: the saved /plan ($(wc -c <"$tmp/plan.html") bytes), $connections connections"
        run_wrk nginx plan -t "$threads" -c "$connections" -s "$here/static.lua" "http://127.0.0.1:$nginx_port/plan"
        stop_nginx
        nginx_done=yes
    fi

    note "2. $backend: pcplan /plan, $connections connections"
    run_wrk "$backend" plan -t "$threads" -c "$connections" -s "$here/static.lua" "$base/plan"

    note "3. $backend: mixed ($mix), $connections connections"
    run_id="$(new_run_id)"
    before="$(stored_count)"
    LOAD_RUN_ID="$run_id" LOAD_MIX="$mix" LOAD_SLUG="$slug" LOAD_COOKIE="$cookie" LOAD_EDIT_PATH="$edit_path" \
        LOAD_EDIT_BODY="$edit_body" LOAD_EDIT_FIELD=vision LOAD_EDIT_VALUE="$edit_value" \
        LOAD_TOKENS="$tmp/$backend-mixed-accepted.txt" LOAD_LOG_DIR="$(fresh_dir "$backend-mixed")" \
        run_wrk "$backend" mixed -t "$connections" -c "$connections" -s "$here/mixed.lua" "$base/"
    touch "$tmp/$backend-mixed-accepted.txt"
    check_stored "$backend" mixed "$run_id" "$tmp/$backend-mixed-accepted.txt"
    after="$(stored_count)"
    R["$backend.mixed.page_delta"]="$((after - before))"

    note "4. $backend: survey submissions at $survey_rate/s, $survey_connections connections"
    run_id="$(new_run_id)"
    before="$(stored_count)"
    LOAD_RUN_ID="$run_id" LOAD_SLUG="$slug" LOAD_RATE="$survey_rate" LOAD_THREADS="$survey_connections" \
        LOAD_TOKENS="$tmp/$backend-survey-accepted.txt" LOAD_LOG_DIR="$(fresh_dir "$backend-survey")" \
        run_wrk "$backend" survey -t "$survey_connections" -c "$survey_connections" -s "$here/survey.lua" "$base/"
    touch "$tmp/$backend-survey-accepted.txt"
    check_stored "$backend" survey "$run_id" "$tmp/$backend-survey-accepted.txt"
    after="$(stored_count)"
    R["$backend.survey.page_delta"]="$((after - before))"

    stop_pcplan
    drop_database
done

# ---- the summary -------------------------------------------------------------------

get() { echo "${R[$1]:--}"; }
# verdict VALUE OP LIMIT: PASS or FAIL, comparing numbers (OP is lt, le, ge or eq).
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
        if (v == "-" || v == "") { print "-"; exit }
        ok = (op == "lt" && v + 0 < l + 0) || (op == "le" && v + 0 <= l + 0) ||
             (op == "ge" && v + 0 >= l + 0) || (op == "eq" && v + 0 == l + 0)
        print (ok ? "PASS" : "FAIL")
    }'
}
row() { # label nginx-cell target cells...
    local label="$1" ngx="$2" target="$3"
    shift 3
    printf '%-28s | %-13s' "$label" "$ngx"
    for cell in "$@"; do printf ' | %-22s' "$cell"; done
    printf ' | %s\n' "$target"
}
# row_of LABEL NGINX TARGET KEY [OP LIMIT]: one cell per backend from R, with a verdict.
row_of() {
    local label="$1" ngx="$2" target="$3" key="$4" op="${5:-}" limit="${6:-}" cells=() value
    for column in "${columns[@]}"; do
        value="$(get "$column.$key")"
        if [[ -n "$op" ]]; then cells+=("$value $(verdict "$value" "$op" "$limit")"); else cells+=("$value"); fi
    done
    row "$label" "$ngx" "$target" "${cells[@]}"
}

nginx_rps="$(get nginx.plan.rps)"
half="$(awk -v r="$nginx_rps" 'BEGIN { printf "%.1f", r / 2 }')"
echo
echo "Summary: $(nproc) cores (load average $load_before before the runs), pcplan $profile, ${duration} s a run, $connections connections (runs 1-3), run 4 paced at $survey_rate/s over $survey_connections connections"
echo
headers=()
for column in "${columns[@]}"; do
    case "$column" in sqlite) headers+=("SQLite") ;; postgres) headers+=("PostgreSQL") ;; esac
done
row "measure" "nginx static" "target" "${headers[@]}"
printf -- '-%.0s' $(seq $((28 + 16 + 25 * ${#columns[@]} + 30))); echo
row_of "/plan requests/s" "$nginx_rps" ">= half nginx ($half)" plan.rps ge "$half"
row_of "/plan p50 ms" "$(get nginx.plan.p50_ms)" "" plan.p50_ms
row_of "/plan p99 ms" "$(get nginx.plan.p99_ms)" "< 50" plan.p99_ms lt 50
row_of "/plan errors" "$(get nginx.plan.errors)" "0" plan.errors eq 0
row_of "mixed requests/s" "" "" mixed.rps
row_of "mixed p50 ms" "" "" mixed.p50_ms
row_of "mixed p99 ms" "" "< 50" mixed.p99_ms lt 50
row_of "mixed errors" "" "0" mixed.errors eq 0
for kind in plan search survey staff; do
    row_of "mixed $kind statuses" "" "" "mixed.kind.$kind.statuses"
    cells=()
    for column in "${columns[@]}"; do
        cells+=("$(get "$column.mixed.kind.$kind.p50_ms") / $(get "$column.mixed.kind.$kind.p99_ms")")
    done
    row "mixed $kind p50 / p99 ms" "" "" "${cells[@]}"
done
row_of "mixed survey lost" "" "0" mixed.lost eq 0
row_of "survey requests/s" "" "about $survey_rate" survey.rps
row_of "survey p50 ms" "" "" survey.p50_ms
row_of "survey p99 ms" "" "" survey.p99_ms
row_of "survey statuses" "" "" survey.statuses
cells=()
for column in "${columns[@]}"; do
    cells+=("$(get "$column.survey.survey_accepted") / $(get "$column.survey.stored")")
done
row "survey answered / stored" "" "" "${cells[@]}"
row_of "survey lost" "" "0" survey.lost eq 0
row_of "survey errors" "" "0" survey.errors eq 0
echo
echo "errors: socket errors (connect, read, write, timeout over $wrk_timeout) and statuses over 399, as wrk counts them."
echo "lost: a token answered \"Response sent\" that the database does not hold; answered / stored: tokens answered"
echo "\"Response sent\" / tokens stored (a post in flight when wrk stops is stored but never answered)."
for column in "${columns[@]}"; do
    for run in plan mixed survey; do
        echo "$column $run errors: $(get "$column.$run.errors_detail")"
    done
    echo "$column stored: mixed $(get "$column.mixed.stored") tokens (staff page count +$(get "$column.mixed.page_delta")," \
        "unanswered $(get "$column.mixed.unanswered")); survey $(get "$column.survey.stored") tokens" \
        "(staff page count +$(get "$column.survey.page_delta"), unanswered $(get "$column.survey.unanswered"))"
done
