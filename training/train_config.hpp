// train_config.hpp — typed settings of the [train] section: optimisation, schedule,
// validation, checkpoints and the run directory.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/fields.hpp"
#include "model/compute_config.hpp"

namespace nmt {

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
  ComputeConfig compute;                 // threads and matrix-product precision

  int batch_tokens = 2000;     // target tokens per batch (length-bucketed)
  int accumulate = 1;          // batches per update (per process under mpirun)
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
  double token_dropout = 0;      // whole source and target embeddings zeroed (docs/model.md)
  double recurrent_dropout = 0;  // the decoder state its products read, one mask per sentence

  double lr_decay = 0.5;       // lr *= lr_decay when the validation metric stalls
  int lr_patience = 1;         // validations without improvement before a decay
  double min_lr = 1e-6;
  int valid_every = 0;         // steps between validations (0 = once per epoch)
  ValidMetric valid_metric = ValidMetric::bleu;
  int early_stopping = 5;      // validations without improvement before stopping (0 = off)

  int checkpoint_every = 500;  // steps between checkpoints
  int keep_checkpoints = 3;
  int log_every = 100;         // steps between loss lines (train.log; stderr unless a terminal)
  int max_bad_updates = 5;     // consecutive non-finite updates before the run stops

  // Every key of [train] (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"run_dir", "run directory: config, log, metrics, checkpoints and the model file"},
          self.run_dir, not_empty());
    visit(FieldSpec{"seed", "seed of initialisation, dropout and batch order"}, self.seed,
          any_value<std::int64_t>());
    ComputeConfig::fields(self.compute, visit);  // threads, precision
    visit(FieldSpec{"batch_tokens", "target tokens per batch"}, self.batch_tokens, in_range(1, 1000000));
    visit(FieldSpec{"accumulate",
                    "batches whose gradients one update sums (under mpirun: per process, so an update "
                    "takes processes × accumulate batches)"},
          self.accumulate, in_range(1, 4096));
    visit(FieldSpec{"max_epochs", "stop after this many epochs"}, self.max_epochs, at_least(1));
    visit(FieldSpec{"max_steps", "stop after this many updates (0 = no limit)"}, self.max_steps,
          at_least<std::int64_t>(0));
    visit(FieldSpec{"max_minutes",
                    "stop after this much wall-clock time in minutes, validations included, then validate "
                    "once more (0 = no limit)"},
          self.max_minutes, at_least(0.0));
    visit(FieldSpec{"lr", "Adam learning rate"}, self.lr, in_range(1e-8, 10.0));
    visit(FieldSpec{"beta1", "Adam beta1"}, self.beta1, in_range(0.0, 0.999999));
    visit(FieldSpec{"beta2", "Adam beta2"}, self.beta2, in_range(0.0, 0.999999999));
    visit(FieldSpec{"epsilon", "Adam epsilon"}, self.epsilon, in_range(1e-12, 1.0));
    visit(FieldSpec{"clip_norm", "clip the global gradient norm to this (0 = off)"}, self.clip_norm,
          at_least(0.0));
    visit(FieldSpec{"warmup_steps", "linear learning-rate warmup steps"}, self.warmup_steps, at_least(0));
    visit(FieldSpec{"anneal_fraction",
                    "over this last share of the run's budget (max_minutes, max_steps or max_epochs, "
                    "whichever ends it first) the learning rate falls linearly to min_lr (0 = off)"},
          self.anneal_fraction, in_range(0.0, 1.0));
    visit(FieldSpec{"label_smoothing", "label smoothing epsilon"}, self.label_smoothing, in_range(0.0, 0.99));
    visit(FieldSpec{"token_dropout", "probability of zeroing a whole source or target embedding (0 = off)"},
          self.token_dropout, in_range(0.0, 0.9));
    visit(FieldSpec{"recurrent_dropout",
                    "dropout on the decoder state its products read, one mask per sentence for all steps (0 = off)"},
          self.recurrent_dropout, in_range(0.0, 0.9));
    visit(FieldSpec{"lr_decay", "learning-rate factor when the validation metric stalls"}, self.lr_decay,
          in_range(0.01, 1.0));
    visit(FieldSpec{"lr_patience", "validations without improvement before the learning rate decays"},
          self.lr_patience, at_least(1));
    visit(FieldSpec{"min_lr", "the learning rate never decays below this"}, self.min_lr, at_least(0.0));
    visit(FieldSpec{"valid_every", "steps between validations (0 = once per epoch)"}, self.valid_every,
          at_least(0));
    visit(FieldSpec{"valid_metric",
                    "dev metric that picks the best model and drives lr decay and early stopping "
                    "(BLEU and exact match of greedy translations, or teacher-forced perplexity)"},
          self.valid_metric, any_value<ValidMetric>());
    visit(FieldSpec{"early_stopping", "validations without improvement before training stops (0 = never)"},
          self.early_stopping, at_least(0));
    visit(FieldSpec{"checkpoint_every", "steps between checkpoints"}, self.checkpoint_every, at_least(1));
    visit(FieldSpec{"keep_checkpoints", "checkpoints kept in the run directory"}, self.keep_checkpoints,
          in_range(1, 1000));
    visit(FieldSpec{"log_every", "steps between loss lines in train.log, and on stderr unless it is a terminal "
                                 "(the live line shows them there)"},
          self.log_every, at_least(1));
    visit(FieldSpec{"max_bad_updates", "consecutive non-finite losses or gradients before the run stops"},
          self.max_bad_updates, at_least(1));
  }
  template <class Report>
  static void relations(const TrainConfig& c, Report&& report) {
    report("precision", c.compute.precision == Precision::int8
                            ? "int8 products are for translation only; training runs in fp32 or bf16"
                            : std::string());
  }
};

}  // namespace nmt
