// serve_config.hpp — the [serve] section: where `nmt serve` listens and its limits.
//
// Declared once here (core/fields.hpp); cmd_serve registers it on its option schema, so
// every key is a flag (--serve.port), an INI key in [serve] and a line of --dump-config.
// The translation thread takes up to search.batch_size waiting lines at a time (the
// [search] section's, as `nmt translate -i` batches); the keys here bound what waits.
#pragma once

#include <string>

#include "core/fields.hpp"

namespace nmt {

struct ServeConfig {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0: any free port (the bound one is logged)
  int max_wait_ms = 5;             // how long the first waiting line waits for others to fill a batch
  int queue_lines = 1024;          // lines accepted and not yet answered, over all requests
  int http_threads = 8;            // connections served at once
  int http_queue = 64;             // connections accepted and waiting for an HTTP thread
  int listen_backlog = 128;        // connections the kernel holds before they are accepted
  int keep_alive_requests = 100;   // requests on one connection before the server closes it
  int max_body_bytes = 1 << 20;    // a larger request body is answered 413
  int max_lines = 256;             // lines per request
  int max_line_bytes = 4096;       // bytes per line
  std::string api_keys_file;       // one key per line; "" = no key asked
  int read_timeout_s = 5;
  int write_timeout_s = 5;

  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"host", "address to listen on (0.0.0.0: every interface)"}, self.host, not_empty());
    visit(FieldSpec{"port", "TCP port (0: any free port; the bound address is logged)"}, self.port,
          in_range(0, 65535));
    visit(FieldSpec{"max_wait_ms",
                    "how long a waiting line waits for others to fill a batch (no longer than until every "
                    "connected client has a line waiting)"},
          self.max_wait_ms,
          in_range(0, 10000));
    visit(FieldSpec{"queue_lines", "lines accepted and not yet answered, over all requests; beyond: 503"},
          self.queue_lines, in_range(1, 1 << 20));
    visit(FieldSpec{"http_threads", "connections served at once (an idle kept-alive one holds its thread up to 5 s)"},
          self.http_threads, in_range(1, 1024));
    visit(FieldSpec{"http_queue", "connections waiting for an HTTP thread; beyond, they wait to be accepted"},
          self.http_queue, in_range(1, 1 << 16));
    visit(FieldSpec{"listen_backlog",
                    "connections the kernel holds before they are accepted (more are refused or retried by the client "
                    "after about a second)"},
          self.listen_backlog, in_range(1, 1 << 16));
    visit(FieldSpec{"keep_alive_requests",
                    "requests served on one kept-alive connection before it is closed (it then frees its thread "
                    "for a waiting connection)"},
          self.keep_alive_requests, in_range(1, 1 << 30));
    visit(FieldSpec{"max_body_bytes", "largest request body; beyond: 413"}, self.max_body_bytes,
          in_range(64, 1 << 30));
    visit(FieldSpec{"max_lines", "most lines in one request; beyond: 413"}, self.max_lines, in_range(1, 1 << 20));
    visit(FieldSpec{"max_line_bytes", "longest line in bytes; beyond: 413"}, self.max_line_bytes,
          in_range(1, 1 << 24));
    visit(FieldSpec{"api_keys_file", "file of API keys, one a line; when given, every request needs one",
                    /*required=*/false, /*input_path=*/true},
          self.api_keys_file, any_value<std::string>());
    visit(FieldSpec{"read_timeout_s", "seconds a client may take to send its request"}, self.read_timeout_s,
          in_range(1, 3600));
    visit(FieldSpec{"write_timeout_s", "seconds a client may take to read its answer"}, self.write_timeout_s,
          in_range(1, 3600));
  }
  template <class Report>
  static void relations(const ServeConfig& c, Report&& report) {
    report("max_lines", c.max_lines > c.queue_lines
                            ? "cannot exceed serve.queue_lines (" + std::to_string(c.queue_lines) + ")"
                            : std::string());
  }
};

}  // namespace nmt
