#pragma once
// Our own copy of a parsed YAML document. yaml-cpp parses; we convert its
// nodes into this tree because we need three things its Node API does not
// give: duplicate keys kept in file order (yaml-cpp keeps them but lookups
// hide them), a position on every node that survives --set edits, and a
// position that says whether a node came from the file or from a --set value.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telsim::scenarios::detail {

/// Where a node was written: in the scenario file, or in a --set argument.
/// `line` and `column` count from 0 (as yaml-cpp's Mark does); for --set,
/// `column` is the offset within the whole KEY=VALUE text.
struct Origin {
  enum class Source : unsigned char { file, set };
  Source source = Source::file;
  int line = 0;
  int column = 0;
};

struct Node {
  enum class Kind : unsigned char { null, scalar, sequence, map };
  // Declared here, defaulted below the class: clang with libstdc++ cannot
  // define them implicitly while Node is incomplete (std::pair<Node, Node>'s
  // constraints ask whether Node is default-constructible). Needed by the
  // clang fuzz build (docs/hardening.md). Inline: building a national
  // network's tree moves a million nodes.
  Node();
  ~Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;

  std::string scalar;                          ///< the text of a scalar
  std::vector<Node> items;                     ///< a sequence's items
  std::vector<std::pair<Node, Node>> entries;  ///< a map's (key, value) pairs, in file order
  Origin origin;
  // After origin, in its padding: 96 bytes a node rather than 104 (a
  // national network's file is a million nodes).
  Kind kind = Kind::null;
  /// A scalar written in quotes or with an explicit tag: text, never a number (YAML 1.2,
  /// as the JSON Schema sees it: duration: "100" is a string).
  bool quoted = false;

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }

  /// The value of the first entry whose key is `key`, or null.
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  /// The key node of the first entry whose key is `key`, or null.
  const Node* find_key(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
};

inline Node::Node() = default;
inline Node::~Node() = default;
inline Node::Node(const Node&) = default;
inline Node::Node(Node&&) noexcept = default;
inline Node& Node::operator=(const Node&) = default;
inline Node& Node::operator=(Node&&) noexcept = default;

/// Why parsing failed, with the position yaml-cpp gave (0-based; -1 if none).
struct YamlParseError {
  std::string message;  ///< yaml-cpp's own words, or ours for a second document
  int line = -1;
  int column = -1;
};

/// Parses one YAML document. An empty document (nothing but comments) gives
/// a null node. A second document is an error at its start. Positions are
/// shifted by `column_offset` on the first line (for --set values) and
/// stamped with `source`. Throws YamlParseError.
Node parse_yaml(std::string_view text, Origin::Source source, int column_offset);

/// Position of the first byte of `text` that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text);

/// A short flow-style rendering of a node for messages ("got '...'").
std::string render(const Node& node);

}  // namespace telsim::scenarios::detail
