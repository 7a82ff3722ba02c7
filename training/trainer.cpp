// trainer.cpp — the training loop of trainer.hpp.
#include "training/trainer.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <stdexcept>

#include <fmt/format.h>

#include "data/text_writer.hpp"
#include "model/dnnl_backend.hpp"
#include "training/log.hpp"
#include "training/stop_signal.hpp"

namespace nmt {
namespace {

// The configured validation metric, oriented so that higher is better.
double ranking_score(ValidMetric metric, const HeldOutScores& scores) {
  switch (metric) {
    case ValidMetric::exact_match: return scores.exact_match;
    case ValidMetric::perplexity: return -scores.perplexity;
    case ValidMetric::bleu: break;
  }
  return scores.bleu;
}

std::string describe_score(ValidMetric metric, double score) {
  switch (metric) {
    case ValidMetric::exact_match: return fmt::format("dev exact match {:.2f}%", score);
    case ValidMetric::perplexity: return fmt::format("dev perplexity {:.3f}", -score);
    case ValidMetric::bleu: break;
  }
  return fmt::format("dev BLEU {:.2f}", score);
}

}  // namespace

struct Trainer::Window {
  double loss = 0, tokens = 0, grad_norm = 0;
  std::int64_t updates = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  void reset() {
    loss = tokens = grad_norm = 0;
    updates = 0;
    start = std::chrono::steady_clock::now();
  }
};

Trainer::Trainer(TrainConfig config, SearchConfig search, LoadedModel model, TokenizedCorpus train,
                 std::optional<HeldOutSet> dev, ProcessGroup& group)
    : config_(std::move(config)),
      search_(search),
      model_(std::move(model)),
      train_(std::move(train)),
      dev_(std::move(dev)),
      adam_(model_.parameters.size(), AdamSettings{config_.beta1, config_.beta2, config_.epsilon}),
      grads_(model_.parameters.size(), 0.f),
      group_(group),
      cache_(model_.network->make_cache()),
      constant_parameters_(model_.parameters.data(), model_.parameters.size()) {
  state_.lr = config_.lr;
  state_.batches_per_update = static_cast<std::int64_t>(group_.size()) * config_.accumulate;
  validates_ = rank0s(dev_.has_value());  // rank 0 validates, for all
  if (!group_.is_root()) dev_.reset();
  if (train_.size() == 0) throw std::runtime_error("no training pairs are left after filtering");
}

void Trainer::restore(std::vector<float> first_moment, std::vector<float> second_moment,
                      const TrainingState& state) {
  if (first_moment.size() != model_.parameters.size() || second_moment.size() != model_.parameters.size())
    throw std::runtime_error("the checkpoint's optimizer state does not match its model");
  adam_.first_moment() = std::move(first_moment);
  adam_.second_moment() = std::move(second_moment);
  const std::int64_t batches_per_update = state_.batches_per_update;  // this run's, set at construction
  if (state.batches_per_update != batches_per_update)
    throw std::runtime_error(fmt::format(
        "the checkpoint's updates took {} batches each, but {} process{} × train.accumulate = {} take {}: resume "
        "with processes × train.accumulate = {} (e.g. --train.accumulate {} here) to continue the same updates",
        state.batches_per_update, group_.size(), group_.size() == 1 ? "" : "es", config_.accumulate,
        batches_per_update, state.batches_per_update,
        state.batches_per_update % group_.size() == 0 ? std::to_string(state.batches_per_update / group_.size())
                                                      : std::string("(none: change the process count)")));
  adam_.set_steps(state.adam_steps);
  state_ = state;
}

double Trainer::learning_rate() const {
  double lr = state_.lr;  // after plateau decays
  if (config_.warmup_steps > 0 && state_.step < config_.warmup_steps)
    lr *= static_cast<double>(state_.step + 1) / config_.warmup_steps;
  const double anneal_start = 1 - config_.anneal_fraction;
  if (config_.anneal_fraction > 0 && budget_used_ > anneal_start)
    lr = std::max(config_.min_lr, lr * std::max(0.0, 1 - budget_used_) / config_.anneal_fraction);
  return lr;
}

int Trainer::current_epoch() const {
  const bool between_epochs = state_.batch_in_epoch == 0 && state_.epoch > 0;  // one just ended
  return std::min(between_epochs ? state_.epoch : state_.epoch + 1, config_.max_epochs);
}

RunPosition Trainer::position(std::size_t batches_in_epoch) const {
  RunPosition position;
  position.epochs = state_.epoch + static_cast<double>(state_.batch_in_epoch) /
                                       static_cast<double>(std::max<std::size_t>(1, batches_in_epoch));
  position.steps = state_.step;
  position.seconds = elapsed();
  return position;
}

double Trainer::elapsed() const {
  return session_start_elapsed_ +
         std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start_).count();
}

