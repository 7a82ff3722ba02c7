// rnnsearch.hpp — the whole network of docs/model.md: encoder, initial state, decoder
// steps, deep output and loss, with forward, backward and the search step as lists of
// layer calls. Each layer declares its own parameters into the layout and binds its own
// tensors; RnnSearch asks them in order (the order fixes the flat buffer and the
// initialisation).
//
// Gradient rule, for every backward here and in the layers: it ADDS into the gradients it
// is given, weights and data alike; callers zero the buffers first. (Two element-wise maps
// are not accumulators: cross_entropy_backward writes the gradient where it starts, and
// dropout_backward scales one in place.)
//
// Layout conventions: the encoder side is batch-major (B, S, ·); the decoder loop is
// time-major (T, B, ·) so that each step's rows are contiguous. Dense weights are stored
// (out, in); GRU weights (in, 3, out) with gates (u, r, n), as oneDNN's ldigo.
// Symbols: E embedding, H encoder hidden per direction, C = 2H, D decoder hidden,
// A attention, O deep output, In = D + C + E, V target vocabulary.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/batch.hpp"
#include "model/decoder_step.hpp"
#include "model/dropout.hpp"
#include "model/embedding.hpp"
#include "model/encoder.hpp"
#include "model/encoder_state.hpp"
#include "model/initial_state.hpp"
#include "model/loss.hpp"
#include "model/model_config.hpp"
#include "model/output_layer.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct RnnSearchTensors {
  T* embed_source = nullptr;  // (Vs, E)
  T* embed_target = nullptr;  // (Vt, E)
  std::vector<BiGruTensors<T>> encoder;
  InitialStateTensors<T> initial_state;
  DecoderStepTensors<T> decoder;  // attention and the decoder GRU
  OutputTensors<T> output;        // W_z is embed_target when tied
};

// What training needs besides the weights.
struct TrainingContext {
  DropoutContext dropout;          // rate 0 for evaluation
  float token_dropout = 0.f;       // whole source and target embeddings zeroed
  float recurrent_dropout = 0.f;   // decoder state s̃_{t−1} = s_{t−1} ⊙ m, m per sequence
  float label_smoothing = 0.f;
};

// One decoder step's results for N rows.
struct StepOutput {
  std::vector<float> state;      // (N, D) s_t
  std::vector<float> log_probs;  // (N, V), or (N, U) over a shortlist's columns
  std::vector<float> alpha;      // (N, S) attention weights
};

class RnnSearch {
 public:
  RnnSearch(const ModelConfig& config, int source_vocab, int target_vocab);
  ~RnnSearch();

  const ModelConfig& config() const { return config_; }
  const ParameterLayout& layout() const { return layout_; }
  int source_vocab() const { return source_vocab_; }
  int target_vocab() const { return target_vocab_; }
  RnnSearchTensors<const float> bind(const float* base) const;
  RnnSearchTensors<float> bind(float* base) const;
  std::vector<float> initial_parameters(std::uint64_t seed) const;

  // Everything forward leaves for backward.
  struct Cache {
    // Encoder side, batch-major.
    std::vector<float> x_source;  // (B, S, E) after dropout
    std::vector<float> x_source_mask;
    BiGruEncoder::Cache encoder;
    EncoderState memory;          // h (B, S, C), keys (B, S, K)
    std::vector<float> mean;      // (B, C)
    // Decoder loop, time-major.
    std::vector<int> target_input;  // (T, B) ids
    std::vector<float> y;           // (T, B, E) after dropout
    std::vector<float> y_mask;
    std::vector<float> states;      // (T+1, B, D): s_0 .. s_T
    std::vector<float> state_mask;  // (B, D) recurrent dropout's m, empty without it
    std::vector<float> states_read; // (T, B, D): s̃_0 .. s̃_{T−1}, empty without it
    DecoderStep::Activations steps; // T·B rows: queries, alphas, contexts, gates, hidden_n
    // Output over the N real target positions, packed.
    std::vector<int> positions;     // t·B + b
    std::vector<int> targets;       // (N)
    OutputLayer::Cache output;
    std::vector<float> probs;       // (N, V)
    std::vector<float> dlogits;     // (N, V) backward's workspace, kept for the next step
  };
  std::unique_ptr<Cache> make_cache() const;

  // Teacher-forced forward over a batch with targets: sums of the loss over real target
  // tokens (divide by batch.target_tokens() for the mean).
  LossSums forward(const float* params, const Batch& batch, const TrainingContext& context,
                   Cache& cache) const;
  // Adds scale · ∂(loss sum)/∂params to grads (call after forward with the same cache;
  // it may be called again on it: only the cache's dlogits workspace is written).
  void backward(const float* params, const Batch& batch, const TrainingContext& context,
                Cache& cache, float* grads, float scale) const;

  // Inference: encode the batch's sources, get s_0, then step.
  EncoderState encode(const float* params, const Batch& batch) const;
  std::vector<float> initial_state(const float* params, const EncoderState& encoder) const;
  // From the previous tokens (N) and states (N, D) to the next states, log-probabilities
  // over the target vocabulary and attention weights. With `columns`, the log-probabilities
  // are over its U columns only, normalised over the columns each row's sentence allows
  // (-inf elsewhere).
  StepOutput step(const float* params, const EncoderState& encoder, const std::vector<int>& tokens,
                  const std::vector<float>& state, const OutputColumns* columns = nullptr) const;
  // Keeps rows index[0], index[1], ... of an encoded batch (finished or expanded beams).
  void select_rows(EncoderState& encoder, const std::vector<int>& index) const { encoder.select_rows(index); }

 private:
  template <class T>
  RnnSearchTensors<T> bind_any(T* base) const;
  // x = dropout(Emb_s[src]) (B, S, E) into x and x_mask (element and token dropout),
  // the encoder's activations into encoder, and memory: h (B, S, C) and the keys (B, S, K).
  void encode_into(const RnnSearchTensors<const float>& w, const Batch& batch,
                   const TrainingContext& context, std::vector<float>& x, std::vector<float>& x_mask,
                   BiGruEncoder::Cache& encoder, EncoderState& memory) const;
  // cache.target_input (T, B) and y' = dropout(Emb_t[target_input]) (T, B, E).
  void embed_target_inputs(const RnnSearchTensors<const float>& w, const Batch& batch,
                           const TrainingContext& context, Cache& cache) const;
  // Loss and output layer backwards, scaled: adds ∂s_t, ∂c_t and ∂y'_{t-1} into
  // d_states (T, B, D), d_contexts (T, B, C) and d_y (T, B, E) at the real positions.
  void output_backward(const RnnSearchTensors<const float>& w, const RnnSearchTensors<float>& g,
                       const TrainingContext& context, Cache& cache, float scale, float* d_states,
                       float* d_contexts, float* d_y) const;

  ModelConfig config_;
  int source_vocab_, target_vocab_;
  int E_, C_, D_;
  EmbeddingTable source_embedding_, target_embedding_;
  BiGruEncoder encoder_;
  InitialState initial_state_;
  DecoderStep decoder_step_;
  OutputInput output_input_;  // [s_t ; c_t ; y'_{t-1}]
  OutputLayer output_;
  ParameterLayout layout_;
};

}  // namespace nmt
