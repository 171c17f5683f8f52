// Atomic file replacement: readers see the old file or the new one, never a mixture, and a
// crash leaves at worst a stray temporary file (never a truncated target).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw std::runtime_error(
      fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(error)));
}

// Closes the descriptor and removes the temporary file unless the rename happened.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& folder, const std::string& stem) {
    // A random suffix with O_EXCL instead of a process-wide counter: no shared state between
    // threads writing at once, and no clash with another process.
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
      path_ = folder / fmt::format(".{}.{:08x}{:08x}.tmp", stem, entropy(), entropy());
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) return;
      if (errno != EEXIST) fail("create a temporary file", path_, errno);
    }
    fail("create a temporary file", path_, EEXIST);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view content) {
    while (!content.empty()) {
      const ssize_t written = ::write(fd_, content.data(), content.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("write", path_, errno);
      }
      content.remove_prefix(static_cast<std::size_t>(written));
    }
    if (::fsync(fd_) != 0) fail("flush", path_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close", path_, errno);
  }

  void rename_to(const std::filesystem::path& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) fail("replace", target, errno);
    renamed_ = true;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

// Makes the rename itself durable. Best effort: some file systems refuse fsync on a folder.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Writes into an existing device or pipe (/dev/null, /dev/stdout, a FIFO).
/// Renaming a temporary file over it would replace the device node itself
/// (as root, `--out /dev/null` would leave a regular file at /dev/null); a
/// device has no partial state to protect, so it is written in place.
void write_into_device(const std::filesystem::path& target, std::string_view content) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open", target, errno);
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      fail("write", target, error);
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::close(fd) != 0) fail("close", target, errno);
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

}  // namespace

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  write_file_atomically(target, content, folder_of(target));
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content,
                           const std::filesystem::path& temp_dir) {
  if (!target.has_filename()) {
    throw std::runtime_error("cannot write '" + target.string() + "': it names no file");
  }
  struct stat existing {};
  if (::stat(target.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    if (S_ISDIR(existing.st_mode)) fail("write", target, EISDIR);
    write_into_device(target, content);
    return;
  }
  TemporaryFile temporary(temp_dir, target.filename().string());
  temporary.write_all(content);
  temporary.rename_to(target);
  sync_folder(folder_of(target));
}

}  // namespace telsim::analysis
