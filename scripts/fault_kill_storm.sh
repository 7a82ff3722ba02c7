#!/usr/bin/env bash
# fault_kill_storm.sh — a SIGKILL storm on `nmt train`: a short run is killed with
# SIGKILL 20 times at random moments and resumed each time with `nmt train --resume`;
# its final weights must equal, byte for byte, those of an uninterrupted run.
#
#   bash scripts/fault_kill_storm.sh [--seed N] [--kills N] [BUILD_DIR]   (BUILD_DIR: build/)
#
# The run: the quickstart task (`nmt generate`: 3,000 training pairs, 300 dev, 300 test),
# a 72 k-parameter network on 1 thread, 200 updates (one log line each), a checkpoint
# every 5 updates (3 kept), a validation every 20 (it writes model.nmt when the dev
# score improves), the test split scored at the end. Kill 1 hits the first session's start-up (before its
# first checkpoint); the last one hits the scoring of the test split, after the run's
# last update and checkpoint (so the last session resumes a trained run); the kills
# between wait for steps spread from 10 to 150, and each group of five aims at five
# phases, in an order drawn from the seed, each after a random delay drawn from the seed:
#   start-up     0-99% of the last measured start-up time after the process starts
#                (reading the corpus, training the tokenizers or loading the checkpoint);
#   step         0-2 updates past the target step, then 0-19 ms into the next update;
#   checkpoint   on sight of checkpoints/step-N.ckpt.tmp.PID (a checkpoint being written);
#   validation   0-99 ms into the scoring of the dev set (after a validating step's log line);
#   model write  on sight of model.nmt.tmp.PID (the best model being written).
# Where each kill really landed is read back (the killed process's temporary files, its
# log) and printed with it; the spread of phases is reported, not checked (timing
# decides it). A session that ends before it is killed is a failure.
#
# Checks, one line each:
#  - each kill: the process died of SIGKILL, and every checkpoint and model.nmt in the
#    run directory reads back with `nmt info` (format, version, checksum, model);
#  - a run killed before its first checkpoint: `nmt train --resume` refuses it, naming
#    what is missing, and the run starts afresh with its first command;
#  - the last session finishes (exit 0); no temporary file (*.tmp.*) is left in the run;
#  - model.nmt, dev.hyp and test.hyp are byte-identical (cmp) to the uninterrupted run's
#    (model.nmt holds no timing: its metadata is the config, the vocabulary sizes, the
#    step and the dev scores);
#  - the checkpoints: the same names, and each the same tensors byte for byte (weights,
#    Adam moments) and the same metadata but train.elapsed_seconds (wall-clock time) and
#    checksum (the CRC of a header that holds it), read with python3 (nmt prints no
#    tensor values);
#  - metrics.jsonl: the same records, field by field, but time and tokens_per_s.
#
# Output: one line per check, then a summary line (kills survived, checks passed, the
# phases hit, the seed, the time). Exit status 1 if any check failed, 2 on a usage error.
# Deterministic but for timing: the seed (default 1, printed) fixes every delay and the
# phase order. Every nmt call has a timeout; the work directory is removed on exit.
set -euo pipefail

FAULT_NAME=fault_kill_storm
# shellcheck source=scripts/fault_common.sh
source "$(dirname "$0")/fault_common.sh"

