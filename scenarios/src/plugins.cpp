// Loading plug-in shared objects into a PolicyRegistry (plugins.hpp), and
// the boundary that names a plug-in in every exception that leaves it.
#include "telsim/scenarios/plugins.hpp"

#include "telsim/scenarios/install_paths.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <system_error>
#include <utility>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/plugin_api.hpp"

namespace telsim::scenarios {
namespace {

namespace fs = std::filesystem;

/// An exception that already names its plug-in: passed on unchanged when
/// it crosses a second plug-in boundary (a policy whose retry runs another
/// plug-in policy's code, say).
class PluginFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void rethrow_named(const std::string& label) {
  try {
    throw;
  } catch (const PluginFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw PluginFailure(label + ": " + e.what());
  } catch (...) {
    throw PluginFailure(label + ": threw an exception that is not a std::exception");
  }
}

/// Forwards to a plug-in's policy; an exception from it (or from the network
/// calls it makes) leaves as a std::runtime_error naming the plug-in and the
/// policy instance. Costs one indirect call per policy event.
class PluginPolicy final : public models::CompletionPolicy {
 public:
  PluginPolicy(std::unique_ptr<models::CompletionPolicy> inner, std::string label)
      : inner_(std::move(inner)), label_(std::move(label)) {}

  void attempt_failed(models::CallControl& network, models::CallId id,
                      models::FailureCause cause) override {
    forward([&] { inner_->attempt_failed(network, id, cause); });
  }
  void timer_fired(models::CallControl& network, models::CallId id, std::uint32_t tag) override {
    forward([&] { inner_->timer_fired(network, id, tag); });
  }
  void call_ended(models::CallControl& network, models::CallId id,
                  models::CallOutcome outcome) override {
    forward([&] { inner_->call_ended(network, id, outcome); });
  }
  void request_ended(models::CallControl& network, const models::RequestInfo& request,
                     models::RequestEnd end) override {
    forward([&] { inner_->request_ended(network, request, end); });
  }
  void address_idle(models::CallControl& network, models::CallId id,
                    models::AddressId address) override {
    forward([&] { inner_->address_idle(network, id, address); });
  }

 private:
  template <class F>
  void forward(F&& f) {
    // The network numbers the wrapper (set_id is not virtual); the plug-in's
    // policy sees the same number through id().
    inner_->set_id(this->id());
    try {
      f();
    } catch (...) {
      rethrow_named(label_);
    }
  }

  std::unique_ptr<models::CompletionPolicy> inner_;
  std::string label_;  // "plug-in 'NAME' (PATH): policy 'INSTANCE'"
};

/// Collects what a plug-in registers, for checking before anything is added.
class StagingRegistrar final : public models::PluginRegistrar {
 public:
  void add(models::PolicyType type) override { types.push_back(std::move(type)); }
  void add_preset(models::PolicyPreset preset) override { presets.push_back(std::move(preset)); }

  std::vector<models::PolicyType> types;
  std::vector<models::PolicyPreset> presets;
};

std::string dl_error_text() {
  const char* text = dlerror();
  return text != nullptr ? text : "unknown error";
}

[[noreturn]] void close_and_throw(void* library, const std::string& message) {
  dlclose(library);
  throw PluginError(message);
}

std::string clashing_type(const std::string& origin) {
  return origin == "built-in" ? "the built-in type of that name"
                              : "the type of that name from plug-in " + origin;
}

}  // namespace

// ---- resolution --------------------------------------------------------------------

bool is_bare_plugin_name(std::string_view reference) {
  const std::string_view so = ".so";
  const bool ends_in_so =
      reference.size() >= so.size() && reference.substr(reference.size() - so.size()) == so;
  return reference.find('/') == std::string_view::npos && !ends_in_so;
}

namespace {

struct SearchFolder {
  fs::path folder;
  const char* label;  ///< nullptr for TELSIM_PLUGIN_PATH's folders
};

std::vector<SearchFolder> search_folders() {
  std::vector<SearchFolder> folders;
  if (const char* env = std::getenv("TELSIM_PLUGIN_PATH")) {
    const std::string text = env;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find(':', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) {
        folders.push_back({fs::absolute(fs::path(text.substr(start, end - start))), nullptr});
      }
      start = end + 1;
    }
  }
  // An installed telsim searches its own plug-in folder; one run from its build tree,
  // the build's (install_paths.hpp): never both.
  if (const auto installed = installed_plugin_folder()) {
    folders.push_back({*installed, "the installed plug-in folder"});
  }
  if (const auto build = build_plugin_folder()) {
    folders.push_back({*build, "the build's plug-in folder"});
  }
  return folders;
}

}  // namespace

