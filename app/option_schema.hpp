// option_schema.hpp — one schema of options for both the command line and INI files.
//
// Each option is registered once, bound to a field of a typed config struct (a
// section is registered whole from its struct's field list, core/fields.hpp); the
// field's initial value is the default. From that one registration come the
// command-line flag (--train.lr), the INI key (lr in [train]), the --help text, the
// --dump-config output and the value check. Parsing follows default < file < command
// line; every error names the key and where it came from (file:line or the command line),
// and an unknown one is answered with the nearest known key as it is written there
// ("--train.lr" on the command line, "'lr' in [train]" in a file). A relative input path
// (FieldSpec::input_path: the corpus prefixes) is taken from the config file's directory
// when the file gives it, from the working directory when the command line does, and is
// held absolute from then on (so --dump-config and a run's config.ini show what is read).
// One reader turns text into a value for every way in (parse_option_value: the command
// line, a file and the prompt's ':' commands), so a value is refused everywhere alike,
// "KEY = TEXT: must be a whole number"; a text value must survive a trip through a config
// file (text_value_problem: no '#', no control characters, no spaces at its ends,
// valid UTF-8).
#pragma once

#include <boost/program_options.hpp>

#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/fields.hpp"

namespace nmt {

// A bad option value, already phrased for the user ("configs/x.ini:12: train.lr: ...").
// The message is escaped (utf8::escape_for_message): a control byte or invalid UTF-8
// from a file or an argument is shown as \xNN, never printed raw.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message);
};

// What a value of type T must look like, as every way in says it: "must be a whole
// number", "must be a number", "must be true or false", "must be one of fp32, bf16".
template <class T>
std::string option_type_problem() {
  if constexpr (std::is_same_v<T, bool>) return "must be true or false";
  else if constexpr (std::is_enum_v<T>) return "must be one of " + enum_choices<T>();
  else if constexpr (std::is_integral_v<T>) return "must be a whole number";
  else if constexpr (std::is_floating_point_v<T>) return "must be a number";
  else return "";
}

// Reads `text` as a value of type T the one way every way in reads it (a flag, a config
// file, the prompt's ':' commands): spaces around it are ignored; a whole number in
// decimal, a number as strtod reads it (nan and inf included: the range checks refuse
// them), either with one leading '+' allowed; a boolean as true/false, yes/no, on/off or
// 1/0 in any case; an enum by one of its names. Returns "" with `value` set, or
// option_type_problem<T>() with `value` untouched.
template <class T>
std::string parse_option_value(std::string_view text, T& value) {
  const auto begin = text.find_first_not_of(" \t");
  text = begin == std::string_view::npos ? std::string_view() : text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
  if constexpr (std::is_same_v<T, bool>) {
    std::string lower(text);
    for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (const char* yes : {"true", "yes", "on", "1"})
      if (lower == yes) return value = true, "";
    for (const char* no : {"false", "no", "off", "0"})
      if (lower == no) return value = false, "";
    return option_type_problem<T>();
  } else {
    if constexpr (std::is_arithmetic_v<T>)
      if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
    if constexpr (std::is_integral_v<T>) {  // a whole number too large for T says so
      T parsed{};
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
      if (error == std::errc::result_out_of_range && end == text.data() + text.size())
        return option_type_problem<T>() + " from " + std::to_string(std::numeric_limits<T>::min()) + " to " +
               std::to_string(std::numeric_limits<T>::max());
    }
    return parse_field_text(text, value) ? std::string() : option_type_problem<T>();
  }
}

// Boost.ProgramOptions' reader for our enums, found by argument-dependent lookup: Boost's
// typed_value<E> needs one to compile, though OptionSchema reads every value with
// parse_option_value (its FieldValue replaces Boost's reading); this one reads alike.
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void validate(boost::any& out, const std::vector<std::string>& tokens, E*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(out);
  E value{};
  const std::string problem = parse_option_value(po::validators::get_single_string(tokens), value);
  if (!problem.empty()) throw po::invalid_option_value(po::validators::get_single_string(tokens));
  out = value;
}

// What a flag's or a key's text value must avoid so that a config file written with it
// (a run's config.ini, --dump-config) reads back the same: '#' (a comment starts there),
// control characters such as a line break, spaces at either end (a file drops them).
// "" when the text is fine.
std::string text_value_problem(const std::string& text);

class OptionSchema {
 public:
  // A value check: returns "" if the value is acceptable, else what is wrong.
  template <class T>
  using Check = FieldCheck<T>;

