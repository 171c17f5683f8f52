#include "compare_study.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <exception>

#include "progress.hpp"
#include "provenance.hpp"
#include "scenario_loading.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::cli {

std::optional<VaryList> parse_vary_list(const std::string& text, std::size_t min_values,
                                        std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    error = fmt::format("--vary '{}': expected KEY=V1,V2,...", text);
    return std::nullopt;
  }
  VaryList vary;
  vary.key = text.substr(0, eq);
  const std::string list = text.substr(eq + 1);
  int depth = 0;
  std::string current;
  for (const char c : list) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (depth < 0) break;
    if (c == ',' && depth == 0) {
      vary.values.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  vary.values.push_back(current);
  if (depth != 0) {
    error = fmt::format("--vary '{}': unbalanced brackets", text);
    return std::nullopt;
  }
  for (const auto& v : vary.values) {
    if (v.empty()) {
      error = fmt::format("--vary '{}': empty value (expected KEY=V1,V2,...)", text);
      return std::nullopt;
    }
  }
  if (vary.values.size() < min_values) {
    error = fmt::format("--vary '{}': give at least {} values to compare, e.g. {}={},...", text,
                        min_values, vary.key, vary.values.front());
    return std::nullopt;
  }
  return vary;
}

std::optional<int> load_point(const StudyArgs& study, const std::vector<std::string>& extra,
                              std::unique_ptr<LoadedPoint>& out) {
  out = std::make_unique<LoadedPoint>();
  std::vector<std::string> overrides = study.sets;
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return load_with_plugins(study.file, study.plugins, study.allow_plugins, overrides, out->plugins,
                           out->registry, out->scenario);
}

analysis::RunResults run_point(const StudyArgs& study, const LoadedPoint& point,
                               const std::atomic<int>& stop, const std::string& progress_unit) {
  analysis::RunInfo info;
  info.version = TELSIM_VERSION;
  info.commit = build_commit();
  info.scenario_sha256 = sha256_of_file(study.file);
  info.command_line = study.command_line;
  info.started_at = utc_now_iso8601();
  info.threads = static_cast<int>(study.threads);

  ProgressBar bar(!study.quiet && !progress_unit.empty(), progress_unit);
  scenarios::RunOptions options;
  options.threads = study.threads;
  options.stop_signal = &stop;
  options.progress = [&bar](std::size_t done, std::size_t planned) { bar.update(done, planned); };
  analysis::RunResults results = scenarios::run_scenario(point.scenario, point.registry, options);
  bar.finish();
  results.scenario = scenarios::resolved_scenario_json(point.scenario, point.registry);
  results.run = info;
  return results;
}

std::string format_number(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return "n/a";
  return fmt::format("{:.4g}", *value);
}

std::string format_estimate(const std::optional<double>& mean, const std::optional<double>& ci95) {
  if (!mean || !ci95) return format_number(mean);
  return fmt::format("{} ± {}", format_number(mean), format_number(ci95));
}

std::optional<int> guarded(const std::string& file, const std::function<void()>& body) {
  try {
    body();
  } catch (const scenarios::Interrupted& e) {
    return report_interrupt(e.signal());
  } catch (const std::exception& e) {
    return report_error(file, e.what());
  }
  return std::nullopt;
}

int report_interrupt(int signal) {
  fmt::print(stderr, "telsim: interrupted (signal {}); nothing was written\n", signal);
  return signal == 15 ? exit_sigterm : exit_sigint;
}

int report_error(const std::string& file, const std::string& what) {
  fmt::print(stderr, "telsim: error: {}: {}\n", file, what);
  return exit_error;
}

}  // namespace telsim::cli
