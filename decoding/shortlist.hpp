// shortlist.hpp — a lexical shortlist: for each source piece the target pieces most
// associated with it, and the most frequent target pieces, so that a search scores each
// sentence's own short list of target pieces instead of the whole vocabulary.
//
// A sentence's list is the special ids (pad, unk, bos, eos), the F frequent pieces and,
// for every piece of its source, that piece's T associated pieces. A batch of sentences
// computes the logits of the union of its sentences' lists (one product over fewer
// columns of W_z) and masks, per sentence, the columns outside its own list, so that a
// translation never depends on the other sentences of its batch. The softmax is taken
// over the sentence's list (as Marian's shortlists): scores are log-probabilities
// renormalised over the list, so a greedy pick is the full search's whenever that pick is
// inside the list.
//
// The lists are built from the training data (training/shortlist_building.hpp) and stored
// in the model file (formats/model_file.hpp); this file knows neither.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/fields.hpp"

namespace nmt {

// How a shortlist is built: the [shortlist] section of `nmt train` and `nmt shortlist`.
struct ShortlistConfig {
  int per_source = 50;  // T
  int frequent = 200;   // F

  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"per_source",
                    "T: target pieces listed per source piece, the most associated by IBM Model 1's "
                    "translation probabilities (0 = build no shortlist)"},
          self.per_source, in_range(0, 100000));
    visit(FieldSpec{"frequent", "F: the most frequent target pieces, in every sentence's list"}, self.frequent,
          in_range(0, 1000000));
  }
  template <class Report>
  static void relations(const ShortlistConfig&, Report&&) {}
};

struct Shortlist {
  int per_source = 0;                 // T it was built with
  std::vector<std::int32_t> frequent; // the F most frequent target ids, most frequent first
  // Source piece s's associated target ids: targets[offsets[s], offsets[s + 1]), most
  // associated first; offsets has source vocabulary + 1 entries.
  std::vector<std::int32_t> offsets;
  std::vector<std::int32_t> targets;

  bool empty() const { return offsets.empty(); }
  int source_vocab() const { return offsets.empty() ? 0 : static_cast<int>(offsets.size()) - 1; }
  // "" when the lists are well formed for these vocabularies, else what is wrong (for
  // a file's reader to name): offsets rising from 0 to the size of targets, every id in
  // range.
  std::string problem(int source_vocab, int target_vocab) const;
  // The target ids a sentence with these source ids may produce, ascending, no repeats.
  std::vector<int> sentence_list(const std::vector<int>& source, int target_vocab) const;

  friend bool operator==(const Shortlist& a, const Shortlist& b) {
    return a.per_source == b.per_source && a.frequent == b.frequent && a.offsets == b.offsets &&
           a.targets == b.targets;
  }
};

// The target columns a batch of sentences scores: the union of their lists, padded to a
// multiple of kColumnBlock with columns no sentence allows (so that matrix products see
// few distinct shapes), and which columns each sentence allows.
struct BatchVocabulary {
  static constexpr int kColumnBlock = 256;
  std::vector<int> ids;               // (U) target id of each column, ascending; padding repeats the last id
  std::vector<std::uint8_t> allowed;  // (sentences, U): 1 where the sentence's list holds column u
  int columns() const { return static_cast<int>(ids.size()); }
  // The column of target id `id` (which must be in the union).
  int column_of(int id) const;
};
// U is at most the target vocabulary: a union that would not be smaller after padding
// lists every id.
BatchVocabulary batch_vocabulary(const Shortlist& shortlist, const std::vector<std::vector<int>>& sources,
                                 int target_vocab);

}  // namespace nmt
