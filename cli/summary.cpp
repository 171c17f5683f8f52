#include "summary.hpp"

#include <fmt/format.h>

#include <string>

namespace telsim::cli {
namespace {

/// "mean ± ci95", "mean" with one replication, "-" with no data.
std::string cell(const analysis::MetricTable& table, const std::string& path, int digits = 4) {
  if (!table.contains(path)) return "-";
  const analysis::Statistic s = table.statistic(path);
  if (!s.mean) return "-";
  if (!s.ci95) return fmt::format("{:.{}g}", *s.mean, digits);
  return fmt::format("{:.{}g} ± {:.2g}", *s.mean, digits, *s.ci95);
}

std::string count_cell(const analysis::MetricTable& table, const std::string& path) {
  if (!table.contains(path)) return "-";
  const analysis::Statistic s = table.statistic(path);
  return s.mean ? fmt::format("{:.0f}", *s.mean) : "-";
}

// Pads to a width counted in characters, not bytes ("±" is two bytes).
std::string pad(const std::string& text, std::size_t width) {
  std::size_t chars = 0;
  for (const unsigned char c : text) chars += (c & 0xc0) != 0x80 ? 1 : 0;
  return chars >= width ? text + " " : text + std::string(width - chars, ' ');
}

void print_call_block(std::FILE* out, const analysis::MetricTable& t, const std::string& prefix,
                      const std::string& name) {
  fmt::print(out, "  {}{}{}{}{}\n", pad(name, 20), pad(count_cell(t, prefix + ".calls"), 10),
             pad(cell(t, prefix + ".completion_ratio"), 22),
             pad(cell(t, prefix + ".answer_seizure_ratio"), 22),
             cell(t, prefix + ".outcome.cleared"));
  const std::string fa = prefix + ".first_attempt_failure.";
  fmt::print(out, "  {}first attempt failed: congestion {}, busy {}, no answer {}\n", pad("", 20),
             cell(t, fa + "congestion"), cell(t, fa + "busy"), cell(t, fa + "no_answer"));
  const std::string lat = prefix + ".completion_latency.";
  if (t.contains(lat + "mean") && t.statistic(lat + "mean").mean) {
    fmt::print(out, "  {}completion latency (s): mean {}, p50 {}, p90 {}, p99 {}\n", pad("", 20),
               cell(t, lat + "mean"), cell(t, lat + "p50"), cell(t, lat + "p90"),
               cell(t, lat + "p99"));
  }
}

}  // namespace

void print_summary(std::FILE* out, const scenarios::Scenario& s, const analysis::RunResults& r) {
  const analysis::MetricTable& t = r.metrics;
  const std::string warmup = s.warmup ? fmt::format("{:g} s", *s.warmup) : "auto (MSER-5)";
  fmt::print(out, "{}: {} replications, warm-up {}, {:g} s measured, seed {}\n", s.name,
             r.replications, warmup, s.duration, s.seed);
  if (r.precision) {
    fmt::print(out, "precision on {}: {} after {} replications\n", r.precision->metric,
               r.precision->met ? "met" : "NOT met", r.precision->replications);
  }
  fmt::print(
      out,
      "values are means over replications ± the half-width of their 95% confidence interval\n");
  if (!s.network.trunk_groups.empty()) {
    fmt::print(out, "\n{}{}{}{}{}\n", pad("trunk group", 22), pad("circuits", 10),
               pad("call blocking", 22), pad("time congestion", 22), "carried Erlangs");
    for (const auto& g : s.network.trunk_groups) {
      const std::string p = "trunk_groups." + g.name;
      fmt::print(out, "  {}{}{}{}{}\n", pad(g.name, 20), pad(std::to_string(g.circuits), 10),
                 pad(cell(t, p + ".call_blocking"), 22), pad(cell(t, p + ".time_congestion"), 22),
                 cell(t, p + ".carried_erlangs"));
    }
  }
  fmt::print(out, "\n{}{}{}{}{}\n", pad("traffic", 22), pad("calls", 10),
             pad("completion ratio", 22), pad("answer/seizure", 22), "cleared");
  for (const auto& rel : s.network.relations)
    print_call_block(out, t, "traffic." + rel.name, rel.name);
  if (!s.network.policies.empty()) {
    fmt::print(out, "\n{}{}{}{}{}\n", pad("policy", 22), pad("calls", 10),
               pad("completion ratio", 22), pad("answer/seizure", 22), "cleared");
    for (const auto& p : s.network.policies) {
      print_call_block(out, t, "policies." + p.name, p.name + " (" + p.type + ")");
    }
  }
}

void print_checks(std::FILE* out, const std::vector<analysis::CheckResult>& checks) {
  if (checks.empty()) return;
  fmt::print(out, "\nexpect:\n");
  for (const auto& c : checks) fmt::print(out, "  {} {}\n", c.passed ? "pass" : "FAIL", c.message);
}

}  // namespace telsim::cli
