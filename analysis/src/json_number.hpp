#pragma once

// Internal: how a number becomes JSON. Shared by every writer so that "no data" and
// non-finite values look the same everywhere (null), whatever produced them.

#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

namespace telsim::analysis::detail {

/// null for an absent or non-finite value; otherwise the double itself (nlohmann writes the
/// shortest text that reads back to the same double).
inline nlohmann::ordered_json json_number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return nullptr;
  return *value;
}

}  // namespace telsim::analysis::detail