std::vector<const float*> Trainer::local_gradients(const std::vector<std::vector<std::size_t>>& batches,
                                                   std::size_t first, std::size_t count, double update_tokens,
                                                   std::vector<double>& losses) {
  const RnnSearch& network = *model_.network;
  const std::size_t per_rank = static_cast<std::size_t>(config_.accumulate);
  const std::size_t mine_begin = std::min(count, per_rank * static_cast<std::size_t>(group_.rank()));
  const std::size_t mine_end = std::min(count, mine_begin + per_rank);
  losses.assign(per_rank, 0.0);
  std::vector<const float*> gradients;
  for (std::size_t j = mine_begin; j < mine_end; ++j) {
    const std::size_t local = j - mine_begin;
    std::vector<float>* buffer = &grads_;  // rank 0's first batch: straight into the update's gradient
    if (!(group_.is_root() && local == 0)) {
      if (batch_grads_.size() <= local) batch_grads_.resize(local + 1);
      buffer = &batch_grads_[local];
      buffer->resize(grads_.size());
    }
    std::fill(buffer->begin(), buffer->end(), 0.f);
    const Batch batch = gather_batch(train_, batches[first + j]);
    TrainingContext context;
    context.dropout = DropoutContext{static_cast<float>(network.config().dropout),
                                     static_cast<std::uint64_t>(config_.seed), static_cast<std::uint64_t>(state_.step),
                                     static_cast<std::uint64_t>(j)};
    context.token_dropout = static_cast<float>(config_.token_dropout);
    context.recurrent_dropout = static_cast<float>(config_.recurrent_dropout);
    context.label_smoothing = static_cast<float>(config_.label_smoothing);
    const LossSums sums = network.forward(model_.parameters.data(), batch, context, *cache_);
    losses[local] = sums.loss;
    if (std::isfinite(sums.loss))
      network.backward(model_.parameters.data(), batch, context, *cache_, buffer->data(),
                       static_cast<float>(1.0 / update_tokens));
    gradients.push_back(buffer->data());
  }
  return gradients;
}

bool Trainer::train_update(const std::vector<std::vector<std::size_t>>& batches, std::size_t first,
                           std::size_t count, Window& window) {
  double tokens = 0;
  for (std::size_t j = 0; j < count; ++j) tokens += static_cast<double>(train_.target_tokens(batches[first + j]));
  std::vector<double> losses;
  const std::vector<const float*> gradients = local_gradients(batches, first, count, tokens, losses);
  // Every batch's loss sum, in batch order, on every rank (0 past the update's end).
  const std::vector<double> all_losses = group_.gather(losses);
  double loss_sum = 0;
  for (const double l : all_losses) loss_sum += l;
  const double loss = loss_sum / tokens;
  double norm = std::numeric_limits<double>::quiet_NaN();
  if (std::isfinite(loss)) {
    group_.chain_sum(gradients, grads_.data(), grads_.size());
    norm = gradient_norm(grads_);
  }
  if (!std::isfinite(loss) || !std::isfinite(norm)) {
    ++state_.bad_updates;
    if (group_.is_root()) {
      progress_.clear();
      log::warn("train", "step {}: non-finite {} ({}); update skipped ({} of {} allowed in a row)", state_.step,
                std::isfinite(loss) ? "gradient norm" : "loss", std::isfinite(loss) ? norm : loss,
                state_.bad_updates, config_.max_bad_updates);
    }
    if (state_.bad_updates >= config_.max_bad_updates)
      throw std::runtime_error(fmt::format(
          "{} updates in a row had a non-finite loss or gradient; the run stopped at step {}. The last "
          "checkpoint in '{}/checkpoints' is intact; try a lower train.lr or train.clip_norm",
          state_.bad_updates, state_.step, config_.run_dir));
    return false;
  }
  state_.bad_updates = 0;
  if (config_.clip_norm > 0 && norm > config_.clip_norm) {
    const float scale = static_cast<float>(config_.clip_norm / norm);
    for (float& g : grads_) g *= scale;
  }
  adam_.update(model_.parameters, grads_, learning_rate());
  constant_parameters_.changed();
  ++state_.step;
  state_.adam_steps = adam_.steps();
  window.loss += loss_sum;
  window.tokens += tokens;
  window.grad_norm += norm;
  ++window.updates;
  return true;
}

