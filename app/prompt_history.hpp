// prompt_history.hpp — the prompt's history file: the lines typed at the terminal prompt,
// one per line, oldest first, kept from one session to the next.
//
// Where: $NMT_HISTORY when set (set and empty: no file), else $HOME/.nmt_history; with
// HOME unset or empty, no file. A session starts with the file's last kMaxEntries lines;
// a longer file is cut to those when it is read (rewritten atomically, data/text_writer).
// Each line entered is appended at once (one write of the line and its newline, the file
// opened O_APPEND and created with mode 0600), so a killed session keeps what it was
// given and two sessions at once interleave whole lines. A file that cannot be read or
// written gives one warning naming it and the reason; the session goes on without it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nmt {

class PromptHistory {
 public:
  static constexpr std::size_t kMaxEntries = 1000;

  // The file the environment names, as above; "" for none.
  static std::string default_path();

  // Reads `path` ("" = no file; a missing file is an empty history).
  explicit PromptHistory(std::string path);

  const std::string& path() const { return path_; }
  // The lines read at the start, oldest first (at most kMaxEntries).
  const std::vector<std::string>& loaded() const { return loaded_; }

  // Appends `line` to the file, unless it is empty, the same as the line before it, or
  // holds a line break (which a one-line-per-entry file cannot keep).
  void add(const std::string& line);

 private:
  // The one warning (`problem` names the file); the file is left alone for the rest of
  // the session.
  void give_up(const std::string& problem);

  std::string path_;
  std::vector<std::string> loaded_;
  std::string last_;
};

}  // namespace nmt
