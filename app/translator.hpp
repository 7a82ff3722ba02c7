// translator.hpp — a loaded model that turns lines of text into translations.
//
// Lines are cleaned before encoding: invalid UTF-8 is replaced (U+FFFD) with a warning
// naming the line; a line of more than kMaxSourcePieces pieces is cut to that length
// with a warning (the rest of the line is not translated). An empty (or all-space) line
// translates to an empty line. Search is greedy for beam_size 1, else beam search; the
// search settings must pass search_problem (decoding/search_config.hpp).
//
// Several models translate as an ensemble (decoding/ensemble.hpp): their log-probabilities
// averaged at each step with their weights, their attention averaged alike. They must
// share both tokenizers (the serialized SentencePiece models compared byte for byte) and
// any language pair they record; sizes and attention types may differ. The first model's
// tokenizers encode and decode, and its shortlist (if it has one) is the ensemble's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/dnnl_backend.hpp"
#include "formats/model_file.hpp"
#include "decoding/ensemble.hpp"
#include "decoding/greedy_search.hpp"
#include "decoding/search_config.hpp"

namespace nmt {

// One hypothesis of a sentence.
struct Candidate {
  std::string text;
  std::vector<int> tokens;  // target ids, without bos/eos
  double log_probability = 0;  // sum of the pieces' log-probabilities, eos included
  double length_penalty = 1;   // length^search.length_penalty (length with eos)
  double score = 0;            // log_probability / length_penalty: what ranks the n-best list
  // Attention weights (kept on request): one row per output piece, and one for eos
  // unless the candidate was cut at the length limit; each of source length.
  std::vector<std::vector<float>> alignment;
};

struct Translation {
  std::vector<int> source;          // source ids as translated (cleaned, maybe cut)
  // Best first, at most search.nbest, distinct texts (a text two token sequences decode to
  // is listed once, with the better score), none empty unless the line is empty or no
  // other text was found; one empty candidate for an empty line.
  std::vector<Candidate> nbest;
};

// One model of a translator: what its file holds, the name messages give it (its path)
// and its weight in the ensemble (relative: the weights are divided by their sum).
struct EnsembleModel {
  std::string name;
  LoadedModel model;
  double weight = 1;
};

class Translator {
 public:
  static constexpr int kMaxSourcePieces = 250;

  // Throws std::invalid_argument naming the key when `search` breaks the search rules.
  Translator(LoadedModel model, SearchConfig search);
  // An ensemble of one or more models. Also throws std::invalid_argument naming the model
  // whose weight is not a positive number, and std::runtime_error naming the model that
  // does not match the first and what differs (source or target tokenizer, language pair).
  Translator(std::vector<EnsembleModel> models, SearchConfig search);

  // Translations of `lines` (in order); `first_line_number` names lines in warnings.
  // `target_tokens`, if given, receives the number of target pieces produced (eos included).
  std::vector<std::string> translate(const std::vector<std::string>& lines, std::size_t first_line_number = 1,
                                     std::size_t* target_tokens = nullptr) const;

  // The n-best lists (search().nbest each) of `lines`, with attention weights if asked.
  std::vector<Translation> translate_nbest(const std::vector<std::string>& lines, std::size_t first_line_number,
                                           bool keep_alignment) const;

  // The first model: its tokenizers are every model's.
  const LoadedModel& model() const { return models_.front().model; }
  // Every model, in the order given (one for a single model).
  const std::vector<EnsembleModel>& models() const { return models_; }
  // Their names for messages: "A", or an ensemble's "A + B".
  std::string models_name() const;
  // The languages the models translate between (unknown when no file records them).
  const LanguagePair& languages() const { return languages_; }
  const SearchConfig& search() const { return search_; }
  // As the constructor, throws std::invalid_argument for a search that breaks the rules,
  // or asks for a shortlist the first model's file does not have.
  void set_search(const SearchConfig& search);
  bool has_shortlist() const { return ensemble_.has_shortlist(); }

  // Source or target ids as their SentencePiece pieces, for display.
  std::vector<std::string> source_pieces(const std::vector<int>& ids) const;
  std::vector<std::string> target_pieces(const std::vector<int>& ids) const;
  // The labels of a candidate's attention rows: its target pieces, and "</s>" for the
  // end-of-sentence row when it has one (a candidate cut at the length limit has none).
  std::vector<std::string> attention_row_pieces(const Candidate& candidate) const;

 private:
  void check_search(const SearchConfig& search) const;
  std::vector<int> encode_line(const std::string& line, std::size_t line_number) const;
  std::vector<Translation> run_search(SearchConfig search, const std::vector<std::string>& lines,
                                      std::size_t first_line_number, bool keep_alignment) const;
  // The n-best list of one sentence from its finished hypotheses (best first): decoded, at
  // most search.nbest, each text once, and no empty text unless nothing else is left.
  std::vector<Candidate> listed_candidates(std::vector<Hypothesis>& finished, bool empty_source,
                                           const SearchConfig& search) const;

  std::vector<EnsembleModel> models_;
  LanguagePair languages_;
  std::vector<std::unique_ptr<ConstantOperands>> constant_weights_;  // the weights never change here
  Ensemble ensemble_;  // over models_' networks and parameters
  SearchConfig search_;
};

}  // namespace nmt
