// Call detail records (SPEC §4 `--calls`): the replication writers and the
// file they are assembled into. Temporary files are named like those of
// analysis::write_file_atomically (`.<name>.<random>.tmp` beside the target,
// created with O_EXCL, synced), and the target follows its rules through the
// same functions: analysis::writes_in_place decides whether a device or pipe
// is written in place, analysis::replace_with_temporary puts the file there.

#include "telsim/scenarios/call_records.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "call_record_writer.hpp"
#include "telsim/analysis/csv_field.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

/// Bytes gathered before a write, and the copy block when assembling.
constexpr std::size_t io_block = std::size_t{1} << 20;

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int error) {
  throw std::runtime_error(
      fmt::format("cannot {} '{}': {}", what, path.string(), std::strerror(error)));
}

void write_all(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("write", path, errno);
    }
    content.remove_prefix(static_cast<std::size_t>(written));
  }
}

int create_exclusive(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

std::filesystem::path folder_of(const std::filesystem::path& target) {
  return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

/// While alive, a write into a pipe whose reader has gone (`--calls /dev/stdout | head`)
/// fails with EPIPE, reported like any write error (and the temporary files removed),
/// instead of SIGPIPE killing the process. The signal is directed at the writing thread:
/// blocked here, and one raised meanwhile is consumed before unblocking.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec now{};
      sigtimedwait(&pipe_, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  sigset_t pipe_;
  sigset_t previous_;
  bool was_pending_ = false;
};

/// Seconds since t = 0 with exactly 6 decimals, from the integer tick count.
void append_seconds(std::string& row, sim::Tick t) {
  static_assert(sim::ticks_per_second == 1'000'000, "6 decimals are microseconds");
  auto magnitude = static_cast<std::uint64_t>(t);
  if (t < 0) {
    row += '-';
    magnitude = ~magnitude + 1;
  }
  fmt::format_to(std::back_inserter(row), "{}.{:06}", magnitude / 1'000'000, magnitude % 1'000'000);
}

void append_field(std::string& row, std::string_view text) {
  if (analysis::csv_needs_quotes(text)) {
    row += analysis::csv_field(text);
  } else {
    row += text;
  }
}

}  // namespace

// ---- CallRecordFile ----------------------------------------------------------------

CallRecordFile::CallRecordFile(std::filesystem::path target, std::size_t memory_budget)
    : target_(std::move(target)), memory_budget_(memory_budget) {
  if (analysis::writes_in_place(target_)) {
    // A device or pipe is written in place by assemble(); its folder (/dev)
    // is no place for temporary files.
    device_ = true;
    temp_folder_ = std::filesystem::temp_directory_path();
  } else {
    temp_folder_ = folder_of(target_);
  }
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    token_ = fmt::format("{:08x}{:08x}", entropy(), entropy());
    if (device_) return;
    assembled_ = temp_folder_ / fmt::format(".{}.{}.tmp", target_.filename().string(), token_);
    assembled_fd_ = create_exclusive(assembled_);
    if (assembled_fd_ >= 0) return;
    if (errno != EEXIST) fail("create a temporary file", assembled_, errno);
  }
  fail("create a temporary file", assembled_, EEXIST);
}

CallRecordFile::~CallRecordFile() {
  if (assembled_fd_ >= 0) ::close(assembled_fd_);
  if (!committed_ && !assembled_.empty()) ::unlink(assembled_.c_str());
  for (const auto& part : parts_) {
    if (part) ::unlink(part->path.c_str());
  }
}

std::unique_ptr<detail::CallRecordWriter> CallRecordFile::open_replication(
    const models::NetworkSpec& network, std::size_t replication) {
  const std::filesystem::path path =
      temp_folder_ / fmt::format(".{}.{}.{}.tmp", target_.filename().string(), token_, replication);
  std::lock_guard lock(mutex_);
  if (parts_.size() <= replication) parts_.resize(replication + 1);
  if (parts_[replication]) {
    throw std::logic_error(fmt::format("call records: replication {} opened twice", replication));
  }
  const int fd = create_exclusive(path);
  if (fd < 0) fail("create a temporary file", path, errno);
  parts_[replication] = Part{path, false};
  return std::make_unique<detail::CallRecordWriter>(*this, network, replication, fd, path,
                                                    memory_budget_);
}

int CallRecordFile::create_spill_file(std::size_t replication) {
  std::size_t number = 0;
  {
    std::lock_guard lock(mutex_);
    number = spill_files_++;
  }
  const std::filesystem::path path =
      temp_folder_ / fmt::format(".{}.{}.{}.spill{}.tmp", target_.filename().string(), token_,
                                 replication, number);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail("create a temporary file", path, errno);
  ::unlink(path.c_str());
  return fd;
}

void CallRecordFile::part_finished(std::size_t replication) {
  std::lock_guard lock(mutex_);
  parts_.at(replication)->finished = true;
}

void CallRecordFile::keep_replications(std::size_t n) {
  std::lock_guard lock(mutex_);
  kept_ = n;
}

