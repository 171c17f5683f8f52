#pragma once
// Runs the telsim executable (or any program) as a child process for the end-to-end tests:
// arguments passed as a vector straight to execv (no shell, no quoting), a chosen working
// folder, stdout and stderr captured separately, and a timeout after which the child is
// killed. Plus a fresh temporary folder per test that removes itself.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace telsim::e2e {

/// What a finished child process did.
struct ProcessResult {
  /// The exit status if the child exited; 128 + signal if a signal killed it (as a shell
  /// reports it); -1 if it could not be started.
  int exit_code = -1;
  bool killed_by_signal = false;  ///< true if a signal ended the child (no exit() call)
  bool timed_out = false;         ///< true if the child was killed at the timeout
  std::string out;                ///< everything written on stdout
  std::string err;                ///< everything written on stderr
};

/// A child process whose stdout and stderr are read into memory while it runs.
/// Move-only; the destructor kills and reaps a child that is still running.
class Process {
 public:
  /// Starts `program` with `args` (argv[1]...) in folder `cwd`, stdin from /dev/null.
  /// Throws std::runtime_error if the pipes or the fork fail; a program that cannot be
  /// executed exits with status 127 and says why on stderr.
  Process(const std::filesystem::path& program, const std::vector<std::string>& args,
          const std::filesystem::path& cwd);
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }

  /// Sends `signal` to the child (no-op once it has been reaped).
  void send_signal(int signal) const;

  /// Waits until the child catches SIGINT and SIGTERM (telsim installs its handlers once
  /// the scenario is loaded, just before simulating), polling /proc/PID/status, at most
  /// `timeout`. Returns whether it does.
  bool wait_for_stop_handlers(std::chrono::milliseconds timeout) const;

  /// Reads the child's output until it exits, at most `timeout`; then kills it
  /// (SIGKILL) and reports timed_out. Call once.
  ProcessResult wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
};

/// Runs `program` to its end (or the timeout) and returns what it did.
ProcessResult run_program(const std::filesystem::path& program,
                          const std::vector<std::string>& args, const std::filesystem::path& cwd,
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// The telsim executable under test: $TELSIM_E2E_EXE if set, else the build's (TELSIM_EXE).
std::filesystem::path telsim_exe();

/// Runs telsim with `args` in `cwd`.
ProcessResult run_telsim(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// Hex SHA-256 of a file, from the system's `sha256sum` (empty if that fails).
std::string sha256_hex(const std::filesystem::path& file);

/// POSIX extended regular expression search (`whole`: the whole text must
/// match). Used instead of std::regex, which GCC 12 cannot compile cleanly
/// under the sanitizers with -Werror.
bool regex_matches(const std::string& text, const std::string& ere, bool whole = false);

/// True if `text` is exactly one line "FILE:LINE:COLUMN: error: MESSAGE\n"
/// with LINE and COLUMN counted from 1.
bool is_one_error_line(const std::string& text);

/// Reads a whole file ("" if it cannot be read).
std::string read_file(const std::filesystem::path& file);

/// Writes a whole file, creating or replacing it; throws on failure.
void write_file(const std::filesystem::path& file, const std::string& content);

/// A scenario fixture of this suite: tests/data/e2e/NAME.
std::filesystem::path fixture(const std::string& name);

/// A results file parsed with its key order kept; throws if it is not JSON.
nlohmann::ordered_json read_json(const std::filesystem::path& file);

/// A fresh, empty folder under the system temporary folder, removed with everything in it
/// when the object is destroyed.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  /// The names of the entries directly in the folder, sorted.
  std::vector<std::string> entries() const { return entries_of(path_); }

  /// The names of the entries directly in `folder`, sorted; empty if it does not exist.
  static std::vector<std::string> entries_of(const std::filesystem::path& folder);

 private:
  std::filesystem::path path_;
};

}  // namespace telsim::e2e
