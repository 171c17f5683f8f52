// The bad-scenario corpus (tests/data/bad): each file states what it expects in its leading
// comment lines, read by the loader test and by the command-line test alike.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace telsim::test_corpus {

/// The values of every leading comment line "# <tag>: VALUE".
inline std::vector<std::string> header_values(const std::string& text, const std::string& tag) {
  std::vector<std::string> values;
  std::istringstream lines(text);
  std::string line;
  const std::string prefix = "# " + tag + ": ";
  while (std::getline(lines, line) && line.rfind('#', 0) == 0) {
    if (line.rfind(prefix, 0) == 0) values.push_back(line.substr(prefix.size()));
  }
  return values;
}

}  // namespace telsim::test_corpus