void Trainer::show_progress(const Window& window, std::size_t batches_in_epoch) {
  if (!group_.is_root() || !progress_.on_terminal()) return;
  const double session_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - session_start_).count();
  const double per_batch = session_batches_ > 0 ? session_seconds / static_cast<double>(session_batches_) : 0.0;
  const TimeLeft left =
      run_time_left(config_, position(batches_in_epoch), per_batch, static_cast<double>(batches_in_epoch));
  const double percent = 100.0 * static_cast<double>(state_.batch_in_epoch) / static_cast<double>(batches_in_epoch);
  progress_.show(fmt::format("epoch {}/{} {:5.1f}% | step {} | loss {:.3f} | {:.0f} tok/s | lr {:.2e} | "
                             "elapsed {} | ETA {} ({})",
                             state_.epoch + 1, config_.max_epochs, percent, state_.step,
                             window.tokens > 0 ? window.loss / window.tokens : 0.0,
                             window.seconds() > 0 ? window.tokens / window.seconds() : 0.0, learning_rate(),
                             format_duration(elapsed()), format_duration(left.seconds), budget_key(left.budget)));
}

void Trainer::log_window(Window& window, std::size_t batches_in_epoch) {
  if (window.updates == 0) return;
  if (!group_.is_root()) return window.reset();
  MetricsRecord record;
  record.type = "train";
  record.step = state_.step;
  record.epoch = current_epoch();
  record.time = elapsed();
  record.loss = window.loss / window.tokens;
  record.lr = learning_rate();
  record.tokens_per_second = window.tokens / std::max(1e-9, window.seconds());
  record.grad_norm = window.grad_norm / static_cast<double>(window.updates);
  metrics_->add(record);
  // At a terminal the live line shows these numbers: the line goes to the log files alone.
  log::write(log::Level::info, "train",
             fmt::format("epoch {} batch {}/{} step {} | loss {:.4f} | lr {:.2e} | grad norm {:.3f} | {:.0f} tok/s | {}",
                         record.epoch, state_.batch_in_epoch, batches_in_epoch, record.step, record.loss, record.lr,
                         record.grad_norm, record.tokens_per_second, format_duration(record.time)),
             progress_.on_terminal() ? log::Destination::files : log::Destination::everywhere);
  window.reset();
}

