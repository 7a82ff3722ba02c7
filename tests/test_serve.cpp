// test_serve.cpp — `nmt serve` end to end on a small trained model, over loopback: every
// route; translations equal to `nmt translate`'s for each line alone, whatever was
// batched with them and whatever search settings the requests ask; n-best alternatives
// and attention shapes; an ensemble (two -m) as translate's; every class of bad request
// with its status, field (or byte offset) and message; API keys; a full queue answered 503 with Retry-After; SIGTERM
// with a request in flight answers it and exits 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <sstream>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "serve_process.hpp"
#include "small_run.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

using Json = nlohmann::json;

using test::lines_of;

// A request that keeps the translation thread busy for a while (long lines, the widest
// beam): what a test holds in flight while it does something else.
Json slow_request(std::size_t lines) {
  std::string line;
  for (int i = 0; i < 15; ++i) line += "nine hundred and ninety nine thousand ";
  return {{"q", std::vector<std::string>(lines, line)}, {"beam", 256}};
}

class ServeApi : public TrainedModelSuite<ServeApi> {
 protected:
  static void SetUpTestSuite() {
    train_model();
    if (!setup_problem_.empty()) return;
    lines_ = lines_of(test::read_text(corpus("test.en")));
    lines_.resize(20);
    lines_.push_back("");  // an empty line gives an empty line
    server_ = new test::ServeProcess("-m " + model() + " --threads 1", file("serve.log"));
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    TrainedModelSuite::TearDownTestSuite();
  }

  // The standard output of `nmt translate -m MODEL OPTIONS < input`.
  static std::string translate_input(const std::string& input, const std::string& options,
                                     const std::string& model_path = model()) {
    test::write_text(file("input.txt"), input);
    const Result r = run_command(std::string(NMT_BINARY_PATH) + " translate -m " + model_path + " " + options +
                                 " < " + file("input.txt") + " 2>/dev/null");
    EXPECT_EQ(r.exit_code, 0);
    return r.output;
  }
  static std::string text_of(const std::vector<std::string>& lines) {
    std::string input;
    for (const auto& l : lines) input += l + "\n";
    return input;
  }
  // `nmt translate -m MODEL OPTIONS` of `lines` as a filter: each line translated alone.
  static std::vector<std::string> translate(const std::vector<std::string>& lines, const std::string& options,
                                            const std::string& model_path = model()) {
    return lines_of(translate_input(text_of(lines), options, model_path));
  }

  static httplib::Result post(const Json& body, const test::ServeProcess& server = *server_) {
    return server.client().Post("/translate", body.dump(), "application/json");
  }
  static httplib::Result post_text(const std::string& body, const test::ServeProcess& server = *server_) {
    return server.client().Post("/translate", body, "application/json");
  }
  // Expects `result` to be an error of `status` whose JSON is exactly `expected`.
  static void expect_error(const httplib::Result& result, int status, const Json& expected) {
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
    EXPECT_EQ(Json::parse(result->body), expected);
  }

  static inline std::vector<std::string> lines_;
  static inline test::ServeProcess* server_ = nullptr;
};

TEST_F(ServeApi, ThePageHealthLanguagesAndInfoAnswer) {
  auto client = server_->client();
  const auto page = client.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->body, test::read_text("app/page/index.html"));  // the file's bytes, as they are

  const auto health = client.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(Json::parse(health->body)["status"], "ok");

  const auto languages = client.Get("/languages");
  ASSERT_TRUE(languages);
  EXPECT_EQ(languages->status, 200);
  EXPECT_EQ(Json::parse(languages->body), Json::parse(R"([{"code": "en", "name": "en", "targets": ["de"]}])"));

  const auto info = client.Get("/info");
  ASSERT_TRUE(info);
  const Json json = Json::parse(info->body);
  EXPECT_EQ(json["model"]["path"], model());
  EXPECT_EQ(json["model"]["config"]["embed_dim"], 32);
  EXPECT_EQ(json["model"]["config"]["attention"], "additive");
  EXPECT_EQ(json["vocabularies"]["source"], 60);
  EXPECT_EQ(json["languages"], Json({{"source", "en"}, {"target", "de"}}));
  EXPECT_EQ(json["search"]["beam_size"], 5);
  EXPECT_EQ(json["search"]["nbest"], 1);
  EXPECT_EQ(json["serve"]["max_lines"], 256);
  EXPECT_FALSE(json["serve"].contains("api_keys_file"));
}

