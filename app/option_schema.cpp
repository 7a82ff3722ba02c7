// option_schema.cpp — parsing, checking and printing of the option schema.
#include "app/option_schema.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "app/nearest_name.hpp"
#include "data/file_kind.hpp"
#include "data/utf8.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

constexpr unsigned kHelpWidth = 100;

std::string strip_dashes(std::string key) {
  key.erase(0, key.find_first_not_of('-'));
  return key;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

// A config file's text, without a UTF-8 byte-order mark. Throws ConfigError when the
// path cannot be read or is not a regular file.
std::string read_config_text(const std::string& path) {
  try {
    expect_regular_file(path);  // before open: a FIFO would block it
  } catch (const std::runtime_error& e) {
    throw ConfigError(std::string("config file: ") + e.what());
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw ConfigError("cannot read config file '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return text;
}

// The text as Boost's parser reads it, line for line, after checking every line:
// comments ('#' to the end of any line, a line starting with ';') become blank lines and
// section names are trimmed ("[ train ]" is [train]), so that Boost and find_key_line
// agree. A line that is neither blank, "[section]" nor "key = value" with a key is an
// error naming its real line and text.
std::string checked_ini_text(const std::string& path, const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::string t = trim(line.substr(0, line.find('#')));
    if (!t.empty() && t[0] == ';') t.clear();
    if (t.size() >= 2 && t.front() == '[' && t.back() == ']') t = "[" + trim(t.substr(1, t.size() - 2)) + "]";
    const std::size_t equals = t.find('=');
    const bool good = t.empty() || (t.front() == '[' ? t.back() == ']' && t.size() > 2
                                                     : equals != std::string::npos && !trim(t.substr(0, equals)).empty());
    if (!good)
      throw ConfigError(path + ":" + std::to_string(number) + ": expected '[section]' or 'key = value', found '" +
                        trim(line) + "'");
    out += t + '\n';
  }
  return out;
}

// 1-based line of the `occurrence`th `key` ("section.name") in the INI text, or 0.
std::size_t find_key_line(const std::string& text, const std::string& key, int occurrence = 1) {
  std::istringstream file(text);
  std::string line, section;
  for (std::size_t number = 1; std::getline(file, line); ++number) {
    const std::string text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';') continue;
    if (text.front() == '[' && text.back() == ']') {
      section = trim(text.substr(1, text.size() - 2));
      continue;
    }
    const auto equals = text.find('=');
    const std::string name = trim(text.substr(0, equals));
    if ((section.empty() ? name : section + "." + name) == key && --occurrence == 0) return number;
  }
  return 0;
}

std::string name_part(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

std::string section_part(const std::string& key) {
  const auto dot = key.rfind('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

// The known key nearest to `unknown`: one of the same name in another section first
// (dropout in [train]: model.dropout), else the nearest by edit distance; "" if none.
std::string nearest_key(const std::string& unknown, const std::vector<std::string>& known) {
  for (const std::string& key : known)
    if (name_part(key) == name_part(unknown)) return key;
  return nearest_name(unknown, known);
}

// A key as a config file writes it, quoted: its name, and its section unless that is
// `file_section` ("'lr'" inside [train], "'lr' in [train]" elsewhere).
std::string key_in_file(const std::string& key, const std::string& file_section) {
  const std::string section = section_part(key);
  const std::string name = "'" + name_part(key) + "'";
  if (!section.empty() && section == file_section) return name;
  return name + (section.empty() ? " before any [section]" : " in [" + section + "]");
}

}  // namespace

ConfigError::ConfigError(const std::string& message) : std::runtime_error(utf8::escape_for_message(message)) {}

std::string text_value_problem(const std::string& text) {
  if (text.find('#') != std::string::npos)
    return "must not contain '#' (a config file, the run's config.ini too, reads it as the start of a comment)";
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f')
      return "must not contain control characters (a line break or a tab, say): a config file could not keep them";
  if (!text.empty() && (text.front() == ' ' || text.back() == ' '))
    return "must not begin or end with a space (a config file drops them)";
  // Values travel into model files and logs, which hold UTF-8 only: a file in another
  // encoding fails here, at its line, not when the first checkpoint is written.
  if (!utf8::is_valid(text)) return "not valid UTF-8 (byte " + std::to_string(utf8::find_invalid(text) + 1) + ")";
  return "";
}

void OptionSchema::register_option(const std::string& section, const std::string& name,
                                   const po::value_semantic* semantic, const std::string& help,
                                   std::function<std::string()> current,
                                   std::function<std::string()> check) {
  const std::string key = section + "." + name;
  if (registering_file_only_) {
    file_only_options_.add_options()(key.c_str(), semantic, help.c_str());
    std::string default_value = current();
    entries_.push_back({section, name, help, std::move(current), std::move(check), std::move(default_value), true});
    return;
  }
  auto& description = sections_[section];
  if (!description) {
    description = std::make_shared<po::options_description>(
        "[" + section + "] (in a config file: section [" + section + "]; on the command line: --" +
            section + ".KEY)",
        kHelpWidth, kHelpWidth / 2);
    section_order_.push_back(section);
  }
  description->add_options()(key.c_str(), semantic, help.c_str());
  std::string default_value = current();  // nothing is parsed yet: the struct's initial value
  entries_.push_back({section, name, help, std::move(current), std::move(check), std::move(default_value)});
}

void OptionSchema::add_required(const std::string& section, const std::string& name,
                                std::string* field, const std::string& help,
                                Check<std::string> check) {
  register_option(section, name, po::value<std::string>(field)->required()->value_name("TEXT"),
                  help + " (required)",
                  [field] { return *field; }, bind_check(field, with_text_check(std::move(check))));
}

void OptionSchema::add_relation(std::vector<std::string> keys, std::function<std::string()> check) {
  relations_.push_back({std::move(keys), std::move(check)});
}

po::options_description OptionSchema::all_options() const {
  po::options_description all;
  for (const auto& section : section_order_) all.add(*sections_.at(section));
  return all;
}

std::string OptionSchema::command_line_suggestion(const std::string& unknown_key,
                                                  const po::options_description& command_options) const {
  std::vector<std::string> flags;
  for (const auto& option : command_options.options())  // the command's own, but not a hidden one
    if (!option->long_name().empty() && !option->description().empty()) flags.push_back(option->long_name());
  for (const auto& [alias, key] : aliases_) flags.push_back(alias);
  for (const auto& [name, key] : switches_) flags.push_back(name);
  for (const auto& entry : entries_)
    if (!entry.file_only) flags.push_back(entry.section + "." + entry.name);  // a file-only key is no flag
  const std::string best = nearest_key(unknown_key, flags);
  return best.empty() ? "" : " (did you mean '--" + best + "'?)";
}

std::string OptionSchema::config_file_suggestion(const std::string& unknown_key,
                                                 const std::string& file_section) const {
  std::vector<std::string> keys;
  for (const auto& entry : entries_) keys.push_back(entry.section + "." + entry.name);
  const std::string best = nearest_key(unknown_key, keys);
  return best.empty() ? "" : " (did you mean " + key_in_file(best, file_section) + "?)";
}

const OptionSchema::PathOrigin* OptionSchema::path_origin(const std::string& key) const {
  const auto found = path_origins_.find(key);
  return found == path_origins_.end() ? nullptr : &found->second;
}

void OptionSchema::resolve_input_paths() {
  namespace fs = std::filesystem;
  for (const auto& [key, path] : input_paths_) {
    if (path->empty() || fs::path(*path).is_absolute()) continue;
    const std::string source = source_of(key);
    const bool from_file = source != "the command line" && source != "the default";
    const fs::path base =
        from_file ? fs::absolute(config_path_).parent_path().lexically_normal() : fs::current_path();
    const std::string resolved = (base / *path).lexically_normal().string();
    const std::string problem = text_value_problem(resolved);  // the directory's name may hold what a file cannot
    if (!problem.empty())
      throw ConfigError(source + ": " + key + " = " + *path + ": taken from " + base.string() + ", it is '" +
                        resolved + "': " + problem);
    path_origins_[key] = PathOrigin{*path, base.string(), from_file};
    *path = resolved;
  }
}

std::string OptionSchema::source_of(const std::string& key) const {
  const auto found = sources_.find(key);
  return found == sources_.end() ? "the default" : found->second;
}

std::vector<std::string> OptionSchema::expand_aliases(const std::vector<std::string>& arguments) const {
  std::vector<std::string> out;
  out.reserve(arguments.size());
  for (const std::string& argument : arguments) {
    std::string expanded = argument;
    for (const auto& [alias, key] : aliases_) {
      const std::string flag = "--" + alias;
      if (argument == flag || argument.rfind(flag + "=", 0) == 0) expanded = "--" + key + argument.substr(flag.size());
    }
    for (const auto& [name, key] : switches_)
      if (argument == "--" + name) expanded = "--" + key + "=true";
    out.push_back(std::move(expanded));
  }
  return out;
}

void OptionSchema::parse(const std::vector<std::string>& given_arguments,
                         const po::options_description& command_options,
                         po::variables_map& command_values,
                         const po::positional_options_description* positional,
                         const ConfigFileChoice& choose_config_file) {
  // 1. The command line: it wins over the file, so it is stored first.
  const std::vector<std::string> arguments = expand_aliases(given_arguments);
  po::options_description everything;
  everything.add(command_options).add(all_options());
  po::parsed_options from_command_line(&everything);
  try {
    po::command_line_parser parser(arguments);
    parser.options(everything);
    if (positional) parser.positional(*positional);
    from_command_line = parser.run();
    po::store(from_command_line, command_values);
  } catch (const po::unknown_option& e) {
    const std::string key = strip_dashes(e.get_option_name());
    throw ConfigError("the command line: unknown option '--" + key + "'" +
                      command_line_suggestion(key, command_options));
  } catch (const BadValue& e) {
    throw ConfigError("the command line: " + strip_dashes(e.get_option_name()) + " = " + e.text + ": " + e.problem);
  } catch (const po::error& e) {
    throw ConfigError(std::string("the command line: ") + e.what());
  }
  for (const auto& option : from_command_line.options) sources_[option.string_key] = "the command line";

  // 2. The config file, if any.
  const std::string config_file = choose_config_file ? choose_config_file(command_values)
                                  : command_values.count("config") ? command_values["config"].as<std::string>()
                                                                   : std::string();
  if (!config_file.empty()) store_config_file(config_file, command_values);

  // 3. Fill the bound fields, then check their values.
  try {
    po::notify(command_values);
  } catch (const po::required_option& e) {
    const std::string key = strip_dashes(e.get_option_name());
    const auto dot = key.find('.');
    if (dot == std::string::npos) throw ConfigError("missing required option --" + key);
    if (config_path_.empty())
      throw ConfigError("missing " + config_usage_ + ": no config file was given, and " + key +
                        " is required (in a config file, or as --" + key + ")");
    throw ConfigError("missing required option '" + key + "': set '" + key.substr(dot + 1) + "' in section [" +
                      key.substr(0, dot) + "] of '" + config_path_ + "' or pass --" + key);
  } catch (const po::error& e) {
    throw ConfigError(e.what());
  }
  run_checks();  // on the values as given
  resolve_input_paths();
}

void OptionSchema::store_config_file(const std::string& path, po::variables_map& values) {
  config_path_ = path;
  const std::string text = checked_ini_text(path, read_config_text(path));
  std::istringstream file(text);
  po::options_description file_options = all_options();
  file_options.add(file_only_options_);
  const auto where = [&](const std::string& key) { return path + ":" + std::to_string(find_key_line(text, key)); };
  try {
    const po::parsed_options from_file = po::parse_config_file(file, file_options, false);
    for (const auto& option : from_file.options)
      if (!sources_.count(option.string_key)) sources_[option.string_key] = where(option.string_key);
    po::store(from_file, values);
  } catch (const po::unknown_option& e) {
    const std::string key = strip_dashes(e.get_option_name());
    throw ConfigError(where(key) + ": unknown key " + key_in_file(key, "") +
                      config_file_suggestion(key, section_part(key)));
  } catch (const BadValue& e) {
    const std::string key = strip_dashes(e.get_option_name());
    throw ConfigError(where(key) + ": " + key + " = " + e.text + ": " + e.problem);
  } catch (const po::multiple_occurrences& e) {  // reported where it is given again
    const std::string key = strip_dashes(e.get_option_name());
    throw ConfigError(path + ":" + std::to_string(find_key_line(text, key, 2)) + ": " + key +
                      ": given a second time (first at line " + std::to_string(find_key_line(text, key)) +
                      "); a key may appear once");
  } catch (const po::error_with_option_name& e) {
    const std::string key = strip_dashes(e.get_option_name());
    throw ConfigError(where(key) + ": " + key + ": " + e.what());
  } catch (const po::error& e) {
    throw ConfigError(path + ": " + e.what());
  }
}

void OptionSchema::run_checks() const {
  for (const auto& entry : entries_) {
    if (entry.file_only && !sources_.count(entry.section + "." + entry.name)) continue;  // not in the file
    if (!entry.check) continue;
    const std::string problem = entry.check();
    if (problem.empty()) continue;
    const std::string key = entry.section + "." + entry.name;
    throw ConfigError(source_of(key) + ": " + key + " = " + entry.current() + ": " + problem);
  }
  for (const auto& relation : relations_) {
    const std::string problem = relation.check();
    if (problem.empty()) continue;
    throw ConfigError(source_of(relation.keys.front()) + ": " + relation.keys.front() + ": " +
                      problem);
  }
}

std::string OptionSchema::dump_ini() const {
  std::ostringstream out;
  for (const auto& section : section_order_) {
    out << "[" << section << "]\n";
    for (const auto& entry : entries_) {
      if (entry.section != section || entry.file_only) continue;
      const std::string value = entry.current();
      const bool required = entry.help.size() >= 10 && entry.help.compare(entry.help.size() - 10, 10, "(required)") == 0;
      out << "# " << entry.help;
      if (!required)
        out << " (default: " << (entry.default_value.empty() ? "empty" : entry.default_value) << ")"
            << (value != entry.default_value ? " — changed" : "");
      out << "\n" << entry.name << " = " << value << "\n";
    }
    out << "\n";
  }
  return out.str();
}

std::vector<const po::options_description*> OptionSchema::help_sections() const {
  std::vector<const po::options_description*> out;
  for (const auto& section : section_order_) out.push_back(sections_.at(section).get());
  return out;
}

}  // namespace nmt
