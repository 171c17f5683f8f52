#include "yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <string>

namespace telsim::scenarios::detail {
namespace {

/// Records where each document starts (its first node, or the document
/// start when it is empty) and nothing else.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override {
    starts.push_back(mark);
    awaiting_node_ = true;
  }
  void OnDocumentEnd() override { awaiting_node_ = false; }
  // An empty document's null node has the mark of whatever follows it:
  // its document start says more.
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { awaiting_node_ = false; }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node_at(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node_at(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node_at(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node_at(mark);
  }
  void OnMapEnd() override {}

 private:
  void node_at(const YAML::Mark& mark) {
    if (!awaiting_node_) return;
    awaiting_node_ = false;
    if (!mark.is_null()) starts.back() = mark;
  }
  bool awaiting_node_ = false;
};

Origin origin_of(const YAML::Mark& mark, Origin::Source source, int column_offset) {
  Origin o;
  o.source = source;
  o.line = mark.line < 0 ? 0 : mark.line;
  o.column = mark.column < 0 ? 0 : mark.column;
  if (o.line == 0) o.column += column_offset;
  return o;
}

/// Bounds on the copy: an alias may refer to a node that contains it (an
/// endless tree) or be nested to expand exponentially ("billion laughs").
struct Budget {
  static constexpr int max_depth = 200;
  static constexpr std::size_t max_nodes = 2'000'000;
  std::size_t nodes = 0;
};

Node convert(const YAML::Node& in, Origin::Source source, int column_offset, Budget& budget,
             int depth) {
  Node out;
  out.origin = origin_of(in.Mark(), source, column_offset);
  if (depth > Budget::max_depth || ++budget.nodes > Budget::max_nodes) {
    throw YamlParseError{depth > Budget::max_depth
                             ? "nested too deeply (an alias that refers to a node containing it?)"
                             : "too many nodes once aliases are expanded",
                         in.Mark().line, in.Mark().column};
  }
  switch (in.Type()) {
    case YAML::NodeType::Scalar:
      out.kind = Node::Kind::scalar;
      out.scalar = in.Scalar();
      break;
    case YAML::NodeType::Sequence:
      out.kind = Node::Kind::sequence;
      for (const auto& item : in) {
        out.items.push_back(convert(item, source, column_offset, budget, depth + 1));
        // An empty item ("- " alone) has its mark on the next token; the
        // dash's line is the useful place.
        if (out.items.back().is_null() && out.items.back().origin.line > out.origin.line) {
          out.items.back().origin = out.origin;
        }
      }
      break;
    case YAML::NodeType::Map:
      out.kind = Node::Kind::map;
      // Iteration keeps duplicate keys in file order, which is what lets
      // us report them (a lookup by key would only ever see the first).
      for (auto it = in.begin(); it != in.end(); ++it) {
        Node key = convert(it->first, source, column_offset, budget, depth + 1);
        Node value = convert(it->second, source, column_offset, budget, depth + 1);
        // "key:" with nothing after it gets the mark of the next token,
        // often on a later line: report such a value at its key.
        if (value.is_null() && value.origin.line > key.origin.line) value.origin = key.origin;
        out.entries.emplace_back(std::move(key), std::move(value));
      }
      break;
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out.kind = Node::Kind::null;
      break;
  }
  return out;
}

}  // namespace

Node::Node() = default;
Node::~Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;

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
  const std::string owned(text);
  YAML::Node document;
  try {
    // Not YAML::LoadAll: in yaml-cpp 0.7 it loops for ever, allocating, on a
    // token that starts no node (a lone ',': yaml-cpp issue 1040, fixed
    // upstream by PR 1319). Such a document consumes nothing, so the next one
    // starts at the same place. We only need to know whether a second
    // document exists, so we stop counting at two.
    std::istringstream in(owned);
    YAML::Parser parser(in);
    DocumentStarts documents;
    while (documents.starts.size() < 2 && parser.HandleNextDocument(documents)) {
    }
    if (documents.starts.empty()) return Node{};
    if (documents.starts.size() > 1) {
      const YAML::Mark first = documents.starts[0];
      const YAML::Mark second = documents.starts[1];
      YamlParseError error{
          "a scenario holds one YAML document, but a second one starts here (remove the '---')",
          second.line, second.column};
      // A token that yaml-cpp could not place ends the first document
      // without being consumed (or is the whole first document).
      const auto at = static_cast<std::size_t>(second.pos < 0 ? 0 : second.pos);
      const bool stray =
          at < owned.size() && std::string_view(",]}").find(owned[at]) != std::string_view::npos;
      if (second.pos == first.pos || stray) {
        error.message = "invalid YAML: unexpected '" + owned.substr(at, 1) +
                        "': it starts no value here (quote it to make it text)";
      }
      if (error.line == 0 && error.column >= 0) error.column += column_offset;
      throw error;
    }
    document = YAML::Load(owned);
  } catch (const YAML::Exception& e) {
    YamlParseError error{"invalid YAML: " + e.msg, e.mark.line, e.mark.column};
    if (error.line == 0 && error.column >= 0) error.column += column_offset;
    throw error;
  }
  Budget budget;
  return convert(document, source, column_offset, budget, 0);
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