std::vector<fs::path> plugin_search_folders() {
  std::vector<fs::path> out;
  for (const auto& f : search_folders()) out.push_back(f.folder);
  return out;
}

fs::path resolve_plugin(const std::string& reference, const fs::path& base_folder) {
  std::error_code ec;
  if (!is_bare_plugin_name(reference)) {
    fs::path file(reference);
    if (file.is_relative()) file = fs::absolute(base_folder, ec) / file;
    file = file.lexically_normal();
    if (!fs::exists(file, ec)) {
      throw PluginError(fmt::format("plug-in '{}': no such file: {}", reference, file.string()));
    }
    return file;
  }
  const std::string file_name = reference + ".so";
  std::vector<std::string> from_env;
  std::vector<const SearchFolder*> own;
  const std::vector<SearchFolder> folders = search_folders();
  for (const auto& f : folders) {
    const fs::path candidate = f.folder / file_name;
    if (fs::exists(candidate, ec)) return candidate.lexically_normal();
    if (f.label == nullptr) {
      from_env.push_back(f.folder.string());
    } else {
      own.push_back(&f);
    }
  }
  std::string where;
  if (!from_env.empty()) where = fmt::format("{} (TELSIM_PLUGIN_PATH)", fmt::join(from_env, ", "));
  for (std::size_t i = 0; i < own.size(); ++i) {
    if (!where.empty()) where += " and ";
    const bool note_env = from_env.empty() && i + 1 == own.size();
    where += fmt::format("{} ({}{})", own[i]->folder.string(), own[i]->label,
                         note_env ? "; TELSIM_PLUGIN_PATH is not set" : "");
  }
  if (where.empty()) where = "no folder (TELSIM_PLUGIN_PATH is not set)";
  throw PluginError(
      fmt::format("plug-in '{}': not found: looked for {} in {}; add the folder that holds it to "
                  "TELSIM_PLUGIN_PATH, or give its path",
                  reference, file_name, where));
}

std::vector<fs::path> discover_plugins() {
  std::vector<fs::path> found;
  std::set<std::string> names;
  for (const auto& f : search_folders()) {
    std::error_code ec;
    std::vector<fs::path> here;
    for (fs::directory_iterator it(f.folder, ec), end; !ec && it != end; it.increment(ec)) {
      const fs::path& p = it->path();
      if (p.extension() == ".so" && it->is_regular_file(ec)) here.push_back(p);
    }
    std::sort(here.begin(), here.end());
    for (const auto& p : here) {
      if (names.insert(p.stem().string()).second) found.push_back(p.lexically_normal());
    }
  }
  return found;
}

// ---- loading -----------------------------------------------------------------------

struct PluginSet::Handle {
  void* library = nullptr;
  fs::path path;
  const telsim_plugin* record = nullptr;
};

PluginSet::PluginSet() = default;

PluginSet::~PluginSet() {
  // Reverse order, in case a later plug-in's code refers to an earlier one's.
  for (auto it = handles_.rbegin(); it != handles_.rend(); ++it) dlclose((*it)->library);
}

