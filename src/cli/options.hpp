// The option table: one row per option feeds both `--help` and validation (FFmpeg AVOption
// style). Values outside their range or not among their named choices are rejected with a
// line naming the option; nothing is "fixed" quietly.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/names.hpp"

namespace sw::cli {

struct Option {
  std::string name;     // "--crf"
  std::string metavar;  // "N"; empty for a flag
  std::string help;
  std::string default_value;  // used when absent; shown in --help; empty = no default
  double min = 0;             // numeric range, checked when min < max
  double max = 0;
  std::vector<std::string> choices;  // named values, checked when non-empty
  char short_name = 0;               // e.g. 'o' for -o
  // Non-empty: the value may be left out (`--horizon-lock` alone means this one); a value is
  // then taken from the next word only when that word is a number, or after '='.
  std::string implicit_value = {};
};

// Table builders, so each row reads as what it is.
inline Option flag_option(std::string name, std::string help, char short_name = 0) {
  return Option{std::move(name), "", std::move(help), "", 0, 0, {}, short_name};
}
inline Option text_option(std::string name, std::string metavar, std::string help,
                          std::string default_value, char short_name = 0) {
  return Option{
      std::move(name), std::move(metavar), std::move(help), std::move(default_value), 0, 0, {},
      short_name};
}
inline Option number_option(std::string name, std::string metavar, std::string help,
                            std::string default_value, double min, double max) {
  return Option{std::move(name),
                std::move(metavar),
                std::move(help),
                std::move(default_value),
                min,
                max,
                {},
                0};
}
inline Option choice_option(std::string name, std::string metavar, std::string help,
                            std::string default_value, std::vector<std::string> choices) {
  return Option{std::move(name),
                std::move(metavar),
                std::move(help),
                std::move(default_value),
                0,
                0,
                std::move(choices),
                0};
}

// A numeric option whose value is optional: absent = not given (Args::given), alone = `implicit`.
inline Option optional_number_option(std::string name, std::string metavar, std::string help,
                                     std::string implicit, double min, double max) {
  Option o = number_option(std::move(name), "[" + metavar + "]", std::move(help), "", min, max);
  o.implicit_value = std::move(implicit);
  return o;
}

// A choice among an enum's names (its table, core/names.hpp), defaulting to `value`.
template <NamedEnum E>
Option enum_option(std::string name, std::string metavar, std::string help, E value) {
  return choice_option(std::move(name), std::move(metavar), std::move(help),
                       std::string(name_of(value)), names<E>());
}

// A library default as a table's default text (so --help shows the struct's own default):
// whole numbers without a decimal point, others in their shortest exact form ("1.04").
std::string default_text(double value);
inline std::string on_off(bool value) {
  return value ? "on" : "off";
}

class Args {
 public:
  std::vector<std::string> positional;

  bool flag(const std::string& name) const;
  std::string text(const std::string& name) const;
  long long integer(const std::string& name) const;
  double real(const std::string& name) const;
  bool given(const std::string& name) const { return values_.count(name) > 0; }
  // Every value of a repeatable option, in command-line order (text() is the last one).
  std::vector<std::string> all(const std::string& name) const;

 private:
  friend Args parse_args(std::span<char* const>, std::span<const Option>);
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> repeated_;
  std::map<std::string, std::string> defaults_;
};

// The value of an enum option (parse_args has checked it against the names).
template <NamedEnum E>
E enum_value(const Args& args, const std::string& name) {
  return value_of<E>(args.text(name)).value();
}

// The command's one positional argument (`what`: "input file", "store"), or a usage error
// naming the command.
std::string single_positional(const Args& args, const std::string& command,
                              const std::string& what);

// Parses argv[0..] (the command's own arguments, without the program and command names).
// Throws sw::Error with ExitCode::usage on an unknown option, a missing value, a value out of
// range or not a number.
Args parse_args(std::span<char* const> argv, std::span<const Option> table);

// "Usage:" line, description, then every option with its metavar, help and default.
std::string format_help(const std::string& usage, const std::string& description,
                        std::span<const Option> table);

}  // namespace sw::cli
