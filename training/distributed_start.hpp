// distributed_start.hpp — what the ranks of a data-parallel run agree on before the
// first update: one model (rank 0's tokenizers, parameters and, on resume, optimizer
// state) and one run (the same config, binary, data and CPU kernels everywhere).
//
// With a group of one process every function here returns at once.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "data/parallel_corpus.hpp"
#include "formats/model_file.hpp"
#include "training/checkpoint.hpp"
#include "training/distributed.hpp"

namespace nmt {

// What must be equal on every rank, as (what, value) pairs: a difference stops the run.
struct RunFingerprint {
  std::vector<std::pair<std::string, std::string>> facts;
};

// The resolved config (its INI text), this executable's bytes, the training corpus
// (pairs and bytes) and the oneDNN ISA the GEMMs run on.
RunFingerprint fingerprint_run(const std::string& resolved_config, const ParallelCorpus& train);

// Thrown on every rank alike when the ranks do not run the same job.
class RunMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws RunMismatch, naming the first fact in which a rank differs from rank 0 and
// both values.
void check_same_run(ProcessGroup& group, const RunFingerprint& fingerprint);

// Rank 0's tokenizers and parameters, to every rank: rank 0 calls send_model (which
// returns its model), the others receive_model, with their [model] config and pair.
LoadedModel send_model(ProcessGroup& group, LoadedModel model);
LoadedModel receive_model(ProcessGroup& group, const ModelConfig& config, const LanguagePair& languages);

// Rank 0's checkpoint (optimizer moments and counters) on every rank; `resumed` is
// rank 0's answer, whether there is one.
void share_checkpoint(ProcessGroup& group, bool& resumed, std::vector<float>& first_moment,
                      std::vector<float>& second_moment, TrainingState& state);

}  // namespace nmt
