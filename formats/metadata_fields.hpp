// metadata_fields.hpp — a struct's declared fields (core/fields.hpp) as container
// metadata: "PREFIX.KEY" = the value's text.
//
// Reading checks every value as the option schema does (type, range, cross-field
// checks), so a model file or checkpoint whose metadata is out of range is refused with
// the file and the key, before anything is allocated from it.
#pragma once

#include <map>
#include <string>

#include "core/fields.hpp"
#include "formats/safetensors.hpp"

namespace nmt {

template <class Config>
void write_fields(const Config& config, const std::string& prefix, std::map<std::string, std::string>& metadata) {
  Config::fields(config, [&](const FieldSpec& spec, const auto& member, const auto&) {
    metadata[prefix + "." + spec.key] = field_text(member);
  });
}

// Fills `config` from `metadata`, read from the file at `path`; throws FileFormatError
// (corrupted) naming the file and the key when a key is missing, unreadable or out of
// range.
template <class Config>
void read_fields(const std::map<std::string, std::string>& metadata, const std::string& path,
                 const std::string& prefix, Config& config) {
  const auto refuse = [&](const std::string& what) {
    throw FileFormatError(FileFormatError::Kind::corrupted, "'" + path + "': metadata " + what);
  };
  Config::fields(config, [&](const FieldSpec& spec, auto& member, const auto& check) {
    const std::string key = prefix + "." + spec.key;
    const auto found = metadata.find(key);
    if (found == metadata.end()) refuse("lacks the key '" + key + "'");
    const std::string& text = found->second;
    if (!parse_field_text(text, member)) refuse(key + " = '" + text + "' is not a value of its type");
    const std::string problem = check ? check(member) : std::string();
    if (!problem.empty()) refuse(key + " = " + text + ": " + problem);
  });
  const std::string problem = field_problem(prefix, config);
  if (!problem.empty()) refuse(problem);
}

}  // namespace nmt
