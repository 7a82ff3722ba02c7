// test_prompt_terminal.cpp — the prompt at a real terminal: `nmt translate -m MODEL` in a
// tmux pane, keys sent as a person types them, the screen read back. Left and Home edit
// the line and no escape codes reach the screen; Up recalls the history; Ctrl-C clears a
// half-typed line and the prompt goes on; Ctrl-D ends with status 0; the history file
// holds the lines and the next session starts with them, cut to its last 1,000; a history
// file that cannot be written gives one warning. Every wait polls the screen until what
// is expected shows (or a deadline passes, a failure), never a fixed sleep. Skipped, with
// a message, only when tmux is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "small_run.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& text) {  // for sh: 'text', its quotes escaped
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// One tmux server of the test's own (its socket in a directory of its own) with one
// pane, "nmt".
class TmuxPane {
 public:
  TmuxPane() : tmux_("tmux -u -f /dev/null -S " + quoted(socket_dir_.file("tmux.sock")) + " ") {}
  ~TmuxPane() { run_command(tmux_ + "kill-server"); }
  TmuxPane(const TmuxPane&) = delete;
  TmuxPane& operator=(const TmuxPane&) = delete;

  // Runs the shell command `command` in a new 200 x 50 pane that stays after it ends,
  // followed by a line "[exit status N]". (The status is the shell's to tell: tmux 3.3a
  // here at times leaves its pane's process unreaped, without #{pane_dead_status}.) The
  // shell traps SIGINT, so it outlives a Ctrl-C (sent to the whole foreground group); the
  // program starts with SIGINT at its default action, as from an interactive shell.
  void start(const std::string& command) {
    const std::string shell_command = "trap : INT; " + command + "; echo \"[exit status $?]\"";
    const Result r = run_command(tmux_ + "new-session -d -s nmt -x 200 -y 50 " + quoted(shell_command) +
                                 " \\; set-option -t nmt remain-on-exit on");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  void type(const std::string& text) { send("-l " + quoted(text)); }
  void press(const std::string& keys) { send(keys); }

  // The pane's lines, scrollback included, wrapped lines joined, trailing spaces and
  // trailing empty lines dropped.
  std::vector<std::string> lines() const {
    const Result r = run_command(tmux_ + "capture-pane -p -J -S - -t nmt");
    std::vector<std::string> out;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) out.push_back(line.substr(0, line.find_last_not_of(' ') + 1));
    while (!out.empty() && out.back().empty()) out.pop_back();
    return out;
  }
  std::string screen() const {
    std::string out;
    for (const auto& line : lines()) out += line + "\n";
    return out;
  }
  // "running" while the program runs, its exit status once it has ended.
  std::string status() const {
    const std::string mark = "[exit status ";
    for (const auto& line : lines())
      if (line.rfind(mark, 0) == 0 && line.back() == ']')
        return line.substr(mark.size(), line.size() - mark.size() - 1);
    return "running";
  }

