// The bad-input corpus (tests/data/bad, one scenario per validation rule)
// through the telsim executable: `telsim validate` must exit 2 and print
// exactly the file's "# expect: " line on stderr, nothing on stdout.
// tests/scenarios/loader_bad_corpus_test.cpp checks the same lines through
// the loader; this checks what a user sees.
#include <gtest/gtest.h>

#include "../common/bad_corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
const fs::path data_dir = TELSIM_TEST_DATA_DIR;

std::vector<std::string> bad_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(data_dir / "bad")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

using telsim::test_corpus::header_values;

class BadScenarioCli : public ::testing::TestWithParam<std::string> {};

TEST_P(BadScenarioCli, ValidateExitsTwoWithTheExpectedLine) {
  const std::string name = GetParam();
  const std::string text = read_file(data_dir / "bad" / name);
  const auto expected = header_values(text, "expect");
  ASSERT_EQ(expected.size(), 1u);
  std::vector<std::string> args = {"validate", "bad/" + name};
  for (const auto& set : header_values(text, "set")) {
    args.push_back("--set");
    args.push_back(set);
  }
  const ProcessResult r = run_telsim(args, data_dir);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, expected[0] + "\n");
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadScenarioCli, ::testing::ValuesIn(bad_files()),
                         [](const auto& info) {
                           std::string n = info.param.substr(0, info.param.size() - 5);
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace telsim::e2e
