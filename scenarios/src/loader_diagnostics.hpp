#pragma once
// Turning a node position and a message into a ScenarioError.
#include <string>
#include <string_view>

#include "yaml_tree.hpp"

namespace telsim::scenarios::detail {

/// Knows what the scenario file is called in error lines. Positions from a
/// --set value are reported as "--set:1:COLUMN".
class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const Origin& at, const std::string& message) const;
  [[noreturn]] void fail(const Node& at, const std::string& message) const {
    fail(at.origin, message);
  }
  const std::string& file() const { return file_; }

  /// "line 7" for a file position, "--set" for one from the command line
  /// (for "first defined at ..." notes).
  static std::string describe(const Origin& at);

 private:
  std::string file_;
};

/// Names what a message is about: `owner` is the object ("trunk group 'AB'",
/// empty at the top level) and `path` the dotted keys below it
/// ("arrivals.poisson"), so that messages read like --set paths.
struct Scope {
  std::string owner;
  std::string path;

  Scope child(std::string_view key) const;
  /// "'arrivals.poisson' of relation 'x'", "trunk group 'AB'", "the scenario".
  std::string where() const;
  /// "relation 'x': " or "" at the top level.
  std::string prefix() const;
  /// "'arrivals.poisson.rate'" for key "rate".
  std::string key(std::string_view k) const;
};

}  // namespace telsim::scenarios::detail
