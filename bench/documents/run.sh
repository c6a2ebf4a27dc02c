#!/usr/bin/env bash
# Plan-to-PDF benchmark: pcplan's PDF of the demo plan (and of a plan long enough for 40
# pages) against LibreOffice converting pcplan's own DOCX export of the same plan to PDF,
# in one run, printed as one table. See bench/README.md. Not a test; CI does not run it.
#
# Needs libreoffice (Debian: apt-get install libreoffice-writer-nogui) and pdfinfo
# (poppler-utils). Extra arguments go to the example (--runs N, --keep DIR).
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
cargo build --quiet --release -p pcplan-web --example plan_documents
target="${CARGO_TARGET_DIR:-$repo/target}"
echo "machine: $(nproc) cores; $(libreoffice --version | head -1)"
exec "$target/release/examples/plan_documents" "$@"
