// line_editor.cpp — the libedit prompt of line_editor.hpp.
//
// Signals reach the editor through a pipe: the SIGINT and SIGWINCH handlers write one
// byte to it, and the editor's own character reader (EL_GETCFN) polls the terminal and
// the pipe together. A SIGINT becomes the character Ctrl-C, bound to a function that
// marks the line cancelled, shows "^C" at its end and ends it; the line is then dropped.
// Bytes the pipe received while no line was being read (during a translation) are
// discarded before each line. libedit's own signal handling (EL_SIGNAL) stays off: it
// re-sends signals to the whole process group.
#include "app/line_editor.hpp"

#include <fcntl.h>
#include <histedit.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstring>
#include <cwchar>
#include <stdexcept>

namespace nmt {
namespace {

constexpr char kInterrupt = 'i', kResize = 'w';
constexpr wchar_t kCtrlC = 0x03;
constexpr int kHistorySize = static_cast<int>(PromptHistory::kMaxEntries);

int signal_pipe[2] = {-1, -1};  // [0] read by the editor, [1] written by the handlers

extern "C" void send_interrupt(int) {
  const int saved = errno;
  [[maybe_unused]] const ssize_t n = ::write(signal_pipe[1], &kInterrupt, 1);
  errno = saved;
}

extern "C" void send_resize(int) {
  const int saved = errno;
  [[maybe_unused]] const ssize_t n = ::write(signal_pipe[1], &kResize, 1);
  errno = saved;
}

bool ctype_is_utf8() { return std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }

}  // namespace

struct LineEditor::State {
  explicit State(PromptHistory file) : history_file(std::move(file)) {}
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() { release(); }

  PromptHistory history_file;
  bool owns_process_state = false;  // the locale, the signal pipe and the handlers
  std::string saved_locale;
  struct sigaction saved_interrupt {}, saved_resize {};
  EditLine* editor = nullptr;
  History* history = nullptr;
  std::string prompt;
  std::mbstate_t decoding{};
  bool cancelled = false;

  static State& of(EditLine* editor) {
    void* data = nullptr;
    el_get(editor, EL_CLIENTDATA, &data);
    return *static_cast<State*>(data);
  }

  static char* prompt_of(EditLine* editor) { return of(editor).prompt.data(); }

  // libedit's character reader: one character from the terminal (UTF-8, an invalid
  // sequence read as U+FFFD), or Ctrl-C for a SIGINT. 1 for a character, 0 at the end of
  // input, -1 on an error.
  static int read_character(EditLine* editor, wchar_t* out) {
    State& state = of(editor);
    for (;;) {
      pollfd sources[2] = {{STDIN_FILENO, POLLIN, 0}, {signal_pipe[0], POLLIN, 0}};
      if (::poll(sources, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return -1;
      }
      if (sources[1].revents & POLLIN) {
        char signal_byte = 0;
        if (::read(signal_pipe[0], &signal_byte, 1) == 1 && signal_byte == kResize) {
          el_resize(editor);
          continue;
        }
        state.decoding = {};
        *out = kCtrlC;
        return 1;
      }
      if (sources[0].revents == 0) continue;
      char byte = 0;
      const ssize_t got = ::read(STDIN_FILENO, &byte, 1);
      if (got == 0) return 0;
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return -1;
      }
      wchar_t decoded = 0;
      const std::size_t used = std::mbrtowc(&decoded, &byte, 1, &state.decoding);
      if (used == static_cast<std::size_t>(-2)) continue;  // a character's first bytes
      if (used == static_cast<std::size_t>(-1)) {
        state.decoding = {};
        decoded = 0xFFFD;
      }
      *out = decoded;
      return 1;
    }
  }

  // Bound to Ctrl-C: "^C" at the end of the line, which ends (and is then dropped).
  static unsigned char cancel_line(EditLine* editor, int) {
    State& state = of(editor);
    state.cancelled = true;
    const LineInfo* line = el_line(editor);
    el_cursor(editor, static_cast<int>(line->lastchar - line->cursor));
    el_insertstr(editor, "^C");
    el_push(editor, "\n");
    return CC_REFRESH;
  }

