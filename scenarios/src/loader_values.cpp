#include "loader_values.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

/// Shortest text that reads back as the same double ("0.05", "1e+12").
std::string format_number(double x) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

std::string_view without_plus(std::string_view text) {
  // YAML's core schema allows "+2"; from_chars does not.
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return text;
}

std::string integer_range_text(std::uint64_t min, std::uint64_t max, bool above_max) {
  if (above_max) return "from " + std::to_string(min) + " to " + std::to_string(max);
  return ">= " + std::to_string(min);
}

std::string number_range_text(const NumberRange& range) {
  std::string text = (range.min_open ? "> " : ">= ") + format_number(range.min);
  if (range.max < 1e300) {
    if (!range.min_open)
      return "from " + format_number(range.min) + " to " + format_number(range.max);
    text += " and <= " + format_number(range.max);
  }
  return text;
}

/// The distribution kinds, and each kind's parameters, as the format declares them
/// (object "distribution_<kind>").
const std::vector<std::string>& distribution_kind_names() {
  return declared_keys("distribution");
}

const std::vector<std::string>& distribution_params(const std::string& kind) {
  return declared_keys("distribution_" + kind);
}

/// A distribution parameter: a number (times are bounded by max_seconds;
/// probabilities and phases have their own checks in the factories).
double distribution_number(const Node& node, std::string_view param, const Scope& scope,
                           const Diagnostics& diag) {
  const auto x = parse_number(node);
  if (!x)
    diag.fail(node, scope.prefix() + scope.key(param) + " must be a number, got " + got(node));
  if (param != "probs" && param != "k" && std::fabs(*x) > max_seconds) {
    diag.fail(node, scope.prefix() + scope.key(param) + " must be at most 1e12 seconds, got " +
                        got(node));
  }
  return *x;
}

std::vector<double> distribution_list(const Node& node, std::string_view param, const Scope& scope,
                                      const Diagnostics& diag) {
  if (!node.is_sequence() || node.items.empty()) {
    diag.fail(node, scope.prefix() + scope.key(param) +
                        " must be a non-empty list of numbers, got " + got(node));
  }
  std::vector<double> values;
  for (const auto& item : node.items)
    values.push_back(distribution_number(item, param, scope, diag));
  return values;
}

sim::Distribution build_distribution(const std::string& kind, const Node& params,
                                     const Scope& scope, const Diagnostics& diag) {
  auto number = [&](const char* p) {
    return distribution_number(require_key(params, p, scope, diag), p, scope, diag);
  };
  auto list = [&](const char* p) {
    return distribution_list(require_key(params, p, scope, diag), p, scope, diag);
  };
  if (kind == "exponential") return sim::Distribution::exponential(number("mean"));
  if (kind == "deterministic") return sim::Distribution::deterministic(number("value"));
  if (kind == "uniform") {
    const double min = number("min");
    return sim::Distribution::uniform(min, number("max"));
  }
  if (kind == "erlang") {
    const Node& k = require_key(params, "k", scope, diag);
    const std::uint64_t phases = read_integer(k, "k", scope, diag, 1, 1000);
    return sim::Distribution::erlang(static_cast<int>(phases), number("mean"));
  }
  if (kind == "lognormal") {
    const double mean = number("mean");
    return sim::Distribution::lognormal(mean, number("sd"));
  }
  if (kind == "hyperexponential") {
    auto means = list("means");
    return sim::Distribution::hyperexponential(std::move(means), list("probs"));
  }
  auto values = list("values");
  return sim::Distribution::empirical(std::move(values), list("probs"));
}

}  // namespace

std::optional<double> parse_number(const Node& node) {
  // "100" in quotes is text, as YAML and the JSON Schema read it: not a number.
  if (!node.is_scalar() || node.quoted) return std::nullopt;
  const std::string_view text = without_plus(node.scalar);
  if (text.empty()) return std::nullopt;
  double x = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x)) {
    return std::nullopt;
  }
  return x;
}

bool is_unlimited(const Node& node) {
  return node.is_scalar() && node.scalar == "unlimited";
}

double read_number(const Node& node, std::string_view key, const Scope& scope,
                   const Diagnostics& diag, NumberRange range) {
  const auto x = parse_number(node);
  const bool ok = x && (range.min_open ? *x > range.min : *x >= range.min) && *x <= range.max;
  if (!ok) {
    // Without bounds (expect's min and max) the range would read ">= -1e+300".
    const bool unbounded = range.min <= -1e300 && range.max >= 1e300;
    diag.fail(node, scope.prefix() + scope.key(key) +
                        (unbounded ? std::string(" must be a finite number")
                                   : " must be a number " + number_range_text(range)) +
                        ", got " + got(node));
  }
  return *x;
}

double read_seconds(const Node& node, std::string_view key, const Scope& scope,
                    const Diagnostics& diag, bool positive) {
  const auto x = parse_number(node);
  if (!x || (positive ? !(*x > 0.0) : !(*x >= 0.0))) {
    diag.fail(node, scope.prefix() + scope.key(key) + " must be a number of seconds " +
                        (positive ? "> 0" : ">= 0") + ", got " + got(node));
  }
  if (*x > max_seconds) {
    // Beyond this, microsecond ticks stop making sense for a human scale.
    diag.fail(node,
              scope.prefix() + scope.key(key) + " must be at most 1e12 seconds, got " + got(node));
  }
  return *x;
}

