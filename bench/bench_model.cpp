// bench_model.cpp — how fast nmt trains and translates, against the machine's GEMM peak.
//
//   build/bench/bench_model [--threads N] [--batch-tokens N] [--iterations N]
//                           [--attention NAME] [--hidden D] [--length L]
//                           [--model MODEL [--model MODEL2 ...] --src FILE] [--only training|translation]
//                           [--precision fp32|bf16|int8] [--shortlist true|false]
//
// Training: the reference configuration of docs/model.md (E, H, D, A, O = 256, 256, 512,
// 512, 256; 8,000-piece vocabularies; --hidden D scales D = A = D and H = D/2) on a
// synthetic length-bucketed batch of about --batch-tokens target tokens, sentences of
// L-2..L+2 pieces (Multi30k: about 14): forward+backward target tokens/s, achieved
// GFLOP/s (model FLOPs, model/flops.hpp), the fp32 GEMM peak measured with oneDNN in the
// same run, their ratio (the model-FLOP utilisation) and the peak resident memory.
// Figures are medians over the iterations.
//
// Translation, with --model and --src (e.g. the Multi30k model and test_2016_flickr.en.gz):
// the whole file in batches of 64, greedy and beam 5 (sentences/s, target tokens/s), and
// the latency of one sentence translated alone (median over the file's sentences of a
// given number of words; 13 words is the "typical sentence"). --model repeated: the
// models translate as an equal-weight ensemble (app/translator.hpp).
//
// --precision int8 is for translation alone (it needs --only translation), as in nmt.
// --shortlist true searches each sentence's shortlist (the first model's; search.shortlist).
//
// Prints a table, then everything again as one JSON line (prefix "json: ").
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/translator.hpp"
#include "data/line_reader.hpp"
#include "formats/json_number.hpp"
#include "model/dnnl_backend.hpp"
#include "model/flops.hpp"
#include "app/heap_settings.hpp"
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

double peak_resident_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
}

struct Options {
  int threads = 2, batch_tokens = 2000, iterations = 10, hidden = 512, length = 14;
  std::string attention = "additive", src;
  std::vector<std::string> models;  // --model, repeatable: one model or an ensemble
  std::string only;  // empty: both parts; "training" or "translation": that part alone
  std::string precision = "fp32";  // of every matrix product (nmt::set_gemm_precision)
  bool shortlist = false;          // translation: search.shortlist (the first model's)
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "flag %s needs a value\n", argv[i]);
      std::exit(2);
    }
    const std::string value = argv[i + 1];
    if (flag == "--threads") o.threads = std::atoi(value.c_str());
    else if (flag == "--batch-tokens") o.batch_tokens = std::atoi(value.c_str());
    else if (flag == "--iterations") o.iterations = std::atoi(value.c_str());
    else if (flag == "--hidden") o.hidden = std::atoi(value.c_str());
    else if (flag == "--length") o.length = std::atoi(value.c_str());
    else if (flag == "--attention") o.attention = value;
    else if (flag == "--model") o.models.push_back(value);
    else if (flag == "--src") o.src = value;
    else if (flag == "--only") o.only = value;
    else if (flag == "--precision") o.precision = value;
    else if (flag == "--shortlist" && (value == "true" || value == "false")) o.shortlist = value == "true";
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (o.threads < 1 || o.batch_tokens < 1 || o.iterations < 1 || o.hidden < 2 || o.length < 3 ||
      o.models.empty() != o.src.empty() || (o.only == "translation" && o.models.empty()) ||
      !(o.only.empty() || o.only == "training" || o.only == "translation") ||
      !(o.precision == "fp32" || o.precision == "bf16" || o.precision == "int8") ||
      (o.precision == "int8" && o.only != "translation")) {
    std::fprintf(stderr,
                 "bad flags: numbers must be positive (--length >= 3); --model and --src go together; "
                 "--only is training or translation (which needs --model); --precision is fp32, bf16 or int8 "
                 "(int8 with --only translation: training runs in fp32 or bf16)\n");
    std::exit(2);
  }
  return o;
}

// The Precision of a --precision name parse() accepted.
nmt::Precision precision_named(const std::string& name) {
  for (const auto& [precision, text] : enum_names(nmt::Precision{}))
    if (text == name) return precision;
  return nmt::Precision::fp32;
}

