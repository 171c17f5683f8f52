// A plug-in whose policies fail: one type throws from its factory, one from
// attempt_failed, one from timer_fired. The run must fail naming the plug-in.
#include <memory>
#include <stdexcept>

#include "telsim/models/plugin_api.hpp"

namespace {

namespace models = telsim::models;

class ThrowsOnFailure final : public models::CompletionPolicy {
 public:
  void attempt_failed(models::CallControl&, models::CallId, models::FailureCause) override {
    throw std::runtime_error("out of coffee");
  }
};

class ThrowsOnTimer final : public models::CompletionPolicy {
 public:
  void attempt_failed(models::CallControl& network, models::CallId id,
                      models::FailureCause) override {
    network.release_resources(id);
    network.start_timer(id, 1000, 0);
  }
  void timer_fired(models::CallControl&, models::CallId, std::uint32_t) override {
    throw 42;  // not a std::exception
  }
};

models::PolicyType type_named(const char* name) {
  models::PolicyType t;
  t.name = name;
  t.description = "fails on purpose";
  t.default_when = {models::FailureCause::busy};
  return t;
}

void register_types(models::PluginRegistrar& registrar) {
  models::PolicyType in_factory = type_named("throw_in_factory");
  in_factory.create = [](const models::PolicySpec&) -> std::unique_ptr<models::CompletionPolicy> {
    throw std::invalid_argument("bad mood");
  };
  registrar.add(std::move(in_factory));

  models::PolicyType in_policy = type_named("throw_in_policy");
  in_policy.create = [](const models::PolicySpec&) { return std::make_unique<ThrowsOnFailure>(); };
  registrar.add(std::move(in_policy));

  models::PolicyType in_timer = type_named("throw_in_timer");
  in_timer.create = [](const models::PolicySpec&) { return std::make_unique<ThrowsOnTimer>(); };
  registrar.add(std::move(in_timer));
}

}  // namespace

TELSIM_PLUGIN("throwing", "policies that throw", register_types);
