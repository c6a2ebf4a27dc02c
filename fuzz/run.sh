#!/usr/bin/env bash
# Runs pcplan's fuzz targets one after another for SECONDS seconds each (default 180)
# and prints a table of what each run did. See docs/fuzzing.md.
#
#   fuzz/run.sh                          # every target, 180 s each
#   fuzz/run.sh plan_json themes         # only these
#   SECONDS=600 fuzz/run.sh plan_json    # longer
#   KEEP=1 fuzz/run.sh                   # keep the working corpora and logs (path printed)
#   PCPLAN_FUZZ_SKIP_KNOWN=0 fuzz/run.sh responses_xlsx   # do not skip the known findings
#
# It builds the targets with `cargo fuzz build` (release, debug assertions on, address
# sanitizer: cargo-fuzz's defaults) under `nice -n 19`, with RUSTC_BOOTSTRAP=1 so that a
# stable toolchain accepts the sanitizer flags. Each target starts from a throwaway copy
# of its seed corpus (fuzz/seeds/TARGET), so runs do not grow the checked-in seeds; one
# job, `-rss_limit_mb=2048 -timeout=10` and a `-max_len` suited to the format. Crashes,
# timeouts and out-of-memory inputs go to fuzz/artifacts/TARGET/ (ignored by git), with
# the log of the target's last run (`last-run.log`, which holds a crash's backtrace).
#
# Targets skip inputs that reach findings already recorded under fuzz/found/ (see
# docs/fuzzing.md) unless PCPLAN_FUZZ_SKIP_KNOWN=0. It exits 1 if any target crashed,
# timed out or ran out of memory, 2 if it could not build or run at all.
# CARGO_TARGET_DIR is honoured (default: cargo-fuzz's fuzz/target).
set -euo pipefail

# `SECONDS` is also bash's own clock (seconds since the shell started, plus any value it
# was given), so the caller's value is read from the environment the script started with.
if [ -r "/proc/$$/environ" ]; then
    per_target="$(tr '\0' '\n' <"/proc/$$/environ" | sed -n 's/^SECONDS=//p')"
else
    per_target="$((SECONDS > 0 ? SECONDS : 0))"
    [ "${per_target}" -gt 0 ] || per_target=""
fi
per_target="${per_target:-180}"
case "${per_target}" in
    '' | *[!0-9]*)
        echo "SECONDS must be a whole number of seconds, like 180; got \`${per_target}\`" >&2
        exit 2
        ;;
esac

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
all_targets=(plan_json responses_csv responses_xlsx police_uk_csv measure_csv themes)

# The largest input tried, by format: whole small files, not exports of a year.
max_len_of() {
    case "$1" in
        plan_json) echo 65536 ;;
        responses_csv | measure_csv) echo 16384 ;;
        responses_xlsx | police_uk_csv) echo 32768 ;;
        themes) echo 16384 ;;
        *) return 1 ;;
    esac
}

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=("${all_targets[@]}")
fi
for target in "${targets[@]}"; do
    if ! max_len_of "${target}" >/dev/null; then
        echo "unknown target \`${target}\`; the targets are: ${all_targets[*]}" >&2
        exit 2
    fi
done

cd "${fuzz_dir}"
echo "building ${targets[*]} (cargo fuzz build, nice -n 19)" >&2
for target in "${targets[@]}"; do
    if ! RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz build "${target}" >&2; then
        echo "building ${target} failed" >&2
        exit 2
    fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/pcplan-fuzz.XXXXXX")"
if [ -z "${KEEP:-}" ]; then
    trap 'rm -rf "${work}"' EXIT
fi

