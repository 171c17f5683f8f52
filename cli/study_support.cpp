#include "study_support.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "telsim/scenarios/install_paths.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/study_error.hpp"
#ifdef TELSIM_HAVE_MPI
#include "telsim/studies/mpi_workers.hpp"
#endif

namespace telsim::cli {

std::string scenario_file(const std::string& file) {
  std::error_code ec;
  if (file.empty() || file.find('/') != std::string::npos || std::filesystem::exists(file, ec)) {
    return file;
  }
  const auto library = scenarios::scenario_library_folder();
  if (!library) return file;
  for (const std::string& name : {file, file + ".yaml"}) {
    const std::filesystem::path candidate = *library / name;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  return file;
}

studies::SessionOptions session_options(const StudyArgs& study) {
  studies::SessionOptions options;
  options.file = scenario_file(study.file);
  options.sets = study.sets;
  // Like `telsim run`'s: overrides as a last --set, so the loader checks them alike.
  if (study.replications > 0)
    options.sets.push_back(fmt::format("replications={}", study.replications));
  if (!study.seed.empty()) options.sets.push_back("seed=" + study.seed);
  options.plugins = study.plugins;
  options.allow_plugins = study.allow_plugins;
  options.threads = study.threads;
  options.command_line = study.command_line;
  return options;
}

std::unique_ptr<studies::Workers> make_workers() {
#ifdef TELSIM_HAVE_MPI
  if (studies::started_by_mpirun()) return std::make_unique<studies::MpiWorkers>();
#endif
  return std::make_unique<studies::LocalWorkers>();
}

std::optional<int> guarded(const std::string& file, const std::function<void()>& body) {
  try {
    body();
  } catch (const studies::StudyError& e) {
    if (*e.what() != '\0') fmt::print(stderr, "{}\n", e.what());
    return e.exit_code();
  } catch (const scenarios::Interrupted& e) {
    return report_interrupt(e.signal());
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim: error: {}: {}\n", file, e.what());
    return exit_error;
  }
  return std::nullopt;
}

int report_interrupt(int signal) {
  fmt::print(stderr, "telsim: interrupted (signal {}); nothing was written\n", signal);
  return studies::exit_code_of_signal(signal);
}

std::string format_number(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return "n/a";
  return fmt::format("{:.4g}", *value);
}

std::string format_estimate(const std::optional<double>& mean, const std::optional<double>& ci95) {
  if (!mean || !ci95) return format_number(mean);
  return fmt::format("{} ± {}", format_number(mean), format_number(ci95));
}

}  // namespace telsim::cli
