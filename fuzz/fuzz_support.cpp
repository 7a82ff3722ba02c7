// fuzz_support.cpp — the tiny model, scratch files and require() of fuzz_support.hpp.
#include "fuzz/fuzz_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "data/quickstart_corpus.hpp"
#include "formats/model_file.hpp"
#include "model/rnnsearch.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt::fuzz {

void require(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz property broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

ScratchFile::ScratchFile(std::string_view suffix) {
  const char* directory = std::getenv("TMPDIR");
  static int counter = 0;
  path_ = std::string(directory && *directory ? directory : "/tmp") + "/nmt-fuzz-" + std::to_string(getpid()) + "-" +
          std::to_string(counter++) + std::string(suffix);
}

ScratchFile::~ScratchFile() { std::remove(path_.c_str()); }

void ScratchFile::write(std::string_view bytes) const {
  std::ofstream out(path_, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error("fuzz: cannot write scratch file " + path_);
}

std::map<std::string, std::string> rewritable_metadata(const Container& container) {
  std::map<std::string, std::string> metadata = container.metadata();
  for (const char* key : {"format", "format_version", "checksum"}) metadata.erase(key);
  return metadata;
}

std::vector<TensorToWrite> tensors_of(const Container& container) {
  std::vector<TensorToWrite> tensors;
  for (const std::string& name : container.tensor_names()) {
    const std::string_view bytes = container.bytes(name);
    tensors.push_back({name, container.dtype(name), container.shape(name), bytes.data(), bytes.size()});
  }
  return tensors;
}

namespace {

std::string make_tiny_model_file() {
  QuickstartCorpusOptions corpus_options;
  corpus_options.train_size = 300;
  corpus_options.dev_size = 1;
  corpus_options.test_size = 1;
  const QuickstartCorpus corpus = generate_quickstart_corpus(corpus_options);
  TokenizerConfig tokenizer;
  tokenizer.vocab_size = 48;
  tokenizer.threads = 1;
  tokenizer.normalization = TextNormalization::identity;  // no 240 kB NFKC table: small seeds
  const Vocabularies vocabularies = train_vocabularies(corpus.train.source, corpus.train.target, tokenizer);

  ModelConfig config;
  config.embed_dim = 6;
  config.encoder_hidden = 5;
  config.encoder_layers = 2;
  config.decoder_hidden = 7;
  config.attention_dim = 4;
  config.output_dim = 6;
  const RnnSearch network(config, vocabularies.source.vocab_size(), vocabularies.target.vocab_size());
  std::vector<float> parameters;
  network.layout().initialise(parameters, 7);

  const ScratchFile file(".nmt");
  write_model_file(file.path(), network, parameters, vocabularies, LanguagePair{"en", "de"});
  std::ifstream in(file.path(), std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

const std::string& tiny_model_file() {
  static const std::string bytes = make_tiny_model_file();
  return bytes;
}

}  // namespace nmt::fuzz
