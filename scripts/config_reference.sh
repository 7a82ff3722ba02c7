#!/usr/bin/env bash
# config_reference.sh — the configuration reference (every key of a training config,
# then nmt serve's [serve] section, with its default and meaning) as Markdown tables,
# from the binary itself.
#   bash scripts/config_reference.sh [NMT]            # print it
#   bash scripts/config_reference.sh --update [NMT]   # rewrite README.md's section
# A test checks that README.md holds exactly this output.
set -euo pipefail
cd "$(dirname "$0")/.."
update=false
if [ "${1:-}" = "--update" ]; then update=true; shift; fi
nmt=${1:-build/app/nmt}

# The Markdown tables of a --dump-config on stdin: every section, or only ONLY's.
tables() {
  awk -v only="${1:-}" '
    /^\[/ { section = substr($0, 2, length($0) - 2); skip = only != "" && section != only
            if (skip) next
            printf "\n**[%s]**\n\n| key | default | meaning |\n| --- | --- | --- |\n", section; next }
    skip { next }
    /^# nmt / { next }
    /^# / { help = substr($0, 3); sub(/ \(default: .*\)( — changed)?$/, "", help); next }
    / = / { key = $1; value = substr($0, index($0, " = ") + 3)
            if (help ~ /\(required\)$/) { value = "—"; sub(/ \(required\)$/, "", help); help = "**required**: " help }
            if (value == "") value = "\"\""
            gsub(/\|/, "\\|", help)
            printf "| `%s` | `%s` | %s |\n", key, value, help }
  '
}

reference() {
  "$nmt" train --data.source_lang SRC --data.target_lang TGT --data.train PREFIX --dump-config | tables
  echo
  echo "\`nmt serve\` also reads:"
  "$nmt" serve -m MODEL --dump-config | tables serve
}

if ! $update; then reference; exit 0; fi
table=$(mktemp)
trap 'rm -f "$table"' EXIT
reference > "$table"
awk -v table="$table" '
  /<!-- config-reference:begin -->/ { print; while ((getline line < table) > 0) print line; print ""; skip = 1; next }
  /<!-- config-reference:end -->/ { skip = 0 }
  !skip { print }
' README.md > README.md.tmp && mv README.md.tmp README.md
