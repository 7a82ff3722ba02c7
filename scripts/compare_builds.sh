#!/usr/bin/env bash
# compare_builds.sh — proves that two builds of nmt behave identically (a refactor's
# check: same inputs, same seeds, same thread count => the same bytes out).
#
#   bash scripts/compare_builds.sh [--fresh] OLD_BUILD_DIR NEW_BUILD_DIR WORK_DIR
#
# OLD_BUILD_DIR and NEW_BUILD_DIR each hold app/nmt. Every command below runs once with
# each binary on the same inputs, one at a time, 2 threads everywhere; the inputs (the
# configs, the quickstart corpus, the models that are translated) are always the OLD
# side's, so the two sides differ only in the binary. What it checks:
#
#  1. Quickstart: `nmt generate` writes the same corpus (6 files, cmp). `nmt train -c
#     configs/quickstart.ini` for 200 steps (validation at step 200 and test scoring
#     included): metrics.jsonl equal field by field (numbers by value: 0.0 = 0.0000) except the timing
#     fields `time` and `tokens_per_s`; model.nmt equal tensor by tensor (names, dtypes,
#     shapes, raw bytes) and in every metadata key — model.nmt holds no timing (its
#     metadata is the model config, vocab sizes, train.step and the dev scores), so the
#     whole file must also be byte-identical (cmp); the checkpoint equal tensor by tensor
#     (Adam moments included) and in metadata except `train.elapsed_seconds` (wall-clock)
#     and `checksum` (a CRC over the header, which holds the elapsed time); dev.hyp,
#     test.hyp, source.model, target.model byte-identical, config.ini identical but for
#     its run_dir line, the checkpoint names identical; train.log identical after
#     removing timestamps, durations and speeds. (curve.svg is not compared: it plots
#     the dev metric against wall-clock time.)
#  2. Translation of the quickstart test source (test.en) with the OLD side's model:
#     greedy, beam 5, n-best 3, bf16 (beam 5 and greedy; skipped with a note when the OLD
#     binary refuses --precision bf16 on this CPU, and then the NEW one must refuse it
#     the same way), all with -i/-o (batch mode), and beam 5 once through a pipe
#     (stdin -> stdout, line by line). Output files cmp-identical; exit status, stdout
#     and the log (timestamps and paths removed) identical too.
#  3. Multi30k en->de (configs/multi30k-en-de.ini, data from ../shared/data/multi30k or
#     $NMT_MULTI30K): 200 steps, one validation at step 200, test scoring, the same
#     comparisons as in 1; then the OLD side's model translates the first 200 lines of
#     test_2016_flickr.en: greedy, beam 5, n-best 3, bf16 (where available), cmp each.
#     train.max_minutes is set to 0: the recipe's 44.5-minute budget feeds the
#     learning-rate anneal through elapsed time (budget_used = max(step fraction, time
#     fraction)); with 200 steps the step fraction always wins, but 0 takes the clock
#     out of the lr schedule entirely. anneal_fraction 0.5 then runs over the 200 steps.
#  4. `nmt evaluate --json` on the quickstart model and test set (beam 5, with -o): the
#     whole JSON document (sacreBLEU's list of metrics and the model's entry; an older
#     build's one-line object is read the same way) equal in shape, field names and order
#     at every depth, every value identical except the timing fields `seconds`,
#     `sentences_per_s`, `target_tokens_per_s`; the hypotheses cmp-identical.
#     `nmt evaluate` as text (greedy): identical except the numbers of its `speed:` line.
#     `nmt evaluate --hyp --ref --json` (scoring only): identical JSON, same exceptions.
#     `nmt info` of the quickstart model, its checkpoint and the Multi30k model: identical
#     text (both binaries read the same file; the path is replaced by a placeholder in
#     case a build prints it differently — it is the only line-level path).
#
# Cache: the OLD side's outputs go to WORK_DIR/old (the quickstart corpus to
# WORK_DIR/quickstart-data) and are reused when present — each step has its own .done
# marker, and WORK_DIR/old/STAMP records the OLD binary's sha256 and this script's
# settings (a mismatch rebuilds the cache). The NEW side always reruns, into
# WORK_DIR/new. `--fresh` (or COMPARE_FRESH=1) clears the cache first.
#
# Output: one line per check on stdout, `PASS name` or `FAIL name (what differs, first
# differing line)`; progress notes go to stderr, prefixed `#`. Exit status 1 if any
# check failed, 2 on a usage error. Needs python3 (JSON and safetensors comparisons).
set -euo pipefail