TEST_F(ServeApi, TranslationsAreThoseOfNmtTranslateForEachLineAlone) {
  const std::vector<std::string> expected = translate(lines_, "");
  ASSERT_EQ(expected.size(), lines_.size());
  // All lines in one request (one batch), and each line in its own request.
  const auto all = post({{"q", lines_}});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200) << all->body;
  EXPECT_EQ(Json::parse(all->body)["translatedText"], Json(expected));
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    const auto one = post({{"q", lines_[i]}});
    ASSERT_TRUE(one);
    EXPECT_EQ(Json::parse(one->body), Json({{"translatedText", expected[i]}})) << "line " << i;
  }
}

TEST_F(ServeApi, ConcurrentRequestsOfDifferentSearchSettingsGetTheirOwn) {
  // Requests of beams 1, 3 and 5 at once: each is translated with its own settings.
  std::map<int, std::vector<std::string>> expected;
  for (const int beam : {1, 3, 5}) expected[beam] = translate(lines_, fmt::format("--search.beam_size {}", beam));
  std::vector<std::future<std::pair<int, httplib::Result>>> answers;
  for (int round = 0; round < 3; ++round)
    for (const int beam : {1, 3, 5})
      answers.push_back(std::async(std::launch::async, [this, beam] {
        return std::make_pair(beam, post({{"q", lines_}, {"beam", beam}}));
      }));
  for (auto& answer : answers) {
    auto [beam, result] = answer.get();
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    EXPECT_EQ(Json::parse(result->body)["translatedText"], Json(expected[beam])) << "beam " << beam;
  }
}

TEST_F(ServeApi, AlternativesAreTheNbestListAfterTheBest) {
  const std::vector<std::string> nbest = translate({lines_[0]}, "--nbest 3");
  std::vector<std::string> texts;  // "INDEX ||| TEXT ||| FEATURES ||| SCORE"
  for (const auto& line : nbest) {
    const std::size_t start = line.find(" ||| ") + 5;
    texts.push_back(line.substr(start, line.find(" ||| ", start) - start));
  }
  ASSERT_GE(texts.size(), 2u);
  const auto result = post({{"q", lines_[0]}, {"nbest", 3}});
  ASSERT_TRUE(result);
  const Json json = Json::parse(result->body);
  EXPECT_EQ(json["translatedText"], texts.front());
  EXPECT_EQ(json["alternatives"], Json(std::vector<std::string>(texts.begin() + 1, texts.end())));

  const auto list = post({{"q", {lines_[0], lines_[1]}}, {"nbest", 3}});
  ASSERT_TRUE(list);
  const Json list_json = Json::parse(list->body);
  ASSERT_EQ(list_json["alternatives"].size(), 2u);
  EXPECT_EQ(list_json["alternatives"][0], json["alternatives"]);
}

TEST_F(ServeApi, AttentionHasARowPerTargetPieceAndAColumnPerSourcePiece) {
  const auto result = post({{"q", {lines_[0], ""}}, {"attention", true}});
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  const Json json = Json::parse(result->body);
  ASSERT_EQ(json["attention"].size(), 2u);
  const Json& a = json["attention"][0];
  ASSERT_FALSE(a["source"].empty());
  EXPECT_EQ(a["target"].back(), "</s>");
  ASSERT_EQ(a["weights"].size(), a["target"].size());
  for (const Json& row : a["weights"]) {
    ASSERT_EQ(row.size(), a["source"].size());
    double sum = 0;
    for (const Json& w : row) sum += w.get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-4);
  }
  // The pieces are the model's: joined, the source pieces spell the line.
  std::string spelled;
  for (const Json& piece : a["source"]) spelled += piece.get<std::string>();
  EXPECT_EQ(spelled, "\xe2\x96\x81" + std::regex_replace(lines_[0], std::regex(" "), "\xe2\x96\x81"));
  EXPECT_EQ(json["attention"][1]["source"], Json::array());  // the empty line
  EXPECT_FALSE(Json::parse(post({{"q", lines_[0]}})->body).contains("attention"));
}