  // Gives back what the editor took: the terminal's modes, the handlers, the locale.
  void release() {
    if (editor) {
      sigaction(SIGINT, &saved_interrupt, nullptr);
      sigaction(SIGWINCH, &saved_resize, nullptr);
      el_end(editor);
      editor = nullptr;
    }
    if (history) history_end(history);
    history = nullptr;
    if (!owns_process_state) return;
    for (int& fd : signal_pipe) {
      if (fd >= 0) ::close(fd);
      fd = -1;
    }
    std::setlocale(LC_CTYPE, saved_locale.c_str());
    owns_process_state = false;
  }

  // Drops the Ctrl-Cs that came while no line was read; a resize still counts.
  void discard_pending_signals() const {
    char bytes[64];
    bool resized = false;
    for (ssize_t n; (n = ::read(signal_pipe[0], bytes, sizeof bytes)) > 0;)
      resized = resized || std::memchr(bytes, kResize, static_cast<std::size_t>(n)) != nullptr;
    if (resized) el_resize(editor);
  }
};

LineEditor::LineEditor(PromptHistory history_file) : state_(std::make_unique<State>(std::move(history_file))) {
  State& s = *state_;
  if (signal_pipe[0] >= 0) throw std::logic_error("LineEditor: only one may exist at a time");
  if (::pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    signal_pipe[0] = signal_pipe[1] = -1;
    throw std::runtime_error(std::string("cannot make the editor's signal pipe: ") + std::strerror(errno));
  }
  s.owns_process_state = true;
  s.saved_locale = std::setlocale(LC_CTYPE, nullptr);
  if (!(std::setlocale(LC_CTYPE, "") && ctype_is_utf8()) && !(std::setlocale(LC_CTYPE, "C.UTF-8") && ctype_is_utf8()))
    throw std::runtime_error("no UTF-8 locale (C.UTF-8) to edit lines in");
  s.history = history_init();
  if (!s.history) throw std::runtime_error("libedit cannot make a history");
  HistEvent event;
  ::history(s.history, &event, H_SETSIZE, kHistorySize);
  ::history(s.history, &event, H_SETUNIQUE, 1);
  for (const std::string& line : s.history_file.loaded()) ::history(s.history, &event, H_ENTER, line.c_str());

  s.editor = el_init("nmt", stdin, stdout, stderr);
  if (!s.editor) throw std::runtime_error("libedit cannot start on this terminal");
  el_set(s.editor, EL_CLIENTDATA, &s);
  el_set(s.editor, EL_EDITOR, "emacs");
  el_set(s.editor, EL_PROMPT, &State::prompt_of);
  el_set(s.editor, EL_HIST, ::history, s.history);
  el_set(s.editor, EL_GETCFN, &State::read_character);
  // The wide form: libedit keeps these strings as given (its narrow form copies them
  // and never frees the copies).
  el_wset(s.editor, EL_ADDFN, L"nmt-cancel-line", L"clear the line and give a fresh prompt", &State::cancel_line);
  el_set(s.editor, EL_BIND, "^C", "nmt-cancel-line", static_cast<const char*>(nullptr));

  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // the translation's own system calls go on
  action.sa_handler = send_interrupt;
  sigaction(SIGINT, &action, &s.saved_interrupt);
  action.sa_handler = send_resize;
  sigaction(SIGWINCH, &action, &s.saved_resize);
}

LineEditor::~LineEditor() = default;

bool LineEditor::read_line(const std::string& prompt, std::string& line) {
  State& s = *state_;
  s.prompt = prompt;
  s.discard_pending_signals();  // a Ctrl-C during the last translation is ignored
  for (;;) {
    s.cancelled = false;
    int count = 0;
    const char* text = el_gets(s.editor, &count);
    if (!text || count <= 0) return false;
    if (s.cancelled) continue;
    line.assign(text, static_cast<std::size_t>(count));
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (!line.empty()) {
      HistEvent event;
      ::history(s.history, &event, H_ENTER, line.c_str());
      s.history_file.add(line);
    }
    return true;
  }
}

}  // namespace nmt
