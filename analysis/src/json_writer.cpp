#include "telsim/analysis/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace telsim::analysis {
namespace {

/// Text nlohmann writes unchanged inside quotes: printable ASCII but '"'
/// and '\'. Anything else (escapes, and UTF-8, which it also checks) goes
/// through nlohmann itself.
bool plain(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') return false;
  }
  return true;
}

/// nlohmann's text for one value. Text that is not UTF-8 (a command line
/// with a Latin-1 file name) is written with U+FFFD in place of the bad
/// bytes: the results still get written, where nlohmann's default throws.
std::string dump(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string_view detail::format_double(double value, char (&buffer)[64]) {
  // The function nlohmann's own serializer calls for a double (Grisu2):
  // the same digits as dump(), without building a json value per number.
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  return {buffer, static_cast<std::size_t>(end - buffer)};
}

void JsonWriter::newline_and_indent(std::size_t levels) {
  static constexpr std::string_view spaces =
      "\n                                                                ";
  std::size_t width = 2 * levels;
  out_.write(spaces.data(), 1);
  while (width > 0) {
    const std::size_t chunk = std::min(width, spaces.size() - 1);
    out_.write(spaces.data() + 1, static_cast<std::streamsize>(chunk));
    width -= chunk;
  }
}

void JsonWriter::before_value() {
  if (levels_.empty() || levels_.back().object) return;
  Level& array = levels_.back();
  if (!array.empty) out_.put(',');
  array.empty = false;
  newline_and_indent(levels_.size());
}

void JsonWriter::key(std::string_view name) {
  Level& object = levels_.back();
  if (!object.empty) out_.put(',');
  object.empty = false;
  newline_and_indent(levels_.size());
  if (plain(name)) {
    out_.put('"');
    out_.write(name.data(), static_cast<std::streamsize>(name.size()));
    out_.write("\": ", 3);
  } else {
    out_ << dump(nlohmann::ordered_json(std::string(name))) << ": ";
  }
}

void JsonWriter::begin_object() {
  before_value();
  out_.put('{');
  levels_.push_back(Level{true, true});
}

void JsonWriter::begin_array() {
  before_value();
  out_.put('[');
  levels_.push_back(Level{false, true});
}

void JsonWriter::end(char close) {
  const bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) newline_and_indent(levels_.size());
  out_.put(close);
}

void JsonWriter::end_object() {
  end('}');
}
void JsonWriter::end_array() {
  end(']');
}

void JsonWriter::null() {
  before_value();
  out_.write("null", 4);
}

void JsonWriter::number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) {
    null();
    return;
  }
  before_value();
  char buffer[64];
  const std::string_view text = detail::format_double(*value, buffer);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void JsonWriter::unsigned_integer(std::uint64_t value) {
  before_value();
  std::array<char, 24> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out_.write(buffer.data(), result.ptr - buffer.data());
}

void JsonWriter::string(std::string_view text) {
  before_value();
  if (plain(text)) {
    out_.put('"');
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.put('"');
  } else {
    out_ << dump(nlohmann::ordered_json(std::string(text)));
  }
}

void JsonWriter::value(const nlohmann::ordered_json& json) {
  switch (json.type()) {
    case nlohmann::ordered_json::value_t::object:
      begin_object();
      for (auto member = json.begin(); member != json.end(); ++member) {
        key(member.key());
        value(member.value());
      }
      end_object();
      return;
    case nlohmann::ordered_json::value_t::array:
      begin_array();
      for (const auto& element : json) value(element);
      end_array();
      return;
    case nlohmann::ordered_json::value_t::string:
      string(json.get_ref<const std::string&>());
      return;
    case nlohmann::ordered_json::value_t::number_float:
      number(json.get<double>());
      return;
    case nlohmann::ordered_json::value_t::number_unsigned:
      unsigned_integer(json.get<std::uint64_t>());
      return;
    default:
      // null, booleans, signed integers, doubles and binary: few, and
      // nlohmann's own text is the reference.
      before_value();
      out_ << dump(json);
      return;
  }
}

}  // namespace telsim::analysis
