#!/usr/bin/env bash
# fault_full_disk.sh — a full disk under nmt's writes: a checkpoint, the final model.nmt,
# `nmt average -o` and `nmt translate -o` each meet a disk with no room for their file;
# each must fail cleanly, and the run must finish once there is room again.
#
#   bash scripts/fault_full_disk.sh [--mechanism auto|tmpfs|fsize] [BUILD_DIR]   (BUILD_DIR: build/)
#
# The fault, as the first line of output says:
#   tmpfs  a 16 MiB tmpfs mounted in the work directory (needs root or CAP_SYS_ADMIN);
#          a filler file leaves 400 KiB free (0 for translate -o): the write fails with
#          ENOSPC, "No space left on device";
#   fsize  no mount: the nmt process runs under `prlimit --fsize=BYTES` with SIGXFSZ
#          ignored, so a write past BYTES fails with EFBIG, "File too large" (1,000,000
#          bytes for the checkpoint, 500,000 for model files, 1,000 for translations);
#          the files nmt writes before it stay below the limit.
# auto (the default) takes tmpfs when the mount works, else fsize.
#
# The run (on the faulty disk): the quickstart task (`nmt generate`: 3,000 training pairs,
# 300 dev and 300 test lines for translation), a 72 k-parameter network on 1 thread,
# no dev set (so model.nmt is written at the end of a session, before the last
# checkpoint), a checkpoint every 10 updates. It first trains 20 updates with room to
# spare, and `nmt average -o avg.nmt` and `nmt translate -o out.de` (the dev source) write
# their files; copies of every file are kept. Then, with the disk full:
#   1. checkpoint   `nmt train --resume` to 40 updates: the checkpoint at 30 fails;
#   2. model.nmt    `nmt train --resume` to 25 updates: the final model.nmt fails;
#   3. average -o   `nmt average -o avg.nmt` of the run's 2 newest checkpoints fails;
#   4. translate -o `nmt translate -o out.de` of the test source fails.
# Each case checks (one line each): exit status 1; the error names the file written
# (and says why: no space, or too large); the previous files (model.nmt, the
# checkpoints, avg.nmt, out.de) byte-identical to their copies and, model files, read by
# `nmt info`; no file for the failed write; no temporary file (*.tmp.*) left.
# Then the disk is freed and `nmt train --resume` to 40 updates finishes: exit 0, the
# checkpoint at 40 and model.nmt read by `nmt info`, no temporary file, and model.nmt
# byte-identical to that of an uninterrupted 40-update run (a failed write changes
# nothing: model.nmt holds no timing).
#
# Output: one line per check, then a summary line (the mechanism, checks passed, the
# time). Exit status 1 if any check failed, 2 on a usage error. Every nmt call has a
# timeout; the tmpfs is unmounted and the work directory removed on exit.
set -euo pipefail

FAULT_NAME=fault_full_disk
# shellcheck source=scripts/fault_common.sh
source "$(dirname "$0")/fault_common.sh"

usage() { echo "usage: bash scripts/fault_full_disk.sh [--mechanism auto|tmpfs|fsize] [BUILD_DIR]" >&2; exit 2; }
mechanism=auto
build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mechanism) [ $# -ge 2 ] || usage; mechanism=$2; shift 2 ;;
    --mechanism=*) mechanism=${1#*=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$build_dir" ] || usage; build_dir=$1; shift ;;
  esac
done
case "$mechanism" in auto|tmpfs|fsize) ;; *) usage ;; esac
fault_setup "${build_dir:-$FAULT_REPO/build}"
W=$FAULT_WORK
D=$W/disk
mkdir -p "$D"

TMPFS_BYTES=$((16 << 20))
if [ "$mechanism" != fsize ]; then
  if mount -t tmpfs -o size=$TMPFS_BYTES,mode=0755 nmt-fault-disk "$D" 2>"$W/mount.log"; then
    FAULT_CLEANUPS+=("umount '$D'")
    mechanism=tmpfs
  elif [ "$mechanism" = tmpfs ]; then
    echo "$FAULT_NAME: cannot mount a tmpfs: $(first_line "$W/mount.log")" >&2
    exit 2
  else
    note "cannot mount a tmpfs ($(first_line "$W/mount.log")): using prlimit --fsize"
    mechanism=fsize
  fi
