#!/usr/bin/env bash
# json_fields.sh — prints chosen fields of flat JSON lines (nmt's metrics.jsonl, the
# "json:" line of bench_model) as Markdown table cells, without needing python.
#   json_fields.sh FIELD,FIELD,... [FILE...]     e.g. step,time,dev_bleu
# Lines lacking a field print "—" for it; numbers print as they are stored.
set -euo pipefail
fields=$1; shift
awk -v fields="$fields" '
  BEGIN { n = split(fields, names, ",") }
  {
    row = ""
    for (i = 1; i <= n; ++i) {
      value = "—"
      if (match($0, "\"" names[i] "\":(\"[^\"]*\"|[^,}]*)")) {
        value = substr($0, RSTART + length(names[i]) + 3, RLENGTH - length(names[i]) - 3)
        gsub(/"/, "", value)
      }
      row = row (i > 1 ? " | " : "") value
    }
    print "| " row " |"
  }' "$@"
