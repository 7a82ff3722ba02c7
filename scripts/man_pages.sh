#!/usr/bin/env bash
# man_pages.sh — writes nmt's manual pages from its own --help texts with help2man:
# nmt.1 (the command list) and nmt-COMMAND.1 for every command `nmt --help` lists.
#
#   man_pages.sh NMT_BINARY OUT_DIR
#
# The build runs it (target nmt_man_pages) when help2man is installed; `cmake --install`
# puts the pages in share/man/man1.
set -euo pipefail
nmt=$1
out=$2
mkdir -p "$out"
version=$("$nmt" --version)

# "  train       train a model from ..." lines under "Commands:" in `nmt --help`.
commands=$("$nmt" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print}')
[ -n "$commands" ] || { echo "man_pages.sh: no commands in '$nmt --help'" >&2; exit 1; }

see_also=$(printf '%s\n' "$commands" | awk '{printf "%snmt-%s(1)", (NR > 1 ? ", " : ""), $1}')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '[see also]\n%s\n' "$see_also" > "$work/see_also"

page() {  # page PROGRAM NAME_LINE OUT: the page's name is the program's base name
  help2man --no-info --no-discard-stderr --locale=C.UTF-8 --include="$work/see_also" \
    --version-string="$(basename "$1") ${version#nmt }" --name="$2" --output="$3" "$1"
}
page "$nmt" "neural machine translation on the CPU" "$out/nmt.1"
while read -r command summary; do
  # help2man names a page after its program: a wrapper called nmt-COMMAND runs `nmt COMMAND`.
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$(realpath "$nmt")" "$command" > "$work/nmt-$command"
  chmod +x "$work/nmt-$command"
  page "$work/nmt-$command" "$summary" "$out/nmt-$command.1"
done <<< "$commands"
