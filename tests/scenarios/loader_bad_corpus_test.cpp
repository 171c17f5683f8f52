// The bad-input corpus: tests/data/bad/*.yaml, one file per validation rule.
// Each file states its exact error line in a leading "# expect: " comment
// (and any --set overrides in "# set: " comments); loading it must fail
// with exactly that line.
#include <gtest/gtest.h>

#include "../common/bad_corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"

namespace telsim::scenarios {
namespace {

const std::filesystem::path bad_dir = std::filesystem::path(TELSIM_TEST_DATA_DIR) / "bad";

std::vector<std::string> bad_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(bad_dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_binary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

using telsim::test_corpus::header_values;

class BadScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BadScenario, FailsWithTheExpectedLine) {
  const std::string text = read_binary(bad_dir / GetParam());
  const auto expected = header_values(text, "expect");
  ASSERT_EQ(expected.size(), 1u) << "each bad file states one '# expect: ' line";
  const auto overrides = header_values(text, "set");
  const auto registry = models::builtin_policy_registry();
  try {
    load_scenario_text(text, "bad/" + GetParam(), overrides, registry);
    FAIL() << "loaded without error; expected: " << expected[0];
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()), expected[0]);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadScenario, ::testing::ValuesIn(bad_files()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.size() - 5);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(BadCorpus, HasAFilePerRule) {
  EXPECT_GE(bad_files().size(), 40u);
}

TEST(BadCorpus, EveryFileNamesItsOwnPosition) {
  // An expectation pointing at another file would be a copy-and-paste slip.
  for (const auto& file : bad_files()) {
    const auto expected = header_values(read_binary(bad_dir / file), "expect");
    ASSERT_EQ(expected.size(), 1u) << file;
    const bool own = expected[0].rfind("bad/" + file + ":", 0) == 0;
    const bool set = expected[0].rfind("--set:1:", 0) == 0;
    EXPECT_TRUE(own || set) << file << ": " << expected[0];
  }
}

}  // namespace
}  // namespace telsim::scenarios