  // Polls until `shown(lines)` holds; a test failure naming `what` after 60 s.
  bool wait_for(const std::string& what, const std::function<bool(const std::vector<std::string>&)>& shown) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!shown(lines())) {
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the pane never showed " << what << "; it shows:\n" << screen();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  // Waits until the last line is exactly `line` (e.g. "> four hundred": the line being edited).
  bool wait_for_last_line(const std::string& line) const {
    return wait_for("the last line '" + line + "'", [&](const auto& l) { return !l.empty() && l.back() == line; });
  }
  // Waits until the lines end with `tail`.
  bool wait_for_tail(const std::vector<std::string>& tail) const {
    std::string what;
    for (const auto& l : tail) what += "\n" + l;
    return wait_for("the lines" + what, [&](const auto& l) {
      return l.size() >= tail.size() &&
             std::equal(tail.begin(), tail.end(), l.end() - static_cast<std::ptrdiff_t>(tail.size()));
    });
  }
  bool wait_for_exit() const {
    return wait_for("the program's end", [&](const auto&) { return status() != "running"; });
  }

 private:
  void send(const std::string& arguments) {
    const Result r = run_command(tmux_ + "send-keys -t nmt " + arguments);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  test::TempDir socket_dir_;
  std::string tmux_;
};

class PromptTerminal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (run_command("command -v tmux").exit_code != 0) return;
    run_ = new SmallRun(20);
    const Result trained = run_nmt(run_->train_args("run"));
    setup_problem_ = trained.exit_code == 0 ? "" : "training the suite's model failed: " + trained.output;
    for (const std::string& line : {std::string("four hundred"), std::string("seventeen")}) {
      test::write_text(run_->dir.file("line.txt"), line + "\n");
      const Result r = run_command(std::string(NMT_BINARY_PATH) + " translate -m " + model() + " < " +
                                   run_->dir.file("line.txt"));
      if (r.exit_code != 0) setup_problem_ += "translating '" + line + "' failed: " + r.output;
      translations_.push_back(r.output.substr(0, r.output.find('\n')));
    }
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  void SetUp() override {
    if (!run_) GTEST_SKIP() << "tmux is not installed: the prompt's terminal tests need it (scripts/setup.sh)";
    ASSERT_EQ(setup_problem_, "");
    fs::create_directories(home());
  }
  static std::string model() { return run_->run_dir("run") + "/model.nmt"; }
  static std::string home() { return run_->dir.file("home"); }
  static std::string history() { return home() + "/.nmt_history"; }
  // `nmt translate -m MODEL` at the pane's terminal, HOME the suite's, `environment` added.
  static std::string prompt_command(const std::string& environment = "") {
    return "env -u NMT_HISTORY HOME=" + quoted(home()) + " " + environment + " " + NMT_BINARY_PATH +
           " translate -m " + quoted(model());
  }
  // Starts the prompt in `pane` and waits for its greeting, which names the language pair.
  static bool open_prompt(TmuxPane& pane, const std::string& environment = "") {
    pane.start(prompt_command(environment));
    return pane.wait_for("the greeting and a prompt", [](const auto& l) {
      return l.size() >= 2 && l[l.size() - 2].find("(en → de, ") != std::string::npos &&
             l[l.size() - 2].find("Type a sentence, or :help.") != std::string::npos && l.back() == ">";
    });
  }
  // Clears the line (Ctrl-U), presses Ctrl-D on it and returns the exit status.
  static std::string end_session(TmuxPane& pane) {
    pane.press("C-u");
    if (!pane.wait_for_last_line(">")) return "";
    pane.press("C-d");
    return pane.wait_for_exit() ? pane.status() : "";
  }

  static SmallRun* run_;
  static std::string setup_problem_;
  static std::vector<std::string> translations_;  // of "four hundred" and "seventeen" by the filter
};

SmallRun* PromptTerminal::run_ = nullptr;
std::string PromptTerminal::setup_problem_;
std::vector<std::string> PromptTerminal::translations_;

TEST_F(PromptTerminal, EditsRecallsClearsAndEndsAsDocumented) {
  fs::remove(history());
  TmuxPane pane;
  ASSERT_TRUE(open_prompt(pane));

  // Left and Home move in the line: "hundrd" becomes "four hundred".
  pane.type("hundrd");
  pane.press("Left");
  pane.type("e");
  pane.press("Home");
  pane.type("four ");
  ASSERT_TRUE(pane.wait_for_last_line("> four hundred"));
  pane.press("Enter");
  ASSERT_TRUE(pane.wait_for_tail({"> four hundred", translations_[0], ">"}));
  const std::string edited = pane.screen();
  for (const char* escape : {"^[", "\x1b", "[D", "[C", "[H", "[1~", "OD", "OH"})
    EXPECT_EQ(edited.find(escape), std::string::npos) << "'" << escape << "' on the screen:\n" << edited;

  // Up recalls the line; Enter translates it again.
  pane.press("Up");
  ASSERT_TRUE(pane.wait_for_last_line("> four hundred"));
  pane.press("Enter");
  ASSERT_TRUE(pane.wait_for_tail({"> four hundred", translations_[0], "> four hundred", translations_[0], ">"}));

  // Ctrl-C clears a half-typed line and gives a fresh prompt; the program goes on.
  pane.type("seventeen thou");
  pane.press("Left");
  ASSERT_TRUE(pane.wait_for_last_line("> seventeen thou"));
  pane.press("C-c");
  ASSERT_TRUE(pane.wait_for_tail({"> seventeen thou^C", ">"}));
  EXPECT_EQ(pane.status(), "running");
  pane.type("seventeen");
  pane.press("Enter");
  ASSERT_TRUE(pane.wait_for_tail({"> seventeen thou^C", "> seventeen", translations_[1], ">"}));

  // Ctrl-D on the empty line ends the program, status 0; the file holds the lines
  // entered, a repeat once, the cleared line not at all.
  EXPECT_EQ(end_session(pane), "0");
  EXPECT_EQ(test::read_text(history()), "four hundred\nseventeen\n");
  EXPECT_EQ(fs::status(history()).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);

  // The next session starts with them: Up, Up walk back through the file's lines.
  TmuxPane again;
  ASSERT_TRUE(open_prompt(again));
  again.press("Up");
  ASSERT_TRUE(again.wait_for_last_line("> seventeen"));
  again.press("Up");
  ASSERT_TRUE(again.wait_for_last_line("> four hundred"));
  EXPECT_EQ(end_session(again), "0");
  EXPECT_EQ(test::read_text(history()), "four hundred\nseventeen\n");
}