  // Registers SECTION.NAME bound to *field; *field's current value is the default. A
  // value is read by parse_option_value (a text value checked by text_value_problem),
  // then `check`ed.
  template <class T>
  void add(const std::string& section, const std::string& name, T* field, const std::string& help,
           Check<T> check = {}) {
    boost::program_options::typed_value<T>* semantic;
    if constexpr (std::is_same_v<T, std::string>) {
      semantic = boost::program_options::value<std::string>(field);
      check = with_text_check(std::move(check));
    } else {
      semantic = new FieldValue<T>(field);
    }
    semantic->default_value(*field, field_text(*field))->value_name(value_name<T>());
    register_option(section, name, semantic, help + type_hint<T>(),
                    [field] { return field_text(*field); }, bind_check(field, check));
  }

  // Registers every field of a config struct (its static `fields` and `relations`,
  // core/fields.hpp) as SECTION.KEY, bound to `config`, which must outlive the schema.
  template <class Config>
  void add_section(const std::string& section, Config& config) {
    Config::fields(config, [&](const FieldSpec& spec, auto& member, auto check) {
      using T = std::decay_t<decltype(member)>;
      if constexpr (std::is_same_v<T, std::string>) {
        if (spec.input_path) input_paths_.emplace_back(section + "." + spec.key, &member);
        if (spec.required) return add_required(section, spec.key, &member, spec.help, check);
      }
      add(section, spec.key, &member, spec.help, check);
    });
    Config::relations(config, [&](const std::string& key, const std::string&) {
      add_relation({section + "." + key}, [&config, key] {
        std::string found;
        Config::relations(config, [&](const std::string& k, const std::string& problem) {
          if (k == key) found = problem;
        });
        return found;
      });
    });
  }

  // A section a config file may hold although this command does not use it (translate
  // and evaluate reading a training config): its keys are accepted in the file only, each
  // given value checked as the owning command checks it (no key is required), and they
  // appear neither in --help nor in --dump-config. `config` must outlive the schema.
  template <class Config>
  void add_file_only_section(const std::string& section, Config& config) {
    registering_file_only_ = true;
    Config::fields(config, [&](const FieldSpec& spec, auto& member, auto check) {
      add(section, spec.key, &member, spec.help, check);
    });
    registering_file_only_ = false;
  }
  // A required option (no default). Its value is still printed by --dump-config.
  void add_required(const std::string& section, const std::string& name, std::string* field,
                    const std::string& help, Check<std::string> check = {});

  // A short flag for a key: `--ALIAS V` on the command line means `--KEY V`
  // (e.g. --nbest for --search.nbest), with the key's checks and messages.
  void add_alias(const std::string& alias, const std::string& key) { aliases_.emplace_back(alias, key); }
  const std::vector<std::pair<std::string, std::string>>& aliases() const { return aliases_; }
  // A flag without a value for a bool key: `--SWITCH` means `--KEY=true` (e.g. --shortlist
  // for --search.shortlist=true).
  void add_switch(const std::string& name, const std::string& key) { switches_.emplace_back(name, key); }
  const std::vector<std::pair<std::string, std::string>>& switches() const { return switches_; }

  // A check across several options, reported against the first key in `keys`.
  void add_relation(std::vector<std::string> keys, std::function<std::string()> check);

  // Which config file a parsed command line names, "" for none; the default choice is
  // the value of -c/--config. It throws ConfigError when the command line names two.
  using ConfigFileChoice = std::function<std::string(const boost::program_options::variables_map&)>;

  // Parses the command line (arguments after the subcommand) and the config file it
  // names (`choose_config_file`, by default -c/--config), fills the bound fields, runs
  // every check and resolves the input paths.
  // Throws ConfigError with the key and its source on any problem.
  void parse(const std::vector<std::string>& arguments,
             const boost::program_options::options_description& command_options,
             boost::program_options::variables_map& command_values,
             const boost::program_options::positional_options_description* positional = nullptr,
             const ConfigFileChoice& choose_config_file = {});

  // How this command is given its config file, for the error when none was given and a
  // required key is missing: "-c CONFIG" unless set (train: "-c CONFIG (or --resume RUN_DIR)").
  void set_config_usage(std::string usage) { config_usage_ = std::move(usage); }

  // A relative input path as it was given and the directory it was taken from (the
  // config file's, or the working directory for the command line); null for a key whose
  // value was absolute, empty or not an input path.
  struct PathOrigin {
    std::string given, base;
    bool from_config_file = false;
  };
  const PathOrigin* path_origin(const std::string& key) const;

  // The resolved configuration as an INI file; each key's comment gives its help, its
  // default and whether the value differs from it.
  std::string dump_ini() const;
  // Every option of the schema grouped by section, for --help.
  std::vector<const boost::program_options::options_description*> help_sections() const;
  // Where a key's value came from: "FILE:LINE", "the command line" or "the default".
  std::string source_of(const std::string& key) const;

