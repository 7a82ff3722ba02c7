#!/usr/bin/env bash
# peer_translation.sh — translation speed and BLEU against the PyTorch peer
# (../shared/peers/torch_rnnsearch.py), back to back on this machine: test_2016_flickr in
# batches of 64, greedy and beam 5, sentences/s and output words/s, nmt in fp32, int8,
# with its shortlist, and both.
#
#   bash bench/peer_translation.sh                 # trains both epoch-1 models first
#   NMT_MODEL=runs/x/model.nmt SKIP_PEER=1 bash bench/peer_translation.sh   # one nmt model alone
#
# The epoch-1 models: `nmt train -c configs/multi30k-en-de.ini --train.max_epochs 1
# --train.batch_tokens 2000 --train.anneal_fraction 0` (its shortlist built by the run,
# the [shortlist] defaults) and the peer's `--epochs 1`. Needs build/app/nmt, the corpus
# (bash data/prepare_multi30k.sh); the peer's Debian packages (python3-torch,
# python3-sentencepiece, libopenblas0-openmp) are installed here when Debian's python3
# lacks them. Run it alone: every figure is a ratio of two runs of this session.
# nmt runs ROUNDS times (default 3), the modes alternated, and the table gives medians
# (the machines are shared and noisy). Output words: whitespace-separated words of the
# hypotheses. Then single-sentence latency by source length for each mode
# (build/bench/bench_model, median ms).
set -euo pipefail
cd "$(dirname "$0")/.."

NMT=build/app/nmt
DATA=data/multi30k
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
SRC=$DATA/test_2016_flickr.en.gz
REF=$DATA/test_2016_flickr.de.gz
MODES=${MODES:-"fp32 int8 shortlist int8+shortlist"}
ROUNDS=${ROUNDS:-3}  # nmt's runs, the modes alternated in each; the table gives the median

echo "ein Hund ." > "$WORK/isa.de"
echo "a dog ." > "$WORK/isa.en"
isa_of() {  # oneDNN's own description of the ISA its kernels use here
  ONEDNN_VERBOSE=1 "$NMT" evaluate -m "$1" --src "$WORK/isa.en" --ref "$WORK/isa.de" 2>&1 |
    sed -n 's/.*,isa:\(.*\)$/\1/p' | head -n 1
}
echo "work: $WORK"

if [ -z "${NMT_MODEL:-}" ]; then
  "$NMT" train -c configs/multi30k-en-de.ini --train.max_epochs 1 --train.batch_tokens 2000 \
    --train.anneal_fraction 0 --train.run_dir "$WORK/nmt-epoch1" > "$WORK/nmt-train.log" 2>&1
  NMT_MODEL=$WORK/nmt-epoch1/model.nmt
fi
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, oneDNN: $(isa_of "$NMT_MODEL"); commit $(git rev-parse --short HEAD)"
"$NMT" info "$NMT_MODEL" | grep -i "shortlist" || true

results=$WORK/results.jsonl
: > "$results"
PY=/usr/bin/python3  # Debian's, where its python3-torch is
if [ -z "${SKIP_PEER:-}" ]; then
  if ! "$PY" -c "import torch, sentencepiece" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-sentencepiece libopenblas0-openmp >/dev/null
  fi
  "$PY" ../shared/peers/torch_rnnsearch.py --data "$DATA" --work "$WORK/peer" --epochs 1 > "$WORK/peer.log" 2>&1
  python3 - "$WORK/peer" "$results" <<'EOF'
import json, sys
work, out = sys.argv[1], sys.argv[2]
with open(work + "/../peer.log") as log, open(out, "a") as res:
    for line in log:
        if not line.startswith("{"): continue
        r = json.loads(line)
        if r.get("phase") != "translate": continue
        hyp = f"{work}/hyp.{r['set']}.beam{r['beam']}.de"
        words = sum(len(l.split()) for l in open(hyp, encoding="utf-8"))
        res.write(json.dumps({"system": "peer", "mode": "fp32", "beam": r["beam"], "sent_per_s": r["sent_per_s"],
                              "words_per_s": words / r["elapsed_s"], "bleu": r["bleu"]}) + "\n")
