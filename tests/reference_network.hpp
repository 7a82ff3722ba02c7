// reference_network.hpp — the whole RNNsearch forward pass in plain double-precision loops,
// one sentence at a time, for tests.
//
// Written from the equations of docs/model.md (and the spec, ../shared/docs/model.md),
// not from the layers under model/: no code of theirs is called or mirrored. What it
// shares with the network is only what the documents fix:
//   - the flat parameter buffer, read through ParameterLayout::find by the documented
//     tensor names, each shape checked against the documented one;
//   - the storage conventions: dense weights (out, in) acting as W·x, GRU weights
//     (in, 3, out) with gates (u, r, n), encoder biases (4, H) = b_u, b_r, b_n, c_n,
//     decoder biases b_x (3, D) and b_h (3, D);
//   - the special ids (bos starts the decoder input, eos ends the output).
// The GRU cell is tests/reference_gru.hpp, itself a plain loop (and checked against
// oneDNN in test_gru).
//
// There is no batch and no padding here: every sum over source positions runs over the
// sentence's own length. So a padded batch in the network must reproduce these numbers
// exactly as if each sentence were alone, which is what the padding masks promise.
//
// Dropout: by default there is none (evaluation and search). A test may pass the masks
// the network drew (each element 0 or 1/(1 − p), the inverted-dropout scale), so that
// what is checked is *where* dropout is applied, not the random numbers.
//
// Symbols (docs/model.md): E embedding, H encoder hidden per direction, C = 2H, L layers,
// D decoder hidden, A attention, O deep output, In = D + C + E, Vs/Vt vocabularies,
// len the source length, n the target length (n + 1 positions with eos).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/model_config.hpp"
#include "model/parameters.hpp"
#include "model/special_ids.hpp"
#include "reference_gru.hpp"

namespace nmt::test {

// Dropout masks of one decoder step (null: none): on y' (E), on the output layer's input
// (In), on o (O).
struct ReferenceStepMasks {
  const double* target = nullptr;
  const double* output_input = nullptr;
  const double* output = nullptr;
};

class ReferenceNetwork {
 public:
  using StepMasks = ReferenceStepMasks;

  // Dropout masks of one sentence pair, as the network stored them (0 or 1/(1 − p)).
  // An empty vector means no dropout at that site.
  struct Masks {
    std::vector<double> source;        // (len, E)     on x_j = Emb_s[src_j]
    std::vector<double> target;        // (n + 1, E)   on y'_{t−1} = Emb_t[y_{t−1}]
    std::vector<double> output_input;  // (n + 1, In)  on [s_t ; c_t ; y'_{t−1}]
    std::vector<double> output;        // (n + 1, O)   on o_t
  };

  // The encoded source sentence.
  struct Memory {
    int length = 0;                           // len
    std::vector<std::vector<double>> layers;  // per layer l: h^l (len, C), row j = [→h_j ; ←h_j]
    const std::vector<double>& h() const { return layers.back(); }  // (len, C): the memory
  };

  // One decoder step t, everything it computes.
  struct Step {
    std::vector<double> y;          // (E)   y'_{t−1}, after dropout
    std::vector<double> scores;     // (len) e_tj
    std::vector<double> alpha;      // (len) α_tj
    std::vector<double> context;    // (C)   c_t
    std::vector<double> state;      // (D)   s_t
    std::vector<double> output;     // (O)   o_t (before its dropout)
    std::vector<double> logits;     // (Vt)  z_t
    std::vector<double> log_probs;  // (Vt)  log softmax(z_t)
  };

  // A teacher-forced sentence pair.
  struct Sentence {
    Memory memory;
    std::vector<double> mean;   // (C) mean_j h_j
    std::vector<double> s0;     // (D)
    std::vector<Step> steps;    // n + 1 steps, fed bos y_1 .. y_n
    std::vector<int> outputs;   // (n + 1) predicted: y_1 .. y_n eos
    double loss = 0;            // Σ_t label-smoothed loss
    double nll = 0;             // Σ_t −log p(y_t)
  };

