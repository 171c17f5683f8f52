#include "yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <istream>
#include <streambuf>
#include <string>
#include <unordered_map>

namespace telsim::scenarios::detail {
namespace {

Origin origin_of(const YAML::Mark& mark, Origin::Source source, int column_offset) {
  Origin o;
  o.source = source;
  o.line = mark.line < 0 ? 0 : mark.line;
  o.column = mark.column < 0 ? 0 : mark.column;
  if (o.line == 0) o.column += column_offset;
  return o;
}

/// Bounds on aliases: an alias may refer to a node that contains it (an
/// endless tree) or be nested to expand exponentially ("billion laughs").
/// Nodes written in the file are bounded by its size; only the copies that
/// aliases make count against max_copied_nodes.
struct Budget {
  static constexpr int max_depth = 200;
  static constexpr std::size_t max_copied_nodes = 2'000'000;
  std::size_t copied_nodes = 0;
};

/// Reads a text in place (a std::istringstream would copy it).
class TextBuffer : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read
    setg(begin, begin, begin + text.size());
  }
};

/// Builds our tree straight from yaml-cpp's parse events, in one pass and
/// without yaml-cpp's own node graph (which took seven times the memory of
/// ours and most of the loading time on large networks). Also records where
/// each document starts, to refuse a second one.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(Origin::Source source, int column_offset, bool aliases_possible)
      : source_(source), column_offset_(column_offset), aliases_possible_(aliases_possible) {}

  std::vector<YAML::Mark> starts;  ///< where each document starts
  Node root;                       ///< the first document

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
    awaiting_node_ = true;
  }
  void OnDocumentEnd() override { awaiting_node_ = false; }

  // An empty document's null node has the mark of whatever follows it:
  // its document start says more.
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    awaiting_node_ = false;
    if (!building()) return;
    check_depth(mark);
    Node node;
    node.origin = origin(mark);
    complete(std::move(node), anchor, 1, 0, mark);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    node_at(mark);
    if (!building()) return;
    const auto found = anchors_.find(anchor);
    // yaml-cpp registers an anchor when its node starts: an alias to an
    // unfinished node refers to a node that contains it.
    if (found == anchors_.end()) too_deep(mark);
    const Anchored& anchored = found->second;
    count_copies(anchored.nodes, mark, "too many nodes once aliases are expanded");
    if (depth() + anchored.height > Budget::max_depth) too_deep(mark);
    add(Node(anchored.node), anchored.nodes, anchored.height);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    node_at(mark);
    if (!building()) return;
    check_depth(mark);
    Node node;
    node.kind = Node::Kind::scalar;
    node.scalar = value;
    // yaml-cpp tags a plain scalar "?", a quoted one "!", an explicit tag by its name.
    node.quoted = tag != "?";
    node.origin = origin(mark);
    complete(std::move(node), anchor, 1, 0, mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    node_at(mark);
    if (building()) open(Node::Kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override {
    if (building()) close();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    node_at(mark);
    if (building()) open(Node::Kind::map, mark, anchor);
  }
  void OnMapEnd() override {
    if (building()) close();
  }

 private:
  /// An open sequence or map. Its children wait in `children_` until it
  /// closes, to be moved into a vector of exactly their number: one
  /// allocation per collection instead of one per doubling.
  struct Frame {
    Node node;
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    std::size_t nodes = 1;  ///< nodes in this subtree so far, itself included
    int height = 0;         ///< levels below it
    std::size_t first = 0;  ///< where its children start in children_
  };
  /// A finished anchored node, copied where an alias names it.
  struct Anchored {
    Node node;
    std::size_t nodes = 1;
    int height = 0;
  };

  bool building() const { return starts.size() == 1; }
  int depth() const { return static_cast<int>(open_.size()); }
  Origin origin(const YAML::Mark& mark) const { return origin_of(mark, source_, column_offset_); }

  void node_at(const YAML::Mark& mark) {
    if (!awaiting_node_) return;
    awaiting_node_ = false;
    if (!mark.is_null()) starts.back() = mark;
  }

  [[noreturn]] static void too_deep(const YAML::Mark& mark) {
    throw YamlParseError{"nested too deeply (an alias that refers to a node containing it?)",
                         mark.line, mark.column};
  }

  /// A node at depth() (the root at 0) may be at most max_depth deep.
  void check_depth(const YAML::Mark& mark) const {
    if (depth() > Budget::max_depth) too_deep(mark);
  }

  /// Counts `nodes` copied (for an alias, or kept for aliases) against the budget.
  void count_copies(std::size_t nodes, const YAML::Mark& mark, const char* refusal) {
    budget_.copied_nodes += nodes;
    if (budget_.copied_nodes > Budget::max_copied_nodes) {
      throw YamlParseError{refusal, mark.line, mark.column};
    }
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    check_depth(mark);
    Frame frame;
    frame.node.kind = kind;
    frame.node.origin = origin(mark);
    frame.mark = mark;
    frame.anchor = anchor;
    frame.first = children_.size();
    open_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(open_.back());
    open_.pop_back();
    const auto first = children_.begin() + static_cast<std::ptrdiff_t>(frame.first);
    Node& node = frame.node;
    if (node.is_sequence()) {
      node.items.assign(std::make_move_iterator(first), std::make_move_iterator(children_.end()));
    } else {
      node.entries.reserve(static_cast<std::size_t>(children_.end() - first) / 2);
      for (auto child = first; child + 1 < children_.end(); child += 2) {
        node.entries.emplace_back(std::move(*child), std::move(*(child + 1)));
      }
    }
    children_.erase(first, children_.end());
    complete(std::move(node), frame.anchor, frame.nodes, frame.height, frame.mark);
  }

  void complete(Node node, YAML::anchor_t anchor, std::size_t nodes, int height,
                const YAML::Mark& mark) {
    if (anchor != 0 && aliases_possible_) {
      // Kept for its aliases: a copy, counted like the copies aliases make
      // (anchors nested in anchors would otherwise copy a subtree per level).
      count_copies(nodes, mark, "too many nodes under anchors and aliases");
      anchors_.insert_or_assign(anchor, Anchored{node, nodes, height});
    }
    add(std::move(node), nodes, height);
  }

  void add(Node node, std::size_t nodes, int height) {
    if (open_.empty()) {
      root = std::move(node);
      return;
    }
    Frame& parent = open_.back();
    parent.nodes += nodes;
    parent.height = std::max(parent.height, height + 1);
    if (parent.node.is_sequence()) {
      // An empty item ("- " alone) has its mark on the next token; the
      // dash's line is the useful place.
      if (node.is_null() && node.origin.line > parent.node.origin.line) {
        node.origin = parent.node.origin;
      }
    } else if ((children_.size() - parent.first) % 2 == 1) {
      // "key:" with nothing after it gets the mark of the next token,
      // often on a later line: report such a value at its key. (Entries
      // keep duplicate keys in file order, which is what lets us report
      // them: a lookup by key would only ever see the first.)
      const Node& key = children_.back();
      if (node.is_null() && node.origin.line > key.origin.line) node.origin = key.origin;
    }
    children_.push_back(std::move(node));
  }

  Origin::Source source_;
  int column_offset_;
  bool aliases_possible_;
  bool awaiting_node_ = false;
  std::vector<Frame> open_;
  std::vector<Node> children_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  Budget budget_;
};

}  // namespace

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k.is_scalar() && k.scalar == key) return &v;
  }
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& [k, v] : entries) {
    if (k.is_scalar() && k.scalar == key) return &v;
  }
  return nullptr;
}

