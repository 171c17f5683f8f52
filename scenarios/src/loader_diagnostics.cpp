#include "loader_diagnostics.hpp"

#include "telsim/scenarios/loader.hpp"

namespace telsim::scenarios::detail {

void Diagnostics::fail(const Origin& at, const std::string& message) const {
  if (at.source == Origin::Source::set) throw ScenarioError("--set", 1, at.column + 1, message);
  throw ScenarioError(file_, at.line + 1, at.column + 1, message);
}

std::string Diagnostics::describe(const Origin& at) {
  if (at.source == Origin::Source::set) return "--set";
  return "line " + std::to_string(at.line + 1);
}

Scope Scope::child(std::string_view key) const {
  Scope s = *this;
  if (!s.path.empty()) s.path += '.';
  s.path += key;
  return s;
}

std::string Scope::where() const {
  if (path.empty()) return owner.empty() ? "the scenario" : owner;
  std::string w = "'" + path + "'";
  if (!owner.empty()) w += " of " + owner;
  return w;
}

std::string Scope::prefix() const {
  return owner.empty() ? std::string() : owner + ": ";
}

std::string Scope::key(std::string_view k) const {
  std::string full = path;
  if (!full.empty()) full += '.';
  full += k;
  return "'" + full + "'";
}

}  // namespace telsim::scenarios::detail
