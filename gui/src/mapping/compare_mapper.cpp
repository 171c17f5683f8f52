#include "compare_mapper.hpp"

#include <algorithm>

#include "telsim/analysis/statistic.hpp"

namespace telsim::view {
namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

struct Figure {
  const char* suffix;  ///< empty: blocked_at_first_attempt
  const char* name;
  AxisSide axis;
  double offset;
};

constexpr Figure figures[] = {
    {"completion_ratio", "completion ratio", AxisSide::left, -0.24},
    {"", "blocked at first attempt (congestion + busy)", AxisSide::left, -0.08},
    {"completion_latency.mean", "latency mean", AxisSide::right, 0.08},
    {"completion_latency.p95", "latency p95", AxisSide::right, 0.24},
};

// The fraction of calls whose first attempt met congestion or a busy callee: the two
// fractions are of the same calls and exclusive, so they add per replication; the CI
// comes from the per-replication sums.
std::optional<Estimate> blocked_at_first_attempt(const Run& run, const std::string& prefix) {
  const auto congestion = run.metric(prefix + ".first_attempt_failure.congestion");
  const auto busy = run.metric(prefix + ".first_attempt_failure.busy");
  if (!congestion || !busy || congestion->values.size() != busy->values.size()) return std::nullopt;
  std::vector<std::optional<double>> sums;
  for (std::size_t r = 0; r < busy->values.size(); ++r) {
    const auto& c = congestion->values[r];
    const auto& b = busy->values[r];
    sums.push_back(c && b ? std::optional<double>(*c + *b) : std::nullopt);
  }
  return analysis::summarize(sums);
}

// `blocks[i]` = (category label, run, metric prefix such as "policies.cb").
ChartSpec comparison(const QString& title, const QStringList& labels,
                     const std::vector<std::pair<const Run*, std::string>>& blocks) {
  ChartSpec spec;
  spec.title = title;
  spec.categories = labels;
  spec.x.title = QStringLiteral("");
  spec.y.title = QStringLiteral("completion ratio, blocking (fraction)");
  spec.y.min = 0;
  spec.y.max = 1;
  spec.y_right = AxisSpec{QStringLiteral("completion latency (s)"), 0, 1};
  double right_top = 0;
  for (const Figure& f : figures) {
    SeriesSpec s{q(f.name), SeriesKind::scatter, f.axis};
    s.whiskers = true;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const auto& [run, prefix] = blocks[i];
      const auto e =
          *f.suffix ? run->metric(prefix + "." + f.suffix) : blocked_at_first_attempt(*run, prefix);
      if (!e || !e->mean) continue;
      const QString unit = f.axis == AxisSide::right ? QStringLiteral(" s") : QString();
      s.points << ChartPoint{
          static_cast<double>(i) + f.offset, *e->mean, e->ci95, e->n,
          QStringLiteral("%1, %2: %3%4 (n = %5)")
              .arg(labels[static_cast<qsizetype>(i)], s.name, q(format_estimate(*e)), unit)
              .arg(e->n)};
      if (f.axis == AxisSide::right)
        right_top = std::max(right_top, *e->mean + e->ci95.value_or(0));
    }
    spec.series << s;
  }
  spec.y_right->max = nice_ceiling(right_top);
  const bool any = std::any_of(spec.series.begin(), spec.series.end(),
                               [](const SeriesSpec& s) { return !s.points.isEmpty(); });
  if (labels.isEmpty() || !any) spec.empty_reason = QStringLiteral("nothing to compare");
  return spec;
}

}  // namespace

ChartSpec policy_comparison_chart(const Run& run) {
  QStringList labels;
  std::vector<std::pair<const Run*, std::string>> blocks;
  for (const PolicyInfo& p : run.policies) {
    labels << q(p.name) + QStringLiteral(" (") + q(p.type) + QStringLiteral(")");
    blocks.emplace_back(&run, "policies." + p.name);
  }
  ChartSpec spec =
      comparison(q(run.name) + QStringLiteral(": completion policies compared"), labels, blocks);
  if (run.policies.empty())
    spec.empty_reason = QStringLiteral("the results file defines no policies");
  return spec;
}

QStringList comparison_relations(const Comparison& c) {
  QStringList relations;
  if (!c.alternatives.empty()) {
    for (const std::string& r : c.alternatives.front().relations) relations << q(r);
  }
  return relations;
}

ChartSpec alternatives_chart(const Comparison& c, const std::string& relation) {
  QStringList labels;
  std::vector<std::pair<const Run*, std::string>> blocks;
  for (std::size_t i = 0; i < c.alternatives.size(); ++i) {
    labels << q(c.values[i]);
    blocks.emplace_back(&c.alternatives[i], "traffic." + relation);
  }
  const std::string name = c.alternatives.empty() ? "" : c.alternatives.front().name;
  return comparison(q(name) + QStringLiteral(": ") + q(c.key) + QStringLiteral(" compared (") +
                        q(relation) + QStringLiteral(")"),
                    labels, blocks);
}

}  // namespace telsim::view
