// data_config.hpp — typed settings of the [data] section: which corpus, which languages.
//
// A corpus is named by a prefix; the file for language L is PREFIX.L or PREFIX.L.gz
// (see resolve_corpus_file), so another language pair is a change of two codes.
#pragma once

#include <cctype>
#include <string>

#include "core/fields.hpp"

#include "data/parallel_corpus.hpp"

namespace nmt {

struct DataConfig {
  std::string source_lang;  // e.g. "en"
  std::string target_lang;  // e.g. "de"
  std::string train;        // prefix of the training corpus (required for training)
  std::string dev;          // prefix of the validation corpus ("" = none)
  std::string test;         // prefix of the test corpus ("" = none)
  int max_length = 100;     // training pairs with more subword tokens on either side are dropped
  CorpusReadOptions read;   // over-long / empty / invalid lines

  // Every key of [data] (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"source_lang", "source language code; corpus files end in .CODE or .CODE.gz", true},
          self.source_lang, language_code());
    visit(FieldSpec{"target_lang", "target language code", true}, self.target_lang, language_code());
    visit(FieldSpec{"train", "training corpus prefix: PREFIX.LANG or PREFIX.LANG.gz (a relative prefix in a config "
                             "file is taken from the file's directory)",
                    /*required=*/true, /*input_path=*/true},
          self.train, any_value<std::string>());
    visit(FieldSpec{"dev", "validation corpus prefix (empty: no validation)", false, /*input_path=*/true}, self.dev,
          any_value<std::string>());
    visit(FieldSpec{"test", "test corpus prefix: scored by `nmt train` at the end and by `nmt evaluate` (empty: none)",
                    false, /*input_path=*/true},
          self.test, any_value<std::string>());
    visit(FieldSpec{"max_length", "training pairs with more subword tokens than this on either side are dropped"},
          self.max_length, in_range(1, 1000));
    visit(FieldSpec{"max_line_bytes", "lines longer than this many bytes count as bad lines"},
          self.read.max_line_bytes, in_range<std::size_t>(16, 1 << 24));
    visit(FieldSpec{"on_bad_line", "empty, over-long or invalid-UTF-8 lines: skip the pair (with a count) or fail"},
          self.read.on_bad_line, any_value<BadLinePolicy>());
  }
  template <class Report>
  static void relations(const DataConfig& c, Report&& report) {
    report("target_lang", c.source_lang == c.target_lang
                              ? "must differ from data.source_lang (both are '" + c.source_lang + "')"
                              : std::string());
  }

  // A language code such as "en": letters, digits, '-' and '_'.
  static FieldCheck<std::string> language_code() {
    return [](const std::string& code) {
      if (code.empty()) return std::string("must not be empty");
      for (const char c : code)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
          return "must be a language code such as 'en' (letters, digits, '-' and '_'), got '" + code + "'";
      return std::string();
    };
  }
};

}  // namespace nmt
