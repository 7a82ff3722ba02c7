// interactive.cpp — the prompt loop of interactive.hpp.
#include "app/interactive.hpp"

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

#include "app/attention_view.hpp"
#include "app/option_schema.hpp"
#include "app/standard_output.hpp"
#include "data/utf8.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"

namespace nmt {
namespace {

constexpr const char* kHelp =
    "Type a sentence and press Enter to translate it. Commands:\n"
    "  :help               this list\n"
    "  :beam N             beam width (1 = greedy, up to 256)\n"
    "  :nbest K            show the K best translations with their scores (K <= beam)\n"
    "  :alpha A            length penalty: hypotheses ranked by log-prob / length^A (0 to 10)\n"
    "  :shortlist [on|off] score only each sentence's shortlist of target pieces (the model's)\n"
    "  :attention [on|off] draw the attention heatmap under every translation\n"
    "                      (more attention = more ink: denser glyphs, darker in :svg)\n"
    "                      (an ensemble's: its models' attention averaged with their weights)\n"
    "  :show               draw the last translation's attention\n"
    "  :svg FILE           write the last translation's attention as an SVG file\n"
    "  :quit               leave (or Ctrl-D)\n";


class Session {
 public:
  Session(Translator& translator, std::ostream& out, InteractiveOptions options)
      : translator_(translator), out_(out), options_(std::move(options)) {}

  void greet() {
    const LoadedModel& m = translator_.model();
    std::size_t parameters = 0;
    for (const EnsembleModel& member : translator_.models()) parameters += member.model.parameters.size();
    const std::size_t members = translator_.models().size();
    out_ << fmt::format("nmt: {} ({}{}, {} → {} pieces, {:.1f} M parameters), {}. Type a sentence, or :help.\n",
                        options_.model_name, members > 1 ? fmt::format("an ensemble of {}, ", members) : "",
                        translator_.languages().describe(), m.vocabularies.source.vocab_size(),
                        m.vocabularies.target.vocab_size(), static_cast<double>(parameters) / 1e6,
                        describe_search());
  }

  // Handles one input line; false to leave.
  bool handle(const std::string& line) {
    if (!line.empty() && line[0] == ':') return command(line);
    translate(line);
    return true;
  }

 private:
  std::string describe_search() const {
    const SearchConfig& s = translator_.search();
    return (s.beam_size == 1 && s.nbest == 1
                ? std::string("greedy search")
                : fmt::format("beam {}, {}-best, alpha {}", s.beam_size, s.nbest, s.length_penalty)) +
           (s.shortlist ? ", shortlist" : "");
  }

  void translate(const std::string& line) {
    ++line_number_;
    const Translation t = translator_.translate_nbest({line}, line_number_, true).front();
    if (t.source.empty()) {
      out_ << "\n";
      return;
    }
    const SearchConfig& s = translator_.search();
    if (s.nbest == 1) {
      out_ << t.nbest.front().text << "\n";
    } else {
      for (std::size_t k = 0; k < t.nbest.size(); ++k)
        out_ << fmt::format("{}. {}   ({:.3f})\n", k + 1, t.nbest[k].text, t.nbest[k].score);
    }
    last_ = attention_of(translator_, t);
    if (options_.show_attention) out_ << render_heatmap(last_);
  }