bool Trainer::validate() {
  progress_.clear();
  const HeldOutScores scores = score_held_out(*model_.network, model_.parameters, model_.vocabularies, *dev_,
                                              search_, config_.batch_tokens);
  state_.last_validation_step = state_.step;
  const double score = ranking_score(config_.valid_metric, scores);
  const bool improved = score > state_.best_score ||
                        (score == state_.best_score && scores.perplexity < state_.best_ppl);
  std::string note;
  if (improved) {
    state_.best_score = score;
    state_.best_ppl = scores.perplexity;
    state_.best_step = state_.step;
    state_.stalled_validations = 0;
    state_.stalled_since_decay = 0;
    write_model_file(config_.run_dir + "/model.nmt", *model_.network, model_.parameters, model_.vocabularies,
                     model_.languages,
                     {{"train.step", std::to_string(state_.step)},
                      {"train.dev_bleu", fmt::format("{:.2f}", scores.bleu)},
                      {"train.dev_chrf", fmt::format("{:.2f}", scores.chrf)},
                      {"train.dev_exact_match", fmt::format("{:.2f}", scores.exact_match)},
                      {"train.dev_ppl", fmt::format("{:.3f}", scores.perplexity)}},
                     model_.shortlist);
    note = "new best, saved model.nmt";
  } else {
    ++state_.stalled_validations;
    ++state_.stalled_since_decay;
    note = fmt::format("best {} at step {}; {} without improvement",
                       describe_score(config_.valid_metric, state_.best_score), state_.best_step,
                       state_.stalled_validations);
    if (state_.stalled_since_decay >= config_.lr_patience && state_.lr > config_.min_lr) {
      state_.lr = std::max(config_.min_lr, state_.lr * config_.lr_decay);
      state_.stalled_since_decay = 0;
      note += fmt::format("; lr decayed to {:.2e}", state_.lr);
    }
  }
  const int epoch = current_epoch();
  log::info("valid", "step {} epoch {} | dev ppl {:.3f} | dev BLEU {:.2f} ({}) | dev chrF {:.2f} | exact {:.1f}% | "
            "{:.1f} s | {}",
            state_.step, epoch, scores.perplexity, scores.bleu, scores.bleu_details, scores.chrf,
            scores.exact_match, scores.seconds, note);
  write_lines_atomically(config_.run_dir + "/dev.hyp", scores.hypotheses);
  MetricsRecord record;
  record.type = "valid";
  record.step = state_.step;
  record.epoch = epoch;
  record.time = elapsed();
  record.ppl = scores.perplexity;
  record.bleu = scores.bleu;
  record.chrf = scores.chrf;
  record.exact_match = scores.exact_match;
  record.lr = learning_rate();
  metrics_->add(record);
  metrics_->plot(config_.valid_metric == ValidMetric::exact_match);
  return config_.early_stopping > 0 && state_.stalled_validations >= config_.early_stopping;
}

void Trainer::save_checkpoint(const Window& window) {
  state_.elapsed_seconds = elapsed();
  state_.window_loss = window.loss;
  state_.window_tokens = window.tokens;
  state_.window_grad_norm = window.grad_norm;
  state_.window_updates = window.updates;
  const std::string path = checkpoint_path(config_.run_dir, state_.step);
  write_checkpoint(path, *model_.network, model_.parameters, model_.vocabularies, model_.languages,
                   adam_.first_moment(), adam_.second_moment(), state_, model_.shortlist);
  prune_checkpoints(config_.run_dir, config_.keep_checkpoints);
  log::debug("train", "checkpoint {}", path);
}

void Trainer::save_checkpoint_on_root(const Window& window) {
  if (group_.is_root()) save_checkpoint(window);
}

Trainer::Window Trainer::start_session() {
  set_num_threads(config_.compute.threads);
  session_start_ = std::chrono::steady_clock::now();
  session_start_elapsed_ = state_.elapsed_seconds;
  const bool resumed = state_.step > 0 || state_.batch_in_epoch > 0 || state_.epoch > 0;
  if (group_.is_root()) metrics_ = std::make_unique<MetricsLog>(config_.run_dir, resumed ? state_.step : -1);
  log::info("train", "{} at epoch {} step {}: {} training pairs, {} target tokens per epoch, {} parameters",
            resumed ? "resuming" : "starting", state_.epoch + 1, state_.step, train_.size(),
            train_.target_tokens(), model_.network->layout().parameter_count());
  log::info("train", "compute: {} thread{} per process, oneDNN ISA {}", config_.compute.threads,
            config_.compute.threads == 1 ? "" : "s", cpu_isa_name());
  if (group_.size() > 1 || config_.accumulate > 1)
    log::info("train", "{} process{} × train.accumulate {}: {} batches of about {} target tokens per update",
              group_.size(), group_.size() == 1 ? "" : "es", config_.accumulate, state_.batches_per_update,
              config_.batch_tokens);

  Window window;
  window.loss = state_.window_loss;
  window.tokens = state_.window_tokens;
  window.grad_norm = state_.window_grad_norm;
  window.updates = state_.window_updates;
  return window;
}

bool Trainer::time_left() const { return config_.max_minutes == 0 || elapsed() < config_.max_minutes * 60; }

