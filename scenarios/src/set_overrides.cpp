#include "set_overrides.hpp"

#include <array>
#include <string_view>

#include "loader_diagnostics.hpp"
#include "loader_sections.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

struct Segment {
  std::string text;
  int offset = 0;  ///< 0-based position in the KEY=VALUE text
};

/// The top-level lists whose items --set addresses by name, with what an
/// item is called in messages.
struct ListSection {
  std::string_view key;
  std::string_view noun;
};
constexpr std::array<ListSection, 5> list_sections = {{{"exchanges", "exchange"},
                                                       {"subscribers", "population"},
                                                       {"trunk_groups", "trunk group"},
                                                       {"routes", "route"},
                                                       {"traffic", "relation"}}};

const ListSection* find_section(std::string_view key) {
  for (const auto& s : list_sections) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

std::string scalar_of(const Node& map, std::string_view key) {
  const Node* n = map.find(key);
  return n != nullptr && n->is_scalar() ? n->scalar : std::string();
}

/// How --set names an item of a section: its name; a route "<from>-<to>";
/// a relation without a name "<from>-to-<to>".
std::string address_of(const Node& item, std::string_view section) {
  if (!item.is_map()) return {};
  if (section == "routes") return scalar_of(item, "from") + "-" + scalar_of(item, "to");
  if (section == "traffic" && !item.has("name")) {
    return default_relation_name(scalar_of(item, "from"), scalar_of(item, "to"));
  }
  return scalar_of(item, "name");
}

Origin at(int column) {
  Origin o;
  o.source = Origin::Source::set;
  o.column = column;
  return o;
}

void apply_one(Node& root, const std::string& text, const Diagnostics& diag) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) {
    diag.fail(at(0), "expected KEY=VALUE, e.g. trunk_groups.AB.circuits=90, got '" + text + "'");
  }
  const std::string key = text.substr(0, eq);
  const std::string value_text = text.substr(eq + 1);
  if (key.empty()) diag.fail(at(0), "missing KEY before '=' in '" + text + "'");
  if (value_text.find_first_not_of(" \t") == std::string::npos) {
    diag.fail(at(static_cast<int>(eq) + 1), "missing VALUE after '=' in '" + text + "'");
  }

  std::vector<Segment> path;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    const std::size_t end = dot == std::string::npos ? key.size() : dot;
    if (end == start) {
      diag.fail(at(static_cast<int>(start)), "empty part in the path '" + key + "'");
    }
    path.push_back({key.substr(start, end - start), static_cast<int>(start)});
    if (dot == std::string::npos) break;
    start = dot + 1;
  }

  Node value;
  try {
    value = parse_yaml(value_text, Origin::Source::set, static_cast<int>(eq) + 1);
  } catch (const YamlParseError& e) {
    const int column = e.line == 0 && e.column >= 0 ? e.column : static_cast<int>(eq) + 1;
    diag.fail(at(column), "in the value of '" + key + "': " + e.message);
  }

  Node* current = &root;
  const ListSection* section = nullptr;  // set while `current` is a section's list
  std::string walked;                    // the path so far, for messages
  for (std::size_t i = 0; i < path.size(); ++i) {
    const Segment& seg = path[i];
    const bool last = i + 1 == path.size();
    Node* next = nullptr;
    if (current->is_sequence() && section != nullptr) {
      std::vector<std::string> addresses;
      for (auto& item : current->items) {
        const std::string address = address_of(item, section->key);
        if (address == seg.text && next == nullptr) next = &item;
        addresses.push_back(address);
      }
      if (next == nullptr) {
        std::string hint = did_you_mean(seg.text, addresses, true);
        if (hint.empty() && section->key == "routes") hint = " (routes are named '<from>-<to>')";
        diag.fail(at(seg.offset), "no " + std::string(section->noun) + " '" + seg.text + "' in '" +
                                      key + "'" + hint);
      }
    } else if (current->is_sequence()) {
      diag.fail(at(seg.offset), "'" + walked +
                                    "' is a list, and lists are not addressed by "
                                    "index: set it whole, e.g. --set '" +
                                    walked + "=[...]'");
    } else if (current->is_map()) {
      next = current->find(seg.text);
      if (next == nullptr && last) {
        // A new leaf key: validation decides whether it is allowed here.
        Node new_key;
        new_key.kind = Node::Kind::scalar;
        new_key.scalar = seg.text;
        new_key.origin = at(seg.offset);
        current->entries.emplace_back(std::move(new_key), std::move(value));
        return;
      }
      if (next == nullptr) {
        std::vector<std::string> keys;
        for (const auto& [k, v] : current->entries) keys.push_back(k.scalar);
        std::string hint = did_you_mean(seg.text, keys);
        if (hint.empty()) {
          hint = " (to add it, set it whole: --set '" + walked + (walked.empty() ? "" : ".") +
                 seg.text + "={...}')";
        }
        const bool is_policy = walked == "policies";
        diag.fail(at(seg.offset), "no " + std::string(is_policy ? "policy" : "key") + " '" +
                                      seg.text + "' in '" + key + "'" + hint);
      }
    } else {
      diag.fail(at(seg.offset), "'" + walked +
                                    "' is a single value, not a map: set it whole "
                                    "with --set '" +
                                    walked + "=...'");
    }
    section = current == &root ? find_section(seg.text) : nullptr;
    if (!walked.empty()) walked += '.';
    walked += seg.text;
    if (last) {
      *next = std::move(value);
      return;
    }
    current = next;
  }
}

}  // namespace

void apply_overrides(Node& root, const std::vector<std::string>& overrides) {
  const Diagnostics diag("--set");
  for (const auto& text : overrides) apply_one(root, text, diag);
}

}  // namespace telsim::scenarios::detail
