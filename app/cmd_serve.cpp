// cmd_serve.cpp — `nmt serve`: translation over HTTP, for other programs and the page.
//
// Routes (serve_response.hpp has the bodies): GET / the page, POST /translate,
// GET /languages, GET /info, GET /health; another method on one of them is 405, another
// path 404. Requests are handled on serve.http_threads threads (serve_workers.hpp); the
// lines of /translate go to the one translation thread (translation_queue.hpp), which
// batches the lines of concurrent requests. Each request is logged once: method, path,
// status, lines, milliseconds. SIGINT/SIGTERM stops accepting, answers the requests in
// flight and exits 0 (a second signal ends the process at once).
#include <boost/program_options.hpp>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/compute_settings.hpp"
#include "app/config_sections.hpp"
#include "app/model_flags.hpp"
#include "app/openmp_wait.hpp"
#include "app/serve_config.hpp"
#include "app/serve_page.hpp"
#include "app/serve_request.hpp"
#include "app/serve_response.hpp"
#include "app/serve_workers.hpp"
#include "app/translation_queue.hpp"
#include "data/line_reader.hpp"
#include "training/log.hpp"
#include "training/stop_signal.hpp"

namespace nmt {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

const char* const kRoutes = "GET /, POST /translate, GET /languages, GET /info, GET /health";

// What the log line of the request being handled on this thread reports besides status.
struct RequestRecord {
  bool started = false;  // routed (a request refused while its headers were read is not)
  Clock::time_point start;
  std::size_t lines = 0;
};
thread_local RequestRecord current_request;

void reply_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

// The keys of serve.api_keys_file, one a line (blank lines skipped); none for "".
std::set<std::string> read_api_keys(const std::string& path) {
  std::set<std::string> keys;
  if (path.empty()) return keys;
  for (const std::string& line : read_lines(path))
    if (!line.empty()) keys.insert(line);
  if (keys.empty()) throw ConfigError("serve.api_keys_file = " + path + ": holds no key");
  return keys;
}

class Server {
 public:
  // `connections`: kept equal to the connections being served; it outlives the server.
  Server(TranslationQueue& queue, SearchConfig search, ServeConfig serve, std::set<std::string> api_keys,
         std::atomic<std::size_t>& connections)
      : queue_(queue), search_(search), serve_(std::move(serve)),
        api_keys_(std::move(api_keys)), connections_(connections) {
    rules_.max_lines = static_cast<std::size_t>(serve_.max_lines);
    rules_.max_line_bytes = static_cast<std::size_t>(serve_.max_line_bytes);
    rules_.languages = queue_.translator().model().languages;
    rules_.has_shortlist = queue_.translator().has_shortlist();
    configure();
  }

  // Binds; throws std::runtime_error naming the address when it cannot.
  int bind() {
    const bool any_port = serve_.port == 0;
    const int port = any_port ? http_.bind_to_any_port(serve_.host)
                              : (http_.bind_to_port(serve_.host, serve_.port) ? serve_.port : -1);
    if (port < 0 || ::listen(listening_socket_, serve_.listen_backlog) != 0)
      throw std::runtime_error(
          fmt::format("cannot listen on {}:{}: {}", serve_.host, serve_.port, std::strerror(errno)));
    return port;
  }
  // Serves until stop(); false if listening failed.
  bool listen() { return http_.listen_after_bind(); }
  bool running() const { return http_.is_running(); }
  void stop() { http_.stop(); }