// Sentences of similar length, as a length-bucketed batcher makes them.
nmt::Batch synthetic_batch(int target_tokens, int length, int vocab, std::mt19937& rng) {
  std::uniform_int_distribution<int> sentence_length(length - 2, length + 2), id(4, vocab - 1);
  std::vector<std::vector<int>> sources, targets;
  int tokens = 0;
  while (tokens < target_tokens) {
    std::vector<int> s(sentence_length(rng)), t(sentence_length(rng));
    for (auto& x : s) x = id(rng);
    for (auto& x : t) x = id(rng);
    tokens += static_cast<int>(t.size()) + 1;
    sources.push_back(s);
    targets.push_back(t);
  }
  return nmt::make_batch(sources, targets);
}

// Figures collected for the JSON line, in print order. Measurements keep 6 significant
// digits (what `std::ostream << double` printed before); counts stay integers.
class Figures {
 public:
  void add(const std::string& key, double value) { json_[key] = nmt::rounded("{:.6g}", value); }
  void add_count(const std::string& key, long long value) { json_[key] = value; }
  std::string json() const { return json_.dump(); }

 private:
  nlohmann::ordered_json json_ = nlohmann::ordered_json::object();
};

void benchmark_training(const Options& o, Figures& figures) {
  nmt::ModelConfig config;  // the reference configuration
  if (o.attention == "dot") config.attention = nmt::AttentionType::dot;
  if (o.attention == "scaled_dot") config.attention = nmt::AttentionType::scaled_dot;
  config.decoder_hidden = o.hidden;
  config.attention_dim = o.hidden;
  config.encoder_hidden = o.hidden / 2;
  const int vocab = 8000;
  const nmt::RnnSearch model(config, vocab, vocab);
  std::vector<float> params = model.initial_parameters(1), grads(params.size());
  std::mt19937 rng(1);
  const nmt::Batch batch = synthetic_batch(o.batch_tokens, o.length, vocab, rng);
  nmt::TrainingContext context;
  context.dropout = {static_cast<float>(config.dropout), 1, 0};
  context.label_smoothing = 0.1f;
  auto cache = model.make_cache();

  // As in the trainer: the weights are constant between updates, which happen each step
  // (the bf16 copies of the weights are made once per step).
  nmt::ConstantOperands weights(params.data(), params.size());
  std::vector<double> times;
  for (int i = 0; i < o.iterations + 2; ++i) {
    context.dropout.step = static_cast<std::uint64_t>(i);
    const auto start = Clock::now();
    weights.changed();
    model.forward(params.data(), batch, context, *cache);
    std::fill(grads.begin(), grads.end(), 0.f);
    model.backward(params.data(), batch, context, *cache, grads.data(),
                   1.f / static_cast<float>(batch.target_tokens()));
    if (i >= 2) times.push_back(seconds_since(start));  // the first two create primitives
  }
  const double step_seconds = median(times);
  const double tokens = static_cast<double>(batch.target_tokens());
  const double flops = nmt::model_flops(config, vocab, batch).training();
  const double gflops = flops / step_seconds / 1e9;
  const double memory = peak_resident_mb();
  const double peak = nmt::square_gemm_gflops(2048, 5, /*bf16=*/false);
  const double bf16_peak = nmt::square_gemm_gflops(2048, 5, /*bf16=*/true);
  const bool bf16 = o.precision == "bf16";
  const double mfu = gflops / (bf16 ? bf16_peak : peak);

  std::printf("machine: oneDNN ISA %s\n", nmt::cpu_isa_name().c_str());
  std::printf("training: E=%d H=%d D=%d A=%d O=%d V=%d, %s attention, %d threads, %s products, %zu parameters\n",
              config.embed_dim, config.encoder_hidden, config.decoder_hidden, config.attention_dim,
              config.output_dim, vocab, o.attention.c_str(), o.threads, o.precision.c_str(),
              model.layout().parameter_count());
  std::printf("batch: %d sentences, %zu source / %.0f target tokens (S=%d, T=%d)\n", batch.batch,
              batch.source_tokens(), tokens, batch.source_steps, batch.target_steps);
  std::printf("  step (forward+backward)  %10.1f ms   (median of %d)\n", step_seconds * 1e3, o.iterations);
  std::printf("  target tokens/s          %10.0f\n", tokens / step_seconds);
  std::printf("  achieved GFLOP/s         %10.1f   (%.1f MFLOP per target token)\n", gflops, flops / tokens / 1e6);
  std::printf("  fp32 GEMM peak           %10.1f   (oneDNN matmul 2048^3, same run)\n", peak);
  if (bf16_peak > 0)
    std::printf("  bf16 GEMM peak           %10.1f   (bf16 operands, f32 results)\n", bf16_peak);
  else
    std::printf("  bf16 GEMM peak                  n/a   (oneDNN ISA %s has no bf16 instructions)\n",
                nmt::cpu_isa_name().c_str());
  std::printf("  model-FLOP utilisation   %9.1f%%   (against the %s peak)\n", 100 * mfu, o.precision.c_str());
  std::printf("  peak resident memory     %10.0f MB\n", memory);
  figures.add_count("threads", o.threads);
  figures.add_count("batch_target_tokens", static_cast<long long>(batch.target_tokens()));
  figures.add_count("hidden", o.hidden);
  figures.add_count("length", o.length);
  figures.add("train_step_ms", step_seconds * 1e3);
  figures.add("train_target_tokens_per_s", tokens / step_seconds);
  figures.add("train_gflops", gflops);
  figures.add("gemm_peak_gflops", peak);
  figures.add("bf16_gemm_peak_gflops", bf16_peak);
  figures.add_count("bf16", bf16 ? 1 : 0);
  figures.add("mfu", mfu);
  figures.add("train_peak_rss_mb", memory);
}