  ReferenceNetwork(const ModelConfig& config, int source_vocab, int target_vocab,
                   const ParameterLayout& layout, const float* params)
      : attention_(config.attention),
        tied_(config.tie_embeddings),
        E_(config.embed_dim),
        H_(config.encoder_hidden),
        C_(2 * config.encoder_hidden),
        L_(config.encoder_layers),
        D_(config.decoder_hidden),
        A_(config.attention_dim),
        O_(config.output_dim),
        In_(config.decoder_hidden + 2 * config.encoder_hidden + config.embed_dim),
        Vs_(source_vocab),
        Vt_(target_vocab) {
    const auto read = [&](const std::string& name, const std::vector<int>& shape) {
      const ParameterTensor& t = layout.find(name);
      if (t.shape != shape) throw std::invalid_argument("reference: unexpected shape of " + name);
      return std::vector<double>(params + t.offset, params + t.offset + t.size);
    };
    emb_s_ = read("embed.source", {Vs_, E_});  // (Vs, E)
    emb_t_ = read("embed.target", {Vt_, E_});  // (Vt, E)
    for (int l = 0; l < L_; ++l) {
      const int I = l == 0 ? E_ : C_;  // input size of layer l
      for (const char* direction : {"fwd", "bwd"}) {
        const std::string p = "encoder." + std::to_string(l) + "." + direction + ".";
        ReferenceGru gru{I, H_, {}, {}, {}};
        gru.w_x = read(p + "w_x", {I, 3, H_});  // (I, 3, H)
        gru.w_h = read(p + "w_h", {H_, 3, H_});  // (H, 3, H)
        gru.bias = read(p + "bias", {4, H_});    // (4, H): b_u, b_r, b_n, c_n
        (direction[0] == 'f' ? forward_ : backward_).push_back(gru);
      }
    }
    init_W_ = read("decoder.init.W", {D_, C_});  // (D, C)
    init_b_ = read("decoder.init.b", {D_});      // (D)
    if (attention_ == AttentionType::additive) {
      U_a_ = read("attention.U_a", {A_, C_});  // (A, C)
      W_a_ = read("attention.W_a", {A_, D_});  // (A, D)
      b_a_ = read("attention.b_a", {A_});      // (A)
      v_a_ = read("attention.v_a", {A_});      // (A)
    } else {
      W_q_ = read("attention.W_q", {C_, D_});  // (C, D)
    }
    // The decoder GRU's input is [y' ; c] (E + C): W_y's rows then W_c's rows form its
    // (E + C, 3, D) input matrix. Its six biases fold into the reference cell's four:
    // u and r see b_x + b_h, the candidate sees b_x,n outside and b_h,n inside the reset
    // product (r ⊙ (U_n s + b_h,n)), as docs/model.md's decoder equations say.
    const std::vector<double> W_y = read("decoder.gru.W_y", {E_, 3, D_});  // (E, 3, D)
    const std::vector<double> W_c = read("decoder.gru.W_c", {C_, 3, D_});  // (C, 3, D)
    const std::vector<double> b_x = read("decoder.gru.b_x", {3, D_});      // (3, D) b_u b_r b_n
    const std::vector<double> b_h = read("decoder.gru.b_h", {3, D_});      // (3, D) c_u c_r c_n
    decoder_ = ReferenceGru{E_ + C_, D_, {}, {}, {}};
    decoder_.w_x = W_y;
    decoder_.w_x.insert(decoder_.w_x.end(), W_c.begin(), W_c.end());  // (E + C, 3, D)
    decoder_.w_h = read("decoder.gru.U", {D_, 3, D_});                 // (D, 3, D)
    decoder_.bias.assign(4 * static_cast<std::size_t>(D_), 0.0);       // (4, D)
    for (int o = 0; o < D_; ++o) {
      decoder_.bias[0 * D_ + o] = b_x[0 * D_ + o] + b_h[0 * D_ + o];  // u
      decoder_.bias[1 * D_ + o] = b_x[1 * D_ + o] + b_h[1 * D_ + o];  // r
      decoder_.bias[2 * D_ + o] = b_x[2 * D_ + o];                    // n, outside r ⊙ (·)
      decoder_.bias[3 * D_ + o] = b_h[2 * D_ + o];                    // n, inside r ⊙ (·)
    }
    W_o_ = read("output.W_o", {O_, In_});  // (O, In)
    b_o_ = read("output.b_o", {O_});       // (O)
    if (tied_) {
      if (O_ != E_) throw std::invalid_argument("reference: tied embeddings need O = E");
      for (const auto& t : layout.tensors())
        if (t.name == "output.W_z") throw std::invalid_argument("reference: tied, yet output.W_z exists");
      W_z_ = emb_t_;  // (Vt, E) = (Vt, O)
    } else {
      W_z_ = read("output.W_z", {Vt_, O_});  // (Vt, O)
    }
    b_z_ = read("output.b_z", {Vt_});  // (Vt)
  }

