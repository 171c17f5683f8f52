// Atomic file replacement: readers see the old file or the new one, never a mixture, and a
// crash leaves at worst a stray temporary file (never a truncated target).

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>
#include <random>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw std::runtime_error(
      fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(error)));
}

/// Writes all of `content` to `fd`; false with errno set on a write error.
bool write_fully(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

/// An output buffer over a file descriptor. A failed write is remembered
/// (error()) and ends the stream's output; iostreams would swallow an
/// exception thrown from here.
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd), buffer_(std::size_t{1} << 20) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (error_ != 0) return false;
    if (!write_fully(fd_, std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())))) {
      error_ = errno;
      return false;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

/// Streams `write`'s output into `fd`; 0, or the errno of a failed write.
int stream_into(int fd, const std::function<void(std::ostream&)>& write) {
  DescriptorBuffer buffer(fd);
  std::ostream out(&buffer);
  write(out);
  out.flush();
  return buffer.error();
}

// Closes the descriptor and removes the temporary file unless it was released.
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
    if (!released_) ::unlink(path_.c_str());
  }

  /// Streams `write`'s output into the file, then flushes, syncs and closes it.
  void write_stream(const std::function<void(std::ostream&)>& write) {
    if (const int error = stream_into(fd_, write); error != 0) fail("write", path_, error);
    if (::fsync(fd_) != 0) fail("flush", path_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("close", path_, errno);
  }

  /// The finished file's path, now the caller's to rename or remove.
  std::filesystem::path release() {
    released_ = true;
    return path_;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool released_ = false;
};

// Makes the rename itself durable. Best effort: some file systems refuse fsync on a folder.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Copies the file `from` into the device or pipe `target`, in blocks.
void copy_into_device(const std::filesystem::path& from, const std::filesystem::path& target) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) fail("read", from, errno);
  const int out = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    fail("open", target, error);
  }
  std::string block(std::size_t{1} << 16, '\0');
  for (;;) {
    const ssize_t got = ::read(in, block.data(), block.size());
    if (got == 0) break;
    if (got < 0 && errno == EINTR) continue;
    const bool read_failed = got < 0;
    if (read_failed ||
        !write_fully(out, std::string_view(block.data(), static_cast<std::size_t>(got)))) {
      const int error = errno;
      ::close(in);
      ::close(out);
      fail(read_failed ? "read" : "write", read_failed ? from : target, error);
    }
  }
  ::close(in);
  if (::close(out) != 0) fail("close", target, errno);
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

/// The file a target names once symbolic links are followed: the rename goes
/// there and the link stays a link. Renaming over the link's own path
/// replaced the link (as root, `--out /dev/stdout > file` replaced
/// /dev/stdout for the whole machine). Only for targets that are not written
/// in place (devices and pipes are written through the link).
std::filesystem::path through_links(const std::filesystem::path& target) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(target, ec)) return target;
  // An existing file, also behind /proc/self/fd/N.
  std::filesystem::path real = std::filesystem::canonical(target, ec);
  if (!ec) return real;
  // A link to a file not written yet: followed link by link.
  real = target;
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(real, ec); ++hops) {
    const std::filesystem::path next = std::filesystem::read_symlink(real, ec);
    if (ec) return target;
    real = next.is_absolute() ? next : folder_of(real) / next;
  }
  return real;
}

}  // namespace

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  write_file_atomically(target, content, folder_of(through_links(target)));
}

bool writes_in_place(const std::filesystem::path& target) {
  if (!target.has_filename()) {
    throw std::runtime_error("cannot write '" + target.string() + "': it names no file");
  }
  struct stat existing {};
  if (::stat(target.c_str(), &existing) != 0 || S_ISREG(existing.st_mode)) return false;
  if (S_ISDIR(existing.st_mode)) fail("write", target, EISDIR);
  return true;
}

void write_file_atomically(const std::filesystem::path& target, std::string_view content,
                           const std::filesystem::path& temp_dir) {
  write_file_atomically(
      target,
      [content](std::ostream& out) {
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
      },
      temp_dir);
}

void write_file_atomically(const std::filesystem::path& target,
                           const std::function<void(std::ostream&)>& write) {
  write_file_atomically(target, write, folder_of(through_links(target)));
}

void write_file_atomically(const std::filesystem::path& target,
                           const std::function<void(std::ostream&)>& write,
                           const std::filesystem::path& temp_dir) {
  if (writes_in_place(target)) {
    // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place:
    // renaming a temporary file over it would replace the device node itself
    // (as root, `--out /dev/null` would leave a regular file at /dev/null); a
    // device has no partial state to protect.
    const int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail("open", target, errno);
    int error = 0;
    try {
      error = stream_into(fd, write);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (error != 0) {
      ::close(fd);
      fail("write", target, error);
    }
    if (::close(fd) != 0) fail("close", target, errno);
    return;
  }
  TemporaryFile temporary(temp_dir, through_links(target).filename().string());
  temporary.write_stream(write);
  // A device that appeared meanwhile is written in place, never replaced.
  replace_with_temporary(temporary.release(), target);
}

void replace_with_temporary(const std::filesystem::path& temporary,
                            const std::filesystem::path& target) {
  try {
    if (writes_in_place(target)) {
      copy_into_device(temporary, target);
      ::unlink(temporary.c_str());
      return;
    }
    const std::filesystem::path real = through_links(target);
    if (::rename(temporary.c_str(), real.c_str()) != 0) fail("replace", target, errno);
    sync_folder(folder_of(real));
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
}

}  // namespace telsim::analysis