rows=()
failed=0
for target in "${targets[@]}"; do
    corpus="${work}/corpus/${target}"
    artifacts="${fuzz_dir}/artifacts/${target}"
    log="${work}/${target}.log"
    mkdir -p "${corpus}" "${artifacts}"
    cp "${fuzz_dir}/seeds/${target}/"* "${corpus}/"

    echo "running ${target} for ${per_target} s from $(find "${corpus}" -type f | wc -l) seeds (log: ${log})" >&2
    started="$(date +%s)"
    # libFuzzer stops at the first crash, timeout or out-of-memory input and exits
    # non-zero; the table below still reports the run.
    set +e
    PCPLAN_FUZZ_SKIP_KNOWN="${PCPLAN_FUZZ_SKIP_KNOWN:-1}" RUST_BACKTRACE="${RUST_BACKTRACE:-1}" RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run "${target}" "${corpus}" -- \
        -max_total_time="${per_target}" -rss_limit_mb=2048 -timeout=10 \
        -max_len="$(max_len_of "${target}")" \
        -artifact_prefix="${artifacts}/" -print_final_stats=1 >"${log}" 2>&1
    status=$?
    set -e
    elapsed=$(($(date +%s) - started))
    # The log holds the backtrace of a crash: keep the last one beside the artifacts.
    cp "${log}" "${artifacts}/last-run.log"

    # Stats lines look like `#123456 REDUCE cov: 812 ft: 2301 corp: 97/14Kb lim: 4096
    # exec/s: 2057 rss: 412Mb L: 52/1630 MS: 3 ...`; the final stats print
    # `stat::number_of_executed_units: N`, `stat::average_exec_per_sec: N` and
    # `stat::peak_rss_mb: N` (also after a crash).
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "${log}" | tail -n 1)"
    if [ -z "${execs}" ]; then
        execs="$(grep -o '^#[0-9]*' "${log}" | tail -n 1 | tr -d '#')"
    fi
    rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "${log}" | tail -n 1)"
    if [ -z "${rss}" ]; then
        rss="$(grep -o 'rss: [0-9]*Mb' "${log}" | tr -dc '0-9\n' | sort -n | tail -n 1)"
    fi
    # Sizes are the files' own (apparent) sizes, not disk blocks.
    corpus_files="$(find "${corpus}" -type f | wc -l)"
    corpus_kib="$(find "${corpus}" -type f -printf '%s\n' | awk '{n += $1} END {printf "%d", n / 1024}')"
    # Artifacts written during this run, by kind: crash-*, timeout-*, oom-*, leak-*.
    new_artifacts="$(find "${artifacts}" -type f -newermt "@${started}" -printf '%f\n' |
        grep -E '^(crash|timeout|oom|leak)-' || true)"
    found="$(printf '%s' "${new_artifacts}" | grep -c . || true)"
    kinds="$(printf '%s' "${new_artifacts}" | sed 's/-.*//' | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
    execs="${execs:-0}"
    # libFuzzer's own average counts only the fuzzing, not cargo's start or the seeds' load.
    per_second="$(sed -n 's/^stat::average_exec_per_sec: *//p' "${log}" | tail -n 1)"
    per_second="${per_second:-$((execs / (elapsed > 0 ? elapsed : 1)))}"
    if [ "${found}" -gt 0 ]; then
        failed=1
    elif [ "${status}" -ne 0 ]; then
        # A finding always leaves an artifact; an exit without one means the run itself
        # went wrong (a build or start-up error): say so rather than print a clean row.
        kinds="none, but exit ${status}: see fuzz/artifacts/${target}/last-run.log"
        failed=1
    fi
    rows+=("${target}|${elapsed}|${execs}|${per_second}|${corpus_files} files, ${corpus_kib} KiB|${rss:-?} MB|${kinds:-none}")
done

printf '\n| target | seconds | executions | exec/s | final corpus | peak RSS | crashes, timeouts, OOMs |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | --- |\n'
for row in "${rows[@]}"; do
    IFS='|' read -r target elapsed execs per_second corpus rss kinds <<<"${row}"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${target}" "${elapsed}" "${execs}" "${per_second}" "${corpus}" "${rss}" "${kinds}"
done
if [ -n "${KEEP:-}" ]; then
    echo "working corpora and logs kept in ${work}" >&2
fi
if [ "${failed}" -ne 0 ]; then
    echo "a target crashed, timed out or ran out of memory: see fuzz/artifacts/ and docs/fuzzing.md" >&2
    exit 1
fi
