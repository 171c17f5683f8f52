#include "telsim/analysis/metric_paths.hpp"

#include <algorithm>
#include <stdexcept>

namespace telsim::analysis {
namespace {

void put_varint(std::string& out, std::size_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::size_t get_varint(const std::string& text, std::size_t& offset) {
  std::size_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(text[offset++]);
    value |= static_cast<std::size_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
}

}  // namespace

void MetricPaths::push_back(std::string_view path) {
  std::size_t shared = 0;
  if (size_ % restart_interval == 0) {
    restarts_.push_back(text_.size());
  } else {
    const std::size_t most = std::min(path.size(), last_.size());
    while (shared < most && path[shared] == last_[shared]) ++shared;
  }
  put_varint(text_, shared);
  put_varint(text_, path.size() - shared);
  text_.append(path.substr(shared));
  last_.assign(path);
  ++size_;
}

void MetricPaths::reserve(std::size_t paths) {
  restarts_.reserve(paths / restart_interval + 1);
}

std::size_t MetricPaths::decode_at(std::size_t offset, std::string& path) const {
  const std::size_t shared = get_varint(text_, offset);
  const std::size_t rest = get_varint(text_, offset);
  path.resize(shared);
  path.append(text_, offset, rest);
  return offset + rest;
}

std::string MetricPaths::operator[](std::size_t index) const {
  if (index >= size_) throw std::out_of_range("MetricPaths: no path " + std::to_string(index));
  std::string path;
  std::size_t offset = restarts_[index / restart_interval];
  for (std::size_t k = index - index % restart_interval; k <= index; ++k) {
    offset = decode_at(offset, path);
  }
  return path;
}

MetricPaths::const_iterator MetricPaths::end() const {
  const_iterator it;
  it.paths_ = this;
  it.index_ = size_;
  return it;
}

MetricPaths::const_iterator::const_iterator(const MetricPaths* paths) : paths_(paths) {
  decode();
}

void MetricPaths::const_iterator::decode() {
  if (index_ < paths_->size_) offset_ = paths_->decode_at(offset_, path_);
}

MetricPaths::const_iterator& MetricPaths::const_iterator::operator++() {
  ++index_;
  decode();
  return *this;
}

}  // namespace telsim::analysis
