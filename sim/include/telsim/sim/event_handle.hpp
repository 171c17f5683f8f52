#pragma once
/// The handle of a cancellable event, apart from the scheduler so that code
/// which only keeps handles (the models' records) need not see the engine.
#include <cstdint>

namespace telsim::sim {

/// Names one cancellable event. Cancelling through a handle whose event has
/// already fired (or was cancelled) is harmless: the slot's generation has
/// moved on, so the handle no longer matches and `cancel` returns false.
struct EventHandle {
  static constexpr std::uint32_t no_slot = 0xffffffffu;
  std::uint32_t slot = no_slot;
  std::uint32_t gen = 0;
  bool empty() const { return slot == no_slot; }
};

}  // namespace telsim::sim
