#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"

namespace telsim::models {

const char* to_string(FailureCause c) {
  switch (c) {
    case FailureCause::congestion:
      return "congestion";
    case FailureCause::busy:
      return "busy";
    case FailureCause::no_answer:
      return "no_answer";
  }
  return "?";
}

std::string causes_text(const std::vector<FailureCause>& causes) {
  std::string text = "[";
  for (std::size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) text += ", ";
    text += to_string(causes[i]);
  }
  return text + "]";
}

const char* to_string(CompletionMode m) {
  switch (m) {
    case CompletionMode::campon:
      return "campon";
    case CompletionMode::callback:
      return "callback";
    case CompletionMode::intrude:
      return "intrude";
    case CompletionMode::message:
      return "message";
  }
  return "?";
}

const char* to_string(RouteStrategy s) {
  switch (s) {
    case RouteStrategy::sequential:
      return "sequential";
    case RouteStrategy::random:
      return "random";
    case RouteStrategy::dar:
      return "dar";
    case RouteStrategy::lba:
      return "lba";
  }
  return "?";
}

const char* to_string(CallOutcome o) {
  switch (o) {
    case CallOutcome::connected:
      return "connected";
    case CallOutcome::completed:
      return "completed";
    case CallOutcome::intruded:
      return "intruded";
    case CallOutcome::abandoned:
      return "abandoned";
    case CallOutcome::expired:
      return "expired";
    case CallOutcome::recall_failed:
      return "recall_failed";
    case CallOutcome::cancelled:
      return "cancelled";
    case CallOutcome::cleared:
      return "cleared";
  }
  return "?";
}

}  // namespace telsim::models