usage() {
  echo "usage: bash scripts/compare_builds.sh [--fresh] OLD_BUILD_DIR NEW_BUILD_DIR WORK_DIR" >&2
  exit 2
}

fresh=${COMPARE_FRESH:-0}
args=()
for a in "$@"; do
  case "$a" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) args+=("$a") ;;
  esac
done
[ "${#args[@]}" -eq 3 ] || usage

OLD_NMT="$(cd "${args[0]}" && pwd)/app/nmt"
NEW_NMT="$(cd "${args[1]}" && pwd)/app/nmt"
for b in "$OLD_NMT" "$NEW_NMT"; do
  [ -x "$b" ] || { echo "compare_builds: no executable $b" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "compare_builds: needs python3" >&2; exit 2; }
mkdir -p "${args[2]}"
WORK="$(cd "${args[2]}" && pwd)"

REPO="$(cd "$(dirname "$0")/.." && pwd)"
M30K="${NMT_MULTI30K:-$REPO/../shared/data/multi30k}"
[ -f "$M30K/train.en.gz" ] || { echo "compare_builds: no Multi30k corpus in $M30K (set NMT_MULTI30K)" >&2; exit 2; }
M30K="$(cd "$M30K" && pwd)"

# The configs come from the OLD build's source tree (CMakeCache.txt), else from this
# script's repository, copied into the cache: both sides always train from that copy.
old_src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "${args[0]}/CMakeCache.txt" 2>/dev/null || true)
[ -n "$old_src" ] && [ -f "$old_src/configs/quickstart.ini" ] || old_src=$REPO

THREADS=2       # train.threads, translate/evaluate --threads: results may depend on it
QS_STEPS=200    # quickstart.ini runs 5 epochs of 193 updates; 200 is shorter
M30K_STEPS=200
M30K_LINES=200  # test_2016_flickr lines translated
SETTINGS="compare_builds v1 threads=$THREADS qs_steps=$QS_STEPS m30k_steps=$M30K_STEPS m30k_lines=$M30K_LINES m30k=$M30K"

note() { echo "# $*" >&2; }