std::uint64_t read_integer(const Node& node, std::string_view key, const Scope& scope,
                           const Diagnostics& diag, std::uint64_t min, std::uint64_t max) {
  auto fail = [&](bool above_max) {
    diag.fail(node, scope.prefix() + scope.key(key) + " must be an integer " +
                        integer_range_text(min, max, above_max) + ", got " + got(node));
  };
  if (!node.is_scalar() || node.quoted) fail(false);
  const std::string_view text = without_plus(node.scalar);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!text.empty() && end == text.data() + text.size()) {
    // Plain digits: exact, even beyond 2^53 (seeds).
    if (ec == std::errc::result_out_of_range) fail(true);
  } else {
    // Exponent form ("1e10") is fine when the value is integral.
    const auto x = parse_number(node);
    if (!x || std::floor(*x) != *x || *x < 0.0) fail(false);
    if (*x >= 18446744073709551616.0) fail(true);
    value = static_cast<std::uint64_t>(*x);
  }
  if (value < min) fail(false);
  if (value > max) fail(true);
  return value;
}

std::optional<std::uint64_t> read_count_or_unlimited(const Node& node, std::string_view key,
                                                     const Scope& scope, const Diagnostics& diag,
                                                     std::uint64_t min, std::uint64_t max) {
  if (is_unlimited(node)) return std::nullopt;
  const auto x = parse_number(node);
  const bool in_range =
      x && std::floor(*x) == *x && *x >= static_cast<double>(min) && *x <= static_cast<double>(max);
  if (!in_range) {
    const bool above = x && *x > static_cast<double>(max);
    diag.fail(node, scope.prefix() + scope.key(key) + " must be an integer " +
                        integer_range_text(min, max, above) + " or 'unlimited', got " + got(node));
  }
  return read_integer(node, key, scope, diag, min, max);
}

sim::Distribution read_distribution(const Node& node, std::string_view key, const Scope& scope,
                                    const Diagnostics& diag) {
  if (node.is_scalar()) {
    const auto x = parse_number(node);
    if (!x || *x < 0.0 || *x > max_seconds) {
      diag.fail(node, scope.prefix() + scope.key(key) +
                          " must be a distribution (e.g. {exponential: {mean: 180}}) or a number "
                          "of seconds from 0 to 1e12, got " +
                          got(node));
    }
    return sim::Distribution::deterministic(*x);
  }
  const Scope inner = scope.child(key);
  if (!node.is_map()) {
    diag.fail(node, scope.prefix() + scope.key(key) +
                        " must be a distribution (e.g. {exponential: {mean: 180}}) or a number, "
                        "got " +
                        got(node));
  }
  check_map(node, inner, distribution_kind_names(), diag, "distribution");
  if (node.entries.empty()) {
    diag.fail(node, scope.prefix() + scope.key(key) + " must name one distribution (" +
                        join(distribution_kind_names()) + "), got nothing");
  }
  if (node.entries.size() > 1) {
    diag.fail(node.entries[1].first,
              scope.prefix() + scope.key(key) + " must name exactly one distribution, got '" +
                  node.entries[0].first.scalar + "' and '" + node.entries[1].first.scalar + "'");
  }
  const std::string kind = node.entries[0].first.scalar;
  const Node& params = node.entries[0].second;
  const Scope param_scope = inner.child(kind);
  const std::vector<std::string>& kind_params = distribution_params(kind);
  if (!params.is_map()) {
    diag.fail(params, scope.prefix() + "'" + param_scope.path + "' takes a map {" +
                          join(kind_params) + "}, e.g. {" + kind + ": {" + kind_params[0] +
                          ": ...}}, got " + got(params));
  }
  check_map(params, param_scope, kind_params, diag);
  try {
    return build_distribution(kind, params, param_scope, diag);
  } catch (const std::invalid_argument& e) {
    // The sampler names the parameter in quotes at the start of its message;
    // report at that parameter, with its full path.
    const std::string what = e.what();
    const Node* at = &params;
    std::string message = scope.prefix() + "'" + param_scope.path + "': " + what;
    for (const auto& p : kind_params) {
      const std::string quoted = "'" + p + "'";
      if (what.rfind(quoted, 0) == 0 && params.find(p) != nullptr) {
        at = params.find(p);
        message =
            scope.prefix() + param_scope.key(p) + what.substr(quoted.size()) + ", got " + got(*at);
        break;
      }
    }
    diag.fail(*at, message);
  }
}

models::AnswerSpec read_answer(const Node& node, std::string_view key, const Scope& scope,
                               const Diagnostics& diag, models::AnswerSpec base) {
  const Scope inner = scope.child(key);
  check_map(node, inner, declared_keys("answer"), diag);
  if (const Node* p = node.find("probability")) {
    base.probability = read_number(*p, "probability", inner, diag, {0.0, false, 1.0});
  }
  if (const Node* d = node.find("delay")) base.delay = read_distribution(*d, "delay", inner, diag);
  if (const Node* t = node.find("timeout")) {
    base.timeout = read_seconds(*t, "timeout", inner, diag, true);
  }
  return base;
}

}  // namespace telsim::scenarios::detail
