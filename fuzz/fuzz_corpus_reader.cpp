// fuzz_corpus_reader.cpp — fuzz target: corpus files, plain and gzip-compressed.
//
// The input is written as a file and read (1) as it is — fuzzed bytes that start with
// gzip's magic exercise the decompressor on corrupt streams — and (2) compressed by
// zlib, which must give the same lines as the plain read; then the pair is read as a
// parallel corpus with the skip policy. Properties: errors are std::runtime_error; the
// plain and gzip reads agree; every kept pair is non-empty, valid UTF-8 and within the
// byte limit, and every pair read is either kept or counted as skipped once.
#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/line_reader.hpp"
#include "data/parallel_corpus.hpp"
#include "data/utf8.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  nmt::LineReader reader(path);
  for (std::string line; reader.next(line);) lines.push_back(line);
  return lines;
}

void write_gzip(const std::string& path, std::string_view bytes) {
  gzFile out = gzopen(path.c_str(), "wb");
  nmt::fuzz::require(out != nullptr, "gzopen for writing");
  if (!bytes.empty()) nmt::fuzz::require(gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())) > 0, "gzwrite");
  nmt::fuzz::require(gzclose(out) == Z_OK, "gzclose");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nmt::fuzz::as_text(data, size);
  const nmt::fuzz::ScratchFile plain(".txt"), compressed(".txt.gz");
  plain.write(text);
  try {
    lines_of(plain.path());  // a corrupt gzip stream may be refused, never crash
  } catch (const std::runtime_error&) {
  }
  if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) return 0;  // the rest needs plain text
  write_gzip(compressed.path(), text);
  const std::vector<std::string> lines = lines_of(plain.path());
  nmt::fuzz::require(lines == lines_of(compressed.path()), "plain and gzip reads give the same lines");

  nmt::CorpusReadOptions options;
  options.max_line_bytes = 64;
  nmt::CorpusReadReport report;
  const nmt::ParallelCorpus corpus = nmt::read_parallel_corpus(plain.path(), compressed.path(), options, &report);
  nmt::fuzz::require(corpus.source == corpus.target, "the same file on both sides gives the same sentences");
  nmt::fuzz::require(report.pairs_read == lines.size(), "pairs_read counts every line pair");
  nmt::fuzz::require(corpus.size() + report.skipped() == report.pairs_read, "every pair is kept or skipped once");
  for (const std::string& sentence : corpus.source) {
    nmt::fuzz::require(nmt::utf8::is_valid(sentence), "kept sentences are valid UTF-8");
    nmt::fuzz::require(sentence.size() <= options.max_line_bytes, "kept sentences are within the limit");
    nmt::fuzz::require(!sentence.empty(), "kept sentences are not empty");
  }
  return 0;
}