# ---------------------------------------------------------------- python helpers
PYHELPER=$(cat <<'PYEOF'
import json, re, struct, sys

def short(s, n=110):
    s = s.rstrip("\n")
    return repr(s if len(s) <= n else s[:n] + "...")

def read_lines(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8", "replace").split("\n")

def tagged_json(text):
    # numbers keep their exact text; objects keep their key order
    return json.loads(text, object_pairs_hook=list,
                      parse_float=lambda s: ("num", s), parse_int=lambda s: ("num", s),
                      parse_constant=lambda s: ("num", s))

def same_value(a, b):
    # numbers compare by value, not spelling ("0.0000" == "0.0", "99.700000000000003" == "99.7")
    def number(v):
        if isinstance(v, tuple): v = v[1]
        if not isinstance(v, str): return None
        try: return float(v)
        except ValueError: return None
    x, y = number(a), number(b)
    if x is not None and y is not None:
        return x == y or (x != x and y != y)
    return a == b

def show(v):
    if isinstance(v, tuple): return v[1]
    return json.dumps(v, ensure_ascii=False)

def cmd_jsonl(old, new, ignore):
    ignore = set(x for x in ignore.split(",") if x)
    a = [l for l in read_lines(old) if l.strip()]
    b = [l for l in read_lines(new) if l.strip()]
    for i, (la, lb) in enumerate(zip(a, b), 1):
        try: oa = tagged_json(la)
        except Exception as e: return f"old line {i} is not JSON ({e}): {short(la)}"
        try: ob = tagged_json(lb)
        except Exception as e: return f"new line {i} is not JSON ({e}): {short(lb)}"
        if not isinstance(oa, list) or not isinstance(ob, list):
            if oa != ob: return f"line {i}: old {short(la)} new {short(lb)}"
            continue
        ka, kb = [k for k, _ in oa], [k for k, _ in ob]
        where = f"line {i}" + "".join(f" {k}={show(v)}" for k, v in oa if k in ("type", "step"))
        if ka != kb:
            return f"{where}: field names differ: old {','.join(ka)} new {','.join(kb)}"
        for (k, va), (_, vb) in zip(oa, ob):
            if k in ignore: continue
            if not same_value(va, vb):
                return f"{where}: field '{k}': old {show(va)} new {show(vb)}"
    if len(a) != len(b):
        n = min(len(a), len(b))
        extra = a[n] if len(a) > n else b[n]
        return f"old has {len(a)} records, new {len(b)}; first extra line {n+1}: {short(extra)}"
    return None

def tagged_document(text):
    # one JSON document; objects as ("obj", [(key, value)...]) in their key order,
    # numbers as ("num", text)
    return json.loads(text, object_pairs_hook=lambda pairs: ("obj", pairs),
                      parse_float=lambda s: ("num", s), parse_int=lambda s: ("num", s),
                      parse_constant=lambda s: ("num", s))

def untagged(v):
    if isinstance(v, tuple):
        return {k: untagged(x) for k, x in v[1]} if v[0] == "obj" else float(v[1])
    return [untagged(x) for x in v] if isinstance(v, list) else v

def document_difference(a, b, ignore, where):
    if isinstance(a, tuple) and a[0] == "obj" and isinstance(b, tuple) and b[0] == "obj":
        ka, kb = [k for k, _ in a[1]], [k for k, _ in b[1]]
        if ka != kb:
            return f"{where}: field names differ: old {','.join(ka)} new {','.join(kb)}"
        for (k, va), (_, vb) in zip(a[1], b[1]):
            if k in ignore: continue
            found = document_difference(va, vb, ignore, f"{where}.{k}")
            if found: return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b): return f"{where}: old has {len(a)} entries, new {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = document_difference(x, y, ignore, f"{where}[{i}]")
            if found: return found
        return None
    if not same_value(a, b):
        text = lambda v: short(json.dumps(untagged(v), ensure_ascii=False))
        return f"{where}: old {text(a)} new {text(b)}"
    return None

def cmd_json(old, new, ignore):
    # one JSON document per file (nmt evaluate --json), compared at every depth
    ignore = set(x for x in ignore.split(",") if x)
    docs = []
    for side, path in (("old", old), ("new", new)):
        try:
            with open(path, encoding="utf-8") as f: docs.append(tagged_document(f.read()))
        except Exception as e: return f"{side} output is not one JSON document ({e})"
    return document_difference(docs[0], docs[1], ignore, "document")

def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n], object_pairs_hook=list)
    meta, tensors = {}, []
    for k, v in header:
        if k == "__metadata__": meta = dict(v)
        else:
            v = dict(v)
            s, e = v["data_offsets"]
            tensors.append((k, v["dtype"], list(v["shape"]), data[8 + n + s: 8 + n + e]))
    return meta, tensors

def cmd_safetensors(old, new, ignore):
    ignore = set(x for x in ignore.split(",") if x)
    try: ma, ta = read_safetensors(old)
    except Exception as e: return f"cannot read old {old}: {e}"
    try: mb, tb = read_safetensors(new)
    except Exception as e: return f"cannot read new {new}: {e}"
    na, nb = [t[0] for t in ta], [t[0] for t in tb]
    if sorted(na) != sorted(nb):
        return f"tensor names differ: only old {sorted(set(na)-set(nb))}, only new {sorted(set(nb)-set(na))}"
    db = {t[0]: t for t in tb}
    for name, dtype, shape, raw in ta:
        _, dtype2, shape2, raw2 = db[name]
        if (dtype, shape) != (dtype2, shape2):
            return f"tensor {name}: old {dtype} {shape}, new {dtype2} {shape2}"
        if raw != raw2:
            if dtype == "F32" and len(raw) == len(raw2):
                x = struct.unpack(f"<{len(raw)//4}f", raw); y = struct.unpack(f"<{len(raw2)//4}f", raw2)
                diff = [j for j in range(len(x)) if struct.pack("<f", x[j]) != struct.pack("<f", y[j])]
                md = max(abs(x[j] - y[j]) for j in diff)
                return (f"tensor {name}: {len(diff)} of {len(x)} values differ, first at [{diff[0]}]: "
                        f"old {x[diff[0]]!r} new {y[diff[0]]!r}, max |diff| {md:.3g}")
            first = next((j for j in range(min(len(raw), len(raw2))) if raw[j] != raw2[j]), min(len(raw), len(raw2)))
            return f"tensor {name}: bytes differ from byte {first}"
    keys = sorted(set(ma) | set(mb))
    for k in keys:
        if k in ignore: continue
        if not same_value(ma.get(k), mb.get(k)):
            return f"metadata '{k}': old {ma.get(k)!r} new {mb.get(k)!r}"
    if na != nb:
        return f"tensor order differs: old {na[:5]}... new {nb[:5]}..."
    return None

