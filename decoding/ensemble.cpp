// ensemble.cpp — the members' steps and their weighted mean (see ensemble.hpp).
#include "decoding/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "model/batch.hpp"

namespace nmt {

std::vector<float> gather_rows(const std::vector<float>& rows, const std::vector<int>& index, int width) {
  const std::size_t W = static_cast<std::size_t>(width);
  std::vector<float> out(index.size() * W);
  for (std::size_t r = 0; r < index.size(); ++r)
    std::copy_n(rows.data() + static_cast<std::size_t>(index[r]) * W, W, out.data() + r * W);
  return out;
}

Ensemble::Ensemble(std::vector<EnsembleMember> members) : members_(std::move(members)) {
  if (members_.empty()) throw std::invalid_argument("an ensemble needs at least one member");
  double sum = 0;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const EnsembleMember& member = members_[m];
    const std::string name = "ensemble member " + std::to_string(m + 1);
    if (!member.network || !member.parameters) throw std::invalid_argument(name + ": no network or parameters");
    if (!is_valid_ensemble_weight(member.weight))
      throw std::invalid_argument(name + ": weight " + std::to_string(member.weight) +
                                  ": must be a positive number");
    if (member.network->target_vocab() != members_.front().network->target_vocab())
      throw std::invalid_argument(name + ": target vocabulary of " + std::to_string(member.network->target_vocab()) +
                                  " pieces, member 1's has " +
                                  std::to_string(members_.front().network->target_vocab()));
    sum += member.weight;
  }
  for (const EnsembleMember& member : members_) weights_.push_back(static_cast<float>(member.weight / sum));
}

Ensemble::Ensemble(const RnnSearch& network, const float* parameters)
    : Ensemble(std::vector<EnsembleMember>{{&network, parameters, 1.0}}) {}

EnsembleState Ensemble::start(const std::vector<std::vector<int>>& sources) const {
  const Batch batch = make_batch(sources, {});
  EnsembleState state;
  for (const EnsembleMember& member : members_) {
    state.encoders.push_back(member.network->encode(member.parameters, batch));
    state.states.push_back(member.network->initial_state(member.parameters, state.encoders.back()));
  }
  return state;
}

EnsembleStep Ensemble::step(EnsembleState& state, const std::vector<int>& tokens) const {
  EnsembleStep out;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const EnsembleMember& member = members_[m];
    StepOutput step = member.network->step(member.parameters, state.encoders[m], tokens, state.states[m]);
    state.states[m] = std::move(step.state);
    if (members_.size() == 1) {  // the network alone, bit for bit
      out.log_probs = std::move(step.log_probs);
      out.alpha = std::move(step.alpha);
      break;
    }
    const float w = weights_[m];
    if (m == 0) {
      out.log_probs.assign(step.log_probs.size(), 0.f);
      out.alpha.assign(step.alpha.size(), 0.f);
    }
    for (std::size_t i = 0; i < out.log_probs.size(); ++i) out.log_probs[i] += w * step.log_probs[i];
    for (std::size_t i = 0; i < out.alpha.size(); ++i) out.alpha[i] += w * step.alpha[i];
  }
  return out;
}

void Ensemble::select_rows(EnsembleState& state, const std::vector<int>& index) const {
  for (std::size_t m = 0; m < members_.size(); ++m) {
    members_[m].network->select_rows(state.encoders[m], index);
    state.states[m] = gather_rows(state.states[m], index, members_[m].network->config().decoder_hidden);
  }
}

}  // namespace nmt
