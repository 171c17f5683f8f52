#pragma once
/// Declaring a policy type's parameters: inline helpers for plug-ins.
///
/// The same declarations the built-in policies make with their internal
/// helpers (models/src/builtin_policies.hpp), header-only so that a plug-in
/// needs no out-of-line code from telsim_models. `default_text` is what
/// `telsim policies` shows; numbers are written in their shortest exact form.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "telsim/models/policy_registry.hpp"

namespace telsim::models::params {

/// The shortest text that reads back as `value` ("60", "0.5", "1e+10").
inline std::string number_text(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

/// A real number in [min, max].
inline ParamDecl number_param(std::string name, double value, double min, double max,
                              std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::number;
  p.min = min;
  p.max = max;
  p.default_value.kind = ParamKind::number;
  p.default_value.number = value;
  p.default_text = number_text(value);
  p.help = std::move(help);
  return p;
}

/// A count in [min, max]; a nullopt default means "unlimited" (which the
/// parameter must then allow).
inline ParamDecl count_param(std::string name, std::optional<std::uint64_t> value, double min,
                             double max, bool allow_unlimited, std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::count;
  p.min = min;
  p.max = max;
  p.allow_unlimited = allow_unlimited;
  p.default_value.kind = ParamKind::count;
  p.default_value.count = value;
  p.default_text = value ? std::to_string(*value) : "unlimited";
  p.help = std::move(help);
  return p;
}

/// A distribution (a bare number in a scenario means deterministic); a
/// nullopt default means "unlimited" (which the parameter must then allow).
inline ParamDecl distribution_param(std::string name, std::optional<sim::Distribution> value,
                                    std::string default_text, bool allow_unlimited,
                                    std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::distribution;
  p.allow_unlimited = allow_unlimited;
  p.default_value.kind = ParamKind::distribution;
  p.default_value.distribution = std::move(value);
  p.default_text = std::move(default_text);
  p.help = std::move(help);
  return p;
}

/// An answer model {probability, delay, timeout}.
inline ParamDecl answer_param(std::string name, AnswerSpec value, std::string default_text,
                              std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::answer;
  p.default_value.kind = ParamKind::answer;
  p.default_value.answer = std::move(value);
  p.default_text = std::move(default_text);
  p.help = std::move(help);
  return p;
}

/// Seconds, or in a scenario a map per failure cause ({busy: ..., no_answer: ...}).
inline ParamDecl expiry_param(std::string name, double seconds, std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::expiry;
  p.min = 0.0;
  p.default_value.kind = ParamKind::expiry;
  p.default_value.expiry = {seconds, seconds, seconds};
  p.default_text = number_text(seconds);
  p.help = std::move(help);
  return p;
}

}  // namespace telsim::models::params
