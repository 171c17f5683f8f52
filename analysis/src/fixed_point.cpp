#include "telsim/analysis/fixed_point.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace telsim::analysis {

ReservationBlocking reservation_blocking(std::int64_t circuits, std::int64_t reserve,
                                         double first_choice_load, double overflow_load) {
  if (circuits < 0)
    throw std::invalid_argument(fmt::format("circuits must be at least 0, not {}", circuits));
  if (reserve < 0 || reserve > circuits) {
    throw std::invalid_argument(
        fmt::format("reserve must be within 0..{} (the circuits), not {}", circuits, reserve));
  }
  if (!std::isfinite(first_choice_load) || first_choice_load < 0.0 ||
      !std::isfinite(overflow_load) || overflow_load < 0.0) {
    throw std::invalid_argument(fmt::format("loads must be finite and at least 0, not {} and {}",
                                            first_choice_load, overflow_load));
  }
  if (circuits == 0) return {1.0, 1.0};
  // Birth-death chain on 0..C busy circuits, unit service rate per busy circuit:
  // p(n) = p(n-1) rate(n-1) / n, rate(n) = a1 + a2 below C - r and a1 from there on.
  // Unnormalised weights in long double, rescaled before they can overflow.
  const std::int64_t threshold = circuits - reserve;  // overflow refused from here on
  const long double a1 = first_choice_load;
  const long double both = static_cast<long double>(first_choice_load) + overflow_load;
  long double p = 1.0L;
  long double total = 1.0L;
  long double tail = threshold == 0 ? 1.0L : 0.0L;  // sum of p(n) for n >= threshold
  for (std::int64_t n = 1; n <= circuits; ++n) {
    const long double rate = n - 1 < threshold ? both : a1;
    p *= rate / static_cast<long double>(n);
    total += p;
    if (n >= threshold) tail += p;
    if (total > 1e300L) {
      p /= total;
      tail /= total;
      total = 1.0L;
    }
  }
  return {static_cast<double>(p / total), static_cast<double>(tail / total)};
}

namespace {

void check_input(const std::vector<FixedPointGroup>& groups,
                 const std::vector<FixedPointDemand>& demands, const FixedPointOptions& options) {
  for (std::size_t j = 0; j < groups.size(); ++j) {
    const auto& g = groups[j];
    if (g.circuits < 0 || g.reserve < 0 || g.reserve > g.circuits) {
      throw std::invalid_argument(
          fmt::format("group {}: circuits {} and reserve {}: need 0 <= reserve <= circuits", j,
                      g.circuits, g.reserve));
    }
  }
  for (std::size_t r = 0; r < demands.size(); ++r) {
    const auto& d = demands[r];
    if (!std::isfinite(d.offered_erlangs) || d.offered_erlangs < 0.0) {
      throw std::invalid_argument(
          fmt::format("demand {}: offered traffic must be finite and at least 0, not {}", r,
                      d.offered_erlangs));
    }
    for (std::size_t k = 0; k < d.alternatives.size(); ++k) {
      if (d.alternatives[k].empty()) {
        throw std::invalid_argument(
            fmt::format("demand {}: alternative {} is an empty chain", r, k));
      }
      for (const std::size_t j : d.alternatives[k]) {
        if (j >= groups.size()) {
          throw std::invalid_argument(
              fmt::format("demand {}: alternative {} names group {}, but there are {} groups", r, k,
                          j, groups.size()));
        }
      }
    }
  }
  if (!(options.tolerance > 0.0) || options.max_iterations < 1) {
    throw std::invalid_argument("the tolerance must be positive and max_iterations at least 1");
  }
}

/// The blocking a request on alternative k meets at group j.
double blocking_for(const std::vector<double>& first, const std::vector<double>& overflow,
                    std::size_t k, std::size_t j) {
  return k == 0 ? first[j] : overflow[j];
}

/// Reduced loads offered to every group under the blockings given; fills the demands'
/// per-alternative offered traffic and loss.
void reduced_loads(const std::vector<FixedPointDemand>& demands, const std::vector<double>& first,
                   const std::vector<double>& overflow, std::vector<double>& load_first,
                   std::vector<double>& load_overflow,
                   std::vector<FixedPointDemandResult>* demand_results) {
  std::fill(load_first.begin(), load_first.end(), 0.0);
  std::fill(load_overflow.begin(), load_overflow.end(), 0.0);
  for (std::size_t r = 0; r < demands.size(); ++r) {
    const auto& d = demands[r];
    double offered = d.offered_erlangs;  // offered to alternative k
    double loss = 1.0;                   // product of the losses of alternatives 0..k-1
    FixedPointDemandResult* out = demand_results != nullptr ? &(*demand_results)[r] : nullptr;
    if (out != nullptr) out->offered_per_alternative.assign(d.alternatives.size(), 0.0);
    for (std::size_t k = 0; k < d.alternatives.size(); ++k) {
      const auto& chain = d.alternatives[k];
      if (out != nullptr) out->offered_per_alternative[k] = offered;
      double pass = 1.0;
      for (std::size_t h = 0; h < chain.size(); ++h) {
        // Thinned by every other hop: a product rather than a division, so that a
        // fully blocked hop (1 - B = 0) poses no problem.
        double thin = 1.0;
        for (std::size_t o = 0; o < chain.size(); ++o) {
          if (o != h) thin *= 1.0 - blocking_for(first, overflow, k, chain[o]);
        }
        (k == 0 ? load_first : load_overflow)[chain[h]] += offered * thin;
        pass *= 1.0 - blocking_for(first, overflow, k, chain[h]);
      }
      const double chain_loss = 1.0 - pass;
      loss *= chain_loss;
      offered *= chain_loss;
    }
    if (out != nullptr) out->loss = d.alternatives.empty() ? 0.0 : loss;
  }
}

}  // namespace

