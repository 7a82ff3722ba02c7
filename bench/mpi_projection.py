#!/usr/bin/env python3
"""mpi_projection.py — projected data-parallel efficiency of `mpirun nmt train` on
more machines, from figures measured here and the cost model of the reduction nmt runs.

    python3 bench/mpi_projection.py --step-ms MS --parameters P [--latency-us A]
                                    [--add-gbps M] [--backward-share F]

The reduction is ProcessGroup::chain_sum (training/distributed.cpp): a pipelined chain
of 256 KiB chunks, rank 0 to N-1 adding, then N-1 back to 0, so on links of bandwidth B

    T(N) = 2 S / B + (N - 1) (2 (c / B + A) + c / M)        (S = 4 P bytes, c = 256 KiB)

with A the per-message latency and M the speed of the chunk additions (both estimates,
not measured here: 30 us for MPI over TCP on 10-100 GbE, 5 GB/s for one core adding
floats; the loopback figures of bench_reduction include the additions). Without
overlap an update takes step + T; with the reduction overlapped with the backward pass
(the output layer's and decoder's gradients are final first, the encoder's and the
embeddings' last) it takes step + max(T - F step, T_tail), F the backward's share of
the step and T_tail the reduction of the share of the gradient that is final only when
the backward ends. Efficiency = step / update time, for K = 1.
Prints a Markdown table.
"""
import argparse

CHUNK = 1 << 18  # bytes per message, as training/distributed.cpp sends


def reduction_seconds(machines, parameters, gbits, latency_us, add_gbps):
    if machines == 1:
        return 0.0
    size = 4.0 * parameters
    bandwidth = gbits * 1e9 / 8
    hop = 2 * (CHUNK / bandwidth + latency_us * 1e-6) + CHUNK / (add_gbps * 1e9)
    return 2 * size / bandwidth + (machines - 1) * hop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--step-ms", type=float, required=True, help="measured forward+backward+update ms per batch")
    parser.add_argument("--parameters", type=int, required=True)
    parser.add_argument("--latency-us", type=float, default=30.0)
    parser.add_argument("--add-gbps", type=float, default=5.0, help="GB/s of the chunk additions")
    parser.add_argument("--backward-share", type=float, default=0.6, help="backward's share of the step")
    parser.add_argument("--tail-share", type=float, default=0.3,
                        help="share of the parameters whose gradients are final only at the backward's end")
    args = parser.parse_args()
    step = args.step_ms / 1e3
    machines = [2, 4, 8, 16, 32, 64]
    print(f"step {args.step_ms:.0f} ms, {args.parameters:,} parameters ({4 * args.parameters / 2**20:.1f} MiB of "
          f"gradients), latency {args.latency_us:.0f} us per message (assumed), additions {args.add_gbps:.1f} GB/s; "
          f"overlap: backward {100 * args.backward_share:.0f}% of the step, {100 * args.tail_share:.0f}% of the "
          f"gradient final at its end")
    print()
    print("| network | overlap | " + " | ".join(f"{n} machines" for n in machines) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in machines) + " |")
    for gbits in (10, 25, 100):
        for overlap in (False, True):
            cells = []
            for n in machines:
                t = reduction_seconds(n, args.parameters, gbits, args.latency_us, args.add_gbps)
                tail = reduction_seconds(n, args.tail_share * args.parameters, gbits, args.latency_us, args.add_gbps)
                exposed = max(t - args.backward_share * step, tail) if overlap else t
                cells.append(f"{100 * step / (step + exposed):.0f}% ({1e3 * t:.0f} ms)")
            print(f"| {gbits} Gb/s | {'yes' if overlap else 'no'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