PluginInfo PluginSet::load(const std::string& reference, const fs::path& base_folder,
                           models::PolicyRegistry& registry) {
  const std::string who = fmt::format("plug-in '{}'", reference);
  fs::path path = resolve_plugin(reference, base_folder);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw PluginError(fmt::format("{}: {} is a folder, not a shared object", who, path.string()));
  }
  if (fs::path canonical = fs::canonical(path, ec); !ec) path = canonical;
  const std::string origin = path.string();
  // Named as written, and by its file when that says more.
  const std::string who_at = reference == origin ? who : fmt::format("{} ({})", who, origin);

  // Already added to this registry from the same file, under any reference?
  for (const PluginInfo& info : info_) {
    if (info.path != path) continue;
    const bool present = std::all_of(info.types.begin(), info.types.end(),
                                     [&](const auto& t) {
                                       const models::PolicyType* type = registry.find(t);
                                       return type != nullptr && type->origin == origin;
                                     }) &&
                         std::all_of(info.presets.begin(), info.presets.end(), [&](const auto& p) {
                           return registry.find_preset(p) != nullptr;
                         });
    if (present) return info;
  }

  Handle* handle = nullptr;
  for (const auto& h : handles_) {
    if (h->path == path) handle = h.get();
  }
  if (handle == nullptr) {
    dlerror();
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
      throw PluginError(fmt::format("{}: not a loadable shared object: {}", who, dl_error_text()));
    }
    // From here on a failure closes the library again.
    void* symbol = dlsym(library, TELSIM_PLUGIN_ENTRY_NAME);
    if (symbol == nullptr) {
      close_and_throw(
          library,
          fmt::format(
              "{}: no entry point '{}': it is not a telsim plug-in (a plug-in defines it with "
              "TELSIM_PLUGIN(name, description, register_fn) from telsim/models/plugin_api.hpp)",
              who_at, TELSIM_PLUGIN_ENTRY_NAME));
    }
    // POSIX guarantees that a dlsym result converts to a function pointer.
    const auto entry = reinterpret_cast<decltype(&telsim_plugin_entry)>(symbol);
    const telsim_plugin* record = entry();
    if (record == nullptr) {
      close_and_throw(library, who_at + ": its entry point returned no plug-in record");
    }
    if (record->abi_version != TELSIM_PLUGIN_ABI_VERSION) {
      close_and_throw(
          library,
          fmt::format(
              "{}: built for plug-in ABI version {}, but this telsim loads version {}; rebuild the "
              "plug-in against this telsim's headers",
              who_at, record->abi_version, TELSIM_PLUGIN_ABI_VERSION));
    }
    if (record->register_types == nullptr) {
      close_and_throw(library, who_at + ": its entry point has no register_types function");
    }
    handles_.push_back(std::make_unique<Handle>(Handle{library, path, record}));
    handle = handles_.back().get();
  }

  const telsim_plugin& record = *handle->record;
  PluginInfo info;
  info.reference = reference;
  info.path = path;
  info.name = record.name != nullptr && record.name[0] != '\0' ? record.name : path.stem().string();
  info.description = record.description != nullptr ? record.description : "";

  StagingRegistrar staged;
  try {
    record.register_types(staged);
  } catch (const std::exception& e) {
    throw PluginError(fmt::format("{}: registering its policy types failed: {}", who_at, e.what()));
  } catch (...) {
    throw PluginError(fmt::format(
        "{}: registering its policy types failed with an exception that is not a std::exception",
        who_at));
  }

  // Check everything before adding anything: a plug-in is added whole or not at all.
  std::set<std::string> type_names;
  for (const models::PolicyType& t : staged.types) {
    if (t.name.empty()) throw PluginError(who_at + ": it adds a policy type with no name");
    if (!t.create) {
      throw PluginError(
          fmt::format("{}: policy type '{}' has no factory (create)", who_at, t.name));
    }
    if (!type_names.insert(t.name).second) {
      throw PluginError(fmt::format("{}: it adds policy type '{}' twice", who_at, t.name));
    }
    if (const models::PolicyType* existing = registry.find(t.name)) {
      throw PluginError(fmt::format(
          "{}: policy type '{}' clashes with {}; a plug-in's types need names of their own", who_at,
          t.name, clashing_type(existing->origin)));
    }
  }
  std::set<std::string> preset_names;
  for (const models::PolicyPreset& p : staged.presets) {
    if (!preset_names.insert(p.name).second || registry.find_preset(p.name) != nullptr) {
      throw PluginError(
          fmt::format("{}: preset '{}' clashes with a preset of that name", who_at, p.name));
    }
    if (registry.find(p.type) == nullptr && type_names.count(p.type) == 0) {
      throw PluginError(fmt::format("{}: preset '{}' is of policy type '{}', which is not known",
                                    who_at, p.name, p.type));
    }
  }

  for (models::PolicyType& t : staged.types) {
    t.origin = origin;
    const std::string label = fmt::format("plug-in '{}' ({})", info.name, origin);
    t.create = [inner = std::move(t.create), label](
                   const models::PolicySpec& spec) -> std::unique_ptr<models::CompletionPolicy> {
      const std::string named = fmt::format("{}: policy '{}'", label, spec.name);
      std::unique_ptr<models::CompletionPolicy> made;
      try {
        made = inner(spec);
      } catch (...) {
        rethrow_named(named);
      }
      if (!made) throw PluginFailure(named + ": its factory made no policy");
      return std::make_unique<PluginPolicy>(std::move(made), named);
    };
    info.types.push_back(t.name);
    registry.add(std::move(t));
  }
  for (models::PolicyPreset& p : staged.presets) {
    info.presets.push_back(p.name);
    registry.add_preset(std::move(p));
  }
  info_.push_back(std::move(info));
  return info_.back();
}

}  // namespace telsim::scenarios
