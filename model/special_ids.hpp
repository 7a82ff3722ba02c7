// special_ids.hpp — the four token ids the network itself relies on.
//
// Batches are padded with pad, decoding starts from bos and stops at eos. Every
// vocabulary that feeds the network must reserve these ids (tokenizer/ checks it for the
// SentencePiece models it trains and loads). Dependency-free on purpose: both the
// network and the tokenizer include it, and neither includes the other.
#pragma once

namespace nmt {

struct SpecialIds {
  static constexpr int pad = 0;
  static constexpr int unk = 1;
  static constexpr int bos = 2;
  static constexpr int eos = 3;
};

}  // namespace nmt