  int context_size() const { return C_; }
  int state_size() const { return D_; }
  int target_vocab() const { return Vt_; }

  // x_j = dropout(Emb_s[src_j]); per layer →h_j = GRU_fwd(x_j, →h_{j−1}) from →h_{−1} = 0,
  // ←h_j = GRU_bwd(x_j, ←h_{j+1}) from ←h_len = 0, h_j = [→h_j ; ←h_j]; layer l + 1 reads
  // layer l's h. source: the len ids, no bos, no eos.
  Memory encode(const std::vector<int>& source, const std::vector<double>& x_mask = {}) const {
    const int len = static_cast<int>(source.size());
    Memory m;
    m.length = len;
    std::vector<double> input(static_cast<std::size_t>(len) * E_);  // (len, E)
    for (int j = 0; j < len; ++j)
      for (int e = 0; e < E_; ++e) {
        const std::size_t i = static_cast<std::size_t>(j) * E_ + e;
        input[i] = emb_s_[static_cast<std::size_t>(source[j]) * E_ + e] * (x_mask.empty() ? 1.0 : x_mask[i]);
      }
    int I = E_;
    for (int l = 0; l < L_; ++l) {
      std::vector<double> h(static_cast<std::size_t>(len) * C_);  // (len, C)
      std::vector<double> state(H_, 0.0);                          // (H)
      for (int j = 0; j < len; ++j) {
        state = forward_[l].step(&input[static_cast<std::size_t>(j) * I], state);
        for (int k = 0; k < H_; ++k) h[static_cast<std::size_t>(j) * C_ + k] = state[k];
      }
      state.assign(H_, 0.0);
      for (int j = len - 1; j >= 0; --j) {
        state = backward_[l].step(&input[static_cast<std::size_t>(j) * I], state);
        for (int k = 0; k < H_; ++k) h[static_cast<std::size_t>(j) * C_ + H_ + k] = state[k];
      }
      m.layers.push_back(h);
      input = h;
      I = C_;
    }
    return m;
  }

  // mean = (1/len) Σ_j h_j (C); s_0 = tanh(W_init · mean + b_init) (D).
  std::vector<double> mean(const Memory& m) const {
    std::vector<double> mean(C_, 0.0);
    for (int j = 0; j < m.length; ++j)
      for (int c = 0; c < C_; ++c) mean[c] += m.h()[static_cast<std::size_t>(j) * C_ + c];
    for (auto& x : mean) x /= m.length;
    return mean;
  }
  std::vector<double> initial_state(const Memory& m) const {
    const std::vector<double> mu = mean(m);
    std::vector<double> s0(D_);
    for (int d = 0; d < D_; ++d) {
      double pre = init_b_[d];
      for (int c = 0; c < C_; ++c) pre += init_W_[static_cast<std::size_t>(d) * C_ + c] * mu[c];
      s0[d] = std::tanh(pre);
    }
    return s0;
  }

