// shortlist.cpp — a sentence's list and a batch's columns (see shortlist.hpp).
#include "decoding/shortlist.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>

#include "model/special_ids.hpp"

namespace nmt {
namespace {

constexpr int kSpecialIds[] = {SpecialIds::pad, SpecialIds::unk, SpecialIds::bos, SpecialIds::eos};

std::string id_problem(const char* what, std::size_t at, std::int32_t id, int target_vocab) {
  if (id >= 0 && id < target_vocab) return {};
  return std::string(what) + " entry " + std::to_string(at) + " is target id " + std::to_string(id) +
         ", outside the target vocabulary of " + std::to_string(target_vocab);
}

}  // namespace

std::string Shortlist::problem(int source_vocab, int target_vocab) const {
  if (per_source < 0) return "per_source is " + std::to_string(per_source);
  if (offsets.size() != static_cast<std::size_t>(source_vocab) + 1)
    return "offsets have " + std::to_string(offsets.size()) + " entries, the source vocabulary " +
           std::to_string(source_vocab) + " pieces (it needs one more)";
  if (offsets.front() != 0) return "offsets start at " + std::to_string(offsets.front()) + ", not 0";
  for (std::size_t s = 0; s + 1 < offsets.size(); ++s)
    if (offsets[s + 1] < offsets[s] || offsets[s + 1] - offsets[s] > per_source)
      return "offsets " + std::to_string(s) + " and " + std::to_string(s + 1) + " (" + std::to_string(offsets[s]) +
             ", " + std::to_string(offsets[s + 1]) + ") do not list 0 to per_source = " +
             std::to_string(per_source) + " pieces";
  if (static_cast<std::size_t>(offsets.back()) != targets.size())
    return "offsets end at " + std::to_string(offsets.back()) + ", the targets hold " + std::to_string(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (std::string p = id_problem("targets", i, targets[i], target_vocab); !p.empty()) return p;
  for (std::size_t i = 0; i < frequent.size(); ++i)
    if (std::string p = id_problem("frequent", i, frequent[i], target_vocab); !p.empty()) return p;
  return {};
}

std::vector<int> Shortlist::sentence_list(const std::vector<int>& source, int target_vocab) const {
  std::vector<std::uint8_t> in(static_cast<std::size_t>(target_vocab), 0);
  for (const int id : kSpecialIds)
    if (id < target_vocab) in[static_cast<std::size_t>(id)] = 1;
  for (const std::int32_t id : frequent) in[static_cast<std::size_t>(id)] = 1;
  for (const int s : source) {
    if (s < 0 || s >= source_vocab())
      throw std::invalid_argument("shortlist: source id " + std::to_string(s) + " outside the source vocabulary of " +
                                  std::to_string(source_vocab()));
    for (std::int32_t i = offsets[static_cast<std::size_t>(s)]; i < offsets[static_cast<std::size_t>(s) + 1]; ++i)
      in[static_cast<std::size_t>(targets[static_cast<std::size_t>(i)])] = 1;
  }
  std::vector<int> list;
  for (int id = 0; id < target_vocab; ++id)
    if (in[static_cast<std::size_t>(id)]) list.push_back(id);
  return list;
}

int BatchVocabulary::column_of(int id) const {
  const auto at = std::lower_bound(ids.begin(), ids.end(), id);
  if (at == ids.end() || *at != id)
    throw std::logic_error("shortlist: target id " + std::to_string(id) + " is not among the batch's columns");
  return static_cast<int>(at - ids.begin());
}

BatchVocabulary batch_vocabulary(const Shortlist& shortlist, const std::vector<std::vector<int>>& sources,
                                 int target_vocab) {
  std::vector<std::vector<int>> lists;
  std::vector<std::uint8_t> in_union(static_cast<std::size_t>(target_vocab), 0);
  for (const auto& source : sources) {
    lists.push_back(shortlist.sentence_list(source, target_vocab));
    for (const int id : lists.back()) in_union[static_cast<std::size_t>(id)] = 1;
  }
  BatchVocabulary out;
  for (int id = 0; id < target_vocab; ++id)
    if (in_union[static_cast<std::size_t>(id)]) out.ids.push_back(id);
  const int block = BatchVocabulary::kColumnBlock;
  const int padded = (out.columns() + block - 1) / block * block;
  if (padded >= target_vocab) {  // no smaller than the vocabulary: score every id
    out.ids.resize(static_cast<std::size_t>(target_vocab));
    for (int id = 0; id < target_vocab; ++id) out.ids[static_cast<std::size_t>(id)] = id;
  } else {
    out.ids.resize(static_cast<std::size_t>(padded), out.ids.back());
  }
  const std::size_t U = out.ids.size();
  out.allowed.assign(sources.size() * U, 0);
  for (std::size_t n = 0; n < lists.size(); ++n) {
    // Both ascending: one merge; a padding column repeats the last id and stays 0.
    std::size_t u = 0;
    for (const int id : lists[n]) {
      while (out.ids[u] != id) ++u;
      out.allowed[n * U + u] = 1;
      ++u;
    }
  }
  return out;
}

}  // namespace nmt
