#include <fmt/format.h>

#include "builtin_policies.hpp"

namespace telsim::models::detail {

ParamDecl number_param(std::string name, double value, double min, double max, std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::number;
  p.min = min;
  p.max = max;
  p.default_value.kind = ParamKind::number;
  p.default_value.number = value;
  p.default_text = fmt::format("{}", value);
  p.help = std::move(help);
  return p;
}

ParamDecl count_param(std::string name, std::optional<std::uint64_t> value, double min, double max,
                      bool allow_unlimited, std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::count;
  p.min = min;
  p.max = max;
  p.allow_unlimited = allow_unlimited;
  p.default_value.kind = ParamKind::count;
  p.default_value.count = value;
  p.default_text = value ? fmt::format("{}", *value) : "unlimited";
  p.help = std::move(help);
  return p;
}

ParamDecl distribution_param(std::string name, std::optional<sim::Distribution> value,
                             std::string default_text, bool allow_unlimited, std::string help) {
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

ParamDecl answer_param(std::string name, AnswerSpec value, std::string default_text,
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

ParamDecl expiry_param(std::string name, double seconds, std::string help) {
  ParamDecl p;
  p.name = std::move(name);
  p.kind = ParamKind::expiry;
  p.min = 0.0;
  p.default_value.kind = ParamKind::expiry;
  p.default_value.expiry = {seconds, seconds, seconds};
  p.default_text = fmt::format("{}", seconds);
  p.help = std::move(help);
  return p;
}

}  // namespace telsim::models::detail