def cmd_linediff(old, new):
    # describes how two files that cmp found different differ: the first differing line
    try: a = read_lines(old)
    except OSError: return "old file missing"
    try: b = read_lines(new)
    except OSError: return "new file missing"
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x != y: return f"line {i}: old {short(x)} new {short(y)}"
    if len(a) != len(b):
        n = min(len(a), len(b))
        who, extra = ("old", a[n]) if len(a) > n else ("new", b[n])
        return f"old has {len(a)-1} lines, new {len(b)-1}; {who}'s line {n+1}: {short(extra)}"
    return "files differ in bytes but not by line (encoding?)"

TIMESTAMP = re.compile(r"^\[(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d(\.\d+)?\] ")
SECONDS = re.compile(r"\b\d+(\.\d+)? s\b")
RATE = re.compile(r"\b\d+(\.\d+)? (tok|sentences|target tokens)/s\b")
CLOCK = re.compile(r"\b\d+:\d\d(:\d\d)?\b")

def cmd_normlog(mode, src, dst, *paths):
    # a log without what varies run to run: timestamps, durations, speeds, the side's dir
    out = []
    for line in read_lines(src):
        for p in paths:  # PATH, or PATH=>TOKEN (listed first: the more specific ones)
            if "=>" in p: line = line.replace(*p.split("=>", 1))
            elif p: line = line.replace(p, "<SIDE>")
        if mode == "paths":
            out.append(line)
            continue
        line = TIMESTAMP.sub("", line)
        line = RATE.sub(r"<R> \2/s", line)
        line = SECONDS.sub("<T> s", line)
        line = CLOCK.sub("<T>", line)
        out.append(line)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    return None

cmd = sys.argv[1]
res = {"jsonl": cmd_jsonl, "json": cmd_json, "safetensors": cmd_safetensors, "linediff": cmd_linediff,
       "normlog": cmd_normlog}[cmd](*sys.argv[2:])
if res:
    print(res)
    sys.exit(1)
PYEOF
)
py() { python3 -c "$PYHELPER" "$@"; }

# ---------------------------------------------------------------- checks
n_pass=0
n_fail=0
: >"$WORK/results.txt.tmp"
pass() {
  echo "PASS $1" | tee -a "$WORK/results.txt.tmp"
  n_pass=$((n_pass + 1))
}
fail() {
  echo "FAIL $1 ($2)" | tee -a "$WORK/results.txt.tmp"
  n_fail=$((n_fail + 1))
}

# differs OLD NEW: empty and status 0 when cmp finds the files identical, else prints
# what differs (the first differing line)
differs() {
  if [ ! -e "$1" ]; then echo "old file $(basename "$1") missing"; return 1; fi
  if [ ! -e "$2" ]; then echo "new file $(basename "$2") missing"; return 1; fi
  cmp -s "$1" "$2" && return 0
  py linediff "$1" "$2" || true
  return 1
}

# norm FILE [norm|paths]: writes FILE.norm, the log without timestamps, durations,
# speeds and the work dir's paths (paths: without the paths only); the PATH=>TOKEN
# entries of norm_extra are replaced first
norm_extra=()
norm() {
  if [ -e "$1" ]; then
    py normlog "${2:-norm}" "$1" "$1.norm" ${norm_extra[@]+"${norm_extra[@]}"} "$WORK/old" "$WORK/new"
  else
    rm -f "$1.norm"
  fi
}

