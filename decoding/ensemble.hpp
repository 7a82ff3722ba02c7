// ensemble.hpp — several networks searched as one: at each decoder step the members'
// log-probabilities are averaged with their weights, and so is their attention.
//
// A member is a network and its parameters; members share the target vocabulary (the
// caller checks that they share tokenizers) but may differ in every size and in the
// attention type. Weights are relative: each is divided by their sum, so the step's
// log-probabilities are Σ_m w_m log p_m(y | ·) with Σ w_m = 1 — the log of a weighted
// geometric mean, not renormalised (as Marian's and Nematus's ensembles), so a
// hypothesis's score is the weighted mean of the members' scores of it. The attention
// weights (N, S) are the members' averaged with the same weights: still a distribution
// over the source. One member with any weight is that network exactly (no arithmetic).
//
// With a shortlist (decoding/shortlist.hpp) a batch scores only its columns: U target ids,
// each member's rows of W_z and b_z gathered once per batch (and registered as constant
// operands, so that bf16 and int8 products apply to them as to the whole matrix), each
// row's sentence masking the columns outside its own list. The step's log-probabilities
// are then (N, U); EnsembleState maps columns to target ids.
//
// Shapes: N decoder rows, V target vocabulary, U a shortlisted batch's columns, S source
// positions, D_m member m's decoder size, O_m its deep-output size.
#pragma once

#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

#include "decoding/shortlist.hpp"
#include "model/dnnl_backend.hpp"
#include "model/encoder_state.hpp"
#include "model/rnnsearch.hpp"

namespace nmt {

// The one rule for an ensemble weight, wherever one is given (flags, Python, members):
// a positive finite number.
inline bool is_valid_ensemble_weight(double weight) { return std::isfinite(weight) && weight > 0; }

struct EnsembleMember {
  const RnnSearch* network = nullptr;
  const float* parameters = nullptr;  // network->layout()
  double weight = 1;                  // relative, > 0
};

// One member's output weights for a shortlisted batch's columns.
struct GatheredOutput {
  std::vector<float> values;  // W_z rows (U, O_m), then b_z entries (U)
  std::unique_ptr<ConstantOperands> constant;  // `values` registered while the batch lives
};

// A batch being decoded: each member's encoded source and decoder states, rows aligned.
struct EnsembleState {
  std::vector<EncoderState> encoders;      // one per member
  std::vector<std::vector<float>> states;  // one per member: (N, D_m)
  // With a shortlist: the batch's columns, each row's sentence (its row of
  // vocabulary.allowed) and each member's gathered weights; all empty without.
  BatchVocabulary vocabulary;
  std::vector<int> row_sentence;                         // (N)
  std::vector<std::unique_ptr<GatheredOutput>> outputs;  // one per member

  int rows() const { return encoders.front().rows; }
  bool shortlisted() const { return !vocabulary.ids.empty(); }
  // The width of a step's log-probabilities (V, or U), and the target id of column c and
  // the column of target id `id` (the identity without a shortlist).
  int columns(int target_vocab) const { return shortlisted() ? vocabulary.columns() : target_vocab; }
  int token_of(int column) const { return shortlisted() ? vocabulary.ids[static_cast<std::size_t>(column)] : column; }
  int column_of(int id) const { return shortlisted() ? vocabulary.column_of(id) : id; }
  // S, the padded source length, and each row's source length (the members' are equal).
  int steps() const { return encoders.front().steps; }
  const std::vector<int>& lengths() const { return encoders.front().lengths; }
};

// One step's combined results for N rows.
struct EnsembleStep {
  std::vector<float> log_probs;  // (N, V) or (N, U): Σ_m w_m log p_m
  std::vector<float> alpha;      // (N, S) Σ_m w_m α_m
};

class Ensemble {
 public:
  // Throws std::invalid_argument for no member, a null network or parameters, a weight
  // that is not a positive finite number, or target vocabularies of different sizes.
  // `shortlist`, if given, must outlive the ensemble (the first model's: members share
  // tokenizers).
  explicit Ensemble(std::vector<EnsembleMember> members, const Shortlist* shortlist = nullptr);
  // One network: the search of that network alone.
  Ensemble(const RnnSearch& network, const float* parameters, const Shortlist* shortlist = nullptr);

  std::size_t size() const { return members_.size(); }
  int target_vocab() const { return members_.front().network->target_vocab(); }
  // The normalised weights, in member order (summing to 1).
  const std::vector<float>& weights() const { return weights_; }

  bool has_shortlist() const { return shortlist_ && !shortlist_->empty(); }

  // Encodes `sources` (token ids without bos/eos, none empty) with every member and
  // gives each its s_0; with `use_shortlist`, the batch's columns and gathered weights
  // (std::invalid_argument when the ensemble has no shortlist).
  EnsembleState start(const std::vector<std::vector<int>>& sources, bool use_shortlist = false) const;
  // From the previous tokens (N) to the combined log-probabilities and attention; the
  // members' decoder states in `state` advance to s_t.
  EnsembleStep step(EnsembleState& state, const std::vector<int>& tokens) const;
  // Keeps rows index[0], index[1], ... of every member's encoder rows and states
  // (finished sentences leaving, beams expanding); repeats allowed.
  void select_rows(EnsembleState& state, const std::vector<int>& index) const;

 private:
  std::vector<EnsembleMember> members_;
  std::vector<float> weights_;
  const Shortlist* shortlist_ = nullptr;
};

// Rows index[0], index[1], ... of `rows` (row-major, `width` floats each).
std::vector<float> gather_rows(const std::vector<float>& rows, const std::vector<int>& index, int width);

}  // namespace nmt