EOF
fi

# A mode's products and vocabulary: sets precision (fp32 or int8) and shortlist (true or false).
mode_settings() {
  precision=fp32; shortlist=false
  case $1 in
    int8) precision=int8 ;;
    shortlist) shortlist=true ;;
    int8+shortlist) precision=int8; shortlist=true ;;
  esac
}

for round in $(seq "$ROUNDS"); do
  for mode in $MODES; do
    mode_settings "$mode"
    flags="--precision $precision"
    if [ "$shortlist" = true ]; then flags="$flags --shortlist"; fi
    for beam in 1 5; do
      hyp=$WORK/nmt.$mode.beam$beam.de
      # shellcheck disable=SC2086
      "$NMT" evaluate -m "$NMT_MODEL" --src "$SRC" --ref "$REF" --search.beam_size $beam $flags --json -w 2 -o "$hyp" \
        > "$WORK/eval.json" 2> "$WORK/eval.err"
      python3 - "$WORK/eval.json" "$hyp" "$mode" "$beam" "$results" <<'EOF'
import json, sys
entries = json.load(open(sys.argv[1]))
by = {e["name"]: e for e in entries}
words = sum(len(l.split()) for l in open(sys.argv[2], encoding="utf-8"))
m = by["model"]
with open(sys.argv[5], "a") as res:
    res.write(json.dumps({"system": "nmt", "mode": sys.argv[3], "beam": int(sys.argv[4]),
                          "sent_per_s": m["sentences_per_s"], "words_per_s": words / m["seconds"],
                          "bleu": by["BLEU"]["score"]}) + "\n")
EOF
    done
  done
done

python3 - "$results" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
peer = {r["beam"]: r for r in rows if r["system"] == "peer"}
def median(values):
    values = sorted(values)
    return values[len(values) // 2] if len(values) % 2 else (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2
groups = {}
for r in rows:
    groups.setdefault((r["system"], r["mode"], r["beam"]), []).append(r)
print("| system | beam | sentences/s (median of runs) | output words/s | × peer (sentences, words) | BLEU | runs: sentences/s |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for (system, mode, beam), runs in groups.items():
    sent = median([r["sent_per_s"] for r in runs]); words = median([r["words_per_s"] for r in runs])
    p = peer.get(beam)
    ratio = f"{sent / p['sent_per_s']:.2f}×, {words / p['words_per_s']:.2f}×" if p and system == "nmt" else "—"
    name = "peer (PyTorch)" if system == "peer" else f"nmt {mode}"
    each = ", ".join(f"{r['sent_per_s']:.0f}" for r in runs)
    print(f"| {name} | {beam} | {sent:.1f} | {words:.0f} | {ratio} | {runs[0]['bleu']:.2f} | {each} |")
EOF

echo
echo "single-sentence latency, median ms, greedy / beam 5, by source words (bench_model):"
for mode in $MODES; do
  mode_settings "$mode"
  build/bench/bench_model --only translation --model "$NMT_MODEL" --src "$SRC" --precision $precision \
    --shortlist $shortlist > "$WORK/latency.$mode.txt"
  sed -n 's/^json: //p' "$WORK/latency.$mode.txt" | python3 -c '
import json, sys
f = json.loads(sys.stdin.read())
cells = []
for w in (5, 9, 13, 17, 21, 25):
    g, b = "latency_greedy_%d_words_ms" % w, "latency_beam5_%d_words_ms" % w
    if g in f:
        cells.append("%d words %.1f / %.1f" % (w, f[g], f[b]))
print(sys.argv[1] + ": " + "; ".join(cells))' "$mode"
done
