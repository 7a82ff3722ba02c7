// train_config.hpp — typed settings of the [train] section: optimisation, schedule,
// validation, checkpoints and the run directory.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace nmt {

enum class Precision { fp32, bf16 };

constexpr auto enum_names(Precision) {
  return std::array<std::pair<Precision, std::string_view>, 2>{
      {{Precision::fp32, "fp32"}, {Precision::bf16, "bf16"}}};
}

// What validation ranks models by (and early stopping and lr decay watch).
enum class ValidMetric { bleu, exact_match, perplexity };

constexpr auto enum_names(ValidMetric) {
  return std::array<std::pair<ValidMetric, std::string_view>, 3>{{{ValidMetric::bleu, "bleu"},
                                                                 {ValidMetric::exact_match, "exact_match"},
                                                                 {ValidMetric::perplexity, "perplexity"}}};
}

struct TrainConfig {
  std::string run_dir = "runs/default";  // config, log, metrics, checkpoints, model
  std::int64_t seed = 1;                 // initialisation, dropout, batch order
  int threads = 2;                       // oneDNN / OpenMP threads
  Precision precision = Precision::fp32;

  int batch_tokens = 2000;     // target tokens per batch (length-bucketed)
  int max_epochs = 20;
  std::int64_t max_steps = 0;  // 0 = no limit
  double max_minutes = 0;      // wall-clock limit, training and validation (0 = none)

  double lr = 5e-4;            // Adam learning rate
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  double clip_norm = 1.0;      // global gradient-norm clip (0 = off)
  int warmup_steps = 0;        // linear learning-rate warmup
  double anneal_fraction = 0;  // last share of the budget over which lr falls linearly to min_lr
  double label_smoothing = 0.1;

  double lr_decay = 0.5;       // lr *= lr_decay when the validation metric stalls
  int lr_patience = 1;         // validations without improvement before a decay
  double min_lr = 1e-6;
  int valid_every = 0;         // steps between validations (0 = once per epoch)
  ValidMetric valid_metric = ValidMetric::bleu;
  int early_stopping = 5;      // validations without improvement before stopping (0 = off)

  int checkpoint_every = 500;  // steps between checkpoints
  int keep_checkpoints = 3;
  int log_every = 100;         // steps between log lines when not on a terminal
  int max_bad_updates = 5;     // consecutive non-finite updates before the run stops
};

}  // namespace nmt