void Trainer::end_epoch() {
  progress_.clear();
  log::info("train", "epoch {} done at step {} ({} elapsed)", state_.epoch + 1, state_.step,
            format_duration(elapsed()));
  ++state_.epoch;
  state_.batch_in_epoch = 0;
}

void Trainer::finish_run(Window& window, std::size_t batches_in_epoch, TrainOutcome outcome) {
  if (!group_.is_root()) return;  // rank 0 validates and writes the run directory
  progress_.clear();
  log_window(window, batches_in_epoch);
  if (!time_left())
    log::info("train", "time limit of train.max_minutes = {} reached at step {}", config_.max_minutes,
              state_.step);
  if (dev_ && state_.last_validation_step != state_.step && outcome != TrainOutcome::early_stopped)
    validate();
  if (!dev_)
    write_model_file(config_.run_dir + "/model.nmt", *model_.network, model_.parameters, model_.vocabularies,
                     model_.languages, {{"train.step", std::to_string(state_.step)}}, model_.shortlist);
  save_checkpoint(window);
  log::info("train", "finished at epoch {} step {} after {}{}", current_epoch(),
            state_.step, format_duration(elapsed()),
            dev_ ? fmt::format("; the best, {} at step {}, is in {}/model.nmt",
                               describe_score(config_.valid_metric, state_.best_score), state_.best_step,
                               config_.run_dir)
                 : "");
}

TrainResult Trainer::run() {
  StopSignalScope signals;
  Window window = start_session();
  TrainResult result;
  std::vector<std::vector<std::size_t>> batches;
  int batches_epoch = -1;
  bool stop = false;
  while (!stop && state_.epoch < config_.max_epochs &&
         (config_.max_steps == 0 || state_.step < config_.max_steps) && rank0s(time_left())) {
    if (batches_epoch != state_.epoch) {
      batches = epoch_batches(train_, config_.batch_tokens, static_cast<std::uint64_t>(config_.seed), state_.epoch);
      batches_epoch = state_.epoch;
    }
    budget_used_ = rank0s(budget_share_used(config_, position(batches.size())));
    const std::size_t first = static_cast<std::size_t>(state_.batch_in_epoch);
    const std::size_t count = std::min(batches.size() - first, static_cast<std::size_t>(state_.batches_per_update));
    const bool updated = train_update(batches, first, count, window);
    state_.batch_in_epoch += static_cast<std::int64_t>(count);
    session_batches_ += static_cast<std::int64_t>(count);
    const bool epoch_end = state_.batch_in_epoch >= static_cast<std::int64_t>(batches.size());
    if (updated && state_.step % config_.log_every == 0) log_window(window, batches.size());
    if (epoch_end) log_window(window, batches.size());  // the epoch's last, shorter window
    show_progress(window, batches.size());
    const bool validate_now = validates_ && (config_.valid_every > 0
                                                 ? updated && state_.step % config_.valid_every == 0
                                                 : epoch_end);
    if (validate_now) {
      if (group_.is_root()) stop = validate();
      stop = rank0s(stop);
      state_ = rank0s(state_);  // the learning rate, best score and counters validation changed
    }
    if (epoch_end) end_epoch();
    if (stop) {
      progress_.clear();
      log::info("train", "early stopping: {} validations without improvement (best {} at step {})",
                state_.stalled_validations, describe_score(config_.valid_metric, state_.best_score),
                state_.best_step);
      result.outcome = TrainOutcome::early_stopped;
    }
    if (const int signal = rank0s(stop_signal())) {
      progress_.clear();
      save_checkpoint_on_root(window);
      log::info("train", "{} received: checkpoint written at step {}; continue with `nmt train --resume {}`",
                signal == SIGINT ? "SIGINT" : "SIGTERM", state_.step, config_.run_dir);
      result.outcome = TrainOutcome::interrupted;
      result.signal = signal;
      result.state = state_;
      return result;
    }
    if (updated && state_.step % config_.checkpoint_every == 0) save_checkpoint_on_root(window);
  }
  finish_run(window, batches.size(), result.outcome);
  result.state = state_;
  return result;
}

}  // namespace nmt
