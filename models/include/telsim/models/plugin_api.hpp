#pragma once
/// The plug-in ABI: how a shared object adds completion-policy types to telsim.
///
/// A plug-in is a shared object (a CMake MODULE library) that exports one
/// symbol with C linkage, `telsim_plugin_entry`, returning a pointer to a
/// static `telsim_plugin` record. Write it with the TELSIM_PLUGIN macro:
///
///     #include "telsim/models/param_decls.hpp"
///     #include "telsim/models/plugin_api.hpp"
///
///     namespace {
///     void register_types(telsim::models::PluginRegistrar& registrar) {
///       telsim::models::PolicyType t;
///       t.name = "my_policy";
///       ...
///       registrar.add(std::move(t));
///     }
///     }  // namespace
///
///     TELSIM_PLUGIN("my-policies", "one line on what it adds", register_types);
///
/// What telsim does with it (scenarios::PluginSet): dlopen the file, look up
/// `telsim_plugin_entry`, read `abi_version` (always the first member, in every
/// version) and refuse the plug-in unless it equals the loader's
/// TELSIM_PLUGIN_ABI_VERSION; only then read the rest and call
/// `register_types`. The types and presets it adds are collected, checked
/// against those already known (a name clash is an error), marked with the
/// plug-in's path as `origin`, and only then added to the registry, all or
/// none. Nothing runs when the file is loaded: no static self-registration.
///
/// Why a PluginRegistrar and not the PolicyRegistry itself: PolicyRegistry's
/// members are compiled in telsim_models, which a plug-in does not link (the
/// executable does not export its symbols either), so a plug-in calling
/// `PolicyRegistry::add` would fail to load with an undefined symbol. The
/// registrar is all virtual: its calls go back into the host through its
/// vtable, like CallControl's.
///
/// The entry point has C linkage so that its name is not mangled, but what
/// crosses the boundary is C++: PluginRegistrar, PolicyType (with its
/// std::function factory), ParamDecl, ParamValue, PolicySpec, AnswerSpec,
/// sim::Distribution, sim::RandomStream, CallInfo and the CallControl and
/// CompletionPolicy vtables, with std::string, std::vector and std::map. A
/// plug-in must therefore be built against the same telsim headers, with the
/// same compiler family and standard library (libstdc++, C++11 string ABI),
/// as the telsim that loads it. TELSIM_PLUGIN_ABI_VERSION is bumped whenever
/// any of those types changes layout or meaning.
///
/// Out-of-line code: CallControl is all virtual (the calls go back into the
/// host), and the records above are plain data, but sim::Distribution's
/// factories and `sample()` for kinds other than the exponential (inline in
/// the header) are compiled in telsim_sim: a plug-in that calls
/// them links its own copy of telsim_sim (built position-independent), which
/// is stateless, so the two copies draw identical numbers. It must not link
/// telsim_models (the host's network would be duplicated, not shared).
///
/// Lifetime: a type's factory, and every policy it makes, is code inside the
/// shared object, so the object must stay loaded while the registry that holds
/// the type, or any policy made from it, exists. scenarios::PluginSet owns the
/// handles and closes them in its destructor; declare it before the registry.
///
/// Exceptions: a plug-in may throw from its factory and its policies; telsim
/// catches them at the boundary and rethrows std::runtime_error naming the
/// plug-in. They must derive from std::exception to keep their message.

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/policy_registry.hpp"

namespace telsim::models {

/// What a plug-in's `register_types` adds its types and presets to. All
/// virtual: implemented by the host (scenarios::PluginSet).
class PluginRegistrar {
 public:
  /// A policy type, used in scenarios exactly like a built-in one. Its name
  /// must be new; `origin` is overwritten with the plug-in's path.
  virtual void add(PolicyType type) = 0;
  /// A preset of one of the plug-in's types or of a type already known.
  virtual void add_preset(PolicyPreset preset) = 0;

 protected:
  ~PluginRegistrar() = default;
};

}  // namespace telsim::models

/// The version of this interface; a plug-in built for another is refused.
/// Version 2: CallId with a generation, per-policy CallControl (random()
/// takes no policy), any number of 32-bit-tagged timers per call, life-cycle
/// hooks, decline(), watch_idle(), cancel_after and RequestInfo.
#define TELSIM_PLUGIN_ABI_VERSION 2

/// The name of the one symbol a plug-in exports.
#define TELSIM_PLUGIN_ENTRY_NAME "telsim_plugin_entry"

/// What `telsim_plugin_entry` returns: a static record in the plug-in.
struct telsim_plugin {
  /// TELSIM_PLUGIN_ABI_VERSION as the plug-in was built. Stays first.
  int abi_version;
  /// Short name, for messages and `telsim policies`; by convention the file's
  /// name without `.so` (a bare name in `plugins:` finds `<name>.so`).
  const char* name;
  /// One line.
  const char* description;
  /// Adds the plug-in's types (and presets, if any). May throw std::exception.
  void (*register_types)(telsim::models::PluginRegistrar& registrar);
};

#if defined(__GNUC__)
#define TELSIM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define TELSIM_PLUGIN_EXPORT
#endif

/// The entry point every plug-in defines (through TELSIM_PLUGIN).
extern "C" TELSIM_PLUGIN_EXPORT const telsim_plugin* telsim_plugin_entry(void);

/// Defines the entry point. `name` and `description` are string literals,
/// `register_fn` a `void(telsim::models::PluginRegistrar&)` function. Use it
/// once, at global scope, followed by a semicolon.
#define TELSIM_PLUGIN(name, description, register_fn)                                             \
  extern "C" TELSIM_PLUGIN_EXPORT const telsim_plugin* telsim_plugin_entry(void) {                \
    static const telsim_plugin plugin{TELSIM_PLUGIN_ABI_VERSION, name, description, register_fn}; \
    return &plugin;                                                                               \
  }                                                                                               \
  static_assert(true, "TELSIM_PLUGIN(...) is followed by a semicolon")
