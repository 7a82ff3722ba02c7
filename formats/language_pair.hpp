// language_pair.hpp — the languages a model translates between, as its file records them.
//
// `nmt train` records the training config's codes in the model file and in every
// checkpoint as metadata data.source_lang and data.target_lang (the config's own key
// names); `nmt average` carries them over. A file written before these keys existed has
// neither: its pair is unknown, and it loads as before. One key without the other, or a
// code that [data] would refuse (DataConfig::language_code, the same two codes), makes the
// file corrupted, named with the key.
#pragma once

#include <map>
#include <string>

#include "core/fields.hpp"
#include "data/data_config.hpp"

namespace nmt {

struct LanguagePair {
  std::string source;  // e.g. "en"; empty with target: unknown
  std::string target;  // e.g. "de"

  bool known() const { return !source.empty() || !target.empty(); }
  // "en → de", or "languages unknown".
  std::string describe() const { return known() ? source + " → " + target : "languages unknown"; }
  bool operator==(const LanguagePair& other) const { return source == other.source && target == other.target; }
  bool operator!=(const LanguagePair& other) const { return !(*this == other); }

  // The metadata keys, data.KEY (core/fields.hpp), checked as [data] checks its codes.
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"source_lang", "source language code"}, self.source, DataConfig::language_code());
    visit(FieldSpec{"target_lang", "target language code"}, self.target, DataConfig::language_code());
  }
  template <class Report>
  static void relations(const LanguagePair& pair, Report&& report) {
    DataConfig data;
    data.source_lang = pair.source;
    data.target_lang = pair.target;
    DataConfig::relations(data, report);
  }
};

// The metadata prefix of the pair's keys: data.source_lang, data.target_lang.
inline constexpr const char* kLanguagePairPrefix = "data";

// The codes of a training config's [data] section.
inline LanguagePair language_pair_of(const DataConfig& data) { return {data.source_lang, data.target_lang}; }

// Adds data.source_lang and data.target_lang to `metadata`; nothing for an unknown pair.
void write_language_pair(const LanguagePair& pair, std::map<std::string, std::string>& metadata);

// The pair a file at `path` records, unknown when it has neither key; throws
// FileFormatError (corrupted) naming the file and the key for one key without the
// other or a code [data] would refuse.
LanguagePair read_language_pair(const std::map<std::string, std::string>& metadata, const std::string& path);

}  // namespace nmt