# check_cmd [--stdout=raw|norm|paths] NAME JOB LABEL [FILE...]: the command LABEL of
# job JOB gave the same exit status, stdout (raw; norm: as logs are; paths: with the
# work dir replaced), log (normalized) and FILEs (relative to the job dir) on both sides
check_cmd() {
  local mode=raw
  case "$1" in --stdout=*) mode=${1#--stdout=}; shift ;; esac
  local name=$1 job=$2 label=$3
  shift 3
  local o="$WORK/old/$job" n="$WORK/new/$job" msg f so sn
  local rc_o rc_n
  rc_o=$(cat "$o/$label.rc" 2>/dev/null || echo "?")
  rc_n=$(cat "$n/$label.rc" 2>/dev/null || echo "?")
  if [ "$rc_o" != "$rc_n" ]; then
    fail "$name" "exit status: old $rc_o new $rc_n; new stderr: $(tail -n 1 "$n/$label.err" 2>/dev/null | cut -c1-150)"
    return
  fi
  for f in "$@"; do
    if ! msg=$(differs "$o/$f" "$n/$f"); then fail "$name" "$f: $msg"; return; fi
  done
  so="$o/$label.out"
  sn="$n/$label.out"
  if [ "$mode" != raw ]; then
    norm "$so" "$mode"
    norm "$sn" "$mode"
    so="$so.norm"
    sn="$sn.norm"
  fi
  if ! msg=$(differs "$so" "$sn"); then fail "$name" "stdout: $msg"; return; fi
  norm "$o/$label.err"
  norm "$n/$label.err"
  if ! msg=$(differs "$o/$label.err.norm" "$n/$label.err.norm"); then fail "$name" "log (stderr): $msg"; return; fi
  pass "$name"
}

# ---------------------------------------------------------------- running
bin_of() { if [ "$1" = old ]; then echo "$OLD_NMT"; else echo "$NEW_NMT"; fi; }

# run_cmd DIR LABEL CMD...: runs CMD in DIR, stdout to LABEL.out, stderr to LABEL.err,
# exit status to LABEL.rc; never aborts the script
run_cmd() {
  local dir=$1 label=$2 rc=0
  shift 2
  (cd "$dir" && exec "$@") >"$dir/$label.out" 2>"$dir/$label.err" </dev/null || rc=$?
  echo "$rc" >"$dir/$label.rc"
}

# run_job NAME FUNC: FUNC SIDE DIR NMT, for the OLD side unless cached, then the NEW side
run_job() {
  local name=$1 fn=$2 side dir t0
  for side in old new; do
    dir="$WORK/$side/$name"
    if [ "$side" = old ] && [ -f "$dir/.done" ]; then
      note "old/$name: cached"
      continue
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    t0=$SECONDS
    "$fn" "$side" "$dir" "$(bin_of "$side")"
    touch "$dir/.done"
    note "$side/$name: $((SECONDS - t0)) s"
  done
}

# ---------------------------------------------------------------- cache
if [ "$fresh" = 1 ]; then
  note "--fresh: clearing the cache in $WORK/old"
  rm -rf "$WORK/old" "$WORK/quickstart-data"
fi
stamp="old binary sha256 $(sha256sum "$OLD_NMT" | cut -d' ' -f1); $SETTINGS"
if [ -f "$WORK/old/STAMP" ] && [ "$(cat "$WORK/old/STAMP")" != "$stamp" ]; then
  note "the cache in $WORK/old was made by another OLD binary or other settings: rebuilding it"
  rm -rf "$WORK/old" "$WORK/quickstart-data"
fi
mkdir -p "$WORK/old/configs" "$WORK/old/inputs"
echo "$stamp" >"$WORK/old/STAMP"
for c in quickstart multi30k-en-de; do
  [ -f "$WORK/old/configs/$c.ini" ] || cp "$old_src/configs/$c.ini" "$WORK/old/configs/$c.ini"
done
CFG_QS="$WORK/old/configs/quickstart.ini"
CFG_M30K="$WORK/old/configs/multi30k-en-de.ini"
rm -rf "$WORK/new"
mkdir -p "$WORK/new"
start=$SECONDS
note "old: $OLD_NMT ($($OLD_NMT --version 2>&1 | head -n 1))"
note "new: $NEW_NMT ($($NEW_NMT --version 2>&1 | head -n 1))"
note "configs from $old_src/configs, Multi30k from $M30K, work in $WORK"

QS_DATA="$WORK/quickstart-data"
QS_RUN="$WORK/old/qs-train/run"          # the OLD side's quickstart run: its model is translated
M30K_RUN="$WORK/old/m30k-train/run"
M30K_SRC="$WORK/old/inputs/test_2016_flickr.first$M30K_LINES.en"

