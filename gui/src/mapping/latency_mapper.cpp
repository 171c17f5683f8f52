#include "latency_mapper.hpp"

#include <algorithm>
#include <numeric>

namespace telsim::view {
namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

QStringList latency_owners(const Run& run) {
  QStringList owners;
  for (const std::string& r : run.relations) owners << q("traffic." + r);
  for (const PolicyInfo& p : run.policies) owners << q("policies." + p.name);
  return owners;
}

ChartSpec latency_chart(const Run& run, const std::string& owner) {
  ChartSpec spec;
  const std::string name = owner.substr(owner.find('.') + 1);
  const bool is_policy = owner.rfind("policies.", 0) == 0;
  spec.title = q(run.name) + QStringLiteral(": completion latency of ") +
               (is_policy ? QStringLiteral("policy ") : QStringLiteral("relation ")) + q(name);
  spec.x.title = QStringLiteral("completion latency (s)");
  spec.y.title = QStringLiteral("completed calls per bin (all replications)");
  spec.y_right = AxisSpec{QStringLiteral("cumulative fraction of completed calls"), 0, 1};

  const auto found = run.latency_histograms.find(owner);
  const std::uint64_t total = found == run.latency_histograms.end()
                                  ? 0
                                  : std::accumulate(found->second.counts.begin(),
                                                    found->second.counts.end(), std::uint64_t{0});
  if (total == 0) {
    spec.empty_reason = QStringLiteral("no completed calls: nothing got through by its policy");
    return spec;
  }
  const analysis::Histogram& h = found->second;
  SeriesSpec histogram{QStringLiteral("histogram"), SeriesKind::line};
  SeriesSpec cdf{QStringLiteral("CDF"), SeriesKind::line, AxisSide::right};
  std::uint64_t below = 0, peak = 0;
  histogram.points << ChartPoint{h.edges.front(), 0, std::nullopt, 0, {}};
  cdf.points << ChartPoint{h.edges.front(), 0, std::nullopt, 0, {}};
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    const double count = static_cast<double>(h.counts[k]);
    const QString bin = QStringLiteral("[%1, %2) s: %3 calls")
                            .arg(h.edges[k], 0, 'g', 6)
                            .arg(h.edges[k + 1], 0, 'g', 6)
                            .arg(h.counts[k]);
    histogram.points << ChartPoint{h.edges[k], count, std::nullopt, 0, bin}
                     << ChartPoint{h.edges[k + 1], count, std::nullopt, 0, bin};
    below += h.counts[k];
    peak = std::max(peak, h.counts[k]);
    const double fraction = static_cast<double>(below) / static_cast<double>(total);
    cdf.points << ChartPoint{h.edges[k + 1], fraction, std::nullopt, 0,
                             QStringLiteral("%1 of completed calls within %2 s")
                                 .arg(fraction, 0, 'g', 4)
                                 .arg(h.edges[k + 1], 0, 'g', 6)};
  }
  histogram.points << ChartPoint{h.edges.back(), 0, std::nullopt, 0, {}};

  SeriesSpec percentiles{QStringLiteral("percentiles (mean over replications)"),
                         SeriesKind::scatter, AxisSide::right};
  const std::pair<const char*, double> levels[] = {
      {"p50", 0.5}, {"p90", 0.9}, {"p95", 0.95}, {"p99", 0.99}};
  for (const auto& [key, level] : levels) {
    const auto e = run.metric(owner + ".completion_latency." + key);
    if (!e || !e->mean) continue;
    percentiles.points << ChartPoint{*e->mean, level, e->ci95, e->n,
                                     QStringLiteral("%1: %2 s (n = %3)")
                                         .arg(QLatin1String(key))
                                         .arg(q(format_estimate(*e)))
                                         .arg(e->n)};
  }
  spec.series << histogram << cdf;
  if (!percentiles.points.isEmpty()) spec.series << percentiles;
  spec.x.min = h.edges.front();
  double right = h.edges.back();
  for (const ChartPoint& p : percentiles.points) right = std::max(right, p.x);
  spec.x.max = right;
  spec.y.min = 0;
  spec.y.max = nice_ceiling(static_cast<double>(peak));
  return spec;
}

}  // namespace telsim::view
