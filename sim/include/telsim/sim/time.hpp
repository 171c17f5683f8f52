#pragma once
/// Simulation time: integer microsecond ticks.
///
/// Integer time makes event order exact and reproducible (no floating-point
/// ties that depend on how a sum was rounded). Seconds as `double` appear only
/// at the edges: when reading scenarios and when writing results.
#include <cmath>
#include <cstdint>
#include <limits>

namespace telsim::sim {

using Tick = std::int64_t;

inline constexpr Tick ticks_per_second = 1'000'000;

/// A time later than any event: 2^63-1 us is about 292,000 years.
inline constexpr Tick never = std::numeric_limits<Tick>::max();

/// Seconds to ticks, rounded to the nearest microsecond. Negative input and
/// NaN give 0; values beyond the representable range saturate at `never`.
inline Tick to_ticks(double seconds) {
  if (!(seconds > 0.0)) return 0;
  const double ticks = seconds * static_cast<double>(ticks_per_second);
  if (ticks >= 9.2e18) return never;
  // Round half up by truncating ticks + 0.5 (ticks > 0 here): the same as
  // llround for every positive input, without a libm call on the hot path.
  return static_cast<Tick>(ticks + 0.5);
}

inline double to_seconds(Tick t) {
  return static_cast<double>(t) / static_cast<double>(ticks_per_second);
}

}  // namespace telsim::sim
