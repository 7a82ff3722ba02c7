# shellcheck shell=bash
# fault_common.sh — what the fault scripts share (sourced, not run): the nmt binary,
# the work directory and its removal, bounded nmt calls, PASS/FAIL lines and their
# counts, and a python3 comparison of two model files or two metrics.jsonl files.
#
# The sourcing script sets FAULT_NAME, calls fault_setup BUILD_DIR, and ends with
# fault_summary "FIGURES" (which exits 1 if any check failed).

FAULT_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FAULT_START=$SECONDS
FAULT_PASSED=0
FAULT_FAILED=0
FAULT_WORK=""
FAULT_PIDS=()  # background nmt processes still to end on exit

# Sets NMT (the binary) and FAULT_WORK (a fresh temporary directory, removed on exit,
# after any nmt process still running from FAULT_PIDS is killed).
fault_setup() {
  local build_dir=${1:-$FAULT_REPO/build}
  [ -x "$build_dir/app/nmt" ] || { echo "$FAULT_NAME: no executable $build_dir/app/nmt (build first: bash scripts/build.sh)" >&2; exit 2; }
  NMT="$(cd "$build_dir" && pwd)/app/nmt"
  command -v python3 >/dev/null || { echo "$FAULT_NAME: needs python3 (model-file comparisons)" >&2; exit 2; }
  command -v timeout >/dev/null || { echo "$FAULT_NAME: needs timeout (coreutils)" >&2; exit 2; }
  FAULT_WORK=$(mktemp -d "${TMPDIR:-/tmp}/$FAULT_NAME.XXXXXX")
  trap fault_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Registered cleanup steps (e.g. unmounting), run before the work directory goes.
FAULT_CLEANUPS=()
fault_cleanup() {
  local pid step
  for pid in "${FAULT_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for step in "${FAULT_CLEANUPS[@]}"; do eval "$step" || true; done
  [ -n "$FAULT_WORK" ] && rm -rf "$FAULT_WORK"
}

note() { echo "# $*" >&2; }
pass() { FAULT_PASSED=$((FAULT_PASSED + 1)); echo "PASS $*"; }
fail() { FAULT_FAILED=$((FAULT_FAILED + 1)); echo "FAIL $*"; }
# check OK WHAT [DETAIL]: PASS WHAT if OK is 0, else FAIL WHAT (DETAIL).
check() {
  if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2${3:+ ($3)}"; fi
}

# nmt_call SECONDS ARGS...: nmt under a timeout (SIGKILL 10 s after SIGTERM); its status.
nmt_call() {
  local seconds=$1
  shift
  timeout -k 10 "$seconds" "$NMT" "$@"
}

# The first line of a file, cut to 200 characters, for a FAIL line.
# The [tokenizer] and [model] sections of the fault scripts' small network (72k
# parameters, trains in seconds on one thread).
small_network_sections() {
  cat <<'SECTIONS'
[tokenizer]
algorithm = bpe
vocab_size = 60
[model]
embed_dim = 32
encoder_hidden = 48
decoder_hidden = 48
attention_dim = 48
output_dim = 32
dropout = 0.1
SECTIONS
}

first_line() { head -n 1 "$1" 2>/dev/null | cut -c1-200; }
# The last line that matches a pattern, for a FAIL line.
last_match() { grep -E "$1" "$2" 2>/dev/null | tail -n 1 | cut -c1-200; }

# Temporary files of atomic writes (NAME.tmp.PID) under a directory, one per line.
temporaries() { find "$1" -name '*.tmp.*' 2>/dev/null | sort; }

# nmt_readable FILE: `nmt info` reads FILE (magic, version, checksum, model); prints
# nmt's message if not.
nmt_readable() {
  local out
  if out=$(nmt_call 60 info "$1" 2>&1 >/dev/null); then return 0; fi
  echo "${out:-nmt info failed}" | tail -n 1 | cut -c1-200
  return 1
}

FAULT_PY=$(cat <<'PYEOF'
import json, struct, sys

def container(path):
    with open(path, "rb") as f:
        data = f.read()
    size = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + size])
    metadata = header.pop("__metadata__", {})
    start = 8 + size
    tensors = {name: (t["dtype"], t["shape"], data[start + t["data_offsets"][0]:start + t["data_offsets"][1]])
               for name, t in header.items()}
    return metadata, tensors

