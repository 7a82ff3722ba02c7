#!/usr/bin/env python3
"""mpi_compare.py — are two run directories the same training, byte for byte?

    python3 tests/mpi_compare.py RUN_A RUN_B

Compares model.nmt byte for byte; in the newest checkpoint of each, every tensor
(weights, Adam moments, tokenizers) byte for byte and every metadata key but the wall
time; and metrics.jsonl record by record without its timing fields (time,
tokens_per_s). Prints what differs and exits 1, or prints a summary and exits 0.
"""
import json
import os
import struct
import sys

TIMING_METADATA = {"train.elapsed_seconds", "checksum"}
TIMING_FIELDS = {"time", "tokens_per_s"}


def read_container(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    metadata = header.pop("__metadata__", {})
    tensors = {name: body[info["data_offsets"][0]:info["data_offsets"][1]] for name, info in header.items()}
    return metadata, tensors


def newest_checkpoint(run_dir):
    directory = os.path.join(run_dir, "checkpoints")
    names = sorted(n for n in os.listdir(directory) if n.endswith(".ckpt"))
    if not names:
        raise SystemExit(f"{directory}: no checkpoint")
    return os.path.join(directory, names[-1])


def metrics(run_dir):
    records = []
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            for field in TIMING_FIELDS:
                record.pop(field, None)
            records.append(record)
    return records


def main():
    a, b = sys.argv[1], sys.argv[2]
    problems = []
    with open(os.path.join(a, "model.nmt"), "rb") as fa, open(os.path.join(b, "model.nmt"), "rb") as fb:
        if fa.read() != fb.read():
            problems.append("model.nmt differs")
    ca, cb = newest_checkpoint(a), newest_checkpoint(b)
    if os.path.basename(ca) != os.path.basename(cb):
        problems.append(f"newest checkpoints differ: {ca} and {cb}")
    meta_a, tensors_a = read_container(ca)
    meta_b, tensors_b = read_container(cb)
    if set(tensors_a) != set(tensors_b):
        problems.append(f"checkpoint tensor names differ: {sorted(set(tensors_a) ^ set(tensors_b))}")
    for name in sorted(set(tensors_a) & set(tensors_b)):
        if tensors_a[name] != tensors_b[name]:
            problems.append(f"checkpoint tensor {name} differs")
    for key in sorted((set(meta_a) | set(meta_b)) - TIMING_METADATA):
        if meta_a.get(key) != meta_b.get(key):
            problems.append(f"checkpoint metadata {key}: {meta_a.get(key)} against {meta_b.get(key)}")
    ma, mb = metrics(a), metrics(b)
    if ma != mb:
        for i, (ra, rb) in enumerate(zip(ma, mb)):
            if ra != rb:
                problems.append(f"metrics.jsonl record {i + 1}: {ra} against {rb}")
                break
        if len(ma) != len(mb):
            problems.append(f"metrics.jsonl: {len(ma)} records against {len(mb)}")
    if problems:
        print(f"{a} and {b} differ:")
        for p in problems:
            print("  " + p)
        return 1
    print(f"{a} = {b}: model.nmt, {len(tensors_a)} checkpoint tensors ({os.path.basename(ca)}) and "
          f"{len(ma)} metrics records equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
