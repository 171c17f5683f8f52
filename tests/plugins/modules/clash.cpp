// A plug-in whose first type is new and whose second takes a built-in's
// name: neither may be added.
#include <memory>

#include "telsim/models/plugin_api.hpp"

namespace {

using telsim::models::PolicyType;

class Nothing final : public telsim::models::CompletionPolicy {
 public:
  void attempt_failed(telsim::models::CallControl& network, telsim::models::CallId id,
                      telsim::models::FailureCause) override {
    network.end_call(id, telsim::models::CallOutcome::cleared);
  }
};

PolicyType type_named(const char* name) {
  PolicyType t;
  t.name = name;
  t.description = "clears the call";
  t.create = [](const telsim::models::PolicySpec&) { return std::make_unique<Nothing>(); };
  return t;
}

void register_types(telsim::models::PluginRegistrar& registrar) {
  registrar.add(type_named("clash_fresh"));
  registrar.add(type_named("callback"));
}

}  // namespace

TELSIM_PLUGIN("clash", "takes the name of a built-in policy type", register_types);
