#!/usr/bin/env bash
# test_install.sh — `cmake --install` into a scratch prefix puts a working nmt in bin/,
# its manual pages in share/man/man1 (when the build made them), the recipes in
# share/nmt/configs, the documentation in share/doc/nmt and the Python module (when the
# build made it) in lib/python3.X/dist-packages; the installed binary and module run from
# there, outside the build tree.
#
#   test_install.sh BUILD_DIR SOURCE_DIR      (registered with ctest as Install.IntoAPrefix)
set -euo pipefail
build=$1
source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
nmt=$prefix/bin/nmt
[ -x "$nmt" ] || fail "no executable at bin/nmt"
[ "$("$nmt" --version)" = "$("$build/app/nmt" --version)" ] || fail "the installed nmt is another version"
(cd "$prefix" && PATH=$prefix/bin:$PATH nmt translate --help | grep -q -- '--search.beam_size') ||
  fail "the installed nmt does not show translate's options"

for ini in "$source"/configs/*.ini; do
  cmp -s "$ini" "$prefix/share/nmt/configs/$(basename "$ini")" || fail "configs/$(basename "$ini") not installed"
done
[ -f "$prefix/share/doc/nmt/README.md" ] || fail "README.md not installed"
[ -f "$prefix/share/doc/nmt/model.md" ] || fail "docs/model.md not installed"

if [ -f "$build/man/nmt.1" ]; then
  for command in $("$nmt" --help | awk '/^Commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}'); do
    page=$prefix/share/man/man1/nmt-$command.1
    [ -f "$page" ] || fail "no manual page nmt-$command.1"
    grep -q "^\.TH NMT-${command^^} " "$page" || fail "nmt-$command.1 is not that command's page"
  done
  grep -q 'nmt-translate(1)' "$prefix/share/man/man1/nmt.1" || fail "nmt.1 does not list the command pages"
  # Every flag of `nmt train --help` is in its page, read without roff's font and dash escapes.
  text=$(sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\[,\/]//g' "$prefix/share/man/man1/nmt-train.1")
  flags=$("$nmt" train --help | grep -o -- '--[a-z][a-z_.-]*[a-z]' | sort -u)
  [ "$(wc -l <<< "$flags")" -ge 30 ] || fail "nmt train --help lists too few flags to check: $flags"
  for flag in $flags; do
    grep -q -F -- "$flag" <<< "$text" || fail "nmt-train.1 lacks $flag"
  done
else
  echo "no manual pages in this build (help2man missing): not checked"
fi
# The Python module, where the build made one: in the prefix's dist-packages, importable from there.
if compgen -G "$build/python/nmt.cpython-*.so" >/dev/null; then
  site=$(sed -n 's/^NMT_PYTHON_SITE_DIR:STRING=//p' "$build/CMakeCache.txt")
  compgen -G "$prefix/$site/nmt.cpython-*.so" >/dev/null || fail "the Python module is not in $site"
  version=$(cd "$prefix" && PYTHONPATH=$prefix/$site /usr/bin/python3 -c 'import nmt; print(nmt.__version__)')
  [ "nmt $version" = "$("$nmt" --version | cut -d' ' -f1-2)" ] || fail "the installed module is version '$version'"
else
  echo "no Python module in this build: not checked"
fi
echo "installed and working: $prefix"
