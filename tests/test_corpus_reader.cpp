// test_corpus_reader.cpp — the parallel-text reader on good and bad files.
#include <gtest/gtest.h>
#include <zlib.h>

#include "data/line_reader.hpp"
#include "data/parallel_corpus.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

using test::TempDir;
using test::write_text;

void write_gzip(const std::string& path, const std::string& content) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(gzwrite(file, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  gzclose(file);
}

// Expects `call` to throw std::runtime_error whose message contains every fragment.
template <class F>
void expect_error_mentions(F call, std::initializer_list<std::string> fragments) {
  try {
    call();
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    for (const auto& fragment : fragments)
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
          << "message: " << e.what() << "\nmissing: " << fragment;
  }
}

TEST(LineReader, ReadsPlainAndGzipAlike) {
  TempDir dir;
  const std::string text = "erste Zeile\r\nzweite\n\nvierte ohne Zeilenende";
  write_text(dir.file("a.txt"), text);
  write_gzip(dir.file("a.txt.gz"), text);
  const std::vector<std::string> expected = {"erste Zeile", "zweite", "", "vierte ohne Zeilenende"};
  EXPECT_EQ(read_lines(dir.file("a.txt")), expected);
  EXPECT_EQ(read_lines(dir.file("a.txt.gz")), expected);
}

TEST(LineReader, DropsByteOrderMarkAndReadsLongLines) {
  TempDir dir;
  const std::string long_line(300000, 'x');  // longer than the read buffer
  write_text(dir.file("b.txt"), "\xEF\xBB\xBFhello\n" + long_line + "\n");
  const auto lines = read_lines(dir.file("b.txt"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "hello");
  EXPECT_EQ(lines[1], long_line);
}

TEST(LineReader, MissingFileNamesThePath) {
  expect_error_mentions([] { LineReader reader("/nonexistent/file.de"); }, {"/nonexistent/file.de"});
}

TEST(LineReader, CorruptGzipNamesFileAndLine) {
  TempDir dir;
  std::string compressed;
  write_gzip(dir.file("c.gz"), std::string(100000, 'a') + "\n");
  compressed = test::read_text(dir.file("c.gz"));
  compressed.resize(compressed.size() / 2);  // truncated stream
  write_text(dir.file("c.gz"), compressed);
  expect_error_mentions([&] { read_lines(dir.file("c.gz")); }, {dir.file("c.gz"), "line 1"});
}

TEST(ParallelCorpus, ReadsAlignedPairs) {
  TempDir dir;
  write_text(dir.file("t.en"), "one\ntwo\n");
  write_gzip(dir.file("t.de.gz"), "eins\nzwei\n");
  CorpusReadReport report;
  const auto corpus = read_parallel_corpus(dir.file("t.en"), dir.file("t.de.gz"), {}, &report);
  EXPECT_EQ(corpus.source, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(corpus.target, (std::vector<std::string>{"eins", "zwei"}));
  EXPECT_EQ(report.pairs_read, 2u);
  EXPECT_EQ(report.skipped(), 0u);
}

TEST(ParallelCorpus, MismatchedLineCountsFailNamingBothFiles) {
  TempDir dir;
  write_text(dir.file("m.en"), "one\ntwo\nthree\n");
  write_text(dir.file("m.de"), "eins\nzwei\n");
  expect_error_mentions(
      [&] { read_parallel_corpus(dir.file("m.en"), dir.file("m.de"), {}, nullptr); },
      {dir.file("m.en"), dir.file("m.de"), "line 3", "after 2 lines"});
  expect_error_mentions(
      [&] { read_parallel_corpus(dir.file("m.de"), dir.file("m.en"), {}, nullptr); },
      {dir.file("m.en"), "line 3"});
}

TEST(ParallelCorpus, SkipsBadLinesWithCountsAndLocations) {
  TempDir dir;
  write_text(dir.file("s.en"), "good\n\nbad \xFF byte\n" + std::string(50, 'y') + "\nfine\n");
  write_text(dir.file("s.de"), "gut\nleer\nschlecht\nlang\n   \n");
  CorpusReadOptions options;
  options.max_line_bytes = 40;
  CorpusReadReport report;
  const auto corpus = read_parallel_corpus(dir.file("s.en"), dir.file("s.de"), options, &report);
  EXPECT_EQ(corpus.source, std::vector<std::string>{"good"});
  EXPECT_EQ(report.pairs_read, 5u);
  EXPECT_EQ(report.skipped_empty, 2u);  // line 2 (source) and line 5 (blank target)
  EXPECT_EQ(report.skipped_invalid_utf8, 1u);
  EXPECT_EQ(report.skipped_too_long, 1u);
  ASSERT_EQ(report.problems.size(), 4u);
  EXPECT_NE(report.problems[0].find(dir.file("s.en") + "' line 2"), std::string::npos);
  EXPECT_NE(report.problems[1].find("line 3: invalid UTF-8 at byte 5"), std::string::npos);
  EXPECT_NE(report.problems[3].find(dir.file("s.de") + "' line 5"), std::string::npos);
}

TEST(ParallelCorpus, FailPolicyStopsAtTheFirstBadLine) {
  TempDir dir;
  write_text(dir.file("f.en"), "good\nbad \xC3\n");
  write_text(dir.file("f.de"), "gut\nschlecht\n");
  CorpusReadOptions options;
  options.on_bad_line = BadLinePolicy::fail;
  expect_error_mentions(
      [&] { read_parallel_corpus(dir.file("f.en"), dir.file("f.de"), options, nullptr); },
      {dir.file("f.en") + "' line 2", "invalid UTF-8"});
}

TEST(ParallelCorpus, ResolvesPlainBeforeGzipAndNamesBothWhenMissing) {
  TempDir dir;
  write_text(dir.file("x.en.gz"), "");
  EXPECT_EQ(resolve_corpus_file(dir.file("x"), "en"), dir.file("x.en.gz"));
  write_text(dir.file("x.en"), "");
  EXPECT_EQ(resolve_corpus_file(dir.file("x"), "en"), dir.file("x.en"));
  expect_error_mentions([&] { resolve_corpus_file(dir.file("x"), "cs"); },
                        {dir.file("x.cs"), dir.file("x.cs.gz")});
}

}  // namespace
}  // namespace nmt
