#include "run_telsim.hpp"

#include <regex.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error("e2e: " + what + ": " + std::strerror(errno));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reports a failure in the child between fork and exec, with async-signal-safe calls only
// (no strerror, no allocation), and exits 127 as a shell does for a command it cannot run.
[[noreturn]] void child_fail(const char* what) {
  [[maybe_unused]] const ssize_t ignored = ::write(2, what, std::strlen(what));
  ::_exit(127);
}

}  // namespace

Process::Process(const fs::path& program, const std::vector<std::string>& args,
                 const fs::path& cwd) {
  // Everything the child needs is prepared before fork: after it, a child of a threaded
  // process may only make async-signal-safe calls.
  std::vector<std::string> argv_text;
  argv_text.push_back(program.string());
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string program_text = program.string();
  const std::string cwd_text = cwd.string();

  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) fail("pipe");
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    fail("pipe");
  }
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) fail("open /dev/null");

  pid_ = ::fork();
  if (pid_ < 0) {
    for (const int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], null_fd}) ::close(fd);
    fail("fork");
  }
  if (pid_ == 0) {
    // The child: default dispositions and an empty mask for the signals under test, whatever
    // the test runner inherited (a background shell job ignores SIGINT).
    struct sigaction action {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (::dup2(null_fd, 0) < 0 || ::dup2(out_pipe[1], 1) < 0 || ::dup2(err_pipe[1], 2) < 0) {
      child_fail("e2e: dup2 failed in the child\n");
    }
    // Its own process group, so that a timeout kills whatever it started too.
    ::setpgid(0, 0);
    if (::chdir(cwd_text.c_str()) != 0) child_fail("e2e: cannot enter the working folder\n");
    ::execv(program_text.c_str(), argv.data());
    child_fail("e2e: cannot execute the program\n");
  }
  ::setpgid(pid_, pid_);  // also here: no race with the first kill of the group
  ::close(null_fd);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
}

Process::~Process() {
  if (pid_ > 0 && !reaped_) {
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  close_fd(out_fd_);
  close_fd(err_fd_);
}

void Process::send_signal(int signal) const {
  if (pid_ > 0 && !reaped_) ::kill(pid_, signal);
}

bool Process::wait_for_stop_handlers(std::chrono::milliseconds timeout) const {
  // SigCgt is the hexadecimal mask of caught signals, bit N-1 for signal N.
  const unsigned long long wanted = (1ull << (SIGINT - 1)) | (1ull << (SIGTERM - 1));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const fs::path status = fs::path("/proc") / std::to_string(pid_) / "status";
  while (pid_ > 0 && !reaped_) {
    std::ifstream in(status);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("SigCgt:", 0) != 0) continue;
      if ((std::stoull(line.substr(7), nullptr, 16) & wanted) == wanted) return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

ProcessResult Process::wait(std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  ProcessResult result;
  const auto deadline = clock::now() + timeout;
  std::array<char, 65536> buffer{};
  while (out_fd_ >= 0 || err_fd_ >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0 && !result.timed_out) {
      result.timed_out = true;
      ::kill(-pid_, SIGKILL);  // the whole group: the pipes then close and the loop ends
    }
    if (result.timed_out && left < -5000) break;  // something outside the group holds a pipe
    std::array<pollfd, 2> fds{{{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}}};
    const int wait_ms = result.timed_out ? 1000 : static_cast<int>(std::min<long long>(left, 100));
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      fail("poll");
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      const ssize_t n = ::read(fds[k].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close_fd(k == 0 ? out_fd_ : err_fd_);
        continue;
      }
      (k == 0 ? result.out : result.err).append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid");
  }
  reaped_ = true;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.killed_by_signal = true;
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

ProcessResult run_program(const fs::path& program, const std::vector<std::string>& args,
                          const fs::path& cwd, std::chrono::milliseconds timeout) {
  Process process(program, args, cwd);
  return process.wait(timeout);
}

fs::path telsim_exe() {
  // TELSIM_E2E_EXE runs the suite against another build or an installed telsim.
  if (const char* other = std::getenv("TELSIM_E2E_EXE"); other != nullptr && *other != '\0') {
    return fs::path(other);
  }
  return fs::path(TELSIM_EXE);
}

ProcessResult run_telsim(const std::vector<std::string>& args, const fs::path& cwd,
                         std::chrono::milliseconds timeout) {
  return run_program(telsim_exe(), args, cwd, timeout);
}

std::string sha256_hex(const fs::path& file) {
  const ProcessResult r = run_program("/usr/bin/sha256sum", {fs::absolute(file).string()},
                                      fs::current_path(), std::chrono::seconds(30));
  if (r.exit_code != 0 || r.out.size() < 64) return {};
  return r.out.substr(0, 64);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_file(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("e2e: cannot write " + file.string());
}

fs::path fixture(const std::string& name) {
  return fs::path(TELSIM_TEST_DATA_DIR) / "e2e" / name;
}

nlohmann::ordered_json read_json(const fs::path& file) {
  return nlohmann::ordered_json::parse(read_file(file));
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "telsim-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) fail("mkdtemp " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  // A test may have made parts read-only; give them back before removing.
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ignored);
  for (auto it = fs::recursive_directory_iterator(path_, ignored);
       it != fs::recursive_directory_iterator(); it.increment(ignored)) {
    if (it->is_directory(ignored)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
    }
  }
  fs::remove_all(path_, ignored);
}

std::vector<std::string> TempDir::entries_of(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = fs::directory_iterator(folder, error); !error && it != fs::directory_iterator();
       it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool regex_matches(const std::string& text, const std::string& ere, bool whole) {
  regex_t compiled;
  const std::string pattern = whole ? "^(" + ere + ")$" : ere;
  if (regcomp(&compiled, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
    throw std::invalid_argument("bad regular expression: " + ere);
  }
  const bool found = regexec(&compiled, text.c_str(), 0, nullptr, 0) == 0;
  regfree(&compiled);
  return found;
}

bool is_one_error_line(const std::string& text) {
  // Bracket expressions take a newline literally; a backslash would be literal too.
  return regex_matches(text, "[^\n]+:[1-9][0-9]*:[1-9][0-9]*: error: [^\n]+\n", true);
}

}  // namespace telsim::e2e
