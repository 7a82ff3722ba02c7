// language_pair.cpp — a model's language pair in and out of its file's metadata.
#include "formats/language_pair.hpp"

#include "formats/metadata_fields.hpp"

namespace nmt {

void write_language_pair(const LanguagePair& pair, std::map<std::string, std::string>& metadata) {
  if (pair.known()) write_fields(pair, kLanguagePairPrefix, metadata);
}

LanguagePair read_language_pair(const std::map<std::string, std::string>& metadata, const std::string& path) {
  LanguagePair pair;
  bool recorded = false;
  LanguagePair::fields(pair, [&](const FieldSpec& spec, const auto&, const auto&) {
    recorded = recorded || metadata.count(std::string(kLanguagePairPrefix) + "." + spec.key) > 0;
  });
  if (recorded) read_fields(metadata, path, kLanguagePairPrefix, pair);  // both keys, checked
  return pair;
}

}  // namespace nmt
