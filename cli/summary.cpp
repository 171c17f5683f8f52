#include "summary.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

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
std::size_t chars_of(const std::string& text) {
  std::size_t chars = 0;
  for (const unsigned char c : text) chars += (c & 0xc0) != 0x80 ? 1 : 0;
  return chars;
}

std::string pad(const std::string& text, std::size_t width) {
  const std::size_t chars = chars_of(text);
  return chars >= width ? text + " " : text + std::string(width - chars, ' ');
}

/// A row's first cell, after its two-space indent: padded, or, too long for its column
/// (a policy "patient (redial_then_callback)"), on a line of its own with the figures
/// below it in their columns.
std::string label_cell(const std::string& text, std::size_t width) {
  if (chars_of(text) < width) return pad(text, width);
  return text + "\n" + std::string(2 + width, ' ');
}

// The final outcomes (SPEC §5), in its order: each call ends in exactly one.
constexpr const char* final_outcomes[] = {"connected", "completed",     "intruded",  "abandoned",
                                          "expired",   "recall_failed", "cancelled", "cleared"};

/// "outcome: connected 0.84 ± 0.02, abandoned 0.115 ± 0.03": every final outcome with a mean
/// above 0, as a fraction of calls; empty when there is none (no calls).
std::string outcome_line(const analysis::MetricTable& t, const std::string& prefix) {
  std::string line;
  for (const char* outcome : final_outcomes) {
    const std::string path = prefix + ".outcome." + outcome;
    if (!t.contains(path)) continue;
    const std::optional<double> mean = t.statistic(path).mean;
    if (!mean || *mean <= 0) continue;
    line += fmt::format("{}{} {}", line.empty() ? "outcome: " : ", ", outcome, cell(t, path));
  }
  return line;
}

/// The lines under a relation's or a policy's row: its outcomes, what its first attempts
/// met, and its completion latency when some call completed.
void print_call_details(std::FILE* out, const analysis::MetricTable& t, const std::string& prefix) {
  const std::string indent(22, ' ');
  if (const std::string outcomes = outcome_line(t, prefix); !outcomes.empty()) {
    fmt::print(out, "{}{}\n", indent, outcomes);
  }
  const std::string fa = prefix + ".first_attempt_failure.";
  fmt::print(out, "{}first attempt failed: congestion {}, busy {}, no answer {}\n", indent,
             cell(t, fa + "congestion"), cell(t, fa + "busy"), cell(t, fa + "no_answer"));
  const std::string lat = prefix + ".completion_latency.";
  if (t.contains(lat + "mean") && t.statistic(lat + "mean").mean) {
    fmt::print(out, "{}completion latency (s): mean {}, p50 {}, p90 {}, p99 {}\n", indent,
               cell(t, lat + "mean"), cell(t, lat + "p50"), cell(t, lat + "p90"),
               cell(t, lat + "p99"));
  }
}

/// Whether some replication counted a first attempt whose caller was busy.
bool had_caller_busy(const analysis::MetricTable& t, const std::string& prefix) {
  const std::string path = prefix + ".caller_busy";
  if (!t.contains(path)) return false;
  const auto values = t.values(path);
  return std::any_of(values.begin(), values.end(),
                     [](const std::optional<double>& v) { return v && *v > 0; });
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
      fmt::print(out, "  {}{}{}{}{}\n", label_cell(g.name, 20), pad(std::to_string(g.circuits), 10),
                 pad(cell(t, p + ".call_blocking"), 22), pad(cell(t, p + ".time_congestion"), 22),
                 cell(t, p + ".carried_erlangs"));
    }
  }
  fmt::print(out, "\n{}{}{}{}{}{}\n", pad("traffic", 22), pad("calls", 10), pad("caller busy", 18),
             pad("offered Erlangs", 18), pad("completion ratio", 22), "answer/seizure");
  std::vector<std::string> callers_busy;
  for (const auto& rel : s.network.relations) {
    const std::string p = "traffic." + rel.name;
    fmt::print(out, "  {}{}{}{}{}{}\n", label_cell(rel.name, 20),
               pad(count_cell(t, p + ".calls"), 10), pad(cell(t, p + ".caller_busy"), 18),
               pad(cell(t, p + ".offered_erlangs"), 18), pad(cell(t, p + ".completion_ratio"), 22),
               cell(t, p + ".answer_seizure_ratio"));
    print_call_details(out, t, p);
    if (had_caller_busy(t, p)) callers_busy.push_back(rel.name);
  }
  // One line under the table, naming up to three relations (the column shows which).
  if (!callers_busy.empty()) {
    const std::size_t n = callers_busy.size();
    std::string who = fmt::format("{} offer", fmt::join(callers_busy, ", "));
    if (n == 1) {
      who += "s";
    } else if (n > 3) {
      who = n == s.network.relations.size() ? "every relation offers"
                                            : fmt::format("{} relations offer", n);
    }
    // Scripted calls (at:) have no rate; what they lose is the same.
    fmt::print(out,
               "note: {} less than its arrivals would (rate × mean holding, or one call per "
               "scripted time): a first attempt whose caller is busy is not made (caller busy)\n",
               who);
  }
  if (!s.network.policies.empty()) {
    fmt::print(out, "\n{}{}{}{}\n", pad("policy", 22), pad("calls", 10),
               pad("completion ratio", 22), "answer/seizure");
    for (const auto& p : s.network.policies) {
      const std::string prefix = "policies." + p.name;
      fmt::print(out, "  {}{}{}{}\n", label_cell(p.name + " (" + p.type + ")", 20),
                 pad(count_cell(t, prefix + ".calls"), 10),
                 pad(cell(t, prefix + ".completion_ratio"), 22),
                 cell(t, prefix + ".answer_seizure_ratio"));
      print_call_details(out, t, prefix);
    }
  }
}

void print_checks(std::FILE* out, const std::vector<analysis::CheckResult>& checks) {
  if (checks.empty()) return;
  fmt::print(out, "\nexpect:\n");
  for (const auto& c : checks) fmt::print(out, "  {} {}\n", c.passed ? "pass" : "FAIL", c.message);
}

}  // namespace telsim::cli