# ---------------------------------------------------------------- 1. quickstart
job_generate() {
  local side=$1 dir=$2 nmt=$3 out="$2/quickstart-data"
  if [ "$side" = old ]; then out=$QS_DATA; rm -rf "$QS_DATA"; fi
  run_cmd "$dir" generate "$nmt" generate --out "$out"
  [ "$side" = old ] && ln -sfn "$QS_DATA" "$dir/quickstart-data"
  return 0
}
run_job generate job_generate
# the two sides wrote to different --out dirs, which their logs name
norm_extra=("$WORK/new/generate/quickstart-data=><OUT>" "$QS_DATA=><OUT>")
check_cmd qs_generate_corpus generate generate \
  quickstart-data/train.en quickstart-data/train.de quickstart-data/dev.en \
  quickstart-data/dev.de quickstart-data/test.en quickstart-data/test.de
norm_extra=()

# train_checks PREFIX JOB: the comparisons of a training run (see the banner)
train_checks() {
  local p=$1 job=$2 msg f
  local o="$WORK/old/$job" n="$WORK/new/$job"
  local rc_o rc_n
  rc_o=$(cat "$o/train.rc" 2>/dev/null || echo "?")
  rc_n=$(cat "$n/train.rc" 2>/dev/null || echo "?")
  if [ "$rc_o" != "$rc_n" ]; then
    fail "${p}_train_metrics" "exit status: old $rc_o new $rc_n; new stderr: $(tail -n 1 "$n/train.err" | cut -c1-150)"
  elif [ ! -f "$n/run/metrics.jsonl" ]; then
    fail "${p}_train_metrics" "new run wrote no metrics.jsonl"
  elif msg=$(py jsonl "$o/run/metrics.jsonl" "$n/run/metrics.jsonl" time,tokens_per_s); then
    pass "${p}_train_metrics"
  else
    fail "${p}_train_metrics" "metrics.jsonl $msg"
  fi

  if msg=$(py safetensors "$o/run/model.nmt" "$n/run/model.nmt" ""); then
    pass "${p}_train_model_tensors"
  else
    fail "${p}_train_model_tensors" "model.nmt: $msg"
  fi
  if cmp -s "$o/run/model.nmt" "$n/run/model.nmt"; then
    pass "${p}_train_model_file"
  else
    fail "${p}_train_model_file" "model.nmt: $(cmp "$o/run/model.nmt" "$n/run/model.nmt" 2>&1 | head -n 1 | sed "s|$WORK/||g")"
  fi

  local cko ckn
  cko=$(cd "$o/run/checkpoints" 2>/dev/null && ls | tr '\n' ' ' || true)
  ckn=$(cd "$n/run/checkpoints" 2>/dev/null && ls | tr '\n' ' ' || true)
  if [ -z "$cko" ] || [ "$cko" != "$ckn" ]; then
    fail "${p}_train_checkpoint" "checkpoints: old '$cko' new '$ckn'"
  else
    local last
    last=$(cd "$o/run/checkpoints" && ls | tail -n 1)
    if msg=$(py safetensors "$o/run/checkpoints/$last" "$n/run/checkpoints/$last" train.elapsed_seconds,checksum); then
      pass "${p}_train_checkpoint"
    else
      fail "${p}_train_checkpoint" "$last: $msg"
    fi
  fi

  msg=""
  for f in dev.hyp test.hyp source.model target.model; do
    if ! msg=$(differs "$o/run/$f" "$n/run/$f"); then msg="$f: $msg"; break; fi
    msg=""
  done
  if [ -z "$msg" ]; then
    grep -v '^run_dir = ' "$o/run/config.ini" >"$o/config.ini.norm" 2>/dev/null || true
    grep -v '^run_dir = ' "$n/run/config.ini" >"$n/config.ini.norm" 2>/dev/null || true
    if ! msg=$(differs "$o/config.ini.norm" "$n/config.ini.norm"); then msg="config.ini (but run_dir): $msg"; fi
  fi
  if [ -z "$msg" ]; then pass "${p}_train_files"; else fail "${p}_train_files" "$msg"; fi

  norm "$o/run/train.log"
  norm "$n/run/train.log"
  if ! msg=$(differs "$o/run/train.log.norm" "$n/run/train.log.norm"); then
    fail "${p}_train_log" "train.log without times: $msg"
  elif ! msg=$(differs "$o/train.out" "$n/train.out"); then
    fail "${p}_train_log" "stdout: $msg"
  else
    pass "${p}_train_log"
  fi
}