fi
if [ "$mechanism" = fsize ]; then
  command -v prlimit >/dev/null || { echo "$FAULT_NAME: needs prlimit (util-linux) without a tmpfs" >&2; exit 2; }
  echo "# $FAULT_NAME: mechanism fsize: prlimit --fsize=BYTES on the nmt process, SIGXFSZ ignored (writes past BYTES fail with EFBIG); nmt $NMT"
  why="File too large"
else
  echo "# $FAULT_NAME: mechanism tmpfs: a $((TMPFS_BYTES >> 20)) MiB tmpfs at $D, filled by a filler file (writes fail with ENOSPC); nmt $NMT"
  why="No space left on device"
fi

# ---------------------------------------------------------------- the fault
# Bytes free on the disk (tmpfs).
free_bytes() { df -B1 --output=avail "$D" | tail -n 1 | tr -d ' '; }
# fill_disk BYTES: the filler leaves about BYTES free (tmpfs; fsize: nothing to do). It
# writes only into the mounted tmpfs, never more than its size.
fill_disk() {
  [ "$mechanism" = tmpfs ] || return 0
  mountpoint -q "$D" || { fail "the tmpfs at $D is not mounted"; fault_abort "no faulty disk"; }
  rm -f "$D/filler"
  local keep=$1 avail
  avail=$(free_bytes)
  if [ "$keep" -eq 0 ]; then  # every page
    head -c "$TMPFS_BYTES" /dev/zero >"$D/filler" 2>/dev/null || true
  elif [ "$avail" -gt "$keep" ]; then
    head -c $((avail - keep)) /dev/zero >"$D/filler" 2>/dev/null || true
  fi
}
free_disk() { rm -f "$D/filler"; }

# faulty LIMIT ARGS...: nmt ARGS on the faulty disk; under fsize with a file-size limit
# of LIMIT bytes (SIGXFSZ ignored, so the write returns EFBIG instead of killing nmt).
faulty() {
  local limit=$1
  shift
  if [ "$mechanism" = fsize ]; then
    (trap '' XFSZ; exec timeout -k 10 300 prlimit --fsize="$limit" "$NMT" "$@")
  else
    nmt_call 300 "$@"
  fi
}

# ---------------------------------------------------------------- the run
nmt_call 60 generate --out "$W/corpus" --train-size 3000 --dev-size 300 --test-size 300 2>"$W/generate.log" ||
  { fail "nmt generate: $(first_line "$W/generate.log")"; fault_abort "no corpus"; }
{
  cat <<EOF
[data]
source_lang = en
target_lang = de
train = $W/corpus/train
EOF
  small_network_sections
  cat <<EOF
[train]
threads = 1
batch_tokens = 600
max_epochs = 100
lr = 0.003
checkpoint_every = 10
keep_checkpoints = 3
log_every = 10
EOF
} >"$W/disk.ini"
run=$D/run
ckpt() { echo "$run/checkpoints/step-$(printf '%09d' "$1").ckpt"; }

note "an uninterrupted 40-update run (off the faulty disk), for the end"
if nmt_call 300 train -c "$W/disk.ini" --train.run_dir "$W/whole" --train.max_steps 40 >"$W/whole.log" 2>&1; then
  pass "an uninterrupted 40-update run finishes"
else
  fail "the uninterrupted run: $(last_match 'error' "$W/whole.log")"
fi

note "20 updates, average and translate with room on the disk"
ok=0
nmt_call 300 train -c "$W/disk.ini" --train.run_dir "$run" --train.max_steps 20 >"$W/start.log" 2>&1 &&
  nmt_call 120 average -o "$D/avg.nmt" "$(ckpt 10)" "$(ckpt 20)" >"$W/average.log" 2>&1 &&
  nmt_call 300 translate -m "$run/model.nmt" -i "$W/corpus/dev.en" -o "$D/out.de" --search.beam_size 1 \
    --threads 1 >"$W/translate.log" 2>&1 || ok=$?
if [ "$ok" -eq 0 ] && [ -s "$D/out.de" ]; then
  pass "with room: 20 updates (checkpoints 10 and 20, model.nmt), avg.nmt and out.de written"
else
  fail "with room: $(cat "$W"/start.log "$W"/average.log "$W"/translate.log 2>/dev/null | grep error | head -n 1)"
  fault_abort "the run could not start"
fi
mkdir -p "$W/saved"
saved_files=("$run/model.nmt" "$(ckpt 10)" "$(ckpt 20)" "$D/avg.nmt" "$D/out.de")
for file in "${saved_files[@]}"; do cp "$file" "$W/saved/$(basename "$file")"; done