usage() { echo "usage: bash scripts/fault_kill_storm.sh [--seed N] [--kills N] [BUILD_DIR]" >&2; exit 2; }
seed=1
kills=20
build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) { [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]]; } || usage; seed=$2; shift 2 ;;
    --kills) { [ $# -ge 2 ] && [[ $2 =~ ^[0-9]+$ ]]; } || usage; kills=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$build_dir" ] || usage; build_dir=$1; shift ;;
  esac
done
fault_setup "${build_dir:-$FAULT_REPO/build}"
RANDOM=$seed
echo "# $FAULT_NAME: seed $seed (--seed N to change), $kills kills, nmt $NMT, work $FAULT_WORK"

STEPS=200
VALID_EVERY=20
# Kill k >= 2 waits (but at start-up) for step FIRST_TARGET + (k - 2) * (LAST_TARGET -
# FIRST_TARGET) / (kills - 2), so the kills spread over the run; no wait goes past step
# LAST_KILL_STEP, so every kill comes before the run ends.
FIRST_TARGET=10
LAST_TARGET=150
LAST_KILL_STEP=185
SESSION_SECONDS=120  # no session, waited for or killed, lives longer than this

W=$FAULT_WORK
nmt_call 60 generate --out "$W/corpus" --train-size 3000 --dev-size 300 --test-size 300 2>"$W/generate.log" ||
  { fail "nmt generate: $(first_line "$W/generate.log")"; fault_abort "no corpus"; }
{
  cat <<EOF
[data]
source_lang = en
target_lang = de
train = $W/corpus/train
dev = $W/corpus/dev
test = $W/corpus/test
EOF
  small_network_sections
  cat <<EOF
[train]
threads = 1
batch_tokens = 600
max_epochs = 100
max_steps = $STEPS
lr = 0.003
checkpoint_every = 5
keep_checkpoints = 3
valid_every = $VALID_EVERY
log_every = 1
EOF
} >"$W/storm.ini"

# R: a random integer in [0, $1), from the seeded sequence.
draw() { R=$((RANDOM % $1)); }

# ---------------------------------------------------------------- the uninterrupted run
note "the uninterrupted run ($STEPS updates)"
whole=$W/whole
if nmt_call 600 train -c "$W/storm.ini" --train.run_dir "$whole" >"$W/whole.log" 2>&1; then
  pass "the uninterrupted run finishes ($STEPS updates)"
else
  fail "the uninterrupted run: $(last_match 'error' "$W/whole.log")"
  fault_abort "no reference run"
fi

# ---------------------------------------------------------------- the storm
run=$W/storm
pid=""
session_log=""
sessions=0

# Starts a session in the background: fresh while the run has no checkpoint, else
# --resume. Sets pid (nmt's) and session_log. A wrapper subshell waits for nmt and writes
# its status to $W/status (so the shell reports no "Killed" job).
start_session() {
  sessions=$((sessions + 1))
  session_log=$W/session-$sessions.log
  local arguments=(train --resume "$run")
  if ! compgen -G "$run/checkpoints/step-*.ckpt" >/dev/null; then arguments=(train -c "$W/storm.ini" --train.run_dir "$run"); fi
  rm -f "$W/pid" "$W/status"
  : >"$session_log"
  session_begun_ms=$(now_ms)
  (
    exec 2>/dev/null
    "$NMT" "${arguments[@]}" --log-level debug >"$session_log" 2>&1 &
    echo $! >"$W/pid.new"
    mv "$W/pid.new" "$W/pid"
    status=0
    wait $! || status=$?
    echo $status >"$W/status"
  ) &
  wrapper=$!
  until [ -s "$W/pid" ]; do nap 0.001; done
  pid=$(<"$W/pid")
  FAULT_PIDS+=("$pid" "$wrapper")
  session_started=$SECONDS
}

# Waits for the session's wrapper; sets status (nmt's exit status, 137 for SIGKILL).
end_session() {
  wait "$wrapper" 2>/dev/null || true
  FAULT_PIDS=()
  status=$(cat "$W/status" 2>/dev/null || echo "unknown")
}

alive() { kill -0 "$pid" 2>/dev/null; }
too_long() { [ $((SECONDS - session_started)) -ge "$SESSION_SECONDS" ]; }

# until_seen MS COMMAND...: polls COMMAND every MS milliseconds until it succeeds. Status
# 1 if the session ends first, outlives SESSION_SECONDS or logs a step at or past
# LAST_KILL_STEP (checked every 20 ms or so): every kill comes before the run's end.
until_seen() {
  local ms=$1 polls=0
  shift
  while ! "$@"; do
    polls=$((polls + 1))
    if [ $((polls * ms % 20)) -lt "$ms" ]; then alive && ! too_long && ! near_the_end || return 1; fi
    nap_ms "$ms"
  done
}
nap_ms() { nap "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# The step of the session's last training log line (one per update), or "".
last_step() {
  { grep -o '\[train\] epoch .* step [0-9]* |' "$session_log" | tail -n 1 | grep -o 'step [0-9]*' | cut -d' ' -f2; } || true
}
near_the_end() { local step; step=$(last_step); [ -n "$step" ] && [ "$step" -ge "$LAST_KILL_STEP" ]; }
# The session has logged step $target or later (or resumed from a checkpoint there).
reached_target() {
  local step
  step=$(last_step)
  [ -n "$step" ] || step=$(grep -o "resuming from '[^']*'" "$session_log" | grep -o 'step-[0-9]*' | sed 's/step-0*//' || true)
  [ "${step:-0}" -ge "$target" ]
}
has_temporary() { compgen -G "$1" >/dev/null; }
# The session is scoring the dev set: its last log line is of a validating step, and
# that validation's result is not logged yet.
validating() {
  local step
  step=$(last_step)
  [ -n "$step" ] && [ $((step % VALID_EVERY)) -eq 0 ] && ! grep -q "\[valid\] step $step " "$session_log"
}

finished() { grep -q '\[train\] finished at epoch' "$session_log"; }
has_train_line() { grep -q '\[train\] epoch .* step [0-9]* |' "$session_log"; }
started() { grep -qE '\[train\] (starting|resuming) at epoch' "$session_log"; }
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }

# Waits for the moment of the phase (random delays drawn from the seed), then sends SIGKILL.
# A session that is not killed at start-up measures its start-up time (startup_ms: from
# its start to its "starting/resuming at" line, polled every 5 ms) for the next one.
kill_in_phase() {
  if [ "$1" != start-up ]; then
    if until_seen 5 started; then startup_ms=$(($(now_ms) - session_begun_ms)); fi
  fi
  case "$1" in
    start-up)  # 0-99% of the last measured start-up time
      draw 100; nap_ms $((startup_ms * R / 100)) ;;
    step)  # 0-2 updates past the target (or the session's first update), 0-19 ms into an update
      until_seen 5 has_train_line || true
      until_seen 10 reached_target || true
      draw 3; target=$((target + R))
      until_seen 5 reached_target || true
      draw 20; nap_ms "$R" ;;
    checkpoint)
      until_seen 10 reached_target || true
      until_seen 1 has_temporary "$run/checkpoints/step-*.ckpt.tmp.$pid" || true ;;
    validation)  # 0-99 ms into the dev set's scoring
      until_seen 10 reached_target || true
      until_seen 2 validating || true
      draw 100; nap_ms "$R" ;;
    model)
      until_seen 10 reached_target || true
      until_seen 1 has_temporary "$run/model.nmt.tmp.$pid" || true ;;
    end)  # the run is trained and checkpointed; the test split is being scored
      while ! finished && alive && ! too_long; do nap_ms 2; done ;;
  esac
  kill -KILL "$pid" 2>/dev/null || true
}

