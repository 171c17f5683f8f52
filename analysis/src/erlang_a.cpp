#include "telsim/analysis/erlang_a.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

constexpr std::int64_t max_queue_terms = 100'000'000;
// Relative size of the neglected rest of the queue sums.
constexpr long double tail_tolerance = 1e-16L;
// The queue terms are rescaled by 10^-rescale_exponent when they exceed 10^rescale_exponent
// (long double reaches 10^4932, so products of two such numbers stay finite).
constexpr int rescale_exponent = 300;

// The queue part of the chain, relative to pi(c): U = sum_{j >= 0} pi(c + j) / pi(c) and
// W = sum_{j >= 0} j pi(c + j) / pi(c), both stored as value x exp(log_scale).
struct QueuePart {
  long double sum = 1.0L;
  long double weighted_sum = 0.0L;
  long double log_scale = 0.0L;
};

// pi(c + j) / pi(c + j - 1) = lambda / (c / h + j / p) decreases in j, so once a ratio r is
// below 1 every later term is at most the previous one times r^m: the rest of U is at most
// u r / (1 - r), and the rest of W at most u ((j - 1) r / (1 - r) + r / (1 - r)^2).
QueuePart sum_finite_patience_queue(std::int64_t circuits, long double lambda,
                                    long double mean_holding, long double mean_patience) {
  const long double service = static_cast<long double>(circuits) / mean_holding;
  const long double abandon = 1.0L / mean_patience;
  const long double mode = (lambda - service) * mean_patience;
  if (mode > static_cast<long double>(max_queue_terms)) {
    throw std::invalid_argument(fmt::format(
        "erlang_a: the queue would hold about {:.4g} callers (arrival_rate {} exceeds circuits / "
        "mean_holding = {} and mean_patience is {}), more than the {} terms summed; use a "
        "shorter mean_patience or more circuits",
        static_cast<double>(mode), static_cast<double>(lambda), static_cast<double>(service),
        static_cast<double>(mean_patience), max_queue_terms));
  }
  const long double rescale = std::pow(10.0L, -rescale_exponent);
  const long double rescale_log = rescale_exponent * std::numbers::ln10_v<long double>;
  QueuePart part;
  long double term = 1.0L;
  for (std::int64_t j = 1;; ++j) {
    if (j > max_queue_terms) {
      throw std::invalid_argument(fmt::format(
          "erlang_a: the queue distribution needs more than {} terms (arrival_rate {}, "
          "circuits / mean_holding = {}, mean_patience {}); use a shorter mean_patience",
          max_queue_terms, static_cast<double>(lambda), static_cast<double>(service),
          static_cast<double>(mean_patience)));
    }
    const auto jl = static_cast<long double>(j);
    const long double ratio = lambda / (service + jl * abandon);
    if (ratio < 1.0L) {
      const long double geometric = ratio / (1.0L - ratio);
      const long double rest = term * geometric;
      const long double weighted_rest =
          term * ((jl - 1.0L) * geometric + geometric / (1.0L - ratio));
      if (rest <= tail_tolerance * part.sum &&
          weighted_rest <= tail_tolerance * part.weighted_sum) {
        return part;
      }
    }
    term *= ratio;
    part.sum += term;
    part.weighted_sum += jl * term;
    if (term > 1.0L / rescale) {
      term *= rescale;
      part.sum *= rescale;
      part.weighted_sum *= rescale;
      part.log_scale += rescale_log;
    }
  }
}

}  // namespace

ErlangA erlang_a(std::int64_t circuits, double arrival_rate, double mean_holding,
                 double mean_patience) {
  if (circuits < 0) {
    throw std::invalid_argument(
        fmt::format("erlang_a: circuits must be at least 0, got {}", circuits));
  }
  if (!(std::isfinite(arrival_rate) && arrival_rate >= 0.0)) {
    throw std::invalid_argument(
        fmt::format("erlang_a: arrival_rate must be a finite number >= 0, got {}", arrival_rate));
  }
  if (!(std::isfinite(mean_holding) && mean_holding > 0.0)) {
    throw std::invalid_argument(
        fmt::format("erlang_a: mean_holding must be a finite number > 0, got {}", mean_holding));
  }
  if (!(mean_patience > 0.0)) {  // also refuses NaN; +infinity is Erlang C
    throw std::invalid_argument(
        fmt::format("erlang_a: mean_patience must be > 0 (infinity for no abandonment), got {}",
                    mean_patience));
  }
  if (!std::isfinite(arrival_rate * mean_holding)) {
    throw std::invalid_argument(fmt::format(
        "erlang_a: the offered load arrival_rate x mean_holding = {} x {} is not finite",
        arrival_rate, mean_holding));
  }
  if (arrival_rate == 0.0) return {circuits == 0 ? 1.0 : 0.0, 0.0, 0.0};

  const long double lambda = arrival_rate;
  const long double holding = mean_holding;
  const long double load = lambda * holding;
  const auto c = static_cast<long double>(circuits);
  const bool patient = std::isinf(mean_patience);

  QueuePart queue;
  if (patient) {
    if (load >= c) return {1.0, 0.0, std::numeric_limits<double>::infinity()};
    // Constant death rate c / h above c: pi(c + j) / pi(c) = r^j with r = A / c.
    const long double r = load / c;
    const long double one_minus_r = (c - load) / c;
    queue.sum = 1.0L / one_minus_r;
    queue.weighted_sum = r / (one_minus_r * one_minus_r);
  } else {
    queue = sum_finite_patience_queue(circuits, lambda, holding, mean_patience);
  }

  // sum_{n <= c} pi(n) / pi(c) = 1 / B, so P(n >= c) = U / (1 / B - 1 + U) = 1 / (1 + x) with
  // x = (1 - B) / (B U), formed in logs: B may be ~1e-300 and U ~1e+3000.
  const long double blocking = erlang_b(circuits, arrival_rate * mean_holding);
  const long double log_x =
      std::log1p(-blocking) - std::log(blocking) - std::log(queue.sum) - queue.log_scale;
  const long double p_wait = 1.0L / (1.0L + std::exp(log_x));
  // E[queue] = P(n >= c) W / U; mean wait = E[queue] / lambda (Little).
  const long double mean_wait = p_wait * (queue.weighted_sum / queue.sum) / lambda;
  const long double p_abandon =
      patient ? 0.0L : mean_wait / static_cast<long double>(mean_patience);
  return {static_cast<double>(p_wait), static_cast<double>(p_abandon),
          static_cast<double>(mean_wait)};
}

}  // namespace telsim::analysis
