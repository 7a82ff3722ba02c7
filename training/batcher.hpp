// batcher.hpp — from sentence pairs to the length-bucketed, shuffled batches of an epoch.
//
// Pairs are tokenized once; pairs longer than max_length pieces on either side and pairs
// with an empty side are dropped with counts. Each epoch's batches are a pure function
// of (pairs, batch_tokens, seed, epoch): pairs are shuffled (so equal lengths mix
// differently every epoch), stably sorted by target then source length, cut into
// batches whose padded target size (rows × (longest target + 1)) stays within
// batch_tokens, and the batch order is shuffled. A resumed run rebuilds the same list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "data/parallel_corpus.hpp"
#include "model/batch.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt {

struct TokenizedCorpus {
  std::vector<std::vector<int>> source, target;  // (N) id sequences without bos/eos
  std::size_t size() const { return source.size(); }
  std::size_t target_tokens() const;  // pieces + one eos per sentence
  // The same count for the pairs `indices` (a batch's, before it is gathered).
  std::size_t target_tokens(const std::vector<std::size_t>& indices) const;
};

struct TokenizeReport {
  std::size_t kept = 0, too_long = 0, empty = 0;
};

// Encodes every pair; drops (and counts) pairs over max_length pieces on either side
// (max_length 0 keeps all) and pairs where either side encodes to nothing.
TokenizedCorpus tokenize_corpus(const ParallelCorpus& corpus, const Vocabularies& vocabularies,
                                int max_length, TokenizeReport* report);

// The batches of one epoch, as lists of pair indices.
std::vector<std::vector<std::size_t>> epoch_batches(const TokenizedCorpus& corpus, int batch_tokens,
                                                    std::uint64_t seed, int epoch);

// The padded batch of the given pairs.
Batch gather_batch(const TokenizedCorpus& corpus, const std::vector<std::size_t>& indices);

}  // namespace nmt