FixedPointResult erlang_fixed_point(const std::vector<FixedPointGroup>& groups,
                                    const std::vector<FixedPointDemand>& demands,
                                    const FixedPointOptions& options) {
  check_input(groups, demands, options);
  const std::size_t n = groups.size();
  std::vector<double> first(n, 0.0), overflow(n, 0.0);  // start from no blocking
  std::vector<double> load_first(n), load_overflow(n);
  FixedPointResult result;
  double damping = 1.0;
  double previous_residual = INFINITY;
  while (result.iterations < options.max_iterations) {
    ++result.iterations;
    reduced_loads(demands, first, overflow, load_first, load_overflow, nullptr);
    double residual = 0.0;
    std::vector<double> next_first(n), next_overflow(n);
    for (std::size_t j = 0; j < n; ++j) {
      const ReservationBlocking b = reservation_blocking(groups[j].circuits, groups[j].reserve,
                                                         load_first[j], load_overflow[j]);
      next_first[j] = b.first_choice;
      next_overflow[j] = b.overflow;
      residual = std::max(
          {residual, std::abs(b.first_choice - first[j]), std::abs(b.overflow - overflow[j])});
    }
    result.residual = residual;
    if (residual <= options.tolerance) {
      first = std::move(next_first);
      overflow = std::move(next_overflow);
      result.converged = true;
      break;
    }
    // Damping: a step that grew the residual halves the next steps (down to 1/1024).
    if (residual > previous_residual) damping = std::max(damping / 2.0, 1.0 / 1024.0);
    previous_residual = residual;
    for (std::size_t j = 0; j < n; ++j) {
      first[j] += damping * (next_first[j] - first[j]);
      overflow[j] += damping * (next_overflow[j] - overflow[j]);
    }
  }
  // Report loads and losses consistent with the final blockings.
  result.demands.resize(demands.size());
  reduced_loads(demands, first, overflow, load_first, load_overflow, &result.demands);
  result.groups.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    auto& g = result.groups[j];
    g.blocking = first[j];
    g.overflow_blocking = overflow[j];
    g.offered_first = load_first[j];
    g.offered_overflow = load_overflow[j];
    g.carried = load_first[j] * (1.0 - first[j]) + load_overflow[j] * (1.0 - overflow[j]);
  }
  return result;
}

}  // namespace telsim::analysis
