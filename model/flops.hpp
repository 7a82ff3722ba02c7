// flops.hpp — the model's floating-point work for a batch (docs/model.md, "Cost").
//
// Counts the multiply-adds of the real (unpadded) tokens, times two for FLOPs; a
// training step (forward + backward) is three times the forward. Element-wise work
// (activations, softmax) is left out, as in the cost table.
#pragma once

#include "model/batch.hpp"
#include "model/model_config.hpp"

namespace nmt {

struct FlopCount {
  double forward = 0;                                // FLOPs of one forward pass
  double training() const { return 3 * forward; }    // forward + backward
};

FlopCount model_flops(const ModelConfig& config, int target_vocab, const Batch& batch);

}  // namespace nmt
