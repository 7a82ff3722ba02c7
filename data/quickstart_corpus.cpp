// quickstart_corpus.cpp — seeded generation of the number-words corpus.
#include "data/quickstart_corpus.hpp"

#include <filesystem>
#include <stdexcept>
#include <unordered_set>
#include <vector>

#include "data/number_words.hpp"
#include "data/text_writer.hpp"

namespace nmt {
namespace {

// splitmix64: small, fast, and fully specified, so the corpus is the same everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) by rejection (no modulo bias).
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t x;
    do x = next();
    while (x >= limit);
    return x % bound;
  }

 private:
  std::uint64_t state_;
};

// Digit count uniform in 1..6, then the value uniform among numbers with that many
// digits. Zero is left out: "zero" is the only word with a 'z', so a test split holding
// it would ask for a character that training never showed.
std::uint32_t draw_number(SplitMix64& rng) {
  static constexpr std::uint32_t kPowers[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  const auto digits = static_cast<std::size_t>(rng.below(6)) + 1;
  const std::uint32_t low = kPowers[digits - 1];
  const std::uint32_t high = kPowers[digits];  // exclusive
  return low + static_cast<std::uint32_t>(rng.below(high - low));
}

void append_pairs(const std::vector<std::uint32_t>& numbers, std::size_t begin, std::size_t end,
                  ParallelCorpus& corpus) {
  for (std::size_t i = begin; i < end; ++i) {
    corpus.source.push_back(english_number_words(numbers[i]));
    corpus.target.push_back(german_number_words(numbers[i]));
  }
}

}  // namespace

QuickstartCorpus generate_quickstart_corpus(const QuickstartCorpusOptions& options) {
  const std::size_t total = options.train_size + options.dev_size + options.test_size;
  if (total > kMaxNumberWords)
    throw std::invalid_argument("quickstart corpus: " + std::to_string(total) +
                                " items asked for, but only " + std::to_string(kMaxNumberWords) +
                                " distinct numbers exist");
  SplitMix64 rng(options.seed);
  std::unordered_set<std::uint32_t> seen;
  std::vector<std::uint32_t> numbers;
  numbers.reserve(total);
  while (numbers.size() < total) {
    const std::uint32_t n = draw_number(rng);
    if (seen.insert(n).second) numbers.push_back(n);
  }
  for (std::size_t i = numbers.size(); i > 1; --i)  // Fisher–Yates
    std::swap(numbers[i - 1], numbers[static_cast<std::size_t>(rng.below(i))]);

  QuickstartCorpus corpus;
  const std::size_t dev_end = options.dev_size;
  const std::size_t test_end = dev_end + options.test_size;
  append_pairs(numbers, 0, dev_end, corpus.dev);
  append_pairs(numbers, dev_end, test_end, corpus.test);
  append_pairs(numbers, test_end, total, corpus.train);
  return corpus;
}

void write_quickstart_corpus(const QuickstartCorpus& corpus, const std::string& directory) {
  std::filesystem::create_directories(directory);
  const std::pair<const char*, const ParallelCorpus*> splits[] = {
      {"train", &corpus.train}, {"dev", &corpus.dev}, {"test", &corpus.test}};
  for (const auto& [name, split] : splits) {
    const std::string prefix = directory + "/" + name;
    write_lines_atomically(prefix + ".en", split->source);
    write_lines_atomically(prefix + ".de", split->target);
  }
}

}  // namespace nmt
