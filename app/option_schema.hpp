// option_schema.hpp — one schema of options for both the command line and INI files.
//
// Each option is registered once, bound to a field of a typed config struct (a
// section is registered whole from its struct's field list, core/fields.hpp); the
// field's initial value is the default. From that one registration come the
// command-line flag (--train.lr), the INI key (lr in [train]), the --help text, the
// --dump-config output and the value check. Parsing follows default < file < command
// line; every error names the key and where it came from (file:line or the command line).
#pragma once

#include <boost/program_options.hpp>

#include <cstdint>
#include <functional>
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

// Boost.ProgramOptions hook for our enums: "additive" -> AttentionType::additive.
// Found by argument-dependent lookup, since the enums live in namespace nmt.
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void validate(boost::any& out, const std::vector<std::string>& tokens, E*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(out);
  const std::string& token = po::validators::get_single_string(tokens);
  for (const auto& [item, name] : enum_names(E{}))
    if (token == name) {
      out = item;
      return;
    }
  po::error_with_option_name problem("'%value%' is not one of " + enum_choices<E>());
  problem.set_substitute("value", token);
  throw problem;
}

class OptionSchema {
 public:
  // A value check: returns "" if the value is acceptable, else what is wrong.
  template <class T>
  using Check = FieldCheck<T>;

  // Registers SECTION.NAME bound to *field; *field's current value is the default.
  template <class T>
  void add(const std::string& section, const std::string& name, T* field, const std::string& help,
           Check<T> check = {}) {
    auto* semantic = boost::program_options::value<T>(field)
                         ->default_value(*field, field_text(*field))
                         ->value_name(value_name<T>());
    register_option(section, name, semantic, help + type_hint<T>(),
                    [field] { return field_text(*field); }, bind_check(field, check));
  }

  // Registers every field of a config struct (its static `fields` and `relations`,
  // core/fields.hpp) as SECTION.KEY, bound to `config`, which must outlive the schema.
  template <class Config>
  void add_section(const std::string& section, Config& config) {
    Config::fields(config, [&](const FieldSpec& spec, auto& member, auto check) {
      using T = std::decay_t<decltype(member)>;
      if constexpr (std::is_same_v<T, std::string>)
        if (spec.required) return add_required(section, spec.key, &member, spec.help, check);
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

  // A required option (no default). Its value is still printed by --dump-config.
  void add_required(const std::string& section, const std::string& name, std::string* field,
                    const std::string& help, Check<std::string> check = {});

  // A short flag for a key: `--ALIAS V` on the command line means `--KEY V`
  // (e.g. --nbest for --search.nbest), with the key's checks and messages.
  void add_alias(const std::string& alias, const std::string& key) { aliases_.emplace_back(alias, key); }
  const std::vector<std::pair<std::string, std::string>>& aliases() const { return aliases_; }

  // A check across several options, reported against the first key in `keys`.
  void add_relation(std::vector<std::string> keys, std::function<std::string()> check);

  // Parses the command line (arguments after the subcommand) and the config file
  // named by -c/--config, fills the bound fields and runs every check.
  // Throws ConfigError with the key and its source on any problem.
  void parse(const std::vector<std::string>& arguments,
             const boost::program_options::options_description& command_options,
             boost::program_options::variables_map& command_values,
             const boost::program_options::positional_options_description* positional = nullptr);

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
  };
  struct Relation {
    std::vector<std::string> keys;
    std::function<std::string()> check;
  };

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
  std::string suggestion_for(const std::string& unknown_key) const;

  std::vector<Entry> entries_;
  std::vector<Relation> relations_;
  std::vector<std::pair<std::string, std::string>> aliases_;  // (alias, key)
  // Each section's options; semantics are owned by the descriptions.
  std::map<std::string, std::shared_ptr<boost::program_options::options_description>> sections_;
  std::vector<std::string> section_order_;
  std::map<std::string, std::string> sources_;  // key -> "FILE:LINE" or "the command line"
  std::string config_path_;
};

}  // namespace nmt
