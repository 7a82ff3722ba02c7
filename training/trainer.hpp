// trainer.hpp — the training loop: batches, Adam updates, validation, checkpoints.
//
// One Trainer runs one session of a run: fresh, or continuing a checkpoint. Every
// update takes the next processes × train.accumulate batches of the epoch's seeded
// order (fewer at the epoch's end); batch j goes to rank j / accumulate. Each batch's
// gradient is computed into a zeroed buffer, scaled by 1 / the update's target tokens
// (loss = mean over them); the update's gradient is the left-to-right sum of those in
// batch order (ProcessGroup::chain_sum), then global-norm clipping, learning rate
// (warmup, plateau decays, budget annealing), Adam — on every rank alike. Whatever one
// process decides from its own clock, signals or validation is rank 0's, broadcast, so
// ranks never diverge; only rank 0 validates and writes the run directory.
// A non-finite loss or gradient skips the update; max_bad_updates in a row end the run
// with an error and the last good checkpoint untouched. Validation (every valid_every updates, or each
// epoch) scores dev perplexity and greedy BLEU, keeps the best model in
// RUN_DIR/model.nmt, decays the learning rate on a plateau and stops early after
// `early_stopping` validations without improvement.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/dnnl_backend.hpp"
#include "formats/model_file.hpp"
#include "decoding/search_config.hpp"
#include "training/adam.hpp"
#include "training/batcher.hpp"
#include "training/checkpoint.hpp"
#include "training/distributed.hpp"
#include "training/metrics_log.hpp"
#include "training/progress.hpp"
#include "training/run_budget.hpp"
#include "training/train_config.hpp"
#include "training/validation.hpp"

namespace nmt {

enum class TrainOutcome { finished, early_stopped, interrupted };

struct TrainResult {
  TrainOutcome outcome = TrainOutcome::finished;
  int signal = 0;  // for interrupted
  TrainingState state;
};

class Trainer {
 public:
  // `model` holds the network, its (initial or restored) parameters and tokenizers;
  // `dev` may be null (no validation: model.nmt is then the last weights).
  // `group` (one process, or the ranks of an MPI job) must outlive the trainer; on
  // ranks > 0 `dev` is ignored.
  Trainer(TrainConfig config, SearchConfig search, LoadedModel model, TokenizedCorpus train,
          std::optional<HeldOutSet> dev, ProcessGroup& group);

  // Continue from a checkpoint's optimizer state and counters. Refuses a checkpoint
  // whose updates took another number of batches than processes × train.accumulate.
  void restore(std::vector<float> first_moment, std::vector<float> second_moment, const TrainingState& state);

  TrainResult run();

  const LoadedModel& model() const { return model_; }

 private:
  struct Window;  // running sums between log lines
  // Threads, clocks, the metrics file and the first log line; the log window as saved.
  Window start_session();
  bool time_left() const;
  void end_epoch();
  // The last log line, validation, model file and checkpoint of a run that ends normally.
  void finish_run(Window& window, std::size_t batches_in_epoch, TrainOutcome outcome);
  // One update over batches [first, first + count) of the epoch; false if skipped.
  bool train_update(const std::vector<std::vector<std::size_t>>& batches, std::size_t first, std::size_t count,
                    Window& window);
  // This rank's share of an update: each of its batches' gradient (into its own zeroed
  // buffer) and loss sum; `losses` gets accumulate values (0 past the update's end).
  std::vector<const float*> local_gradients(const std::vector<std::vector<std::size_t>>& batches,
                                            std::size_t first, std::size_t count, double update_tokens,
                                            std::vector<double>& losses);
  // Rank 0's value on every rank.
  template <class T>
  T rank0s(T value) {
    group_.broadcast(&value, sizeof value);
    return value;
  }
  // Returns true if training should stop early.
  bool validate();
  void save_checkpoint(const Window& window);
  void save_checkpoint_on_root(const Window& window);
  double learning_rate() const;
  double elapsed() const;
  // Where the run is (training/run_budget.hpp), for the budget spent and the time left.
  RunPosition position(std::size_t batches_in_epoch) const;
  // The epoch under way, counted from 1 (or the one that just ended, between epochs).
  int current_epoch() const;
  void log_window(Window& window, std::size_t batches_in_epoch);
  void show_progress(const Window& window, std::size_t batches_in_epoch);

  TrainConfig config_;
  SearchConfig search_;
  LoadedModel model_;
  TokenizedCorpus train_;
  std::optional<HeldOutSet> dev_;
  bool validates_ = false;  // rank 0 holds a dev set
  Adam adam_;
  std::vector<float> grads_;  // the update's gradient
  std::vector<std::vector<float>> batch_grads_;  // per batch of this rank's share (rank 0's first is grads_)
  ProcessGroup& group_;
  std::unique_ptr<RnnSearch::Cache> cache_;
  ConstantOperands constant_parameters_;  // changed() after every update
  TrainingState state_;
  std::unique_ptr<MetricsLog> metrics_;
  ProgressLine progress_;
  double session_start_elapsed_ = 0;
  double budget_used_ = 0;  // budget_share_used() before the current update
  std::int64_t session_batches_ = 0;  // batches this session, for the pace of the ETA
  std::chrono::steady_clock::time_point session_start_;
};

}  // namespace nmt