def same_model(a, b, ignored=""):
    # tensor by tensor (dtype, shape, raw bytes), then metadata but the ignored keys
    ignored = set(k for k in ignored.split(",") if k)
    ma, ta = container(a)
    mb, tb = container(b)
    if sorted(ta) != sorted(tb):
        return "tensor names differ: " + ", ".join(sorted(set(ta) ^ set(tb)))
    for name in sorted(ta):
        if ta[name][:2] != tb[name][:2]:
            return f"tensor {name}: {ta[name][:2]} against {tb[name][:2]}"
        if ta[name][2] != tb[name][2]:
            x, y = ta[name][2], tb[name][2]
            if ta[name][0] == "F32":
                fx = struct.unpack(f"<{len(x) // 4}f", x)
                fy = struct.unpack(f"<{len(y) // 4}f", y)
                differ = [i for i in range(len(fx)) if x[4 * i:4 * i + 4] != y[4 * i:4 * i + 4]]
                return (f"tensor {name}: {len(differ)} of {len(fx)} values differ, first [{differ[0]}] "
                        f"{fx[differ[0]]!r} against {fy[differ[0]]!r}")
            return f"tensor {name}: bytes differ"
    for key in sorted(set(ma) | set(mb)):
        if key not in ignored and ma.get(key) != mb.get(key):
            return f"metadata {key}: {ma.get(key)!r} against {mb.get(key)!r}"
    return None

def same_metrics(a, b, ignored=""):
    # metrics.jsonl record by record, every field but the ignored ones
    ignored = set(k for k in ignored.split(",") if k)
    ra = [json.loads(l) for l in open(a, encoding="utf-8") if l.strip()]
    rb = [json.loads(l) for l in open(b, encoding="utf-8") if l.strip()]
    for i, (x, y) in enumerate(zip(ra, rb), 1):
        if list(x) != list(y):
            return f"record {i}: fields {list(x)} against {list(y)}"
        for key in x:
            if key not in ignored and x[key] != y[key]:
                return f"record {i} ({x.get('type')} step {x.get('step')}): {key} {x[key]!r} against {y[key]!r}"
    if len(ra) != len(rb):
        return f"{len(ra)} records against {len(rb)}"
    return None

problem = {"same_model": same_model, "same_metrics": same_metrics}[sys.argv[1]](*sys.argv[2:])
if problem:
    print(problem)
    sys.exit(1)
PYEOF
)
# fault_py same_model A B [IGNORED_KEYS] | same_metrics A B [IGNORED_FIELDS]: status 0 if
# equal; else prints the first difference.
fault_py() { timeout 120 python3 -c "$FAULT_PY" "$@"; }

# fault_summary "FIGURES": the summary line; exits 1 if a check failed, else 0.
fault_summary() {
  local total=$((FAULT_PASSED + FAULT_FAILED)) verdict=PASS
  [ "$FAULT_FAILED" -eq 0 ] || verdict=FAIL
  echo "$verdict $FAULT_NAME: $FAULT_PASSED of $total checks passed; $1; $((SECONDS - FAULT_START)) s"
  [ "$FAULT_FAILED" -eq 0 ]
}

# nap SECONDS: sleeps without starting a process (read's timeout on a pipe that never
# delivers), so a polling loop can wait a millisecond at a time.
exec {FAULT_NAP_FD}<> <(:)
nap() { read -r -t "$1" -u "$FAULT_NAP_FD" _ || true; }

# fault_abort "FIGURES": the summary line of a script that cannot go on; exits 1.
fault_abort() { fault_summary "stopped early: $1" || true; exit 1; }