void CallRecordFile::assemble(const std::atomic<int>* stop) {
  std::lock_guard lock(mutex_);
  const SigpipeGuard sigpipe;
  const std::size_t kept = kept_.value_or(parts_.size());
  int out = assembled_fd_;
  const std::filesystem::path& out_path = device_ ? target_ : assembled_;
  if (device_) {
    out = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
    if (out < 0) fail("open", target_, errno);
    assembled_fd_ = out;  // closed by the destructor on an error
  }
  write_all(out, std::string(call_records_header) + "\n", out_path);
  std::string block(io_block, '\0');
  for (std::size_t r = 0; r < kept; ++r) {
    if (r >= parts_.size() || !parts_[r] || !parts_[r]->finished) {
      throw std::logic_error(fmt::format("call records: replication {} did not finish", r));
    }
    const std::filesystem::path& part = parts_[r]->path;
    const int in = ::open(part.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) fail("read", part, errno);
    for (;;) {
      if (stop != nullptr && stop->load() != 0) {
        ::close(in);
        throw Interrupted(stop->load());
      }
      const ssize_t got = ::read(in, block.data(), block.size());
      if (got < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        ::close(in);
        fail("read", part, error);
      }
      if (got == 0) break;
      try {
        write_all(out, std::string_view(block.data(), static_cast<std::size_t>(got)), out_path);
      } catch (...) {
        ::close(in);
        throw;
      }
    }
    ::close(in);
    // Free the disk space at once: a national run's parts are large.
    ::unlink(part.c_str());
  }
  if (!device_ && ::fsync(out) != 0) fail("flush", out_path, errno);
  assembled_fd_ = -1;
  if (::close(out) != 0) fail("close", out_path, errno);
  assembled_done_ = true;
}

void CallRecordFile::commit() {
  if (!assembled_done_) throw std::logic_error("call records: commit before assemble");
  if (device_) {  // written in place by assemble
    committed_ = true;
    return;
  }
  committed_ = true;  // the temporary file is gone after this, whatever happens
  analysis::replace_with_temporary(assembled_, target_);
}

// ---- SpillRun ----------------------------------------------------------------------