job_qs_train() {
  local dir=$2 nmt=$3
  run_cmd "$dir" train "$nmt" train -c "$CFG_QS" --train.run_dir "$dir/run" \
    --data.train "$QS_DATA/train" --data.dev "$QS_DATA/dev" --data.test "$QS_DATA/test" \
    --train.max_steps "$QS_STEPS" --train.threads "$THREADS"
}
run_job qs-train job_qs_train
train_checks qs qs-train

# ---------------------------------------------------------------- bf16 probe
job_bf16_probe() {
  local dir=$2 nmt=$3
  echo "one hundred and one" >"$dir/probe.en"
  run_cmd "$dir" probe "$nmt" translate -m "$QS_RUN/model.nmt" -i "$dir/probe.en" -o "$dir/probe.de" \
    --precision bf16 --search.beam_size 1 --threads "$THREADS"
}
run_job bf16-probe job_bf16_probe
bf16=1
if [ "$(cat "$WORK/old/bf16-probe/probe.rc")" != 0 ]; then
  bf16=0
  note "bf16 refused by the old binary on this CPU ($(tail -n 1 "$WORK/old/bf16-probe/probe.err" | cut -c1-150)): bf16 translations skipped"
  check_cmd bf16_refusal bf16-probe probe
fi

# ---------------------------------------------------------------- 2. quickstart translation
# translate_variants DIR NMT MODEL INPUT: greedy, beam 5, n-best 3, bf16 into DIR/*.txt
translate_variants() {
  local dir=$1 nmt=$2 model=$3 input=$4
  run_cmd "$dir" greedy "$nmt" translate -m "$model" -i "$input" -o "$dir/greedy.txt" --threads "$THREADS" --search.beam_size 1
  run_cmd "$dir" beam5 "$nmt" translate -m "$model" -i "$input" -o "$dir/beam5.txt" --threads "$THREADS" --search.beam_size 5
  run_cmd "$dir" nbest3 "$nmt" translate -m "$model" -i "$input" -o "$dir/nbest3.txt" --threads "$THREADS" --search.beam_size 5 --nbest 3
  if [ "$bf16" = 1 ]; then
    run_cmd "$dir" bf16_beam5 "$nmt" translate -m "$model" -i "$input" -o "$dir/bf16_beam5.txt" --threads "$THREADS" --search.beam_size 5 --precision bf16
    run_cmd "$dir" bf16_greedy "$nmt" translate -m "$model" -i "$input" -o "$dir/bf16_greedy.txt" --threads "$THREADS" --search.beam_size 1 --precision bf16
  fi
}
translate_checks() {
  local p=$1 job=$2 v
  for v in greedy beam5 nbest3 bf16_beam5 bf16_greedy; do
    case "$v" in bf16*) [ "$bf16" = 1 ] || continue ;; esac
    check_cmd "${p}_translate_$v" "$job" "$v" "$v.txt"
  done
}

job_qs_translate() {
  local dir=$2 nmt=$3
  translate_variants "$dir" "$nmt" "$QS_RUN/model.nmt" "$QS_DATA/test.en"
  # a real pipe: not a terminal, so nmt translates line by line and flushes
  run_cmd "$dir" pipe_beam5 bash -o pipefail -c \
    'cat "$1" | "$2" translate -m "$3" --threads "$4" --search.beam_size 5' _ \
    "$QS_DATA/test.en" "$nmt" "$QS_RUN/model.nmt" "$THREADS"
}
run_job qs-translate job_qs_translate
translate_checks qs qs-translate
check_cmd qs_translate_pipe_beam5 qs-translate pipe_beam5

# ---------------------------------------------------------------- 3. Multi30k
job_m30k_train() {
  local dir=$2 nmt=$3
  run_cmd "$dir" train "$nmt" train -c "$CFG_M30K" --train.run_dir "$dir/run" \
    --data.train "$M30K/train" --data.dev "$M30K/val" --data.test "$M30K/test_2016_flickr" \
    --train.max_steps "$M30K_STEPS" --train.threads "$THREADS" \
    --train.valid_every "$M30K_STEPS" --train.max_minutes 0
}
run_job m30k-train job_m30k_train
train_checks m30k m30k-train