 private:
  void configure() {
    const int threads = serve_.http_threads, queue = serve_.http_queue;
    http_.new_task_queue = [this, threads, queue] {
      return new ServeWorkers(static_cast<std::size_t>(threads), static_cast<std::size_t>(queue), connections_);
    };
    // The library listens with a backlog of 5: more clients connecting at once lose their
    // SYN and retry a second later. Its socket is kept here to listen again with ours.
    http_.set_socket_options([this](socket_t socket) {
      httplib::default_socket_options(socket);
      listening_socket_ = socket;
    });
    http_.set_keep_alive_max_count(static_cast<std::size_t>(serve_.keep_alive_requests));
    http_.set_payload_max_length(static_cast<std::size_t>(serve_.max_body_bytes));
    http_.set_read_timeout(serve_.read_timeout_s);
    http_.set_write_timeout(serve_.write_timeout_s);
    http_.set_tcp_nodelay(true);  // an answer goes out whole at once, not after the client's delayed ACK
    http_.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      current_request = {true, Clock::now(), 0};
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http_.set_logger([](const httplib::Request& req, const httplib::Response& res) { log_request(req, res); });
    http_.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req,
                                                                        httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours already
      reply_json(res, res.status, error_json(library_error(req, res.status)));
      return httplib::Server::HandlerResponse::Handled;
    }));
    http_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
      std::string message = "internal error";
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& error) {
        message = error.what();
      } catch (...) {
      }
      reply_json(res, 500, error_json(message));
    });

    http_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      const std::string_view page = serve_page();
      res.set_content(page.data(), page.size(), "text/html; charset=utf-8");
    });
    http_.Post("/translate", [this](const httplib::Request& req, httplib::Response& res) { translate(req, res); });
    http_.Get("/languages", [this](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 200, languages_json(rules_));
    });
    http_.Get("/info", [this](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 200, info_json(queue_.translator(), search_, serve_, rules_));
    });
    http_.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 200, health_json(queue_.load()));
    });
    refuse_other_methods();
  }

  // 405 with Allow for a known path asked with a method it does not take.
  void refuse_other_methods() {
    const auto refuse = [](const char* allowed) {
      return [allowed](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Allow", allowed);
        reply_json(res, 405, error_json(fmt::format("{} {}: method not allowed (allowed: {})", req.method,
                                                    req.path, allowed)));
      };
    };
    for (const char* path : {"/", "/languages", "/info", "/health"}) {
      http_.Post(path, refuse("GET"));
      http_.Put(path, refuse("GET"));
      http_.Delete(path, refuse("GET"));
      http_.Patch(path, refuse("GET"));
    }
    http_.Get("/translate", refuse("POST"));
    http_.Put("/translate", refuse("POST"));
    http_.Delete("/translate", refuse("POST"));
    http_.Patch("/translate", refuse("POST"));
  }

  // The message of an error answered by the HTTP library itself (no handler ran).
  std::string library_error(const httplib::Request& req, int status) const {
    if (status == 404) return fmt::format("no route {} {} (the routes: {})", req.method, req.path, kRoutes);
    if (status == 413 && req.get_header_value("Content-Type") == "application/x-www-form-urlencoded")
      return fmt::format("a form-encoded body is limited to {} bytes: send the JSON as Content-Type: application/json",
                         CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH);
    if (status == 413) return fmt::format("the body is larger than serve.max_body_bytes ({})", serve_.max_body_bytes);
    return fmt::format("HTTP status {}: malformed request", status);
  }

  void translate(const httplib::Request& req, httplib::Response& res) {
    TranslateRequest request;
    try {
      request = parse_translate_request(req.body, search_, rules_);
      check_api_key(request);
    } catch (const RequestError& e) {
      return reply_json(res, e.status(), error_json(e));
    }
    current_request.lines = request.lines.size();
    auto future = queue_.submit(request.lines, request.search, request.attention);
    if (!future) {
      res.set_header("Retry-After", "1");
      return reply_json(res, 503, error_json(fmt::format("busy: the translation queue is full (serve.queue_lines = "
                                                         "{}); retry later",
                                                         serve_.queue_lines)));
    }
    const std::vector<Translation> translations = future->get();  // a failure: the exception handler's 500
    reply_json(res, 200, translation_json(request, translations, queue_.translator()));
  }

  void check_api_key(const TranslateRequest& request) const {
    if (api_keys_.empty()) return;
    if (!request.api_key) throw RequestError(401, "api_key", "api_key: missing: this server needs an API key");
    if (api_keys_.count(*request.api_key) == 0)
      throw RequestError(401, "api_key", "api_key: not a key of this server");
  }

  static void log_request(const httplib::Request& req, const httplib::Response& res) {
    const RequestRecord record = current_request;
    current_request = {};
    const double ms =
        record.started ? std::chrono::duration<double, std::milli>(Clock::now() - record.start).count() : 0.0;
    log::info("serve", "{} {} {} {} lines {:.1f} ms", req.method, req.path, res.status, record.lines, ms);
  }

  TranslationQueue& queue_;
  const SearchConfig search_;
  const ServeConfig serve_;
  const std::set<std::string> api_keys_;
  std::atomic<std::size_t>& connections_;
  RequestRules rules_;
  int listening_socket_ = -1;  // the library's, once it has made it (bind)
  httplib::Server http_;
};