namespace detail {

namespace {

constexpr std::size_t record_header = 12;  // sequence (8 bytes), length (4 bytes)
constexpr std::size_t spill_read_block = std::size_t{64} << 10;

}  // namespace

SpillRun::SpillRun(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

SpillRun::~SpillRun() {
  ::close(fd_);
}

void SpillRun::append_record(std::string& out, std::uint64_t sequence, const std::string& row) {
  char header[record_header];
  const auto length = static_cast<std::uint32_t>(row.size());
  std::memcpy(header, &sequence, 8);
  std::memcpy(header + 8, &length, 4);
  out.append(header, record_header);
  out += row;
}

void SpillRun::read_exact(char* to, std::size_t n) {
  while (n > 0) {
    if (buffer_pos_ == buffer_.size()) {
      const auto left = static_cast<std::size_t>(size_ - offset_);
      if (left == 0) throw std::logic_error("call records: a spilled run ends inside a record");
      buffer_.resize(std::min(left, spill_read_block));
      std::size_t got = 0;
      while (got < buffer_.size()) {
        const ssize_t r = ::pread(fd_, buffer_.data() + got, buffer_.size() - got,
                                  static_cast<off_t>(offset_ + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
          throw std::runtime_error(fmt::format("cannot read spilled call records: {}",
                                               std::strerror(r < 0 ? errno : EIO)));
        }
        got += static_cast<std::size_t>(r);
      }
      offset_ += buffer_.size();
      buffer_pos_ = 0;
    }
    const std::size_t take = std::min(n, buffer_.size() - buffer_pos_);
    std::memcpy(to, buffer_.data() + buffer_pos_, take);
    buffer_pos_ += take;
    to += take;
    n -= take;
  }
}

void SpillRun::advance() {
  if (buffer_pos_ == buffer_.size() && offset_ == size_) {
    has_head_ = false;
    return;
  }
  char header[record_header];
  read_exact(header, record_header);
  std::uint32_t length = 0;
  std::memcpy(&head_sequence_, header, 8);
  std::memcpy(&length, header + 8, 4);
  head_row_.resize(length);
  read_exact(head_row_.data(), length);
  has_head_ = true;
}

// ---- CallRecordWriter --------------------------------------------------------------

namespace {

[[noreturn]] void ended_twice(std::uint64_t sequence, std::size_t replication) {
  throw std::logic_error(
      fmt::format("call records: call {} of replication {} ended twice", sequence, replication));
}

bool later_run(const std::unique_ptr<SpillRun>& a, const std::unique_ptr<SpillRun>& b) {
  return a->head_sequence() > b->head_sequence();
}

}  // namespace

CallRecordWriter::CallRecordWriter(CallRecordFile& file, const models::NetworkSpec& network,
                                   std::size_t replication, int fd, std::filesystem::path path,
                                   std::size_t memory_budget)
    : file_(file),
      network_(network),
      replication_(replication),
      fd_(fd),
      path_(std::move(path)),
      memory_budget_(memory_budget) {
  population_base_.reserve(network.populations.size());
  models::AddressId base = 0;
  for (const auto& p : network.populations) {
    population_base_.push_back(base);
    base += static_cast<models::AddressId>(p.count);  // as models::Network lays them out
  }
}

CallRecordWriter::~CallRecordWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void CallRecordWriter::append_address(std::string& row, models::AddressId address) const {
  // The last population whose first address is at or before `address`.
  const auto it = std::upper_bound(population_base_.begin(), population_base_.end(), address);
  const auto p = static_cast<std::size_t>(it - population_base_.begin()) - 1;
  const std::string& name = network_.populations[p].name;
  const models::AddressId index = address - population_base_[p];
  if (analysis::csv_needs_quotes(name)) {
    row += analysis::csv_field(fmt::format("{}#{}", name, index));
  } else {
    fmt::format_to(std::back_inserter(row), "{}#{}", name, index);
  }
}

std::string CallRecordWriter::format_row(const models::CallSummary& call, sim::Tick now) const {
  std::string row;
  fmt::format_to(std::back_inserter(row), "{},{},", replication_, call.sequence);
  append_field(row, network_.relations[call.relation].name);
  row += ',';
  append_address(row, call.caller);
  row += ',';
  append_address(row, call.callee);
  row += ',';
  append_seconds(row, call.first_attempt_time);
  row += ',';
  if (call.first_failure) row += models::to_string(*call.first_failure);
  row += ',';
  if (!call.policies.empty()) append_field(row, network_.policies[call.policies.back()].name);
  row += ',';
  for (std::size_t i = 0; i < call.completion_ids.size(); ++i) {
    if (i > 0) row += ';';
    fmt::format_to(std::back_inserter(row), "{}", call.completion_ids[i]);
  }
  fmt::format_to(std::back_inserter(row), ",{},{},", call.attempts,
                 models::to_string(call.outcome));
  if (call.outcome == models::CallOutcome::completed && call.completion_latency) {
    append_seconds(row, *call.completion_latency);
  }
  row += ',';
  append_seconds(row, now);
  row += '\n';
  return row;
}

void CallRecordWriter::call_ended(const models::CallSummary& call, sim::Tick now) {
  if (!call.measured) return;
  if (call.sequence < next_) ended_twice(call.sequence, replication_);
  std::string row = format_row(call, now);
  if (call.sequence == next_) {  // the common case: nothing earlier is in progress
    out_ += row;
    ++next_;
    write_ready();
  } else {
    held_bytes_ += sizeof(Held) + row.capacity();
    held_.push_back(Held{call.sequence, std::move(row)});
    std::push_heap(held_.begin(), held_.end(), later_held);
    peak_held_bytes_ = std::max(peak_held_bytes_, held_bytes_);
    if (held_bytes_ > memory_budget_) spill();
  }
  if (out_.size() >= io_block) write_out();
}

void CallRecordWriter::write_ready() {
  for (;;) {
    if (!held_.empty() && held_.front().sequence <= next_) {
      if (held_.front().sequence < next_) ended_twice(held_.front().sequence, replication_);
      std::pop_heap(held_.begin(), held_.end(), later_held);
      out_ += held_.back().row;
      held_bytes_ -= sizeof(Held) + held_.back().row.capacity();
      held_.pop_back();
    } else if (!runs_.empty() && runs_.front()->head_sequence() <= next_) {
      if (runs_.front()->head_sequence() < next_) {
        ended_twice(runs_.front()->head_sequence(), replication_);
      }
      std::pop_heap(runs_.begin(), runs_.end(), later_run);
      out_ += runs_.back()->head_row();
      runs_.back()->advance();
      if (runs_.back()->has_head()) {
        std::push_heap(runs_.begin(), runs_.end(), later_run);
      } else {
        runs_.pop_back();
      }
    } else {
      return;
    }
    ++next_;
    if (out_.size() >= io_block) write_out();
  }
}

void CallRecordWriter::spill() {
  std::sort(held_.begin(), held_.end(),
            [](const Held& a, const Held& b) { return a.sequence < b.sequence; });
  const int fd = file_.create_spill_file(replication_);
  std::uint64_t size = 0;
  try {
    std::string block;
    for (const Held& h : held_) {
      SpillRun::append_record(block, h.sequence, h.row);
      if (block.size() >= io_block) {
        write_all(fd, block, path_);
        size += block.size();
        block.clear();
      }
    }
    write_all(fd, block, path_);
    size += block.size();
  } catch (...) {
    ::close(fd);
    throw;
  }
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
  ++spilled_runs_;
  auto run = std::make_unique<SpillRun>(fd, size);
  run->advance();
  runs_.push_back(std::move(run));
  std::push_heap(runs_.begin(), runs_.end(), later_run);
}

void CallRecordWriter::write_out() {
  write_all(fd_, out_, path_);
  out_.clear();
}

void CallRecordWriter::finish() {
  if (!held_.empty() || !runs_.empty()) {
    throw std::logic_error(fmt::format(
        "call records: measured call {} of replication {} never ended", next_, replication_));
  }
  write_out();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close", path_, errno);
  file_.part_finished(replication_);
}

}  // namespace detail
}  // namespace telsim::scenarios
