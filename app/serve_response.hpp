// serve_response.hpp — the JSON bodies `nmt serve` answers with.
//
//   POST /translate  {"translatedText": T, "alternatives": [T, ...], "attention": A}
//                    T a string for a q string, else one per line of q (alternatives and
//                    attention then lists too); alternatives (the n-best list after the
//                    best, when nbest > 1) and attention (when asked) only when there;
//                    A = {"source": [piece, ...], "target": [piece, ..., "</s>"],
//                         "weights": [[w, ...] one row per target piece]}; an
//                    ensemble's weights are its models' attention averaged with
//                    their ensemble weights
//   GET /languages   LibreTranslate's list: [{"code", "name", "targets"}] (empty when the
//                    model file does not name its languages)
//   GET /info        the model's config and vocabularies, the search defaults, the limits
//                    (an ensemble: "ensemble", each model's path, weight and config)
//   GET /health      {"status": "ok", "waiting_lines", "pending_lines"}
//   errors           {"error": MESSAGE, "field": FIELD} or {"error", "offset": BYTE}
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/serve_config.hpp"
#include "app/serve_request.hpp"
#include "app/translation_queue.hpp"
#include "app/translator.hpp"

namespace nmt {

nlohmann::json translation_json(const TranslateRequest& request, const std::vector<Translation>& translations,
                                const Translator& translator);
nlohmann::json error_json(const RequestError& error);
nlohmann::json error_json(const std::string& message);
nlohmann::json languages_json(const RequestRules& rules);
// "model" is the (first) model's path and config; an ensemble adds "ensemble", every
// model's {"path", "weight", "config"} in order.
nlohmann::json info_json(const Translator& translator, const SearchConfig& search, const ServeConfig& serve,
                         const RequestRules& rules);
nlohmann::json health_json(const QueueLoad& load);

}  // namespace nmt