const Node* Node::find_key(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k.is_scalar() && k.scalar == key) return &k;
  }
  return nullptr;
}

Node parse_yaml(std::string_view text, Origin::Source source, int column_offset) {
  // Without a '*' there is no alias, so anchored nodes need no copy.
  TreeBuilder builder(source, column_offset, text.find('*') != std::string_view::npos);
  try {
    // Not YAML::LoadAll: in yaml-cpp 0.7 it loops for ever, allocating, on a
    // token that starts no node (a lone ',': yaml-cpp issue 1040, fixed
    // upstream by PR 1319). Such a document consumes nothing, so the next one
    // starts at the same place. We only need to know whether a second
    // document exists, so we stop counting at two.
    TextBuffer buffer(text);
    std::istream in(&buffer);
    YAML::Parser parser(in);
    while (builder.starts.size() < 2 && parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    YamlParseError error{"invalid YAML: " + e.msg, e.mark.line, e.mark.column};
    if (error.line == 0 && error.column >= 0) error.column += column_offset;
    throw error;
  } catch (YamlParseError& error) {  // the builder's own limits, at yaml-cpp's marks
    if (error.line == 0 && error.column >= 0) error.column += column_offset;
    throw;
  }
  if (builder.starts.empty()) return Node{};
  if (builder.starts.size() > 1) {
    const YAML::Mark first = builder.starts[0];
    const YAML::Mark second = builder.starts[1];
    YamlParseError error{
        "a scenario holds one YAML document, but a second one starts here (remove the '---')",
        second.line, second.column};
    // A token that yaml-cpp could not place ends the first document
    // without being consumed (or is the whole first document).
    const auto at = static_cast<std::size_t>(second.pos < 0 ? 0 : second.pos);
    const bool stray =
        at < text.size() && std::string_view(",]}").find(text[at]) != std::string_view::npos;
    if (second.pos == first.pos || stray) {
      error.message = "invalid YAML: unexpected '" + std::string(text.substr(at, 1)) +
                      "': it starts no value here (quote it to make it text)";
    }
    if (error.line == 0 && error.column >= 0) error.column += column_offset;
    throw error;
  }
  return std::move(builder.root);
}

/// Position of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + extra >= text.size()) return i;  // cut short at the end
    std::uint32_t cp = c & (0x3F >> extra);
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond Unicode are not UTF-8.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += extra + 1;
  }
  return std::string_view::npos;
}

namespace {

constexpr std::size_t render_limit = 60;  // messages stay one readable line

// Built by construction rather than by assigning literals to one string:
// GCC 12 at -O3 reports a false -Wrestrict on the assignments (PR 105329).
std::string render_sequence(const Node& node) {
  std::string out("[");
  for (std::size_t i = 0; i < node.items.size() && out.size() < render_limit; ++i) {
    if (i > 0) out.append(", ");
    out.append(render(node.items[i]));
  }
  out.push_back(']');
  return out;
}

std::string render_map(const Node& node) {
  std::string out("{");
  bool first = true;
  for (const auto& [k, v] : node.entries) {
    if (out.size() >= render_limit) break;
    if (!first) out.append(", ");
    first = false;
    out.append(render(k)).append(": ").append(render(v));
  }
  out.push_back('}');
  return out;
}

}  // namespace

std::string render(const Node& node) {
  std::string out;
  switch (node.kind) {
    case Node::Kind::null:
      break;
    case Node::Kind::scalar:
      out = node.scalar;
      break;
    case Node::Kind::sequence:
      out = render_sequence(node);
      break;
    case Node::Kind::map:
      out = render_map(node);
      break;
  }
  if (out.size() > render_limit) {
    out.resize(render_limit - 3);
    out.append("...");
  }
  return out;
}

}  // namespace telsim::scenarios::detail
