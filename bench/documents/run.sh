#!/usr/bin/env bash
# Plan-to-PDF benchmark: pcplan's PDF of the demo plan (and of a plan long enough for 40
# pages) against LibreOffice converting pcplan's own DOCX export of the same plan to PDF,
# in one run, printed as one table. See bench/README.md. Not a test; CI does not run it.
#
# Needs libreoffice (Debian: apt-get install libreoffice-writer-nogui) and pdfinfo
# (poppler-utils). Extra arguments go to the example (--runs N, --keep DIR).
# PROFILE=dev builds with the workspace's dev profile instead of release: the
# typesetting crates (typst and its dependencies) are optimised there too, so the
# figures are close, and on a machine that already has the dev build it saves a cold
# release build of the whole dependency tree.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
for tool in libreoffice pdfinfo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is missing; Debian: apt-get install libreoffice-writer-nogui poppler-utils" >&2
        exit 1
    fi
done
profile="${PROFILE:-release}"
case "$profile" in
    release) dir=release ;;
    dev) dir=debug ;;
    *) echo "error: PROFILE=$profile; use release or dev" >&2; exit 1 ;;
esac
cargo build --quiet --profile "$profile" -p pcplan-web --example plan_documents
target="${CARGO_TARGET_DIR:-$repo/target}"
echo "machine: $(nproc) cores; profile: $profile; $(libreoffice --version | head -1)"
exec "$target/$dir/examples/plan_documents" "$@"