// Stops `server` once a stop signal has come and the server is listening.
void stop_on_signal(Server& server, const std::atomic<bool>& finished) {
  while (!finished.load()) {
    if (stop_signal() != 0 && server.running()) {
      log::info("serve", "stopping: answering the requests in flight");
      server.stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

int run_serve(const Arguments& arguments) {
  CommandLine command_line(
      "serve", "nmt serve -m MODEL [-m MODEL ...] [--host 127.0.0.1] [--port 8080] [options]",
      "Serves translations over HTTP: POST /translate {\"q\": \"text\" | [\"line\", ...], \"beam\": B,\n"
      "\"nbest\": K, \"alpha\": A, \"attention\": true} answers {\"translatedText\": ...}; GET /languages,\n"
      "/info, /health; GET / a page. Lines of concurrent requests are translated together\n"
      "(up to search.batch_size, after at most serve.max_wait_ms), each as `nmt translate`\n"
      "translates it alone. Bad requests get 400 or 413 naming the field; a full queue 503.\n"
      "SIGINT/SIGTERM: stops accepting, answers the requests in flight, exits 0. Several\n"
      "-m MODEL: an ensemble (log-probabilities averaged at each step, --weights W... per\n"
      "model; attention is the models' averaged).");
  add_model_flags(command_line, true);
  ComputeConfig compute;
  add_compute_options(command_line, "compute", compute);
  SearchConfig search;
  add_translation_search_options(command_line.schema(), search);
  ServeConfig serve;
  command_line.schema().add_section("serve", serve);
  command_line.schema().add_alias("host", "serve.host");
  command_line.schema().add_alias("port", "serve.port");
  RunConfig training_config;  // a training config's other sections: checked, then unused
  add_training_sections_file_only(command_line.schema(), training_config);
  if (!command_line.parse(arguments)) return 0;
  apply_compute(compute, "compute", command_line.schema());
  std::set<std::string> api_keys = read_api_keys(serve.api_keys_file);

  std::atomic<std::size_t> connections{0};  // being served: the most requests that can be waiting
  TranslationQueue queue(Translator(load_models(command_line), search), std::chrono::milliseconds(serve.max_wait_ms),
                         static_cast<std::size_t>(serve.queue_lines), [&connections] { return connections.load(); });
  const StopSignalScope signals;
  Server server(queue, search, serve, std::move(api_keys), connections);
  const int port = server.bind();
  log::info("serve", "OpenMP threads between batches: {}", openmp_wait_policy());
  log::info("serve", "listening on http://{}:{}", serve.host, port);
  std::atomic<bool> finished{false};
  std::thread watcher([&] { stop_on_signal(server, finished); });
  const bool listened = server.listen();
  finished.store(true);
  watcher.join();
  queue.stop();
  if (!listened && stop_signal() == 0) throw std::runtime_error("the server stopped listening");
  log::info("serve", "stopped");
  return 0;
}

}  // namespace nmt
