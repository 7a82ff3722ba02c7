// serve_client.cpp — load for `nmt serve`: C clients, each sending R one-line requests
// (the lines of a file, in turn) one after another; prints the throughput and latency.
//   serve_client PORT CLIENTS REQUESTS LINES_FILE
// Prints one line "json: {...}" (clients, requests, seconds, requests_per_s, lines_per_s,
// p50_ms, p99_ms, failed) and the machine's oneDNN ISA; bench/serve_load.sh runs it.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "model/dnnl_backend.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> read_all_lines(const char* path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: serve_client PORT CLIENTS REQUESTS LINES_FILE\n");
    return 2;
  }
  const int port = std::atoi(argv[1]), clients = std::atoi(argv[2]), requests = std::atoi(argv[3]);
  const std::vector<std::string> lines = read_all_lines(argv[4]);
  if (lines.empty() || clients < 1 || requests < 1) {
    std::fprintf(stderr, "serve_client: nothing to send\n");
    return 2;
  }
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> failed{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(300);
      for (int i = 0; i < requests; ++i) {
        const std::string& line = lines[static_cast<std::size_t>(c * requests + i) % lines.size()];
        const auto sent = Clock::now();
        const auto result = client.Post("/translate", nlohmann::json{{"q", line}}.dump(), "application/json");
        if (!result || result->status != 200) ++failed;
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
      }
    });
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const double total = static_cast<double>(clients) * requests;
  const nlohmann::json report{{"clients", clients},          {"requests", clients * requests},
                              {"seconds", seconds},          {"requests_per_s", total / seconds},
                              {"lines_per_s", total / seconds}, {"p50_ms", percentile(all, 0.50)},
                              {"p99_ms", percentile(all, 0.99)}, {"failed", failed.load()}};
  std::printf("machine: oneDNN ISA %s\njson: %s\n", nmt::cpu_isa_name().c_str(), report.dump().c_str());
  return failed.load() == 0 ? 0 : 1;
}
