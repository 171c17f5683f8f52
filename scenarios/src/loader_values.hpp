#pragma once
// Reading values: numbers (exponent form allowed), integers, times in
// seconds, counts that may be "unlimited", distributions, answer models.
#include <cstdint>
#include <optional>
#include <string_view>

#include "loader_diagnostics.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/distribution.hpp"
#include "yaml_tree.hpp"

namespace telsim::scenarios::detail {

/// The longest time a scenario may name, in seconds: beyond it microsecond
/// ticks lose meaning for users (1e12 s is about 31,700 years).
inline constexpr double max_seconds = 1e12;

/// Parses a scalar as a finite number ("1e10", "+2", "0.5"); nullopt if it is not one.
std::optional<double> parse_number(const Node& node);

/// Bounds for a number; `min_open` excludes the lower bound itself.
struct NumberRange {
  double min = 0.0;
  bool min_open = false;
  double max = 1e300;
};

/// A finite number within `range`; the message names `key` and the value.
double read_number(const Node& node, std::string_view key, const Scope& scope,
                   const Diagnostics& diag, NumberRange range);

/// Seconds: a number >= 0 (or > 0 if `positive`) and at most max_seconds.
double read_seconds(const Node& node, std::string_view key, const Scope& scope,
                    const Diagnostics& diag, bool positive);

/// An integer within [min, max]; exponent form is fine if the value is integral.
std::uint64_t read_integer(const Node& node, std::string_view key, const Scope& scope,
                           const Diagnostics& diag, std::uint64_t min, std::uint64_t max);

/// An integer within [min, max] or "unlimited" (nullopt).
std::optional<std::uint64_t> read_count_or_unlimited(const Node& node, std::string_view key,
                                                     const Scope& scope, const Diagnostics& diag,
                                                     std::uint64_t min, std::uint64_t max);

bool is_unlimited(const Node& node);

/// A distribution (SPEC §2): a map with one kind key, or a bare number
/// (deterministic). The samplers' own parameter checks are reported at the
/// offending parameter.
sim::Distribution read_distribution(const Node& node, std::string_view key, const Scope& scope,
                                    const Diagnostics& diag);

/// An answer model {probability, delay, timeout}; keys left out keep the
/// values of `base`.
models::AnswerSpec read_answer(const Node& node, std::string_view key, const Scope& scope,
                               const Diagnostics& diag, models::AnswerSpec base);

}  // namespace telsim::scenarios::detail
