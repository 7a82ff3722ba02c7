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

Ensemble::Ensemble(std::vector<EnsembleMember> members, const Shortlist* shortlist)
    : members_(std::move(members)), shortlist_(shortlist) {
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

Ensemble::Ensemble(const RnnSearch& network, const float* parameters, const Shortlist* shortlist)
    : Ensemble(std::vector<EnsembleMember>{{&network, parameters, 1.0}}, shortlist) {}

namespace {

// Rows ids[0], ids[1], ... of the member's W_z and b_z, registered as constant operands.
std::unique_ptr<GatheredOutput> gathered_output(const EnsembleMember& member, const std::vector<int>& ids) {
  const OutputTensors<const float> w = member.network->bind(member.parameters).output;
  const std::size_t O = static_cast<std::size_t>(member.network->config().output_dim), U = ids.size();
  auto out = std::make_unique<GatheredOutput>();
  out->values.resize(U * O + U);
  for (std::size_t u = 0; u < U; ++u) {
    const std::size_t id = static_cast<std::size_t>(ids[u]);
    std::copy_n(w.W_z + id * O, O, out->values.data() + u * O);
    out->values[U * O + u] = w.b_z[id];
  }
  out->constant = std::make_unique<ConstantOperands>(out->values.data(), out->values.size());
  return out;
}

}  // namespace

EnsembleState Ensemble::start(const std::vector<std::vector<int>>& sources, bool use_shortlist) const {
  const Batch batch = make_batch(sources, {});
  EnsembleState state;
  for (const EnsembleMember& member : members_) {
    state.encoders.push_back(member.network->encode(member.parameters, batch));
    state.states.push_back(member.network->initial_state(member.parameters, state.encoders.back()));
  }
  if (use_shortlist) {
    if (!has_shortlist()) throw std::invalid_argument("a shortlisted search needs a model with a shortlist");
    state.vocabulary = batch_vocabulary(*shortlist_, sources, target_vocab());
    state.row_sentence.resize(sources.size());
    for (std::size_t n = 0; n < sources.size(); ++n) state.row_sentence[n] = static_cast<int>(n);
    for (const EnsembleMember& member : members_) state.outputs.push_back(gathered_output(member, state.vocabulary.ids));
  }
  return state;
}

EnsembleStep Ensemble::step(EnsembleState& state, const std::vector<int>& tokens) const {
  EnsembleStep out;
  for (std::size_t m = 0; m < members_.size(); ++m) {
    const EnsembleMember& member = members_[m];
    OutputColumns columns;
    if (state.shortlisted()) {
      const std::size_t U = state.vocabulary.ids.size();
      const std::vector<float>& values = state.outputs[m]->values;
      columns = {static_cast<int>(U), values.data(), values.data() + (values.size() - U),
                 state.vocabulary.allowed.data(), state.row_sentence.data()};
    }
    StepOutput step = member.network->step(member.parameters, state.encoders[m], tokens, state.states[m],
                                           state.shortlisted() ? &columns : nullptr);
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
  if (state.shortlisted()) {
    std::vector<int> row_sentence(index.size());
    for (std::size_t r = 0; r < index.size(); ++r) row_sentence[r] = state.row_sentence[static_cast<std::size_t>(index[r])];
    state.row_sentence = std::move(row_sentence);
  }
}

}  // namespace nmt
