// search_config.hpp — typed settings of decoding (greedy or beam search).
#pragma once

#include <string>

#include "core/fields.hpp"

namespace nmt {

struct SearchConfig {
  int beam_size = 5;               // 1 = greedy
  double length_penalty = 1.0;     // alpha: hypotheses ranked by score / length^alpha
  double max_length_ratio = 1.5;   // output at most ratio * source length + max_length_extra
  int max_length_extra = 10;
  int nbest = 1;                   // hypotheses returned per sentence (<= beam_size)
  int batch_size = 64;             // sentences translated together
  bool shortlist = false;          // each sentence scores only its shortlist (decoding/shortlist.hpp)

  // Every key of [search] (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"beam_size", "beam width (1 = greedy)"}, self.beam_size, in_range(1, 256));
    visit(FieldSpec{"length_penalty", "alpha: hypotheses are ranked by score / length^alpha"},
          self.length_penalty, in_range(0.0, 10.0));
    visit(FieldSpec{"max_length_ratio", "output length limit: ratio * source length + max_length_extra"},
          self.max_length_ratio, in_range(0.1, 100.0));
    visit(FieldSpec{"max_length_extra", "see max_length_ratio"}, self.max_length_extra, in_range(0, 1000));
    visit(FieldSpec{"nbest", "hypotheses output per sentence"}, self.nbest, in_range(1, 256));
    visit(FieldSpec{"batch_size", "sentences translated together"}, self.batch_size, in_range(1, 4096));
    visit(FieldSpec{"shortlist",
                    "score only each sentence's shortlist of target pieces, not the whole vocabulary (the "
                    "model file must have one: nmt train builds it, nmt shortlist adds it)"},
          self.shortlist, any_value<bool>());
  }
  template <class Report>
  static void relations(const SearchConfig& c, Report&& report) {
    report("nbest", c.nbest > c.beam_size
                        ? "cannot exceed search.beam_size (" + std::to_string(c.beam_size) + ")"
                        : std::string());
  }
};

// The search rules, for every way in (the option schema, the prompt's commands, the
// translator): "" when `config` is a valid search, else what is wrong, naming the key —
// e.g. an n-best list longer than the beam is refused, never silently widened.
inline std::string search_problem(const SearchConfig& config) { return field_problem("search", config); }

}  // namespace nmt