  // Decoder step t: from y_{t−1} (previous_token) and s_{t−1} (D) to s_t, α_t, c_t and
  // log p(· | y_<t, x). The query reads the previous state s_{t−1}.
  Step step(const Memory& m, int previous_token, const std::vector<double>& s_prev,
            const StepMasks& masks = {}) const {
    const int len = m.length;
    const std::vector<double>& h = m.h();  // (len, C)
    Step out;
    // y'_{t−1} = dropout(Emb_t[y_{t−1}])   (E)
    out.y.resize(E_);
    for (int e = 0; e < E_; ++e)
      out.y[e] = emb_t_[static_cast<std::size_t>(previous_token) * E_ + e] *
                 (masks.target ? masks.target[e] : 1.0);

    // Scores e_tj (len).
    out.scores.resize(len);
    if (attention_ == AttentionType::additive) {
      // e_tj = v_a · tanh(U_a h_j + W_a s_{t−1} + b_a)
      for (int j = 0; j < len; ++j) {
        double e = 0;
        for (int a = 0; a < A_; ++a) {
          double pre = b_a_[a];
          for (int d = 0; d < D_; ++d) pre += W_a_[static_cast<std::size_t>(a) * D_ + d] * s_prev[d];
          for (int c = 0; c < C_; ++c)
            pre += U_a_[static_cast<std::size_t>(a) * C_ + c] * h[static_cast<std::size_t>(j) * C_ + c];
          e += v_a_[a] * std::tanh(pre);
        }
        out.scores[j] = e;
      }
    } else {
      // e_tj = (W_q s_{t−1}) · h_j, divided by √C for scaled_dot
      const double scale = attention_ == AttentionType::scaled_dot ? 1.0 / std::sqrt(static_cast<double>(C_)) : 1.0;
      for (int j = 0; j < len; ++j) {
        double e = 0;
        for (int c = 0; c < C_; ++c) {
          double q = 0;
          for (int d = 0; d < D_; ++d) q += W_q_[static_cast<std::size_t>(c) * D_ + d] * s_prev[d];
          e += q * h[static_cast<std::size_t>(j) * C_ + c];
        }
        out.scores[j] = e * scale;
      }
    }
    // α_tj = exp(e_tj) / Σ_i exp(e_ti) over the sentence's own positions (len).
    out.alpha.resize(len);
    double total = 0;
    for (int j = 0; j < len; ++j) total += std::exp(out.scores[j]);
    for (int j = 0; j < len; ++j) out.alpha[j] = std::exp(out.scores[j]) / total;
    // c_t = Σ_j α_tj h_j   (C)
    out.context.assign(C_, 0.0);
    for (int j = 0; j < len; ++j)
      for (int c = 0; c < C_; ++c) out.context[c] += out.alpha[j] * h[static_cast<std::size_t>(j) * C_ + c];

    // s_t = GRU_dec([y'_{t−1} ; c_t], s_{t−1})   (D)
    std::vector<double> gru_input(out.y);  // (E + C)
    gru_input.insert(gru_input.end(), out.context.begin(), out.context.end());
    out.state = decoder_.step(gru_input.data(), s_prev);

    // o_t = tanh(W_o · dropout([s_t ; c_t ; y'_{t−1}]) + b_o)   (O)
    std::vector<double> t_in(out.state);  // (In)
    t_in.insert(t_in.end(), out.context.begin(), out.context.end());
    t_in.insert(t_in.end(), out.y.begin(), out.y.end());
    if (masks.output_input)
      for (int i = 0; i < In_; ++i) t_in[i] *= masks.output_input[i];
    out.output.resize(O_);
    for (int o = 0; o < O_; ++o) {
      double pre = b_o_[o];
      for (int i = 0; i < In_; ++i) pre += W_o_[static_cast<std::size_t>(o) * In_ + i] * t_in[i];
      out.output[o] = std::tanh(pre);
    }
    // z_t = W_z · dropout(o_t) + b_z   (Vt), then log softmax.
    out.logits.resize(Vt_);
    for (int v = 0; v < Vt_; ++v) {
      double z = b_z_[v];
      for (int o = 0; o < O_; ++o)
        z += W_z_[static_cast<std::size_t>(v) * O_ + o] * out.output[o] * (masks.output ? masks.output[o] : 1.0);
      out.logits[v] = z;
    }
    double partition = 0;
    for (int v = 0; v < Vt_; ++v) partition += std::exp(out.logits[v]);
    out.log_probs.resize(Vt_);
    for (int v = 0; v < Vt_; ++v) out.log_probs[v] = out.logits[v] - std::log(partition);
    return out;
  }

