// test_serve_load.cpp — `nmt serve` under load and faults, over loopback: 16 concurrent
// clients mixing one-line requests, lists and bad requests, every answer checked (each
// translation equal to `nmt translate`'s for that line, each bad request 400 with its
// message); clients that disconnect mid-request; SIGTERM while the clients keep sending
// (every answer given is right, the server exits 0). Requests per client:
// NMT_SERVE_LOAD_REQUESTS (25 by default, the CI size; the full size is 200).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

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

constexpr int kClients = 16;

int requests_per_client() {
  const char* set = std::getenv("NMT_SERVE_LOAD_REQUESTS");
  return set ? std::atoi(set) : 25;
}

using test::lines_of;

// Problems found by the client threads, reported by the test's thread.
class Problems {
 public:
  void add(std::string problem) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (problems_.size() < 20) problems_.push_back(std::move(problem));
    ++count_;
  }
  std::string report() const {
    std::string out = fmt::format("{} problems", count_);
    for (const auto& p : problems_) out += "\n" + p;
    return count_ == 0 ? "" : out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> problems_;
  std::size_t count_ = 0;
};

// One request of the mix and what its answer must be.
struct Exchange {
  std::string body;
  int status;
  Json answer;
};

class ServeLoad : public TrainedModelSuite<ServeLoad> {
 protected:
  static void SetUpTestSuite() {
    train_model();
    if (!setup_problem_.empty()) return;
    lines_ = lines_of(test::read_text(corpus("test.en")));
    const Result translated = run_command(std::string(NMT_BINARY_PATH) + " translate -m " + model() + " < " +
                                          corpus("test.en") + " 2>/dev/null");
    expected_ = lines_of(translated.output);
    if (translated.exit_code != 0 || expected_.size() != lines_.size())
      setup_problem_ = "nmt translate failed: " + translated.output;
  }
  static std::string server_options() { return "-m " + model() + " --threads 1 --serve.http_threads " +
                                               std::to_string(kClients); }

  // The n-th request of the mix: one line, a list of 1-4 lines, or a bad request.
  static Exchange exchange(std::size_t n) {
    const std::size_t first = (n * 7) % lines_.size();
    switch (n % 5) {
      case 0:
      case 1:
        return {Json{{"q", lines_[first]}}.dump(), 200, {{"translatedText", expected_[first]}}};
      case 2:
      case 3: {
        std::vector<std::string> q, answer;
        for (std::size_t i = 0; i < 1 + n % 4; ++i) {
          q.push_back(lines_[(first + i) % lines_.size()]);
          answer.push_back(expected_[(first + i) % lines_.size()]);
        }
        return {Json{{"q", q}}.dump(), 200, {{"translatedText", answer}}};
      }
      default:
        if (n % 2 == 0)
          return {"{\"q\": [\"a\", ", 400,
                  {{"error", "invalid JSON at byte offset 12: parse error at line 1, column 13: syntax error while parsing "
                             "value - unexpected end of input; expected '[', '{', or a literal"},
                   {"offset", 12}}};
        return {Json{{"q", {lines_[first], 7}}}.dump(), 400, {{"error", "q[1]: must be a string"}, {"field", "q[1]"}}};
    }
  }

  // Sends `e` and checks its answer; a problem is added when it is wrong (or missing, if
  // `must_answer`). True when answered.
  // `who` names the client and request in the problem.
  static bool check(httplib::Client& client, const Exchange& e, Problems& problems, bool must_answer = true,
                    const std::string& who = "") {
    const auto result = client.Post("/translate", e.body, "application/json");
    if (!result) {
      if (must_answer)
        problems.add(fmt::format("{}: no answer to {}: {}", who, e.body, httplib::to_string(result.error())));
      return false;
    }
    if (result->status != e.status || Json::parse(result->body) != e.answer)
      problems.add(fmt::format("{}: {} answered {} {}, not {} {}", who, e.body, result->status, result->body, e.status,
                               e.answer.dump()));
    return true;
  }

  static inline std::vector<std::string> lines_, expected_;
};

TEST_F(ServeLoad, SixteenClientsGetEveryAnswerRight) {
  test::ServeProcess server(server_options(), file("load.log"));
  const int requests = requests_per_client();
  Problems problems;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      httplib::Client client = server.client();
      client.set_keep_alive(c % 2 == 0);  // half reuse their connection, half open one per request
      for (int i = 0; i < requests; ++i)
        check(client, exchange(static_cast<std::size_t>(c * requests + i)), problems, true,
              fmt::format("client {} ({}), request {}", c, c % 2 == 0 ? "keep-alive" : "a connection each", i));
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(problems.report(), "") << server.log();
  const auto health = server.client().Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(Json::parse(health->body), Json({{"status", "ok"}, {"waiting_lines", 0}, {"pending_lines", 0}}));
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

// A raw loopback connection, for what an HTTP client would not do.
int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    throw std::runtime_error("cannot connect");
  return fd;
}

void send_all(int fd, const std::string& data) {
  for (std::size_t sent = 0; sent < data.size();) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

TEST_F(ServeLoad, ClientsThatDisconnectMidRequestLeaveTheServerServing) {
  test::ServeProcess server(server_options(), file("disconnect.log"));
  // Headers and half a body, then gone.
  const std::string body = Json{{"q", lines_}}.dump();
  int fd = connect_to(server.port());
  send_all(fd, fmt::format("POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: {}\r\n\r\n{}",
                           body.size(), body.substr(0, body.size() / 2)));
  ::close(fd);
  // A whole request, gone before its answer: the translation is done, its answer dropped.
  fd = connect_to(server.port());
  send_all(fd, fmt::format("POST /translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: {}\r\n\r\n{}",
                           body.size(), body));
  ::close(fd);
  // Half the headers, then gone.
  fd = connect_to(server.port());
  send_all(fd, "POST /translate HTTP/1.1\r\nHost:");
  ::close(fd);
  Problems problems;
  httplib::Client client = server.client();
  for (std::size_t n = 0; n < 10; ++n) check(client, exchange(n), problems);
  EXPECT_EQ(problems.report(), "");
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST_F(ServeLoad, SigtermUnderLoadAnswersRightlyAndExitsZero) {
  test::ServeProcess server(server_options(), file("sigterm.log"));
  Problems problems;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&, c] {
      httplib::Client client = server.client();
      client.set_keep_alive(c % 2 == 0);
      // Until the server is gone: every answer it gives must be right.
      for (std::size_t n = static_cast<std::size_t>(c) * 1000;; ++n) {
        if (!check(client, exchange(n), problems, false)) return;
        ++answered;
      }
    });
  while (answered.load() < 4 * kClients) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  for (auto& t : clients) t.join();
  EXPECT_EQ(problems.report(), "");
  EXPECT_CONTAINS(server.log(), "[serve] stopped");
}

}  // namespace
}  // namespace nmt