  bool command(const std::string& line) {
    // ":name argument", the argument being the rest of the line (a path may hold spaces).
    const std::size_t space = std::min(line.find(' '), line.size());
    const std::string name = line.substr(0, space);
    const std::size_t first = std::min(line.find_first_not_of(' ', space), line.size());
    const std::size_t last = line.find_last_not_of(' ');
    const std::string argument = first <= last && last != std::string::npos ? line.substr(first, last - first + 1) : "";
    SearchConfig s = translator_.search();
    if (name == ":quit" || name == ":q" || name == ":exit") return false;
    if (name == ":help" || name == ":h" || name == ":?") {
      out_ << kHelp;
    } else if (name == ":beam") {
      if (argument.empty()) return usage(":beam N (sets search.beam_size)");
      if (read(argument, "search.beam_size", s.beam_size)) set(s);
    } else if (name == ":nbest") {
      if (argument.empty()) return usage(":nbest K (sets search.nbest)");
      if (read(argument, "search.nbest", s.nbest)) set(s);
    } else if (name == ":alpha") {
      if (argument.empty()) return usage(":alpha A (sets search.length_penalty)");
      if (read(argument, "search.length_penalty", s.length_penalty)) set(s);
    } else if (name == ":shortlist") {
      if (argument.empty()) s.shortlist = !s.shortlist;
      else if (argument == "on" || argument == "off") s.shortlist = argument == "on";
      else return usage(":shortlist [on|off] (sets search.shortlist)");
      set(s);
    } else if (name == ":attention") {
      if (argument.empty()) options_.show_attention = !options_.show_attention;
      else if (argument == "on" || argument == "off") options_.show_attention = argument == "on";
      else return usage(":attention [on|off]");
      out_ << "attention heatmap " << (options_.show_attention ? "on" : "off") << "\n";
    } else if (name == ":show") {
      if (last_.target.empty()) out_ << "nothing translated yet\n";
      else out_ << render_heatmap(last_);
    } else if (name == ":svg") {
      if (argument.empty()) return usage(":svg FILE");
      if (last_.target.empty()) {
        out_ << "nothing translated yet\n";
      } else {
        try {
          write_file_atomically(argument, render_svg(last_));
          out_ << "wrote " << argument << "\n";
        } catch (const std::exception& e) {
          out_ << "could not write '" << utf8::escape_for_message(argument) << "': "
               << utf8::escape_for_message(e.what()) << "\n";
        }
      }
    } else {
      out_ << "unknown command '" << utf8::escape_for_message(name) << "'; :help lists the commands\n";
    }
    return true;
  }

  // Reads a command's argument as a flag's or a config key's value is read
  // (parse_option_value); a value that is not of the key's type is refused with the
  // flag's message, "search.beam_size = two: must be a whole number".
  template <class T>
  bool read(const std::string& argument, const char* key, T& value) {
    const std::string problem = parse_option_value(argument, value);
    if (!problem.empty()) out_ << utf8::escape_for_message(std::string(key) + " = " + argument + ": " + problem) << "\n";
    return problem.empty();
  }

  // The same rules as the command line's (search_problem): a refused value changes nothing.
  void set(const SearchConfig& s) {
    try {
      translator_.set_search(s);  // the search rules, and a shortlist the model must have
    } catch (const std::invalid_argument& e) {
      out_ << e.what() << "\n";
      return;
    }
    out_ << describe_search() << "\n";
  }

  bool usage(const std::string& text) {
    out_ << "usage: " << text << "\n";
    return true;
  }

  Translator& translator_;
  std::ostream& out_;
  InteractiveOptions options_;
  AttentionMatrix last_;
  std::size_t line_number_ = 0;  // sentences typed, for warnings
};

// After each answer, before the next line is read: a failed write ends the session.
void flush_checked(std::ostream& out) {
  if (&out == &std::cout) return flush_standard_output();  // throws naming the reason
  if (!out.flush()) throw std::runtime_error("cannot write the prompt's output");
}

// The plain reader: the prompt written to the output stream, a line read from the input.
class StreamPromptInput : public PromptInput {
 public:
  StreamPromptInput(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
  bool read_line(const std::string& prompt, std::string& line) override {
    out_ << prompt;
    flush_checked(out_);
    return read_stream_line(in_, line);
  }

 private:
  std::istream& in_;
  std::ostream& out_;
};

}  // namespace

void run_interactive(Translator& translator, PromptInput& in, std::ostream& out, InteractiveOptions options) {
  Session session(translator, out, std::move(options));
  session.greet();
  std::string line;
  for (;;) {
    flush_checked(out);
    if (!in.read_line("> ", line)) {
      out << "\n";
      break;
    }
    if (!session.handle(line)) break;
  }
}

void run_interactive(Translator& translator, std::istream& in, std::ostream& out, InteractiveOptions options) {
  StreamPromptInput plain(in, out);
  run_interactive(translator, plain, out, std::move(options));
}

}  // namespace nmt
