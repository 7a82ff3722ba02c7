// distributed_start.cpp — rank 0's model and checkpoint broadcast, and the check that
// every rank runs the same job (distributed_start.hpp).
#include "training/distributed_start.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "model/dnnl_backend.hpp"

namespace nmt {
namespace {

// FNV-1a, 64 bits: enough to tell two files apart, and the same on every machine.
std::string fnv1a_hex(const std::string& bytes) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return fmt::format("{:016x}", hash);
}

std::string executable_bytes() {
  std::ifstream in("/proc/self/exe", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::size_t total_bytes(const std::vector<std::string>& lines) {
  std::size_t bytes = 0;
  for (const auto& line : lines) bytes += line.size();
  return bytes;
}

// One line per fact: "what\tvalue\n".
std::string fingerprint_text(const RunFingerprint& fingerprint) {
  std::string text;
  for (const auto& [what, value] : fingerprint.facts) text += what + "\t" + value + "\n";
  return text;
}

std::vector<std::pair<std::string, std::string>> fingerprint_facts(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> facts;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    const std::size_t tab = line.find('\t');
    facts.emplace_back(line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return facts;
}

}  // namespace

RunFingerprint fingerprint_run(const std::string& resolved_config, const ParallelCorpus& train) {
  RunFingerprint fingerprint;
  fingerprint.facts = {
      {"the resolved config (hash of its INI text)", fnv1a_hex(resolved_config)},
      {"the nmt executable (hash of its bytes)", fnv1a_hex(executable_bytes())},
      {"the training corpus",
       fmt::format("{} pairs, {} source and {} target bytes", train.size(), total_bytes(train.source),
                   total_bytes(train.target))},
      {"the oneDNN ISA", cpu_isa_name()},
  };
  return fingerprint;
}

void check_same_run(ProcessGroup& group, const RunFingerprint& fingerprint) {
  if (group.size() == 1) return;
  const std::vector<std::string> all = group.gather(fingerprint_text(fingerprint));
  const auto reference = fingerprint_facts(all[0]);
  for (std::size_t rank = 1; rank < all.size(); ++rank) {
    const auto facts = fingerprint_facts(all[rank]);
    for (std::size_t i = 0; i < reference.size(); ++i) {
      const std::string theirs = i < facts.size() ? facts[i].second : "(missing)";
      if (theirs != reference[i].second)
        throw RunMismatch(fmt::format(
            "the ranks do not run the same job: rank {} differs from rank 0 in {}: '{}' against '{}' on rank 0 "
            "(start every rank with the same config, nmt build, data and CPU kind)",
            rank, reference[i].first, theirs, reference[i].second));
    }
  }
}

LoadedModel send_model(ProcessGroup& group, LoadedModel model) {
  if (group.size() == 1) return model;
  std::string source = model.vocabularies.source.serialized();
  std::string target = model.vocabularies.target.serialized();
  group.broadcast(source);
  group.broadcast(target);
  group.broadcast(model.parameters);
  return model;
}

LoadedModel receive_model(ProcessGroup& group, const ModelConfig& config, const LanguagePair& languages) {
  std::string source, target;
  std::vector<float> parameters;
  group.broadcast(source);
  group.broadcast(target);
  group.broadcast(parameters);
  Vocabularies vocabularies{SentencePieceModel::from_serialized(std::move(source)),
                            SentencePieceModel::from_serialized(std::move(target))};
  auto network = std::make_unique<RnnSearch>(config, vocabularies.source.vocab_size(),
                                             vocabularies.target.vocab_size());
  if (parameters.size() != network->layout().total_size())
    throw std::runtime_error(fmt::format(
        "rank 0 sent {} parameters, but this rank's [model] config makes a network of {}: the ranks' configs differ",
        parameters.size(), network->layout().total_size()));
  return LoadedModel{config, std::move(vocabularies), std::move(network), std::move(parameters), {}, languages, {}};
}

void share_checkpoint(ProcessGroup& group, bool& resumed, std::vector<float>& first_moment,
                      std::vector<float>& second_moment, TrainingState& state) {
  if (group.size() == 1) return;
  static_assert(std::is_trivially_copyable_v<TrainingState>, "TrainingState is broadcast as bytes");
  char flag = resumed ? 1 : 0;
  group.broadcast(&flag, 1);
  resumed = flag != 0;
  if (!resumed) return;
  group.broadcast(first_moment);
  group.broadcast(second_moment);
  group.broadcast(&state, sizeof state);
}

}  // namespace nmt
