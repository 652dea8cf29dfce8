#!/usr/bin/env bash
# Seed each fuzz target's corpus from the project's fixtures (good and bad),
# so the fuzzer starts from real releases and real hostile files.
set -euo pipefail
cd "$(dirname "$0")"
seed() { # target, files…
    local t=$1; shift
    mkdir -p "corpus/$t"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "corpus/$t/$(sha256sum "$f" | cut -c1-16)"
    done
}
shopt -s globstar nullglob
seed text_reader ../fixtures/corpus/text/*.txt ../fixtures/**/*.txt
seed normalizer ../fixtures/corpus/text/*.txt
seed workbook_reader ../fixtures/**/*.xlsx ../fixtures/**/*.xls ../fixtures/**/*.ods
seed pdf_reader ../fixtures/**/*.pdf
seed html_reader ../fixtures/html/*.html ../fixtures/html/*.mhtml
# The normaliser works on values: also seed it with one value a file.
mkdir -p corpus/normalizer
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" > "corpus/normalizer/line-$i"
done < <(cut -f1-3 ../fixtures/corpus/text/*.txt | tr '\t' '\n' | grep -v '^$' | sort -u | head -2000)
echo "seeded: $(for d in corpus/*; do printf '%s=%s ' "${d#corpus/}" "$(ls "$d" | wc -l)"; done)"