// A file of more than 1,000 lines is cut to its last 1,000 when a session starts.
TEST_F(PromptTerminal, TheHistoryFileKeepsItsLastThousandLines) {
  std::string lines;
  for (int i = 0; i < 1005; ++i) lines += "line " + std::to_string(i) + "\n";
  test::write_text(history(), lines);
  TmuxPane pane;
  ASSERT_TRUE(open_prompt(pane));
  pane.press("Up");
  ASSERT_TRUE(pane.wait_for_last_line("> line 1004"));
  EXPECT_EQ(end_session(pane), "0");
  std::string kept;
  for (int i = 5; i < 1005; ++i) kept += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(test::read_text(history()), kept);
}

// A history file that cannot be written, or read: one warning, and the prompt goes on,
// its history in memory. NMT_HISTORY set and empty: no file at all, and no warning.
TEST_F(PromptTerminal, AnUnwritableHistoryFileGivesOneWarning) {
  fs::remove(history());
  const std::string unwritable = run_->dir.file("no-such-dir/history");
  TmuxPane pane;
  ASSERT_TRUE(open_prompt(pane, "NMT_HISTORY=" + quoted(unwritable)));
  for (const std::size_t i : {0, 1, 0}) {
    pane.type(i == 0 ? "four hundred" : "seventeen");
    pane.press("Enter");
    ASSERT_TRUE(pane.wait_for_tail({translations_[i], ">"}));
  }
  pane.press("Up");
  ASSERT_TRUE(pane.wait_for_last_line("> four hundred"));
  EXPECT_EQ(end_session(pane), "0");
  const std::string screen = pane.screen();
  const std::string warning = "[translate] warning: history file: cannot open '" + unwritable +
                              "' to append to it: No such file or directory; this session keeps its history in "
                              "memory only";
  const std::size_t first = screen.find(warning);
  EXPECT_NE(first, std::string::npos) << screen;
  EXPECT_EQ(screen.find(warning, first + 1), std::string::npos) << screen;
  EXPECT_FALSE(fs::exists(unwritable));

  const std::string directory = run_->dir.file("a-directory");
  fs::create_directories(directory);
  TmuxPane unreadable;
  ASSERT_TRUE(open_prompt(unreadable, "NMT_HISTORY=" + quoted(directory)));
  unreadable.type("seventeen");
  unreadable.press("Enter");
  ASSERT_TRUE(unreadable.wait_for_tail({"> seventeen", translations_[1], ">"}));
  EXPECT_EQ(end_session(unreadable), "0");
  const std::vector<std::string> lines = unreadable.lines();
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.find("warning") != std::string::npos; }),
            1)
      << unreadable.screen();
  EXPECT_EQ(lines.front().substr(lines.front().find("[translate]")),
            "[translate] warning: history file: cannot read '" + directory +
                "': it is a directory, not a regular file; this session keeps its history in memory only")
      << unreadable.screen();

  TmuxPane none;
  ASSERT_TRUE(open_prompt(none, "NMT_HISTORY="));
  none.type("seventeen");
  none.press("Enter");
  ASSERT_TRUE(none.wait_for_tail({"> seventeen", translations_[1], ">"}));
  EXPECT_EQ(end_session(none), "0");
  EXPECT_EQ(none.screen().find("warning"), std::string::npos) << none.screen();
  EXPECT_FALSE(fs::exists(history()));
}

}  // namespace
}  // namespace nmt
