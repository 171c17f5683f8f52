#include "yaml_checks.hpp"

#include "loader_values.hpp"

#include <algorithm>
#include <limits>

namespace telsim::scenarios::detail {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows suffice: a transposition looks back two rows.
  const std::size_t n = b.size();
  std::vector<std::size_t> before(n + 1), previous(n + 1), current(n + 1);
  for (std::size_t j = 0; j <= n; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= n; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[n];
}

std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates,
                         bool sole_is_enough) {
  if (candidates.empty()) return {};
  // Case is compared loosely: 'b' for exchange 'B' is an obvious slip.
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& ch : out) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
  };
  const std::string given_lower = lower(given);
  std::size_t best = std::numeric_limits<std::size_t>::max();
  const std::string* best_name = nullptr;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(given_lower, lower(c));
    if (d < best) {  // ties: the first in the list (declaration order) wins
      best = d;
      best_name = &c;
    }
  }
  // Close enough: a couple of edits, more for long words, but never a
  // suggestion that shares nothing with what was written, unless asked to
  // name the only possibility.
  const std::size_t allowed = std::max<std::size_t>(2, given.size() / 3);
  const std::size_t longest = std::max(given.size(), best_name->size());
  const bool close = best == 0 || (best <= allowed && best < longest);
  if (!close && !(sole_is_enough && candidates.size() == 1)) return {};
  return " (did you mean '" + *best_name + "'?)";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string got(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return "nothing";
    case Node::Kind::scalar:
      if (node.quoted) {
        // Only where it matters: a number in quotes is text, not a number.
        Node plain = node;
        plain.quoted = false;
        if (parse_number(plain)) return "'" + node.scalar + "' in quotes (text, not a number)";
      }
      return "'" + node.scalar + "'";
    case Node::Kind::sequence:
      return "a list '" + render(node) + "'";
    case Node::Kind::map:
      return "a map '" + render(node) + "'";
  }
  return "?";
}

void check_map_shape(const Node& node, const Scope& scope, const Diagnostics& diag,
                     std::string_view duplicate_noun) {
  if (!node.is_map()) {
    if (scope.path.empty()) {
      diag.fail(node, scope.where() + " must be a map of keys, got " + got(node));
    }
    diag.fail(node,
              scope.prefix() + "'" + scope.path + "' must be a map of keys, got " + got(node));
  }
  for (std::size_t i = 0; i < node.entries.size(); ++i) {
    const Node& key = node.entries[i].first;
    if (!key.is_scalar() || key.scalar.empty()) {
      diag.fail(key, "keys must be plain names, got " + got(key) + " in " + scope.where());
    }
    for (std::size_t j = 0; j < i; ++j) {
      const Node& earlier = node.entries[j].first;
      if (earlier.scalar == key.scalar) {
        diag.fail(key, "duplicate " + std::string(duplicate_noun) + " '" + key.scalar + "' in " +
                           scope.where() + " (first at " + Diagnostics::describe(earlier.origin) +
                           "; give it once)");
      }
    }
  }
}

void check_map(const Node& node, const Scope& scope, const std::vector<std::string>& allowed,
               const Diagnostics& diag, std::string_view noun) {
  check_map_shape(node, scope, diag);
  for (const auto& [key, value] : node.entries) {
    if (std::find(allowed.begin(), allowed.end(), key.scalar) == allowed.end()) {
      std::string hint = did_you_mean(key.scalar, allowed);
      // No close match: a short list of what is allowed is the remedy.
      if (hint.empty() && allowed.size() <= 10) hint = " (expected one of: " + join(allowed) + ")";
      diag.fail(
          key, "unknown " + std::string(noun) + " '" + key.scalar + "' in " + scope.where() + hint);
    }
  }
}

const Node& require_key(const Node& map, std::string_view key, const Scope& scope,
                        const Diagnostics& diag) {
  const Node* value = map.find(key);
  if (value == nullptr) {
    diag.fail(map, "missing required key '" + std::string(key) + "' in " + scope.where());
  }
  return *value;
}

void require_sequence(const Node& node, std::string_view key, const Scope& scope,
                      const Diagnostics& diag) {
  if (!node.is_sequence()) {
    diag.fail(node, scope.prefix() + scope.key(key) + " must be a list, got " + got(node));
  }
}

std::string require_string(const Node& node, std::string_view key, const Scope& scope,
                           const Diagnostics& diag) {
  if (!node.is_scalar() || node.scalar.empty()) {
    diag.fail(node,
              scope.prefix() + scope.key(key) + " must be a non-empty string, got " + got(node));
  }
  return node.scalar;
}

bool is_valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::string require_name(const Node& node, std::string_view key, const Scope& scope,
                         const Diagnostics& diag) {
  const std::string name = require_string(node, key, scope, diag);
  if (!is_valid_name(name)) {
    // Results paths are dot-separated, so a name with a dot (or a space)
    // could not be addressed in --set, expect or the results file.
    diag.fail(node, scope.prefix() + scope.key(key) +
                        " may hold only letters, digits, '_' and '-' (names are parts of "
                        "dot-separated results paths), got '" +
                        name + "'");
  }
  return name;
}

bool is_results_path(std::string_view path) {
  std::size_t parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = path.find('.', start);
    const std::string_view part =
        path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!is_valid_name(part)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts >= 2;
}

}  // namespace telsim::scenarios::detail
