#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace telsim::analysis {

/// Metric paths in order, stored front-coded: each path as the length it shares with the
/// one before and the rest. A national network's results list 823,000 paths whose
/// neighbours share most of their text ("traffic.ex12-to-ex345.outcome.completed", then
/// ".outcome.cleared"): held as strings they took 67 MB, more than the figures.
///
/// Paths are read in order by iteration (each step decodes one path) or by index (decodes
/// from the nearest restart point, every `restart_interval` paths).
class MetricPaths {
 public:
  static constexpr std::size_t restart_interval = 16;

  class const_iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string*;
    using reference = const std::string&;

    const_iterator() = default;
    reference operator*() const { return path_; }
    pointer operator->() const { return &path_; }
    const_iterator& operator++();
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    /// The position of the current path.
    std::size_t index() const { return index_; }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.index_ == b.index_;
    }

   private:
    friend class MetricPaths;
    explicit const_iterator(const MetricPaths* paths);  // at the first path
    void decode();

    const MetricPaths* paths_ = nullptr;
    std::size_t index_ = 0;
    std::size_t offset_ = 0;  // where the next path's entry starts in the text
    std::string path_;
  };

  void push_back(std::string_view path);
  void reserve(std::size_t paths);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  /// The path at `index`. Throws std::out_of_range past the end.
  std::string operator[](std::size_t index) const;
  const_iterator begin() const { return const_iterator(this); }
  const_iterator end() const;

  /// Bytes held, for the memory figures in docs/performance.md.
  std::size_t bytes() const {
    return text_.capacity() + restarts_.capacity() * sizeof(std::size_t);
  }

  friend bool operator==(const MetricPaths& a, const MetricPaths& b) {
    return a.size_ == b.size_ && a.text_ == b.text_;
  }

 private:
  /// Decodes the entry at `offset` onto `path` (which holds the path before it).
  std::size_t decode_at(std::size_t offset, std::string& path) const;

  std::string text_;
  std::vector<std::size_t> restarts_;  // offset of paths 0, 16, 32, ... (shared length 0)
  std::size_t size_ = 0;
  std::string last_;  // the last path pushed, to code the next one against
};

}  // namespace telsim::analysis
