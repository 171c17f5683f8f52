#pragma once
// What the in-process study tests share: the bundled scenarios, quick settings for them,
// and temporary folders that clean up after themselves.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "telsim/studies/session.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::study_library_test {

namespace fs = std::filesystem;

inline fs::path library(const std::string& name) {
  return fs::path(TELSIM_SCENARIO_DIR) / name;
}

// erlang-b.yaml (15 Erlang on AB's 20 circuits, 10 replications) with runs of 10 simulated
// hours instead of 100: the settings the e2e tests use for `telsim compare` and `dimension`.
inline const std::vector<std::string> kQuickErlangB = {"duration=36000"};

inline studies::SessionOptions quick_erlang_b(std::vector<std::string> more_sets = {}) {
  studies::SessionOptions o;
  o.file = library("erlang-b.yaml");
  o.sets = kQuickErlangB;
  o.sets.insert(o.sets.end(), more_sets.begin(), more_sets.end());
  o.command_line = "telsim study-library-test";
  return o;
}

/// The exit code and message of the StudyError `f` throws; exit -1 when it throws none.
template <typename F>
std::pair<int, std::string> study_error(F f) {
  try {
    f();
  } catch (const studies::StudyError& e) {
    return {e.exit_code(), e.what()};
  }
  return {-1, ""};
}

/// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const fs::path candidate =
          fs::temp_directory_path() / ("telsim-study-library-" + std::to_string(entropy()));
      if (fs::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot make a temporary folder");
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

inline std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_bytes(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace telsim::study_library_test