# Where the killed process was, from its temporary files and its log.
landed_in() {
  if ! grep -qE '\[train\] (starting|resuming) at epoch' "$session_log"; then echo "start-up"
  elif has_temporary "$run/checkpoints/step-*.ckpt.tmp.$pid"; then echo "checkpoint write"
  elif has_temporary "$run/model.nmt.tmp.$pid"; then echo "model write"
  elif has_temporary "$run/*.tmp.$pid"; then
    local file
    file=$(compgen -G "$run/*.tmp.$pid" | head -n 1)
    file=${file##*/}
    echo "writing ${file%.tmp.*}"
  elif finished; then echo "test scoring"
  else
    local step
    step=$(last_step)
    if [ -n "$step" ] && [ $((step % VALID_EVERY)) -eq 0 ] && ! grep -q "checkpoint .*step-0*$step.ckpt" "$session_log"; then
      echo "validation"
    else echo "step"; fi
  fi
}

# Every checkpoint and model.nmt of the run reads back; sets readable_note.
check_files_readable() {
  local file problem count=0 bad=""
  for file in "$run"/checkpoints/step-*.ckpt "$run/model.nmt"; do
    [ -e "$file" ] || continue
    count=$((count + 1))
    if ! problem=$(nmt_readable "$file"); then bad="$bad${bad:+; }$problem"; fi
  done
  readable_note="$count files"
  [ -z "$bad" ] || { readable_note="$bad"; return 1; }
}

phases=(start-up step checkpoint validation model)
startup_ms=300  # until the first session that is not killed at start-up measures it
declare -A landed=()
survived=0
refusal_checked=0
order=()
for ((k = 1; k <= kills; k++)); do
  if [ "$k" -eq 1 ]; then phase=start-up
  elif [ "$k" -eq "$kills" ] && [ "$kills" -ge 3 ]; then phase=end
  else
    if [ ${#order[@]} -eq 0 ]; then  # a new group of five, shuffled
      order=("${phases[@]}")
      for ((i = ${#order[@]} - 1; i > 0; i--)); do
        draw $((i + 1)); t=${order[$i]}; order[i]=${order[R]}; order[R]=$t
      done
    fi
    phase=${order[0]}
    order=("${order[@]:1}")
  fi
  target=0
  spread_kills=$((kills >= 3 ? kills - 2 : kills - 1))  # kills 2 .. kills-1 spread over the run
  [ "$k" -lt 2 ] || target=$((FIRST_TARGET + (k - 2) * (LAST_TARGET - FIRST_TARGET) / (spread_kills > 1 ? spread_kills - 1 : 1)))
  start_session
  kill_in_phase "$phase"
  end_session
  where=$(landed_in)
  step=$(last_step)
  from=$(grep -o "resuming from '[^']*'" "$session_log" | grep -o 'step-[0-9]*' | sed 's/step-0*//' || true)
  what="kill $k/$kills (aimed at $phase, landed in $where; session from step ${from:-0}, last logged step ${step:-none})"
  if [ "$status" != 137 ]; then
    fail "$what: the session ended with status $status before the kill: $(last_match 'error|finished' "$session_log")"
    break
  fi
  survived=$((survived + 1))
  landed[$where]=$(( ${landed[$where]:-0} + 1 ))
  if check_files_readable; then pass "$what: died of SIGKILL; $readable_note read by nmt info"
  else fail "$what: unreadable: $readable_note"; fi

  # Killed before its first checkpoint: --resume has nothing to continue (checked once).
  if [ "$refusal_checked" -eq 0 ] && ! compgen -G "$run/checkpoints/step-*.ckpt" >/dev/null; then
    refusal_checked=1
    resume_status=0
    nmt_call 60 train --resume "$run" >"$W/refusal.log" 2>&1 || resume_status=$?
    if { [ "$resume_status" -eq 1 ] && grep -q "no readable checkpoint in '$run/checkpoints'" "$W/refusal.log"; } ||
       { [ "$resume_status" -eq 2 ] && grep -q "'$run/config.ini' does not exist" "$W/refusal.log"; }; then
      pass "--resume of a run killed before its first checkpoint refuses it (exit $resume_status: $(last_match 'error' "$W/refusal.log" | sed 's/.*error: //' | cut -c1-90)); the run restarts afresh"
    else
      fail "--resume of a run killed before its first checkpoint: exit $resume_status: $(tail -n 1 "$W/refusal.log" | cut -c1-200)"
    fi
  fi
done

# ---------------------------------------------------------------- the end
note "the last session, to the end of the run"
start_session
while alive && ! too_long; do nap 0.05; done
alive && kill -KILL "$pid" 2>/dev/null
end_session
if [ "$status" = 0 ]; then pass "the last session finishes the run (exit 0, $sessions sessions in all)"
else fail "the last session: status $status: $(last_match 'error' "$session_log")"; fi

left=$(temporaries "$run")
check "$([ -z "$left" ]; echo $?)" "no temporary file left in the run directory" \
  "$(echo "$left" | sed "s|$run/||" | tr '\n' ' ')"

for file in model.nmt dev.hyp test.hyp; do
  if cmp -s "$whole/$file" "$run/$file"; then pass "$file byte-identical to the uninterrupted run's"
  else fail "$file differs from the uninterrupted run's: $(cmp "$whole/$file" "$run/$file" 2>&1 | head -n 1)"; fi
done

names_whole=$(cd "$whole/checkpoints" && echo step-*.ckpt)
names_run=$(cd "$run/checkpoints" && echo step-*.ckpt)
check "$([ "$names_whole" = "$names_run" ]; echo $?)" "the same checkpoints as the uninterrupted run ($names_run)" \
  "uninterrupted: $names_whole"
for name in $names_whole; do
  [ -e "$run/checkpoints/$name" ] || continue
  if problem=$(fault_py same_model "$whole/checkpoints/$name" "$run/checkpoints/$name" train.elapsed_seconds,checksum); then
    pass "checkpoint $name: every tensor byte-equal (weights, Adam moments), metadata equal but the elapsed time"
  else fail "checkpoint $name: $problem"; fi
done
if problem=$(fault_py same_metrics "$whole/metrics.jsonl" "$run/metrics.jsonl" time,tokens_per_s); then
  pass "metrics.jsonl: the same $(grep -c . "$run/metrics.jsonl") records (losses, dev and test scores) but the timing fields"
else fail "metrics.jsonl: $problem"; fi

spread=""
for where in "start-up" "step" "checkpoint write" "validation" "model write" "test scoring"; do
  spread="$spread${spread:+, }$where ${landed[$where]:-0}"
done
for where in "${!landed[@]}"; do
  case "$where" in "start-up"|"step"|"checkpoint write"|"validation"|"model write"|"test scoring") ;; *) spread="$spread, $where ${landed[$where]}" ;; esac
done
fault_summary "$survived of $kills kills survived (landed in: $spread); $sessions sessions; seed $seed"