# The previous files are intact: byte-identical to their copies, model files readable.
check_previous_files() {
  local file problems=""
  for file in "${saved_files[@]}"; do
    if ! cmp -s "$file" "$W/saved/$(basename "$file")"; then problems="$problems${problems:+; }$(basename "$file") changed"
    elif [[ $file != *.de ]] && ! problem=$(nmt_readable "$file"); then problems="$problems${problems:+; }$problem"
    fi
  done
  check "$([ -z "$problems" ]; echo $?)" "$1: the previous files are intact (model.nmt, checkpoints 10 and 20, avg.nmt, out.de byte-identical; model files read by nmt info)" "$problems"
}

# fault_case NAME LOG STATUS DESTINATION: the checks of one failed write.
fault_case() {
  local name=$1 log=$2 status=$3 destination=$4 left message
  check "$([ "$status" -eq 1 ]; echo $?)" "$name: exit status 1" "status $status: $(last_match 'error' "$log")"
  message=$(last_match 'error' "$log")
  if grep -qF "'$destination': $why" "$log"; then pass "$name: the error names the destination ($(echo "$message" | sed 's/.*error: //' | sed "s|$W|WORK|g"))"
  else fail "$name: the error does not name '$destination' ($why): $message"; fi
  check_previous_files "$name"
  left=$(temporaries "$D")
  check "$([ -z "$left" ]; echo $?)" "$name: no temporary file left" "$(echo "$left" | sed "s|$W|WORK|g" | tr '\n' ' ')"
}

# 1. The checkpoint at step 30.
fill_disk $((400 << 10))
status=0
faulty 1000000 train --resume "$run" --train.max_steps 40 >"$W/case1.log" 2>&1 || status=$?
fault_case "checkpoint write" "$W/case1.log" "$status" "$(ckpt 30)"
check "$([ ! -e "$(ckpt 30)" ]; echo $?)" "checkpoint write: no checkpoint at step 30"

# 2. The final model.nmt at step 25.
status=0
faulty 500000 train --resume "$run" --train.max_steps 25 >"$W/case2.log" 2>&1 || status=$?
fault_case "final model.nmt write" "$W/case2.log" "$status" "$run/model.nmt"
check "$([ ! -e "$(ckpt 25)" ]; echo $?)" "final model.nmt write: no checkpoint at step 25 (the session stopped at the failed write)"

# 3. nmt average -o over the previous avg.nmt.
status=0
faulty 500000 average -o "$D/avg.nmt" --run "$run" --last 2 >"$W/case3.log" 2>&1 || status=$?
fault_case "average -o" "$W/case3.log" "$status" "$D/avg.nmt"

# 4. nmt translate -o over the previous out.de, on a disk with no page free.
fill_disk 0
status=0
faulty 1000 translate -m "$run/model.nmt" -i "$W/corpus/test.en" -o "$D/out.de" --search.beam_size 1 \
  --threads 1 >"$W/case4.log" 2>&1 || status=$?
fault_case "translate -o" "$W/case4.log" "$status" "$D/out.de"

# ---------------------------------------------------------------- room again
free_disk
status=0
nmt_call 300 train --resume "$run" --train.max_steps 40 >"$W/finish.log" 2>&1 || status=$?
check "$([ "$status" -eq 0 ]; echo $?)" "room again: nmt train --resume finishes the run (40 updates)" \
  "status $status: $(last_match 'error' "$W/finish.log")"
problems=""
for file in "$(ckpt 40)" "$run/model.nmt"; do
  if [ ! -e "$file" ]; then problems="$problems${problems:+; }no $(basename "$file")"
  elif ! problem=$(nmt_readable "$file"); then problems="$problems${problems:+; }$problem"; fi
done
check "$([ -z "$problems" ]; echo $?)" "room again: the checkpoint at step 40 and model.nmt read by nmt info" "$problems"
left=$(temporaries "$D")
check "$([ -z "$left" ]; echo $?)" "room again: no temporary file left" "$(echo "$left" | sed "s|$W|WORK|g" | tr '\n' ' ')"
if cmp -s "$W/whole/model.nmt" "$run/model.nmt"; then
  pass "room again: model.nmt byte-identical to the uninterrupted run's (the failed writes changed nothing)"
else fail "room again: model.nmt differs from the uninterrupted run's: $(cmp "$W/whole/model.nmt" "$run/model.nmt" 2>&1 | head -n 1)"; fi

fault_summary "mechanism $mechanism; 4 failed writes (checkpoint, model.nmt, average -o, translate -o), then the run finished"
