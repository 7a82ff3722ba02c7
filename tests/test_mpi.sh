#!/usr/bin/env bash
# test_mpi.sh — data-parallel `nmt train` under mpirun against one process, on the
# quickstart recipe (README "Training on several machines"):
#   1. N ranks × train.accumulate K give byte-identical weights, Adam moments, counters
#      and metrics to one process with accumulate N×K: 2×1 = 1×2, 3×1 = 1×3, and
#      2×3 = 3×2 = 1×6 (30 updates, validation and checkpoints every 10);
#   2. a checkpoint of a 2-rank run resumes as one process (accumulate 2) and ends where
#      the uninterrupted run ends; processes × accumulate that differ are refused;
#   3. ranks started with different configs stop before training, naming what differs;
#   4. a rank killed with SIGKILL ends the whole job within seconds; --resume continues.
#   bash tests/test_mpi.sh NMT_BINARY SOURCE_DIR WORK_DIR
# Exits 77 (ctest: skipped) without mpirun or when nmt was built with sanitizers.
set -euo pipefail
nmt=$1
source_dir=$2
work=$3/mpi
if ! command -v mpirun > /dev/null; then echo "SKIP: mpirun not found (scripts/setup.sh installs openmpi-bin)"; exit 77; fi
if [ "${NMT_SANITIZED:-0}" = 1 ]; then echo "SKIP: MPI tests run in the release pass only"; exit 77; fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1  # more ranks than cores
rm -rf "$work"
mkdir -p "$work"
cd "$source_dir"
# The quickstart recipe on a smaller corpus of its kind, in smaller batches; one thread
# per process, as the comparison needs.
"$nmt" generate --out "$work/corpus" --train-size 4000 --dev-size 200 --test-size 200 > /dev/null
common=(-c configs/quickstart.ini --data.train "$work/corpus/train" --data.dev "$work/corpus/dev"
        --data.test "$work/corpus/test" --train.batch_tokens 500 --train.valid_every 10
        --train.checkpoint_every 10 --train.log_every 5 --train.threads 1 --tokenizer.threads 1)
failures=0
check() {  # check DESCRIPTION COMMAND...
  if "${@:2}" > "$work/check.out" 2>&1; then echo "ok: $1"; else echo "FAILED: $1"; cat "$work/check.out"; failures=$((failures + 1)); fi
}
# train_single ACCUMULATE RUN [FLAGS...]; train_ranks RANKS ACCUMULATE RUN [FLAGS...] (30 updates unless STEPS)
train_single() { "$nmt" train "${common[@]}" --train.max_steps "${STEPS:-30}" --train.accumulate "$1" \
                   --train.run_dir "$work/$2" "${@:3}" > "$work/$2.log" 2>&1; }
train_ranks() { mpirun -np "$1" "$nmt" train "${common[@]}" --train.max_steps "${STEPS:-30}" --train.accumulate "$2" \
                  --train.run_dir "$work/$3" "${@:4}" > "$work/$3.log" 2>&1; }
same() { python3 "$source_dir/tests/mpi_compare.py" "$work/$1" "$work/$2"; }

# 1. Byte equality.
train_single 2 single-2
train_ranks 2 1 ranks-2x1
check "2 ranks × accumulate 1 = 1 process × accumulate 2" same single-2 ranks-2x1
train_single 3 single-3
train_ranks 3 1 ranks-3x1
check "3 ranks × accumulate 1 = 1 process × accumulate 3" same single-3 ranks-3x1
train_single 6 single-6
train_ranks 2 3 ranks-2x3
train_ranks 3 2 ranks-3x2
check "2 ranks × accumulate 3 = 1 process × accumulate 6" same single-6 ranks-2x3
check "3 ranks × accumulate 2 = 1 process × accumulate 6" same single-6 ranks-3x2
check "the ranks' log names the processes and the update" grep -q "2 processes × train.accumulate 1: 2 batches of about 500" \
  "$work/ranks-2x1/train.log"

# 2. Resume across sizes: 20 updates on 2 ranks, the last 10 as one process.
STEPS=20 train_ranks 2 1 resumed
check "a resume on 3 ranks × accumulate 1 of 2-batch updates is refused" bash -c "
  ! mpirun -np 3 '$nmt' train --resume '$work/resumed' --train.max_steps 30 --train.accumulate 1 > '$work/refused.log' 2>&1"
check "the refusal gives the numbers" grep -q "took 2 batches each, but 3 processes × train.accumulate = 1 take 3" \
  "$work/refused.log"
"$nmt" train --resume "$work/resumed" --train.max_steps 30 --train.accumulate 2 > "$work/resumed.log" 2>&1
check "2 ranks for 20 updates, then 1 process × accumulate 2 = 1 process × accumulate 2 throughout" \
  same single-2 resumed

# 3. Ranks that do not run the same job.
check "different configs on two ranks are refused before training" bash -c "
  ! mpirun -np 1 '$nmt' train ${common[*]} --train.max_steps 30 --train.run_dir '$work/mismatch' : \
           -np 1 '$nmt' train ${common[*]} --train.max_steps 30 --train.run_dir '$work/mismatch' --train.lr 0.003 \
           > '$work/mismatch.log' 2>&1"
check "the refusal names the rank and the config" grep -q "rank 1 differs from rank 0 in the resolved config" \
  "$work/mismatch.log"
check "nothing was trained" test ! -e "$work/mismatch/checkpoints/step-000000010.ckpt"

# 4. SIGKILL of one rank ends the job; --resume continues from the last checkpoint.
mpirun -np 2 "$nmt" train "${common[@]}" --train.max_steps 100000 \
  --train.run_dir "$work/killed" > "$work/killed.log" 2>&1 &
launcher=$!
for _ in $(seq 600); do
  [ -e "$work/killed/checkpoints/step-000000010.ckpt" ] && break
  sleep 0.1
done
job_ranks() {  # the nmt processes of the killed job
  pgrep -f -- "--train.run_dir $work/killed" | while read -r pid; do
    [ "$(ps -o comm= -p "$pid")" = nmt ] && echo "$pid"; done || true
}
victim=$(job_ranks | tail -1)
kill -KILL "$victim"
ended=0
for tenth in $(seq 300); do  # 30 s: far more than the job needs to notice
  if ! kill -0 "$launcher" 2> /dev/null; then ended=$tenth; break; fi
  sleep 0.1
done
check "killing one rank (pid $victim) ends mpirun (after about $((ended / 10)).$((ended % 10)) s)" test "$ended" -gt 0
wait "$launcher" 2> /dev/null || true
check "no nmt process of the killed job is left" test -z "$(job_ranks)"
mpirun -np 2 "$nmt" train --resume "$work/killed" --train.max_steps 20 > "$work/killed-resume.log" 2>&1
check "--resume after the kill finishes" grep -q "finished at epoch" "$work/killed/train.log"
check "no temporary file is left" bash -c "! find '$work/killed' -name '*.tmp*' | grep -q ."

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
