// serve_response.cpp — building the JSON answers of `nmt serve`.
#include "app/serve_response.hpp"

#include <type_traits>

#include "app/attention_view.hpp"

namespace nmt {
namespace {

using Json = nlohmann::json;

// A config struct's fields as a JSON object of typed values (enums by name).
template <class Config>
Json fields_json(const Config& config) {
  Json out = Json::object();
  Config::fields(config, [&](const FieldSpec& spec, const auto& member, const auto&) {
    using T = std::decay_t<decltype(member)>;
    if constexpr (std::is_enum_v<T>) out[spec.key] = field_text(member);
    else out[spec.key] = member;
  });
  return out;
}

Json attention_json(const Translator& translator, const Translation& translation) {
  const AttentionMatrix m = attention_of(translator, translation);
  return {{"source", m.source}, {"target", m.target}, {"weights", m.weights}};
}

Json alternatives_json(const Translation& translation) {
  Json out = Json::array();
  for (std::size_t i = 1; i < translation.nbest.size(); ++i) out.push_back(translation.nbest[i].text);
  return out;
}

}  // namespace

Json translation_json(const TranslateRequest& request, const std::vector<Translation>& translations,
                      const Translator& translator) {
  Json texts = Json::array(), alternatives = Json::array(), attention = Json::array();
  for (const Translation& t : translations) {
    texts.push_back(t.nbest.front().text);
    alternatives.push_back(alternatives_json(t));
    if (request.attention) attention.push_back(attention_json(translator, t));
  }
  Json out;
  out["translatedText"] = request.single ? texts.front() : texts;
  if (request.search.nbest > 1) out["alternatives"] = request.single ? alternatives.front() : alternatives;
  if (request.attention) out["attention"] = request.single ? attention.front() : attention;
  return out;
}

Json error_json(const RequestError& error) {
  Json out{{"error", error.what()}};
  if (error.offset()) out["offset"] = *error.offset();
  else if (!error.field().empty()) out["field"] = error.field();
  return out;
}

Json error_json(const std::string& message) { return {{"error", message}}; }

Json languages_json(const RequestRules& rules) {
  Json out = Json::array();
  const LanguagePair& pair = rules.languages;
  if (pair.known()) out.push_back({{"code", pair.source}, {"name", pair.source}, {"targets", {pair.target}}});
  return out;
}

Json info_json(const Translator& translator, const SearchConfig& search, const ServeConfig& serve,
               const RequestRules& rules) {
  const LoadedModel& model = translator.model();
  Json limits = fields_json(serve);
  limits.erase("api_keys_file");  // where the keys are is not the clients' business
  Json info = {{"model", {{"path", translator.models().front().name}, {"config", fields_json(model.config)}}},
          {"vocabularies",
           {{"source", model.vocabularies.source.vocab_size()}, {"target", model.vocabularies.target.vocab_size()}}},
          {"languages", {{"source", rules.languages.source}, {"target", rules.languages.target}}},
          {"search", fields_json(search)},
          {"serve", limits},
          {"max_source_pieces", Translator::kMaxSourcePieces}};
  if (translator.models().size() > 1) {
    Json ensemble = Json::array();
    for (const EnsembleModel& m : translator.models())
      ensemble.push_back({{"path", m.name}, {"weight", m.weight}, {"config", fields_json(m.model.config)}});
    info["ensemble"] = std::move(ensemble);
  }
  return info;
}

Json health_json(const QueueLoad& load) {
  return {{"status", "ok"}, {"waiting_lines", load.waiting_lines}, {"pending_lines", load.pending_lines}};
}

}  // namespace nmt
