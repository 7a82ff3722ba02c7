// corpus_loading.cpp — configured corpus reading with logging.
#include "training/corpus_loading.hpp"

#include "training/log.hpp"

namespace nmt {

ParallelCorpus load_corpus(const DataConfig& config, const std::string& prefix,
                           const std::string& split) {
  const std::string source_path = resolve_corpus_file(prefix, config.source_lang);
  const std::string target_path = resolve_corpus_file(prefix, config.target_lang);
  CorpusReadReport report;
  ParallelCorpus corpus = read_parallel_corpus(source_path, target_path, config.read, &report);
  log::info("data", "{}: {} sentence pairs from '{}' and '{}'", split, corpus.size(), source_path,
            target_path);
  if (report.skipped() > 0) {
    log::warn("data", "{}: skipped {} of {} pairs ({} empty, {} invalid UTF-8, {} over {} bytes)",
              split, report.skipped(), report.pairs_read, report.skipped_empty,
              report.skipped_invalid_utf8, report.skipped_too_long, config.read.max_line_bytes);
    for (const auto& problem : report.problems) log::warn("data", "  {}", problem);
    if (report.skipped() > report.problems.size())
      log::warn("data", "  ... and {} more", report.skipped() - report.problems.size());
  }
  if (corpus.size() == 0)
    throw std::runtime_error(split + " corpus '" + prefix + "' has no usable sentence pairs");
  return corpus;
}

}  // namespace nmt
