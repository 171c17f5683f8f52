#include "telsim/analysis/erlang.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace telsim::analysis {
namespace {

void require_count(const char* function, const char* argument, std::int64_t value,
                   std::int64_t minimum) {
  if (value < minimum) {
    throw std::invalid_argument(
        fmt::format("{}: {} must be at least {}, got {}", function, argument, minimum, value));
  }
}

void require_non_negative(const char* function, const char* argument, double value) {
  if (!(std::isfinite(value) && value >= 0.0)) {
    throw std::invalid_argument(
        fmt::format("{}: {} must be a finite number >= 0, got {}", function, argument, value));
  }
}

long double erlang_b_recursion(std::int64_t circuits, long double load) {
  long double blocking = 1.0L;
  for (std::int64_t k = 1; k <= circuits; ++k) {
    const long double offered = load * blocking;
    blocking = offered / (static_cast<long double>(k) + offered);
    if (blocking == 0.0L) break;  // underflowed: stays 0 for every larger k
  }
  return blocking;
}

long double engset_time_congestion(std::int64_t circuits, std::int64_t sources, long double beta) {
  long double congestion = 1.0L;
  for (std::int64_t k = 1; k <= circuits; ++k) {
    if (k > sources) return 0.0L;  // fewer sources than circuits: never all busy
    const long double offered = static_cast<long double>(sources - k + 1) * beta * congestion;
    congestion = offered / (static_cast<long double>(k) + offered);
    if (congestion == 0.0L) break;
  }
  return congestion;
}

}  // namespace

double erlang_b(std::int64_t circuits, double load_erlangs) {
  require_count("erlang_b", "circuits", circuits, 0);
  require_non_negative("erlang_b", "load_erlangs", load_erlangs);
  return static_cast<double>(erlang_b_recursion(circuits, load_erlangs));
}

std::optional<std::int64_t> erlang_b_circuits(double load_erlangs, double blocking,
                                              std::int64_t max_circuits) {
  require_non_negative("erlang_b_circuits", "load_erlangs", load_erlangs);
  if (!(blocking > 0.0 && blocking <= 1.0)) {
    throw std::invalid_argument(
        fmt::format("erlang_b_circuits: blocking must be in (0, 1], got {}", blocking));
  }
  // erlang_b's recursion, stopped at the first n whose blocking, as erlang_b returns it
  // (a double), meets the target: the answer agrees with erlang_b at the boundary.
  const long double load = load_erlangs;
  long double b = 1.0L;
  for (std::int64_t n = 1; n <= max_circuits; ++n) {
    b = load * b / (static_cast<long double>(n) + load * b);
    if (static_cast<double>(b) <= blocking) return n;
  }
  return std::nullopt;
}

double erlang_b_load(std::int64_t circuits, double blocking, double max_load) {
  require_count("erlang_b_load", "circuits", circuits, 1);
  require_non_negative("erlang_b_load", "max_load", max_load);
  if (!(blocking > 0.0 && blocking <= 1.0)) {
    throw std::invalid_argument(
        fmt::format("erlang_b_load: blocking must be in (0, 1], got {}", blocking));
  }
  double lo = 0.0;
  double hi = max_load;
  for (int k = 0; k < 60; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (erlang_b(circuits, mid) < blocking) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

OverflowMoments riordan_overflow(std::int64_t circuits, double load_erlangs) {
  const double a = load_erlangs;
  const double m = a * erlang_b(circuits, load_erlangs);
  const double v = m * (1.0 - m + a / (static_cast<double>(circuits) + 1.0 - a + m));
  return {m, v, m > 0.0 ? v / m : 1.0};
}

ErlangC erlang_c(std::int64_t circuits, double load_erlangs) {
  require_count("erlang_c", "circuits", circuits, 1);
  require_non_negative("erlang_c", "load_erlangs", load_erlangs);
  const auto c = static_cast<long double>(circuits);
  const long double load = load_erlangs;
  if (load >= c) return {1.0, std::numeric_limits<double>::infinity()};
  const long double blocking = erlang_b_recursion(circuits, load);
  const long double p_wait = c * blocking / (c - load * (1.0L - blocking));
  return {static_cast<double>(p_wait), static_cast<double>(p_wait / (c - load))};
}

Engset engset(std::int64_t circuits, std::int64_t sources, double beta) {
  require_count("engset", "circuits", circuits, 0);
  require_count("engset", "sources", sources, 0);
  require_non_negative("engset", "beta", beta);
  if (sources == 0) return {circuits == 0 ? 1.0 : 0.0, 0.0, 0.0};
  const long double time = engset_time_congestion(circuits, sources, beta);
  const long double call = engset_time_congestion(circuits, sources - 1, beta);
  const long double traffic = call / (1.0L + beta * (1.0L - call));
  return {static_cast<double>(time), static_cast<double>(call), static_cast<double>(traffic)};
}

}  // namespace telsim::analysis
