// Replays tests/fuzz_corpus/ through the fuzzers' own one-input functions
// (fuzz/fuzz_inputs.hpp) in the ordinary build, so the asan preset checks
// every seed, every past finding and a minimised selection of the fuzzers'
// corpus without clang or libFuzzer. A broken input aborts the process: the
// test fails with the file's name printed just before.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_inputs.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path corpus_dir = TELSIM_FUZZ_CORPUS_DIR;

std::vector<std::string> files_in(const std::string& sub) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(corpus_dir / sub)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_binary(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void replay(const std::string& sub, void (*one_input)(const std::uint8_t*, std::size_t)) {
  const auto names = files_in(sub);
  for (const auto& name : names) {
    const std::string bytes = read_binary(corpus_dir / sub / name);
    // Printed first, so that an abort names its input.
    std::fprintf(stderr, "replaying %s/%s\n", sub.c_str(), name.c_str());
    one_input(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
}

TEST(FuzzCorpus, LoaderInputsAreHandled) {
  ASSERT_GE(files_in("loader").size(), 50u) << "seeds, findings and a minimised selection";
  replay("loader", telsim::fuzz::load_scenario_input);
}

TEST(FuzzCorpus, SetInputsAreHandled) {
  ASSERT_GE(files_in("set").size(), 10u);
  replay("set", telsim::fuzz::set_overrides_input);
}

TEST(FuzzCorpus, EveryFindingIsKept) {
  // Each input that once found a bug is named finding-*: they stay in the corpus.
  const auto names = files_in("loader");
  const auto findings = std::count_if(
      names.begin(), names.end(), [](const std::string& n) { return n.rfind("finding-", 0) == 0; });
  EXPECT_GE(findings, 3);
}

TEST(FuzzInputs, AnEmptyInputIsHandled) {
  telsim::fuzz::load_scenario_input(nullptr, 0);
  telsim::fuzz::set_overrides_input(nullptr, 0);  // also checks that the --set base loads
}

}  // namespace