// Whitespace-separated words of a line.
int word_count(const std::string& line) {
  std::istringstream in(line);
  int n = 0;
  for (std::string word; in >> word;) ++n;
  return n;
}

void benchmark_translation(const Options& o, Figures& figures) {
  const std::vector<std::string> lines = nmt::read_lines(o.src);
  nmt::SearchConfig search;
  search.shortlist = o.shortlist;
  std::vector<nmt::EnsembleModel> models;
  for (const std::string& path : o.models) models.push_back({path, nmt::load_model_file(path), 1.0});
  nmt::Translator translator(std::move(models), search);
  std::printf("translation: %s, %zu sentences of %s, batches of %d, %d threads, %s products%s\n",
              translator.models_name().c_str(), lines.size(), o.src.c_str(), search.batch_size, o.threads,
              o.precision.c_str(), o.shortlist ? ", shortlist" : "");
  for (const int beam : {1, 5}) {
    search.beam_size = beam;
    translator.set_search(search);
    translator.translate({lines.front()});  // create the primitives
    std::size_t tokens = 0;
    const auto start = Clock::now();
    translator.translate(lines, 1, &tokens);
    const double seconds = seconds_since(start);
    const std::string name = beam == 1 ? "greedy" : "beam5";
    std::printf("  %-7s %8.1f sentences/s %9.0f target tokens/s\n", name.c_str(),
                static_cast<double>(lines.size()) / seconds, static_cast<double>(tokens) / seconds);
    figures.add(name + "_sentences_per_s", static_cast<double>(lines.size()) / seconds);
    figures.add(name + "_target_tokens_per_s", static_cast<double>(tokens) / seconds);
  }
  // One sentence at a time, by source length in words (at most 30 sentences per length).
  std::map<int, std::vector<std::string>> by_words;
  for (const auto& line : lines) {
    auto& group = by_words[word_count(line)];
    if (group.size() < 30) group.push_back(line);
  }
  std::printf("  single-sentence latency, median ms (greedy / beam 5), by source words:\n");
  for (const int words : {5, 9, 13, 17, 21, 25}) {
    const auto found = by_words.find(words);
    if (found == by_words.end()) continue;
    double medians[2];
    for (const int beam : {1, 5}) {
      search.beam_size = beam;
      translator.set_search(search);
      std::vector<double> times;
      for (const auto& line : found->second) {
        const auto start = Clock::now();
        translator.translate({line});
        times.push_back(seconds_since(start) * 1e3);
      }
      medians[beam == 5] = median(times);
    }
    std::printf("    %2d words (%2zu sentences)  %6.1f / %6.1f\n", words, found->second.size(), medians[0],
                medians[1]);
    figures.add("latency_greedy_" + std::to_string(words) + "_words_ms", medians[0]);
    figures.add("latency_beam5_" + std::to_string(words) + "_words_ms", medians[1]);
  }
  figures.add("peak_rss_mb", peak_resident_mb());
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  nmt::set_num_threads(options.threads);
  try {
    nmt::set_gemm_precision(precision_named(options.precision));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "--precision %s: %s\n", options.precision.c_str(), e.what());
    return 2;
  }
  nmt::keep_freed_memory_for_reuse();
  Figures figures;
  if (options.only != "translation") benchmark_training(options, figures);
  if (!options.models.empty() && options.only != "training") benchmark_translation(options, figures);
  std::printf("json: %s\n", figures.json().c_str());
  return 0;
}
