#pragma once
// JSON written as a stream, in exactly the layout of nlohmann's
// dump(2) (two-space indent, "key": value, one array element per line, {}
// and [] when empty), so that a results file streamed piece by piece is the
// same bytes as the whole document built in memory and dumped. A national
// network's results are 900,000 statistics: building them as one tree took
// more memory and time than the simulation.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace telsim::analysis {

/// Writes one JSON value piece by piece: the results writer, and the resolved scenario
/// (RunResults::write_scenario) inside it.
class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  /// The key of the next member of the open object.
  void key(std::string_view name);

  void null();
  /// A number as json_number writes it: null if absent or not finite.
  void number(std::optional<double> value);
  void unsigned_integer(std::uint64_t value);
  void string(std::string_view text);
  /// Any value, streamed node by node (no text of the whole value in memory).
  void value(const nlohmann::ordered_json& json);

 private:
  struct Level {
    bool object = false;
    bool empty = true;
  };
  /// Before a value: the separator and indent an array element needs (an
  /// object member had them written by key()).
  void before_value();
  void newline_and_indent(std::size_t levels);
  void end(char close);

  std::ostream& out_;
  std::vector<Level> levels_;
};

namespace detail {

/// The text nlohmann writes for a finite double (shortest round trip, ".0"
/// on integers). Exposed for the test that checks it against dump().
std::string_view format_double(double value, char (&buffer)[64]);

}  // namespace detail

}  // namespace telsim::analysis
