// bench_model.cpp — training throughput of the network against the machine's GEMM peak.
//
//   build/bench/bench_model [--threads N] [--batch-tokens N] [--iterations N] [--attention NAME]
//
// Prints, for the reference configuration of docs/model.md (E, H, D, A, O = 256, 256, 512,
// 512, 256; 8,000-piece vocabularies) on a synthetic length-bucketed batch of about
// 2,000 target tokens: forward+backward target tokens/s, achieved GFLOP/s (model FLOPs,
// see model/flops.hpp), the fp32 GEMM peak measured with oneDNN in the same run, and
// their ratio, the model-FLOP utilisation. Figures are medians over the iterations.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "model/dnnl_backend.hpp"
#include "model/flops.hpp"
#include "model/rnnsearch.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Sentences of similar length, as a length-bucketed batcher makes them (Multi30k: about
// 14 pieces per sentence on either side).
nmt::Batch synthetic_batch(int target_tokens, int vocab, std::mt19937& rng) {
  std::uniform_int_distribution<int> length(12, 16), id(4, vocab - 1);
  std::vector<std::vector<int>> sources, targets;
  int tokens = 0;
  while (tokens < target_tokens) {
    std::vector<int> s(length(rng)), t(length(rng));
    for (auto& x : s) x = id(rng);
    for (auto& x : t) x = id(rng);
    tokens += static_cast<int>(t.size()) + 1;
    sources.push_back(s);
    targets.push_back(t);
  }
  return nmt::make_batch(sources, targets);
}

// fp32 GEMM peak: the best of a few large square products through the same backend.
double gemm_peak_gflops() {
  const int n = 2048;
  std::vector<float> a(static_cast<std::size_t>(n) * n, 0.5f), b(a.size(), 0.25f), c(a.size());
  nmt::gemm_a_bt(n, n, n, a.data(), b.data(), c.data());  // create the primitive
  double best = 0;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    nmt::gemm_a_bt(n, n, n, a.data(), b.data(), c.data());
    best = std::max(best, 2.0 * n * n * n / seconds_since(start) / 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, batch_tokens = 2000, iterations = 10;
  std::string attention = "additive";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    else if (flag == "--batch-tokens") batch_tokens = std::atoi(argv[i + 1]);
    else if (flag == "--iterations") iterations = std::atoi(argv[i + 1]);
    else if (flag == "--attention") attention = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  nmt::set_num_threads(threads);
  nmt::ModelConfig config;  // the reference configuration
  if (attention == "dot") config.attention = nmt::AttentionType::dot;
  if (attention == "scaled_dot") config.attention = nmt::AttentionType::scaled_dot;
  const int vocab = 8000;
  const nmt::RnnSearch model(config, vocab, vocab);
  std::vector<float> params = model.initial_parameters(1), grads(params.size());
  std::mt19937 rng(1);
  const nmt::Batch batch = synthetic_batch(batch_tokens, vocab, rng);
  nmt::TrainingContext context;
  context.dropout = {static_cast<float>(config.dropout), 1, 0};
  context.label_smoothing = 0.1f;
  auto cache = model.make_cache();

  std::vector<double> times;
  for (int i = 0; i < iterations + 2; ++i) {
    context.dropout.step = static_cast<std::uint64_t>(i);
    const auto start = Clock::now();
    model.forward(params.data(), batch, context, *cache);
    std::fill(grads.begin(), grads.end(), 0.f);
    model.backward(params.data(), batch, context, *cache, grads.data(),
                   1.f / static_cast<float>(batch.target_tokens()));
    if (i >= 2) times.push_back(seconds_since(start));  // the first two create primitives
  }
  const double step_seconds = median(times);
  const double tokens = static_cast<double>(batch.target_tokens());
  const double gflops = nmt::model_flops(config, vocab, batch).training() / step_seconds / 1e9;
  const double peak = gemm_peak_gflops();

  std::printf("nmt model benchmark: reference configuration (E=%d H=%d D=%d A=%d O=%d V=%d, %s attention), %d threads\n",
              config.embed_dim, config.encoder_hidden, config.decoder_hidden, config.attention_dim,
              config.output_dim, vocab, attention.c_str(), threads);
  std::printf("batch: %d sentences, %zu source / %.0f target tokens (S=%d, T=%d), %zu parameters\n",
              batch.batch, batch.source_tokens(), tokens, batch.source_steps, batch.target_steps,
              model.layout().parameter_count());
  std::printf("training step (forward+backward): %.1f ms median of %d\n", step_seconds * 1e3, iterations);
  std::printf("  target tokens/s      %10.0f\n", tokens / step_seconds);
  std::printf("  achieved GFLOP/s     %10.1f   (%.1f MFLOP per target token)\n", gflops,
              nmt::model_flops(config, vocab, batch).training() / tokens / 1e6);
  std::printf("  fp32 GEMM peak       %10.1f   (oneDNN matmul 2048^3, same run)\n", peak);
  std::printf("  model-FLOP util.     %9.1f%%\n", 100 * gflops / peak);
  return 0;
}
