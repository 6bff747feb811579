#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"

namespace sw::cli {

namespace {

Error usage_error(const std::string& option, const std::string& problem) {
  return Error(option, problem, ExitCode::usage);
}

double parse_number(const std::string& option, const std::string& value) {
  double number = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (ec != std::errc() || ptr != end) {
    throw usage_error(option, "expected a number, got '" + value + "'");
  }
  return number;
}

bool is_number(const std::string& word) {
  double number = 0;
  const char* end = word.data() + word.size();
  auto [ptr, ec] = std::from_chars(word.data(), end, number);
  return ec == std::errc() && ptr == end;
}

void validate(const Option& option, const std::string& value) {
  if (!option.choices.empty()) {
    if (std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end()) {
      std::string list;
      for (const auto& c : option.choices) list += (list.empty() ? "" : ", ") + c;
      throw usage_error(option.name, "expected one of " + list + ", got '" + value + "'");
    }
    return;
  }
  if (option.min < option.max) {
    const double number = parse_number(option.name, value);
    if (number < option.min || number > option.max) {
      std::ostringstream range;
      range << "expected a value in [" << option.min << ", " << option.max << "], got " << value;
      throw usage_error(option.name, range.str());
    }
  }
}

const Option* find_option(std::span<const Option> table, const std::string& name) {
  for (const Option& option : table) {
    if (option.name == name) return &option;
    if (option.short_name && name.size() == 2 && name[0] == '-' && name[1] == option.short_name) {
      return &option;
    }
  }
  return nullptr;
}

}  // namespace

bool Args::flag(const std::string& name) const {
  return values_.count(name) > 0;
}

std::string Args::text(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  if (auto it = defaults_.find(name); it != defaults_.end()) return it->second;
  return {};
}

std::vector<std::string> Args::all(const std::string& name) const {
  const auto it = repeated_.find(name);
  return it == repeated_.end() ? std::vector<std::string>() : it->second;
}

long long Args::integer(const std::string& name) const {
  const double number = parse_number(name, text(name));
  if (number != static_cast<double>(static_cast<long long>(number))) {
    throw usage_error(name, "expected an integer, got " + text(name));
  }
  return static_cast<long long>(number);
}

double Args::real(const std::string& name) const {
  return parse_number(name, text(name));
}

std::string single_positional(const Args& args, const std::string& command,
                              const std::string& what) {
  if (args.positional.size() != 1) {
    throw Error(command,
                "expected exactly one " + what + ", got " + std::to_string(args.positional.size()) +
                    " (see --help)",
                ExitCode::usage);
  }
  return args.positional[0];
}

Args parse_args(std::span<char* const> argv, std::span<const Option> table) {
  Args args;
  for (const Option& option : table) {
    if (!option.default_value.empty()) args.defaults_[option.name] = option.default_value;
  }
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string word = argv[i];
    if (options_done || word.size() < 2 || word[0] != '-') {
      args.positional.push_back(word);
      continue;
    }
    if (word == "--") {
      options_done = true;
      continue;
    }
    std::string value;
    bool has_inline_value = false;
    if (auto eq = word.find('='); word.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = word.substr(eq + 1);
      word = word.substr(0, eq);
      has_inline_value = true;
    }
    const Option* option = find_option(table, word);
    if (!option) throw usage_error(word, "unknown option (see --help)");
    if (option->metavar.empty()) {
      if (has_inline_value) throw usage_error(option->name, "takes no value");
      args.values_[option->name] = "1";
      continue;
    }
    if (!has_inline_value && !option->implicit_value.empty()) {
      const bool number_follows = i + 1 < argv.size() && is_number(argv[i + 1]);
      value = number_follows ? argv[++i] : option->implicit_value;
      has_inline_value = true;
    }
    if (!has_inline_value) {
      if (i + 1 >= argv.size())
        throw usage_error(option->name, "expects a value " + option->metavar);
      value = argv[++i];
    }
    validate(*option, value);
    args.values_[option->name] = value;
    args.repeated_[option->name].push_back(value);
  }
  return args;
}

std::string format_help(const std::string& usage, const std::string& description,
                        std::span<const Option> table) {
  std::ostringstream out;
  out << "Usage: " << usage << "\n\n" << description << "\n\nOptions:\n";
  for (const Option& option : table) {
    std::string left = "  ";
    if (option.short_name) left += std::string("-") + option.short_name + ", ";
    left += option.name;
    if (!option.metavar.empty()) left += " " + option.metavar;
    out << left;
    if (left.size() < 28) {
      out << std::string(28 - left.size(), ' ');
    } else {
      out << "\n" << std::string(28, ' ');
    }
    out << option.help;
    if (!option.choices.empty()) {
      std::string list;
      for (const auto& c : option.choices) list += (list.empty() ? "" : "|") + c;
      out << " (" << list << ")";
    }
    if (!option.default_value.empty()) out << " [default: " << option.default_value << "]";
    out << "\n";
  }
  return out.str();
}

std::string default_text(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15)
    return std::to_string(static_cast<long long>(value));
  return nlohmann::json(value).dump();  // the shortest text that reads back as `value`
}

}  // namespace sw::cli