TEST_F(ServeApi, AnEnsembleServesAsTranslateTranslatesWithIt) {
  // The run's checkpoint at step 100: other weights, the same tokenizers.
  const std::string checkpoint = run_->run_dir("run") + "/checkpoints/step-000000100.ckpt";
  const std::string members = "-m " + checkpoint + " --weights 3 1";
  test::ServeProcess ensemble("-m " + model() + " " + members + " --threads 1", file("ensemble.log"));
  const std::vector<std::string> expected = translate(lines_, members);
  ASSERT_EQ(expected.size(), lines_.size());
  EXPECT_NE(expected, translate(lines_, ""));  // not the first model alone
  const auto all = post({{"q", lines_}}, ensemble);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200) << all->body;
  EXPECT_EQ(Json::parse(all->body)["translatedText"], Json(expected));
  const auto shown = post({{"q", lines_[0]}, {"attention", true}}, ensemble);
  ASSERT_TRUE(shown);
  const Json shown_body = Json::parse(shown->body);  // held: a range-for over a temporary's member dangles
  const Json& weights = shown_body.at("attention").at("weights");
  ASSERT_FALSE(weights.empty());  // else the loop below checks nothing
  for (const Json& row : weights) {  // the members' mean: still sums to 1
    double sum = 0;
    for (const Json& w : row) sum += w.get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-4);
  }
  const auto info = ensemble.client().Get("/info");
  ASSERT_TRUE(info);
  const Json json = Json::parse(info->body);
  EXPECT_EQ(json["model"]["path"], model());
  ASSERT_EQ(json["ensemble"].size(), 2u) << json.dump();
  EXPECT_EQ(json["ensemble"][1]["path"], checkpoint);
  EXPECT_EQ(json["ensemble"][0]["weight"], 3.0);
  EXPECT_EQ(json["ensemble"][1]["config"]["embed_dim"], 32);
  EXPECT_FALSE(Json::parse(server_->client().Get("/info")->body).contains("ensemble"));  // one model: none
}

