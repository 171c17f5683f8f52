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
  namespace fs = std::filesystem;
  if (file.empty() || fs::exists(file, ec)) return file;
  // FILE.yaml here, then the library's FILE and FILE.yaml (a relative path too, such as
  // validation/engset-30-10.yaml): a file of the user's own wins over the library's.
  if (fs::is_regular_file(file + ".yaml", ec)) return file + ".yaml";
  const fs::path given(file);
  const auto library = scenarios::scenario_library_folder();
  if (!library || given.is_absolute()) return file;
  for (const std::string& name : {file, file + ".yaml"}) {
    const fs::path candidate = *library / name;
    if (fs::is_regular_file(candidate, ec)) {
      fmt::print(stderr, "telsim: note: {} is the scenario library's {}\n", file,
                 candidate.string());
      return candidate.string();
    }
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
