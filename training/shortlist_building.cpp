// shortlist_building.cpp — IBM Model 1 by EM over the pairs of pieces that share a
// sentence, then each source piece's best target pieces (see shortlist_building.hpp).
#include "training/shortlist_building.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "model/special_ids.hpp"

namespace nmt {
namespace {

bool is_special(int id) {
  return id == SpecialIds::pad || id == SpecialIds::unk || id == SpecialIds::bos || id == SpecialIds::eos;
}

void check_ids(const std::vector<std::vector<int>>& sentences, int vocab, const char* side) {
  for (std::size_t i = 0; i < sentences.size(); ++i)
    for (const int id : sentences[i])
      if (id < 0 || id >= vocab)
        throw std::invalid_argument(std::string("shortlist: ") + side + " sentence " + std::to_string(i + 1) +
                                    " holds id " + std::to_string(id) + ", outside its vocabulary of " +
                                    std::to_string(vocab));
}

// The EM table: one entry per (source or NULL, target) pair that shares a sentence,
// sorted by key = source · V_t + target, so that each source's entries are contiguous.
struct Ibm1Table {
  std::vector<std::int64_t> keys;
  std::vector<double> t;  // t(target | source)
};

// Every sentence's (source position incl. NULL) × (target position) table entries, in
// sentence order: pair i's block is (m_i + 1) × l_i, NULL last.
std::vector<std::int32_t> entry_indices(const Ibm1Table& table, const std::vector<std::vector<int>>& sources,
                                        const std::vector<std::vector<int>>& targets, int source_vocab,
                                        int target_vocab) {
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    for (std::size_t p = 0; p <= sources[i].size(); ++p) {
      const std::int64_t f = p < sources[i].size() ? sources[i][p] : source_vocab;
      for (const int e : targets[i]) {
        const std::int64_t key = f * target_vocab + e;
        out.push_back(static_cast<std::int32_t>(std::lower_bound(table.keys.begin(), table.keys.end(), key) -
                                                table.keys.begin()));
      }
    }
  }
  return out;
}

}  // namespace

Shortlist build_shortlist(const std::vector<std::vector<int>>& sources, const std::vector<std::vector<int>>& targets,
                          int source_vocab, int target_vocab, const ShortlistConfig& config) {
  if (sources.size() != targets.size())
    throw std::invalid_argument("shortlist: " + std::to_string(sources.size()) + " source sentences, " +
                                std::to_string(targets.size()) + " target sentences");
  check_ids(sources, source_vocab, "source");
  check_ids(targets, target_vocab, "target");

  // The frequent pieces.
  std::vector<std::int64_t> counts(static_cast<std::size_t>(target_vocab), 0);
  for (const auto& sentence : targets)
    for (const int e : sentence) ++counts[static_cast<std::size_t>(e)];
  std::vector<int> by_count;
  for (int e = 0; e < target_vocab; ++e)
    if (!is_special(e) && counts[static_cast<std::size_t>(e)] > 0) by_count.push_back(e);
  std::stable_sort(by_count.begin(), by_count.end(),
                   [&](int a, int b) { return counts[static_cast<std::size_t>(a)] > counts[static_cast<std::size_t>(b)]; });
  Shortlist out;
  out.per_source = config.per_source;
  out.frequent.assign(by_count.begin(), by_count.begin() + std::min<std::ptrdiff_t>(config.frequent,
                                                                                     static_cast<std::ptrdiff_t>(by_count.size())));

  // IBM Model 1.
  Ibm1Table table;
  for (std::size_t i = 0; i < sources.size(); ++i)
    for (std::size_t p = 0; p <= sources[i].size(); ++p) {
      const std::int64_t f = p < sources[i].size() ? sources[i][p] : source_vocab;
      for (const int e : targets[i]) table.keys.push_back(f * target_vocab + e);
    }
  std::sort(table.keys.begin(), table.keys.end());
  table.keys.erase(std::unique(table.keys.begin(), table.keys.end()), table.keys.end());
  table.t.assign(table.keys.size(), 1.0);
  const std::vector<std::int32_t> index = entry_indices(table, sources, targets, source_vocab, target_vocab);
  std::vector<double> expected(table.keys.size());
  std::vector<double> total(static_cast<std::size_t>(source_vocab) + 1);
  for (int iteration = 0; iteration < kIbm1Iterations; ++iteration) {
    std::fill(expected.begin(), expected.end(), 0.0);
    std::size_t at = 0;  // pair i's block in `index`
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const std::size_t m = sources[i].size() + 1, l = targets[i].size();
      for (std::size_t j = 0; j < l; ++j) {
        double z = 0;
        for (std::size_t p = 0; p < m; ++p) z += table.t[static_cast<std::size_t>(index[at + p * l + j])];
        for (std::size_t p = 0; p < m; ++p) {
          const std::size_t k = static_cast<std::size_t>(index[at + p * l + j]);
          expected[k] += table.t[k] / z;
        }
      }
      at += m * l;
    }
    std::fill(total.begin(), total.end(), 0.0);
    for (std::size_t k = 0; k < table.keys.size(); ++k)
      total[static_cast<std::size_t>(table.keys[k] / target_vocab)] += expected[k];
    for (std::size_t k = 0; k < table.keys.size(); ++k)
      table.t[k] = expected[k] / total[static_cast<std::size_t>(table.keys[k] / target_vocab)];
  }

  // Each source piece's best target pieces.
  std::vector<std::uint8_t> left_out(static_cast<std::size_t>(target_vocab), 0);
  for (int e = 0; e < target_vocab; ++e) left_out[static_cast<std::size_t>(e)] = is_special(e) ? 1 : 0;
  for (const std::int32_t e : out.frequent) left_out[static_cast<std::size_t>(e)] = 1;
  out.offsets.push_back(0);
  std::size_t k = 0;
  for (int f = 0; f < source_vocab; ++f) {
    std::vector<std::pair<double, int>> candidates;  // (t, target)
    for (; k < table.keys.size() && table.keys[k] / target_vocab == f; ++k) {
      const int e = static_cast<int>(table.keys[k] % target_vocab);
      if (!left_out[static_cast<std::size_t>(e)]) candidates.emplace_back(table.t[k], e);
    }
    const std::size_t keep = std::min(candidates.size(), static_cast<std::size_t>(config.per_source));
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep), candidates.end(),
                      [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    for (std::size_t c = 0; c < keep; ++c) out.targets.push_back(candidates[c].second);
    out.offsets.push_back(static_cast<std::int32_t>(out.targets.size()));
  }
  return out;
}

}  // namespace nmt