TEST_F(ServeApi, BadRequestsAreAnsweredNamingTheFieldOrTheByteOffset) {
  expect_error(post_text("{\"q\": "), 400,
               {{"error", "invalid JSON at byte offset 6: parse error at line 1, column 7: syntax error while parsing value - "
                          "unexpected end of input; expected '[', '{', or a literal"},
                {"offset", 6}});
  expect_error(post_text("{\"q\": \"a\xff\"}"), 400,
               {{"error", "invalid JSON at byte offset 8: parse error at line 1, column 9: syntax error while parsing value - "
                          "invalid string: ill-formed UTF-8 byte; last read: '\"a\\xff'"},
                {"offset", 8}});
  expect_error(post_text("[\"a\"]"), 400, {{"error", "the request must be a JSON object"}});
  expect_error(post({{"beam", 2}}), 400, {{"error", "q: missing: the text to translate"}, {"field", "q"}});
  expect_error(post({{"q", 5}}), 400, {{"error", "q: must be a string or a list of strings"}, {"field", "q"}});
  expect_error(post({{"q", Json::array()}}), 400, {{"error", "q: must hold at least one line"}, {"field", "q"}});
  expect_error(post({{"q", {"a", 3}}}), 400, {{"error", "q[1]: must be a string"}, {"field", "q[1]"}});
  expect_error(post({{"q", {"a", "b\nc"}}}), 400,
               {{"error", "q[1]: holds a line break: send each line as an item of a list"}, {"field", "q[1]"}});
  expect_error(post({{"q", "a"}, {"beem", 2}}), 400,
               {{"error", "beem: unknown field (did you mean 'beam'?)"}, {"field", "beem"}});
  expect_error(post({{"q", "a"}, {"colour", 2}}), 400, {{"error", "colour: unknown field"}, {"field", "colour"}});
  expect_error(post({{"q", "a"}, {"beam", 2.5}}), 400, {{"error", "beam: must be a whole number"}, {"field", "beam"}});
  expect_error(post({{"q", "a"}, {"beam", 0}}), 400,
               {{"error", "beam: search.beam_size = 0: must be in [1, 256]"}, {"field", "beam"}});
  expect_error(post({{"q", "a"}, {"beam", 1e12}}), 400, {{"error", "beam: must be a whole number"}, {"field", "beam"}});
  expect_error(post({{"q", "a"}, {"beam", 3}, {"nbest", 4}}), 400,
               {{"error", "nbest: search.nbest: cannot exceed search.beam_size (3)"}, {"field", "nbest"}});
  expect_error(post({{"q", "a"}, {"alpha", "x"}}), 400, {{"error", "alpha: must be a number"}, {"field", "alpha"}});
  expect_error(post({{"q", "a"}, {"alpha", 11}}), 400,
               {{"error", "alpha: search.length_penalty = 11: must be in [0, 10]"}, {"field", "alpha"}});
  expect_error(post({{"q", "a"}, {"attention", 1}}), 400,
               {{"error", "attention: must be true or false"}, {"field", "attention"}});
  expect_error(post({{"q", "a"}, {"format", "html"}}), 400,
               {{"error", "format: html is not supported: only text"}, {"field", "format"}});
  expect_error(post({{"q", "a"}, {"source", 7}}), 400, {{"error", "source: must be a string"}, {"field", "source"}});
  expect_error(post({{"q", "a"}, {"source", "fr"}}), 400,
               {{"error", "source: 'fr': the model translates en → de"}, {"field", "source"}});
  expect_error(post({{"q", "a"}, {"source", "auto"}, {"target", "fr"}}), 400,
               {{"error", "target: 'fr': the model translates en → de"}, {"field", "target"}});
  // The server is alive and well after all that; LibreTranslate's fields are accepted.
  const auto after = post({{"q", lines_[0]}, {"source", "en"}, {"target", "de"}, {"format", "text"}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServeApi, UnknownRoutesAndMethodsAre404And405) {
  auto client = server_->client();
  const auto missing = client.Get("/translations");
  ASSERT_TRUE(missing);
  expect_error(missing, 404,
               {{"error", "no route GET /translations (the routes: GET /, POST /translate, GET /languages, GET /info, "
                          "GET /health)"}});
  const auto get_translate = client.Get("/translate");
  expect_error(get_translate, 405, {{"error", "GET /translate: method not allowed (allowed: POST)"}});
  EXPECT_EQ(get_translate->get_header_value("Allow"), "POST");
  const auto post_health = client.Post("/health", "", "application/json");
  expect_error(post_health, 405, {{"error", "POST /health: method not allowed (allowed: GET)"}});
  EXPECT_EQ(post_health->get_header_value("Allow"), "GET");
}

TEST_F(ServeApi, EachRequestIsLoggedOnce) {
  const auto result = post({{"q", {lines_[0], lines_[1]}}});
  ASSERT_TRUE(result);
  ASSERT_TRUE(server_->client().Get("/health"));  // logged after the answer: this one waits for the first's line
  EXPECT_TRUE(std::regex_search(server_->log(), std::regex(R"(\[serve\] POST /translate 200 2 lines [0-9.]+ ms)")))
      << server_->log();
}

TEST_F(ServeApi, LimitsOfBodyLinesAndLineBytesAre413) {
  test::ServeProcess small("-m " + model() + " --serve.max_body_bytes 200 --serve.max_lines 2 --serve.max_line_bytes 10",
                           file("small.log"));
  expect_error(post({{"q", std::string(300, 'a')}}, small), 413,
               {{"error", "the body is larger than serve.max_body_bytes (200)"}});
  expect_error(post({{"q", {"a", "b", "c"}}}, small), 413,
               {{"error", "q: 3 lines, more than serve.max_lines (2)"}, {"field", "q"}});
  expect_error(post({{"q", {"a", "eleven byte"}}}, small), 413,
               {{"error", "q[1]: 11 bytes, more than serve.max_line_bytes (10)"}, {"field", "q[1]"}});
  expect_error(post({{"q", "eleven byte"}}, small), 413,
               {{"error", "q: 11 bytes, more than serve.max_line_bytes (10)"}, {"field", "q"}});
  const auto fine = post({{"q", "nine"}}, small);
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

TEST_F(ServeApi, ApiKeysAreCheckedWhenTheServerHasThem) {
  test::write_text(file("keys.txt"), "first-key\n\nsecond-key\n");
  test::ServeProcess keyed("-m " + model() + " --serve.api_keys_file " + file("keys.txt"), file("keyed.log"));
  expect_error(post({{"q", "nine"}}, keyed), 401,
               {{"error", "api_key: missing: this server needs an API key"}, {"field", "api_key"}});
  expect_error(post({{"q", "nine"}, {"api_key", "third-key"}}, keyed), 401,
               {{"error", "api_key: not a key of this server"}, {"field", "api_key"}});
  const auto fine = post({{"q", "nine"}, {"api_key", "second-key"}}, keyed);
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
}

// Waits until the server holds `lines` lines accepted and not yet answered.
void wait_for_pending(const test::ServeProcess& server, std::size_t lines) {
  for (;;) {  // ctest's timeout ends a test that never gets there
    const auto health = server.client().Get("/health");
    if (health && Json::parse(health->body)["pending_lines"] == lines) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST_F(ServeApi, AFullQueueIs503WithRetryAfter) {
  test::ServeProcess busy("-m " + model() + " --threads 1 --serve.queue_lines 2 --serve.max_lines 2", file("busy.log"));
  auto slow = std::async(std::launch::async, [&] { return post(slow_request(2), busy); });
  wait_for_pending(busy, 2);
  const auto refused = post({{"q", "nine"}}, busy);
  expect_error(refused, 503, {{"error", "busy: the translation queue is full (serve.queue_lines = 2); retry later"}});
  EXPECT_EQ(refused->get_header_value("Retry-After"), "1");
  const auto answered = slow.get();
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 200);
  const auto later = post({{"q", "nine"}}, busy);  // room again
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 200);
}

TEST_F(ServeApi, SigtermAnswersTheRequestInFlightThenExitsZero) {
  test::ServeProcess server("-m " + model() + " --threads 1", file("stopped.log"));
  auto slow = std::async(std::launch::async, [&] { return post(slow_request(2), server); });
  wait_for_pending(server, 2);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  const auto answered = slow.get();
  ASSERT_TRUE(answered) << httplib::to_string(answered.error());
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(Json::parse(answered->body)["translatedText"].size(), 2u);
  EXPECT_CONTAINS(server.log(), "[serve] stopping: answering the requests in flight");
  EXPECT_CONTAINS(server.log(), "[serve] POST /translate 200 2 lines");
  EXPECT_CONTAINS(server.log(), "[serve] stopped");
}

// `nmt shortlist` gives the model a list small enough to change translations (one piece
// per source piece, two frequent ones); with it the server's "shortlist": true and the
// prompt's :shortlist translate as `nmt translate --shortlist`, and without it as the
// whole vocabulary does.
TEST_F(ServeApi, TheShortlistServesAndPromptsAsTranslateDoesWithIt) {
  const std::string tiny = file("tiny-shortlist.nmt");
  const Result built = run_nmt("shortlist -m " + model() + " -c " + run_->config() + " -o " + tiny +
                               " --shortlist.per_source 1 --shortlist.frequent 2");
  ASSERT_EQ(built.exit_code, 0) << built.output;
  EXPECT_CONTAINS(built.output, "wrote " + tiny + " with its shortlist (T = 1, F = 2)");
  EXPECT_CONTAINS(built.output, "dev: the whole vocabulary's greedy pick is outside the sentence's shortlist for ");
  const std::vector<std::string> full = translate(lines_, "", tiny);
  const std::vector<std::string> listed = translate(lines_, "--shortlist", tiny);
  ASSERT_EQ(full.size(), lines_.size());
  ASSERT_EQ(listed.size(), lines_.size());
  std::size_t changed = 0;
  while (changed < full.size() && full[changed] == listed[changed]) ++changed;
  ASSERT_LT(changed, full.size()) << "so small a list changes no translation: the test would show nothing";

  test::ServeProcess server("-m " + tiny + " --threads 1", file("tiny.log"));
  for (const int beam : {1, 5}) {
    const std::vector<std::string> expected =
        beam == 5 ? listed : translate(lines_, "--shortlist --search.beam_size 1", tiny);
    const auto result = post({{"q", lines_}, {"shortlist", true}, {"beam", beam}}, server);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 200) << result->body;
    EXPECT_EQ(Json::parse(result->body)["translatedText"], Json(expected)) << "beam " << beam;
  }
  const auto whole = post({{"q", lines_}}, server);
  ASSERT_TRUE(whole);
  EXPECT_EQ(Json::parse(whole->body)["translatedText"], Json(full));
  expect_error(post({{"q", "a"}, {"shortlist", "yes"}}, server), 400,
               {{"error", "shortlist: must be true or false"}, {"field", "shortlist"}});

  const std::string prompt = translate_input(text_of({":shortlist on", lines_[changed], ":shortlist off", lines_[changed]}),
                                             "--interactive", tiny);
  EXPECT_CONTAINS(prompt, "> " + listed[changed] + "\n> ");
  EXPECT_CONTAINS(prompt, "> " + full[changed] + "\n");
  EXPECT_CONTAINS(prompt, ", shortlist");
}

// --precision bf16: served as translate translates where the CPU has bf16 (here, and with
// oneDNN held to AVX2, refused with translate's message and status).
TEST_F(ServeApi, Bf16ServesAsTranslateDoesOrIsRefusedAlike) {
  test::write_text(file("bf16.txt"), lines_[0] + "\n" + lines_[1] + "\n");
  for (const std::string environment : {"", "ONEDNN_MAX_CPU_ISA=AVX2 "}) {
    const Result translated = run_command("{ " + environment + NMT_BINARY_PATH + " translate -m " + model() +
                                          " --precision bf16 < " + file("bf16.txt") + " 2> " + file("err.txt") + "; }");
    if (translated.exit_code != 0) {
      const std::string refusal = test::read_text(file("err.txt"));
      const Result served = run_command(environment + NMT_BINARY_PATH + " serve --port 0 -m " + model() +
                                        " --precision bf16");
      EXPECT_EQ(served.exit_code, 2) << environment;
      EXPECT_EQ(translated.exit_code, 2) << refusal;
      ASSERT_NE(refusal.find(": error: "), std::string::npos) << refusal;
      const auto message = [](const std::string& output) {  // the error line, without "nmt COMMAND"
        const std::size_t start = output.find(": error: ");
        return start == std::string::npos ? output : output.substr(start, output.find('\n', start) - start);
      };
      EXPECT_EQ(message(served.output), message(refusal)) << environment;
      continue;
    }
    ASSERT_TRUE(environment.empty()) << "bf16 under AVX2: " << translated.output;
    test::ServeProcess bf16("-m " + model() + " --precision bf16", file("bf16.log"));
    const auto result = post({{"q", {lines_[0], lines_[1]}}}, bf16);
    ASSERT_TRUE(result);
    EXPECT_EQ(Json::parse(result->body)["translatedText"], Json(lines_of(translated.output)));
  }
}

// The environment of a running process, NAME=VALUE each.
std::vector<std::string> environment_of(pid_t pid) {
  std::vector<std::string> variables;
  std::istringstream in(test::read_text("/proc/" + std::to_string(pid) + "/environ"));
  for (std::string variable; std::getline(in, variable, '\0');) variables.push_back(variable);
  return variables;
}

TEST_F(ServeApi, OpenMpThreadsSleepBetweenBatchesUnlessTheUserChoseOtherwise) {
  const auto has = [](const std::vector<std::string>& variables, const std::string& variable) {
    return std::find(variables.begin(), variables.end(), variable) != variables.end();
  };
  unsetenv("GOMP_SPINCOUNT");
  unsetenv("OMP_WAIT_POLICY");
  {
    test::ServeProcess server("-m " + model() + " --threads 1", file("short-spin.log"));
    EXPECT_TRUE(has(environment_of(server.pid()), "GOMP_SPINCOUNT=10000"));
    EXPECT_CONTAINS(server.log(), "OpenMP threads between batches: GOMP_SPINCOUNT=10000");
  }
  setenv("OMP_WAIT_POLICY", "active", 1);
  {
    test::ServeProcess server("-m " + model() + " --threads 1", file("active.log"));
    EXPECT_TRUE(has(environment_of(server.pid()), "OMP_WAIT_POLICY=active"));
    EXPECT_CONTAINS(server.log(), "OpenMP threads between batches: OMP_WAIT_POLICY=active");
  }
  unsetenv("OMP_WAIT_POLICY");
}

TEST_F(ServeApi, ABatchStartsOnceEveryConnectedClientHasALineWaiting) {
  // The batch could hold 64 lines and the first line could wait 10 s for them; but the one
  // connection has sent its request, so no other line can come: the batch starts at once.
  // (Waiting the 10 s would outlast the client's read timeout.)
  test::ServeProcess server("-m " + model() + " --threads 1 --search.batch_size 64 --serve.max_wait_ms 10000",
                            file("alone.log"));
  httplib::Client client = server.client();
  client.set_keep_alive(true);
  client.set_read_timeout(8);
  for (int i = 0; i < 2; ++i) {
    const auto result = client.Post("/translate", Json{{"q", lines_[static_cast<std::size_t>(i)]}}.dump(),
                                    "application/json");
    ASSERT_TRUE(result) << httplib::to_string(result.error());
    EXPECT_EQ(result->status, 200);
  }
}

TEST_F(ServeApi, AKeptAliveConnectionIsClosedAfterKeepAliveRequests) {
  test::ServeProcess server("-m " + model() + " --threads 1 --serve.keep_alive_requests 3", file("keep.log"));
  httplib::Client client = server.client();
  client.set_keep_alive(true);
  std::vector<std::string> connection, keep_alive;
  for (int i = 0; i < 3; ++i) {
    const auto health = client.Get("/health");
    ASSERT_TRUE(health);
    connection.push_back(health->get_header_value("Connection"));
    keep_alive.push_back(health->get_header_value("Keep-Alive"));
  }
  EXPECT_EQ(keep_alive[0], "timeout=5, max=3");
  EXPECT_EQ(keep_alive[1], "timeout=5, max=3");
  EXPECT_EQ(connection[2], "close");
}

TEST_F(ServeApi, BadServeOptionsAreUsageErrors) {
  const Result bad = run_nmt("serve -m " + model() + " --serve.max_lines 10 --serve.queue_lines 5");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_CONTAINS(bad.output, "serve.max_lines: cannot exceed serve.queue_lines (5)");
  const Result dump = run_nmt("serve -m " + model() + " --port 9 --dump-config");
  EXPECT_EQ(dump.exit_code, 0);
  EXPECT_CONTAINS(dump.output, "[serve]");
  EXPECT_CONTAINS(dump.output, "port = 9");
}

}  // namespace
}  // namespace nmt