 private:
  struct Entry {
    std::string section, name, help;
    std::function<std::string()> current;  // value as text, after parsing
    std::function<std::string()> check;    // "" when fine
    std::string default_value;             // as text
    bool file_only = false;                // see add_file_only_section
  };
  struct Relation {
    std::vector<std::string> keys;
    std::function<std::string()> check;
  };

  // A value that parse_option_value refuses: its text and what is wrong with it (the
  // option's name is added by Boost as it passes through store()).
  class BadValue : public boost::program_options::error_with_option_name {
   public:
    BadValue(std::string text, std::string problem)
        : error_with_option_name("bad value"), text(std::move(text)), problem(std::move(problem)) {}
    ~BadValue() throw() override {}
    std::string text, problem;
  };

  // Boost's value semantic with our reader in place of Boost's (lexical_cast), so that the
  // command line, a file and the prompt read a value alike.
  template <class T>
  class FieldValue : public boost::program_options::typed_value<T> {
   public:
    explicit FieldValue(T* store) : boost::program_options::typed_value<T>(store) {}
    void xparse(boost::any& store, const std::vector<std::string>& tokens) const override {
      boost::program_options::validators::check_first_occurrence(store);
      const std::string& token = boost::program_options::validators::get_single_string(tokens);
      T value{};
      const std::string problem = parse_option_value(token, value);
      if (!problem.empty()) throw BadValue(token, problem);
      store = value;
    }
  };

  static Check<std::string> with_text_check(Check<std::string> check) {
    return [check](const std::string& text) {
      const std::string problem = text_value_problem(text);
      return !problem.empty() || !check ? problem : check(text);
    };
  }

  template <class T>
  static std::function<std::string()> bind_check(const T* field, Check<T> check) {
    if (!check) return {};
    return [field, check] { return check(*field); };
  }

  // The placeholder --help shows for a value of type T.
  template <class T>
  static const char* value_name() {
    if constexpr (std::is_same_v<T, bool>) return "BOOL";
    else if constexpr (std::is_enum_v<T>) return "NAME";
    else if constexpr (std::is_integral_v<T>) return "INT";
    else if constexpr (std::is_floating_point_v<T>) return "NUM";
    else return "TEXT";
  }

  template <class T>
  static std::string type_hint() {
    if constexpr (std::is_enum_v<T>) return " [" + enum_choices<T>() + "]";
    else return "";
  }

  void register_option(const std::string& section, const std::string& name,
                       const boost::program_options::value_semantic* semantic,
                       const std::string& help, std::function<std::string()> current,
                       std::function<std::string()> check);
  boost::program_options::options_description all_options() const;
  void run_checks() const;
  // Reads, checks and stores the config file at `path` (after the command line).
  void store_config_file(const std::string& path, boost::program_options::variables_map& values);
  std::vector<std::string> expand_aliases(const std::vector<std::string>& arguments) const;
  // Makes every relative input path absolute (see PathOrigin), after the checks; throws
  // ConfigError when the absolute path could not be kept in a config file.
  void resolve_input_paths();
  // " (did you mean '--train.lr'?)" for an unknown flag (`command_options` are the
  // command's own flags, also candidates), " (did you mean 'lr' in [train]?)" for an
  // unknown key in a config file's [file_section]; "" when no known key is near.
  std::string command_line_suggestion(const std::string& unknown_key,
                                      const boost::program_options::options_description& command_options) const;
  std::string config_file_suggestion(const std::string& unknown_key, const std::string& file_section) const;

  std::vector<Entry> entries_;
  std::vector<Relation> relations_;
  std::vector<std::pair<std::string, std::string>> aliases_;  // (alias, key)
  std::vector<std::pair<std::string, std::string>> switches_;  // (switch, bool key)
  // Each section's options; semantics are owned by the descriptions.
  std::map<std::string, std::shared_ptr<boost::program_options::options_description>> sections_;
  std::vector<std::string> section_order_;
  boost::program_options::options_description file_only_options_;  // add_file_only_section's keys
  bool registering_file_only_ = false;
  std::map<std::string, std::string> sources_;  // key -> "FILE:LINE" or "the command line"
  std::string config_path_;
  std::string config_usage_ = "-c CONFIG";
  std::vector<std::pair<std::string, std::string*>> input_paths_;  // (key, field): see FieldSpec::input_path
  std::map<std::string, PathOrigin> path_origins_;                 // the relative ones, as resolved
};

}  // namespace nmt
