// One writer for every output (analysis::write_file_atomically and its rules,
// results.hpp): every file a command writes, aimed at a device or a pipe, is
// written into it in place, and nothing is ever renamed over it. As root a
// rename over /dev/null replaced the device with a regular file (`telsim
// generate --out /dev/null` did). The targets here are a symbolic link to
// /dev/null in the test's own folder (a rename would replace the link, which
// shows without harming the machine's /dev/null) and a FIFO read by a thread.
// tests/faults/faults_test.cpp has /dev/null and /dev/full for --out.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

bool is_char_device(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

bool is_named_pipe(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

/// `link` is still a symbolic link to /dev/null, and /dev/null still the device.
void expect_null_link(const fs::path& link) {
  std::error_code ec;
  EXPECT_TRUE(fs::is_symlink(link, ec)) << link << " was replaced";
  EXPECT_EQ(fs::read_symlink(link, ec), fs::path("/dev/null")) << link;
  EXPECT_TRUE(is_char_device("/dev/null")) << "/dev/null must still be the device";
}

fs::path null_link(const fs::path& at) {
  fs::create_directories(at.parent_path());
  fs::create_symlink("/dev/null", at);
  return at;
}

/// A FIFO at `path` whose reader, a thread, collects everything written into it.
class FifoReader {
 public:
  explicit FifoReader(fs::path path) : path_(std::move(path)) {
    fs::create_directories(path_.parent_path());
    if (::mkfifo(path_.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    reader_ = std::thread([this] {
      const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);  // waits for a writer
      if (fd >= 0) {
        char block[4096];
        for (ssize_t n; (n = ::read(fd, block, sizeof block)) != 0;) {
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) break;
          text_.append(block, static_cast<std::size_t>(n));
        }
        ::close(fd);
      }
      done_ = true;
    });
  }
  FifoReader(const FifoReader&) = delete;
  FifoReader& operator=(const FifoReader&) = delete;
  ~FifoReader() { finish(); }

  /// What was written, once the writer has gone; a reader still waiting for a
  /// writer (telsim never opened the FIFO) is released by an empty one.
  const std::string& finish() {
    while (!done_) {
      const int fd = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0) ::close(fd);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (reader_.joinable()) reader_.join();
    return text_;
  }

 private:
  fs::path path_;
  std::string text_;
  std::atomic<bool> done_{false};
  std::thread reader_;
};

struct OutputCase {
  const char* label;
  Strings args;            ///< TARGET stands for the output file's path
  std::string target;      ///< relative to the test's folder
  std::string first_line;  ///< what the output starts with
};

void PrintTo(const OutputCase& c, std::ostream* os) {
  *os << c.label;
}

std::vector<OutputCase> output_cases() {
  const std::string small = fixture("small.yaml").string();
  return {
      {"run --out", {"run", small, "--quiet", "--out", "TARGET"}, "out", "{"},
      {"run --csv",
       {"run", small, "--quiet", "--out", "r.json", "--csv", "csv"},
       "csv/metrics.csv",
       "path,mean,ci95,n"},
      {"run --junit",
       {"run", small, "--quiet", "--out", "r.json", "--junit", "TARGET"},
       "junit",
       "<?xml"},
      {"run --calls",
       {"run", small, "--quiet", "--out", "r.json", "--calls", "TARGET"},
       "calls",
       "replication,call,relation"},
      {"sweep summary.csv",
       {"sweep", small, "--vary", "trunk_groups.AB.circuits=9,10", "--out", "sw", "--quiet"},
       "sw/summary.csv",
       ""},
      {"sweep results.sqlite",
       {"sweep", small, "--vary", "trunk_groups.AB.circuits=9,10", "--out", "sw", "--quiet"},
       "sw/results.sqlite",
       "SQLite format 3"},
      {"sweep --junit",
       {"sweep", small, "--vary", "trunk_groups.AB.circuits=9,10", "--out", "sw", "--quiet",
        "--junit", "TARGET"},
       "junit",
       "<?xml"},
      {"compare --out",
       {"compare", small, "--vary", "trunk_groups.AB.circuits=9,10", "--quiet", "--out", "TARGET"},
       "out",
       "{"},
      {"generate --out",
       {"generate", "--exchanges", "3", "--subscribers", "300", "--tandems", "1", "--no-pilot",
        "--out", "TARGET"},
       "out",
       "# A national network"},
  };
}

Strings with_target(Strings args, const fs::path& target) {
  for (std::string& a : args) {
    if (a == "TARGET") a = target.string();
  }
  return args;
}

class DeviceOutputs : public ::testing::TestWithParam<OutputCase> {};

TEST_P(DeviceOutputs, ALinkToDevNullStaysALinkToTheDevice) {
  const OutputCase& c = GetParam();
  TempDir dir;
  const fs::path target = null_link(dir / c.target);
  const ProcessResult r =
      run_telsim(with_target(c.args, target), dir.path(), std::chrono::seconds(120));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  expect_null_link(target);
  // No temporary file left beside it.
  for (const auto& entry : fs::directory_iterator(target.parent_path())) {
    EXPECT_NE(entry.path().extension(), ".tmp") << "stray temporary file " << entry.path();
  }
}

TEST_P(DeviceOutputs, APipeStaysAPipeAndGetsTheWholeOutput) {
  const OutputCase& c = GetParam();
  TempDir dir;
  const fs::path target = dir / c.target;
  FifoReader reader(target);
  const ProcessResult r =
      run_telsim(with_target(c.args, target), dir.path(), std::chrono::seconds(120));
  const std::string& text = reader.finish();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(is_named_pipe(target)) << target << " was replaced";
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.rfind(c.first_line, 0), 0u) << text.substr(0, 200);
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, DeviceOutputs, ::testing::ValuesIn(output_cases()),
                         [](const ::testing::TestParamInfo<OutputCase>& info) {
                           std::string name;
                           for (const char ch : std::string(info.param.label)) {
                             name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
                           }
                           return name;
                         });

// The reported case itself: the machine's /dev/null, not a link to it.
TEST(DeviceOutputs, GenerateIntoDevNullLeavesTheDevice) {
  TempDir dir;
  const ProcessResult r = run_telsim({"generate", "--exchanges", "3", "--subscribers", "300",
                                      "--tandems", "1", "--no-pilot", "--out", "/dev/null"},
                                     dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(is_char_device("/dev/null")) << "/dev/null must still be the device";
  EXPECT_EQ(dir.entries(), Strings{});
}

TEST(DeviceOutputs, CallsIntoDevNullLeavesTheDevice) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--quiet", "--out", "r.json", "--calls", "/dev/null"},
      dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(is_char_device("/dev/null")) << "/dev/null must still be the device";
  EXPECT_EQ(dir.entries(), Strings{"r.json"});
}

}  // namespace
}  // namespace telsim::e2e
