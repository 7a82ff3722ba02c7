#!/usr/bin/env bash
# prepare_multi30k.sh — puts Multi30k task 1 (raw) where configs/multi30k-*.ini expect
# it: data/multi30k/{train,val,test_2016_flickr}.{en,de,fr,cs}.gz.
#
#   bash data/prepare_multi30k.sh                 # link ../shared/data/multi30k if present, else download
#   bash data/prepare_multi30k.sh --from DIR      # link the files of a local copy
#   bash data/prepare_multi30k.sh --download      # fetch from github.com/multi30k/dataset
#
# Local copies are symlinked, never copied; data/multi30k is ignored by git. The line
# counts are checked afterwards (29000 / 1014 / 1000 per language).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target="$repo/data/multi30k"
base_url="https://github.com/multi30k/dataset/raw/master/data/task1/raw"
splits=(train val test_2016_flickr)
langs=(en de fr cs)

from=""
mode=auto
case "${1:-}" in
  --from) from="${2:?--from needs a directory}"; mode=local ;;
  --download) mode=download ;;
  "") ;;
  *) echo "usage: $0 [--from DIR | --download]" >&2; exit 2 ;;
esac
if [ "$mode" = auto ]; then
  if [ -f "$repo/../shared/data/multi30k/train.en.gz" ]; then
    from="$repo/../shared/data/multi30k"; mode=local
  else
    mode=download
  fi
fi

mkdir -p "$target"
for split in "${splits[@]}"; do
  for lang in "${langs[@]}"; do
    name="$split.$lang.gz"
    if [ "$mode" = local ]; then
      [ -f "$from/$name" ] || { echo "[data] missing $from/$name" >&2; exit 1; }
      ln -sfn "$(cd "$from" && pwd)/$name" "$target/$name"
    else
      [ -s "$target/$name" ] && continue
      echo "[data] downloading $name"
      curl -fsSL --retry 3 -o "$target/$name.part" "$base_url/$name"
      mv "$target/$name.part" "$target/$name"
    fi
  done
done

declare -A expected=([train]=29000 [val]=1014 [test_2016_flickr]=1000)
for split in "${splits[@]}"; do
  for lang in "${langs[@]}"; do
    lines=$(gzip -dc "$target/$split.$lang.gz" | wc -l)
    if [ "$lines" -ne "${expected[$split]}" ]; then
      echo "[data] $target/$split.$lang.gz has $lines lines, expected ${expected[$split]}" >&2
      exit 1
    fi
  done
done
echo "[data] Multi30k task 1 ready in $target ($mode)"
