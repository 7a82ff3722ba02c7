// corpus_paths.cpp — corpus files checked before a command starts, with a hint for each miss.
#include "app/corpus_paths.hpp"

#include <filesystem>
#include <stdexcept>
#include <utility>

#include "data/quickstart_corpus.hpp"

namespace nmt {
namespace {

namespace fs = std::filesystem;

// Whether `path`'s last components are `tail`'s.
bool ends_with(const fs::path& path, const fs::path& tail) {
  auto p = path.end();
  for (auto t = tail.end(); t != tail.begin();) {
    if (p == path.begin() || *--p != *--t) return false;
  }
  return true;
}

// "; `nmt generate` writes it" when `prefix` (absolute) is a split of the quickstart
// corpus where `nmt generate` puts it, with --out unless that is its default from here.
std::string generate_hint(const fs::path& prefix) {
  const std::string split = prefix.filename().string();
  if (split != "train" && split != "dev" && split != "test") return "";
  const fs::path directory = prefix.parent_path();
  if (!ends_with(directory, kQuickstartCorpusDirectory)) return "";
  const bool default_out = fs::absolute(kQuickstartCorpusDirectory).lexically_normal() == directory;
  return "; the quickstart corpus is written there by `nmt generate" +
         (default_out ? std::string() : " --out " + directory.string()) + "`";
}

// Where a relative path was taken from, for a message: "" for an absolute one.
std::string base_note(const OptionSchema::PathOrigin* origin) {
  if (!origin) return "";
  return origin->from_config_file
             ? " (a relative path in a config file is taken from the file's directory, " + origin->base + ")"
             : " (a relative path on the command line is taken from the working directory, " + origin->base + ")";
}

}  // namespace

void check_corpus_paths(const OptionSchema& schema, const DataConfig& data, CorpusSplits splits) {
  const std::pair<const char*, const std::string*> corpora[] = {
      {"data.train", &data.train}, {"data.dev", &data.dev}, {"data.test", &data.test}};
  for (const auto& [key, prefix] : corpora) {
    if (prefix->empty()) continue;
    for (const std::string& lang : {data.source_lang, data.target_lang}) {
      try {
        resolve_corpus_file(*prefix, lang);
      } catch (const std::runtime_error& e) {
        const OptionSchema::PathOrigin* origin = schema.path_origin(key);
        const bool missing = !fs::exists(*prefix + "." + lang) && !fs::exists(*prefix + "." + lang + ".gz");
        throw std::runtime_error(schema.source_of(key) + ": " + key + " = " + (origin ? origin->given : *prefix) +
                                 ": " + e.what() + base_note(origin) + (missing ? generate_hint(*prefix) : ""));
      }
    }
    if (splits == CorpusSplits::train_only) break;
  }
}

}  // namespace nmt
