// bench_reduction.cpp — what the gradient reduction of data-parallel training costs:
// ProcessGroup::chain_sum (training/distributed.hpp) on buffers of 4 KiB to 64 MiB.
//
//   mpirun -np N build/bench/bench_reduction [--repeats R] [--own K] [--bytes B]
//
// Each rank sums K buffers of its own (K = train.accumulate) into the chain. Rank 0
// prints, per size, the median time of R sums and the bytes per second that makes,
// then one JSON line per size (prefix "json: "); --bytes B measures that one size (a
// model's gradient: 4 × its parameters) instead. Without mpirun the group is one
// process: the time is that of the local additions alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "model/dnnl_backend.hpp"
#include "training/distributed.hpp"

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

int int_flag(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return std::atoi(argv[i + 1]);
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int repeats = std::max(1, int_flag(argc, argv, "--repeats", 20));
  const int own = std::max(1, int_flag(argc, argv, "--own", 1));
  const std::size_t only_bytes = static_cast<std::size_t>(std::max(0, int_flag(argc, argv, "--bytes", 0)));
  const auto group = nmt::join_process_group();
  if (group->is_root())
    std::printf("chain sum over %d process%s, %d buffer%s each, median of %d\n| bytes | ms | GB/s |\n| --- | --- | --- |\n",
                group->size(), group->size() == 1 ? "" : "es", own, own == 1 ? "" : "s", repeats);
  std::vector<std::string> json;
  std::vector<std::size_t> sizes;
  for (std::size_t bytes = 4096; bytes <= (std::size_t{64} << 20); bytes *= 4) sizes.push_back(bytes);
  if (only_bytes > 0) sizes = {only_bytes};
  for (const std::size_t bytes : sizes) {
    const std::size_t n = bytes / sizeof(float);
    std::vector<std::vector<float>> buffers(static_cast<std::size_t>(own), std::vector<float>(n, 1.f));
    std::vector<const float*> pointers;
    for (const auto& b : buffers) pointers.push_back(b.data());
    std::vector<float> out(n);
    std::vector<double> times;
    for (int r = 0; r < repeats + 1; ++r) {
      char go = 1;
      group->broadcast(&go, 1);  // start together
      const auto start = std::chrono::steady_clock::now();
      group->chain_sum(pointers, out.data(), n);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (r > 0) times.push_back(seconds);  // the first warms up
    }
    const double seconds = median(times);
    if (group->is_root()) {
      std::printf("| %zu | %.3f | %.2f |\n", bytes, seconds * 1e3, static_cast<double>(bytes) / seconds / 1e9);
      json.push_back("{\"processes\": " + std::to_string(group->size()) + ", \"own\": " + std::to_string(own) +
                     ", \"bytes\": " + std::to_string(bytes) + ", \"ms\": " + std::to_string(seconds * 1e3) + "}");
    }
  }
  if (group->is_root()) std::printf("machine: oneDNN ISA %s\n", nmt::cpu_isa_name().c_str());
  for (const auto& line : json) std::printf("json: %s\n", line.c_str());
  return 0;
}