[ -f "$M30K_SRC" ] || { gzip -dc "$M30K/test_2016_flickr.en.gz" | head -n "$M30K_LINES" >"$M30K_SRC.tmp"; mv "$M30K_SRC.tmp" "$M30K_SRC"; }
job_m30k_translate() {
  translate_variants "$2" "$3" "$M30K_RUN/model.nmt" "$M30K_SRC"
}
run_job m30k-translate job_m30k_translate
translate_checks m30k m30k-translate

# ---------------------------------------------------------------- 4. evaluate, info
EVAL_TIMING=seconds,sentences_per_s,target_tokens_per_s
job_qs_evaluate() {
  local dir=$2 nmt=$3
  run_cmd "$dir" json "$nmt" evaluate -m "$QS_RUN/model.nmt" --src "$QS_DATA/test.en" --ref "$QS_DATA/test.de" \
    --json -o "$dir/json.hyp" --threads "$THREADS" --search.beam_size 5
  run_cmd "$dir" text "$nmt" evaluate -m "$QS_RUN/model.nmt" --src "$QS_DATA/test.en" --ref "$QS_DATA/test.de" \
    --threads "$THREADS" --search.beam_size 1
  run_cmd "$dir" hyp "$nmt" evaluate --hyp "$WORK/old/qs-translate/greedy.txt" --ref "$QS_DATA/test.de" --json
}
run_job qs-evaluate job_qs_evaluate

# check_json NAME JOB LABEL [FILE...]: like check_cmd, but stdout is one JSON document compared by field
check_json() {
  local name=$1 job=$2 label=$3 msg f
  shift 3
  local o="$WORK/old/$job" n="$WORK/new/$job"
  local rc_o rc_n
  rc_o=$(cat "$o/$label.rc" 2>/dev/null || echo "?")
  rc_n=$(cat "$n/$label.rc" 2>/dev/null || echo "?")
  if [ "$rc_o" != "$rc_n" ]; then
    fail "$name" "exit status: old $rc_o new $rc_n; new stderr: $(tail -n 1 "$n/$label.err" 2>/dev/null | cut -c1-150)"
    return
  fi
  if [ ! -s "$n/$label.out" ]; then fail "$name" "new printed no JSON"; return; fi
  if ! msg=$(py json "$o/$label.out" "$n/$label.out" "$EVAL_TIMING"); then fail "$name" "JSON $msg"; return; fi
  for f in "$@"; do
    if ! msg=$(differs "$o/$f" "$n/$f"); then fail "$name" "$f: $msg"; return; fi
  done
  norm "$o/$label.err"
  norm "$n/$label.err"
  if ! msg=$(differs "$o/$label.err.norm" "$n/$label.err.norm"); then fail "$name" "log (stderr): $msg"; return; fi
  pass "$name"
}
check_json qs_evaluate_json qs-evaluate json json.hyp
check_json qs_evaluate_hyp_json qs-evaluate hyp
# the text report: only the numbers of its `speed:` line (seconds, rates) may differ
check_cmd --stdout=norm qs_evaluate_text qs-evaluate text

job_info() {
  local dir=$2 nmt=$3 last
  run_cmd "$dir" qs_model "$nmt" info "$QS_RUN/model.nmt"
  last=$(cd "$QS_RUN/checkpoints" && ls | tail -n 1)
  run_cmd "$dir" qs_checkpoint "$nmt" info "$QS_RUN/checkpoints/$last"
  run_cmd "$dir" m30k_model "$nmt" info "$M30K_RUN/model.nmt"
}
run_job info job_info
check_cmd --stdout=paths info_qs_model info qs_model
check_cmd --stdout=paths info_qs_checkpoint info qs_checkpoint
check_cmd --stdout=paths info_m30k_model info m30k_model

# ---------------------------------------------------------------- summary
mv "$WORK/results.txt.tmp" "$WORK/results.txt"
note "$n_pass passed, $n_fail failed, $((SECONDS - start)) s (results in $WORK/results.txt)"
[ "$n_fail" -eq 0 ]
