// translator.cpp — cleaning, encoding, greedy or beam search and decoding of lines.
#include "app/translator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "data/utf8.hpp"
#include "decoding/beam_search.hpp"
#include "training/log.hpp"

namespace nmt {
namespace {

// Empty when `candidate` can be ensembled with `first`, else what differs.
std::string mismatch(const LoadedModel& first, const LoadedModel& candidate) {
  if (first.vocabularies.source.serialized() != candidate.vocabularies.source.serialized())
    return "its source tokenizer differs (another SentencePiece model)";
  if (first.vocabularies.target.serialized() != candidate.vocabularies.target.serialized())
    return "its target tokenizer differs (another SentencePiece model)";
  if (first.languages.known() && candidate.languages.known() && first.languages != candidate.languages)
    return "it translates " + candidate.languages.describe() + ", not " + first.languages.describe();
  return {};
}

// The models, checked against the first; throws naming the one that does not fit.
std::vector<EnsembleModel> checked_models(std::vector<EnsembleModel> models) {
  if (models.empty()) throw std::invalid_argument("no model to translate with");
  for (const EnsembleModel& m : models) {
    if (!is_valid_ensemble_weight(m.weight))
      throw std::invalid_argument(fmt::format("the weight of '{}' is {}: it must be a positive number", m.name,
                                              m.weight));
    if (const std::string why = mismatch(models.front().model, m.model); !why.empty())
      throw std::runtime_error("'" + m.name + "' cannot be ensembled with '" + models.front().name + "': " + why);
  }
  return models;
}

LanguagePair known_pair(const std::vector<EnsembleModel>& models) {
  for (const EnsembleModel& m : models)
    if (m.model.languages.known()) return m.model.languages;
  return models.front().model.languages;
}

std::vector<std::unique_ptr<ConstantOperands>> registered_weights(const std::vector<EnsembleModel>& models) {
  std::vector<std::unique_ptr<ConstantOperands>> out;
  for (const EnsembleModel& m : models)
    out.push_back(std::make_unique<ConstantOperands>(m.model.parameters.data(), m.model.parameters.size()));
  return out;
}

// The models' networks as one; the first model's shortlist is the ensemble's (they share
// tokenizers).
Ensemble ensemble_of(const std::vector<EnsembleModel>& models) {
  std::vector<EnsembleMember> members;
  for (const EnsembleModel& m : models) members.push_back({m.model.network.get(), m.model.parameters.data(), m.weight});
  return Ensemble(std::move(members), &models.front().model.shortlist);
}

std::vector<EnsembleModel> one_model(LoadedModel model) {
  std::vector<EnsembleModel> models;
  models.push_back({"the model", std::move(model), 1.0});
  return models;
}

}  // namespace

Translator::Translator(LoadedModel model, SearchConfig search) : Translator(one_model(std::move(model)), search) {}

Translator::Translator(std::vector<EnsembleModel> models, SearchConfig search)
    : models_(checked_models(std::move(models))),
      languages_(known_pair(models_)),
      constant_weights_(registered_weights(models_)),
      ensemble_(ensemble_of(models_)) {
  set_search(search);
}

void Translator::check_search(const SearchConfig& search) const {
  const std::string problem = search_problem(search);
  if (!problem.empty()) throw std::invalid_argument(problem);
  if (search.shortlist && !ensemble_.has_shortlist())
    throw std::invalid_argument("search.shortlist: " + models_.front().name +
                                " has no shortlist (add one with `nmt shortlist -m MODEL -c CONFIG`)");
}

void Translator::set_search(const SearchConfig& search) {
  check_search(search);
  search_ = search;
}

std::string Translator::models_name() const {
  std::string name;
  for (const EnsembleModel& m : models_) name += (name.empty() ? "" : " + ") + m.name;
  return name;
}

std::vector<int> Translator::encode_line(const std::string& line, std::size_t line_number) const {
  std::vector<int> ids;
  if (utf8::is_valid(line)) {
    ids = model().vocabularies.source.encode(line);
  } else {
    log::warn("translate", "line {}: invalid UTF-8 replaced by U+FFFD", line_number);
    ids = model().vocabularies.source.encode(utf8::repair(line));
  }
  if (static_cast<int>(ids.size()) > kMaxSourcePieces) {
    log::warn("translate", "line {}: {} source pieces, cut to the first {}", line_number, ids.size(),
              kMaxSourcePieces);
    ids.resize(kMaxSourcePieces);
  }
  return ids;
}

std::vector<Translation> Translator::translate_nbest(const std::vector<std::string>& lines,
                                                     std::size_t first_line_number, bool keep_alignment) const {
  return run_search(search_, lines, first_line_number, keep_alignment);
}

std::vector<Translation> Translator::run_search(SearchConfig search, const std::vector<std::string>& lines,
                                                std::size_t first_line_number, bool keep_alignment) const {
  check_search(search);
  std::vector<Translation> out(lines.size());
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out[i].source = encode_line(lines[i], first_line_number + i);
    sources.push_back(out[i].source);
  }
  std::vector<std::vector<Hypothesis>> lists;
  if (search.beam_size == 1) {
    for (auto& h : greedy_search(ensemble_, sources, search, keep_alignment))
      lists.push_back({std::move(h)});
  } else {
    SearchConfig every_finished = search;  // the whole beam's, so that texts listed twice can be replaced
    every_finished.nbest = search.beam_size;
    lists = beam_search(ensemble_, sources, every_finished, keep_alignment);
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    out[i].nbest = listed_candidates(lists[i], sources[i].empty(), search);
  return out;
}

std::vector<Candidate> Translator::listed_candidates(std::vector<Hypothesis>& finished, bool empty_source,
                                                     const SearchConfig& search) const {
  std::vector<Candidate> listed;
  std::vector<Candidate> empty_text;  // kept only if nothing else is left
  for (Hypothesis& h : finished) {    // best first
    if (listed.size() == static_cast<std::size_t>(search.nbest)) break;
    Candidate c;
    c.text = model().vocabularies.target.decode(h.tokens);
    const auto same_text = [&](const Candidate& other) { return other.text == c.text; };
    if (std::any_of(listed.begin(), listed.end(), same_text)) continue;
    if (!empty_source) {
      c.log_probability = h.score;
      c.length_penalty = length_penalty(h, search.length_penalty);
      c.score = normalized_score(h, search.length_penalty);
    }
    c.alignment = std::move(h.alignment);
    c.tokens = std::move(h.tokens);
    if (c.text.empty() && !empty_source) {  // pieces that decode to nothing, e.g. a lone "▁"
      if (empty_text.empty()) empty_text.push_back(std::move(c));
      continue;
    }
    listed.push_back(std::move(c));
  }
  return listed.empty() ? empty_text : listed;
}

std::vector<std::string> Translator::translate(const std::vector<std::string>& lines,
                                               std::size_t first_line_number, std::size_t* target_tokens) const {
  SearchConfig search = search_;
  search.nbest = 1;
  std::vector<std::string> out;
  out.reserve(lines.size());
  std::size_t tokens = 0;
  for (const Translation& t : run_search(search, lines, first_line_number, false)) {
    out.push_back(t.nbest.front().text);
    if (!t.source.empty()) tokens += t.nbest.front().tokens.size() + 1;
  }
  if (target_tokens) *target_tokens = tokens;
  return out;
}

namespace {

std::vector<std::string> pieces_of(const SentencePieceModel& model, const std::vector<int>& ids) {
  std::vector<std::string> pieces;
  pieces.reserve(ids.size());
  for (const int id : ids) pieces.push_back(model.piece(id));
  return pieces;
}

}  // namespace

std::vector<std::string> Translator::source_pieces(const std::vector<int>& ids) const {
  return pieces_of(model().vocabularies.source, ids);
}

std::vector<std::string> Translator::target_pieces(const std::vector<int>& ids) const {
  return pieces_of(model().vocabularies.target, ids);
}

std::vector<std::string> Translator::attention_row_pieces(const Candidate& candidate) const {
  std::vector<std::string> pieces = target_pieces(candidate.tokens);
  if (candidate.alignment.size() > candidate.tokens.size()) pieces.push_back("</s>");
  return pieces;
}

}  // namespace nmt