  // loss_t = (1 − ε)·(−log p_y) + ε·(−(1/Vt) Σ_v log p_v); nll_t = −log p_y.
  double smoothed_loss(const std::vector<double>& log_probs, int y, double smoothing) const {
    double mean = 0;
    for (int v = 0; v < Vt_; ++v) mean += log_probs[v];
    mean /= Vt_;
    return (1 - smoothing) * -log_probs[y] + smoothing * -mean;
  }

  // The pair (source: len ids; target: n ids, no bos/eos), fed bos y_1 .. y_n and scored
  // on y_1 .. y_n eos: n + 1 steps, the loss summed over them.
  Sentence teacher_forced(const std::vector<int>& source, const std::vector<int>& target, double smoothing,
                          const Masks& masks = {}) const {
    Sentence out;
    out.memory = encode(source, masks.source);
    out.mean = mean(out.memory);
    out.s0 = initial_state(out.memory);
    std::vector<int> inputs{SpecialIds::bos};
    inputs.insert(inputs.end(), target.begin(), target.end());
    out.outputs = target;
    out.outputs.push_back(SpecialIds::eos);
    std::vector<double> state = out.s0;
    for (std::size_t t = 0; t < inputs.size(); ++t) {
      StepMasks step_masks;
      if (!masks.target.empty()) step_masks.target = &masks.target[t * E_];
      if (!masks.output_input.empty()) step_masks.output_input = &masks.output_input[t * In_];
      if (!masks.output.empty()) step_masks.output = &masks.output[t * O_];
      out.steps.push_back(step(out.memory, inputs[t], state, step_masks));
      state = out.steps.back().state;
      out.loss += smoothed_loss(out.steps.back().log_probs, out.outputs[t], smoothing);
      out.nll += -out.steps.back().log_probs[out.outputs[t]];
    }
    return out;
  }

 private:
  AttentionType attention_;
  bool tied_;
  int E_, H_, C_, L_, D_, A_, O_, In_, Vs_, Vt_;
  std::vector<double> emb_s_;                     // (Vs, E)
  std::vector<double> emb_t_;                     // (Vt, E)
  std::vector<ReferenceGru> forward_, backward_;  // per layer: w_x (I_l, 3, H), w_h (H, 3, H), bias (4, H)
  std::vector<double> init_W_;                    // (D, C)
  std::vector<double> init_b_;                    // (D)
  std::vector<double> U_a_;                       // (A, C)  additive
  std::vector<double> W_a_;                       // (A, D)  additive
  std::vector<double> b_a_;                       // (A)     additive
  std::vector<double> v_a_;                       // (A)     additive
  std::vector<double> W_q_;                       // (C, D)  dot, scaled_dot
  ReferenceGru decoder_;                          // w_x (E + C, 3, D), w_h (D, 3, D), bias (4, D)
  std::vector<double> W_o_;                       // (O, In)
  std::vector<double> b_o_;                       // (O)
  std::vector<double> W_z_;                       // (Vt, O): output.W_z, or embed.target when tied
  std::vector<double> b_z_;                       // (Vt)
};

}  // namespace nmt::test
