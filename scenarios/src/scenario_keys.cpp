// The declaration of the scenario format (telsim/scenarios/scenario_format.hpp).
//
// One table per object of a scenario file. The loader accepts exactly these keys
// (check_map takes its list from declared_keys), and the schema and the reference are
// printed from the same table. Ranges and defaults here are the loader's: a test loads
// a minimal scenario and compares its resolved JSON with every declared default.
#include <algorithm>
#include <stdexcept>

#include "scenario_format_detail.hpp"
#include "telsim/scenarios/scenario_format.hpp"

namespace telsim::scenarios {
namespace {

// JSON Schema fragments used by many keys.
constexpr std::string_view name_schema = R"({"$ref": "#/$defs/name"})";
constexpr std::string_view seconds_schema = R"({"type": "number", "minimum": 0, "maximum": 1e12})";
constexpr std::string_view positive_seconds_schema =
    R"({"type": "number", "exclusiveMinimum": 0, "maximum": 1e12})";
constexpr std::string_view distribution_schema = detail::distribution_value_schema;
constexpr std::string_view modes_schema =
    R"({"type": "array", "uniqueItems": true,
        "items": {"enum": ["campon", "callback", "intrude", "message"]}})";
constexpr std::string_view per_address_schema =
    R"({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 4294967295},
                  {"const": "unlimited"}]})";
constexpr std::string_view results_path_schema =
    R"({"type": "string", "pattern": "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+$"})";
constexpr std::string_view probability_schema = R"({"type": "number", "minimum": 0, "maximum": 1})";
constexpr std::string_view positive_number_schema = R"({"type": "number", "exclusiveMinimum": 0})";

std::vector<ObjectDeclaration> declare() {
  std::vector<ObjectDeclaration> objects;

  objects.push_back(
      {"scenario",
       "top level",
       "A scenario file is one YAML map. Times are in seconds, resolved to 1 microsecond; "
       "numbers may be written in exponent form (`1e10`). Unknown keys are an error, "
       "reported with the nearest known key.",
       {
           {"telsim", true, "integer", "", "1", "format version (only 1 exists)", "1",
            R"({"const": 1})"},
           {"name", true, "name", "", "letters, digits, `_` and `-`",
            "the scenario's name; it names the default results file `<name>.results.json`",
            "metro-busy-hour", name_schema},
           {"seed", false, "integer", "1", "0 to 2^64-1",
            "root of every random stream: the same seed gives the same results", "42",
            R"({"type": "integer", "minimum": 0, "maximum": 18446744073709551615})"},
           {"replications", false, "integer", "10", "at least 1",
            "independent replications; every figure is a mean over them with a 95% CI", "10",
            R"({"type": "integer", "minimum": 1})"},
           {"warmup", false, "seconds or `auto`", "0", "0 to 1e12",
            "simulated time before measuring; `auto` picks it per replication (MSER-5 on the "
            "blocking series)",
            "600",
            R"({"anyOf": [{"type": "number", "minimum": 0, "maximum": 1e12},
                          {"const": "auto"}]})"},
           {"duration", true, "seconds", "", "above 0, at most 1e12",
            "measured time after the warm-up", "3600", positive_seconds_schema},
           {"precision", false, "map (precision)", "", "",
            "sequential stopping: add replications until one figure's CI is narrow enough",
            "{metric: trunk_groups.AB.call_blocking, relative: 0.05}",
            R"({"$ref": "#/$defs/precision"})"},
           {"limits", false, "map (limits)", "", "",
            "guards against runaway scenarios; exceeding one is exit 3",
            "{max_events: 1e10, max_pending: 1e8, max_memory: auto}",
            R"({"$ref": "#/$defs/limits"})"},
           {"engine", false, "map (engine)", "", "",
            "engine settings that never change the results", "{event_set: auto}",
            R"({"$ref": "#/$defs/engine"})"},
           {"exchanges", true, "list of exchange", "", "at least one item",
            "the exchanges (switches) of the network", "[{name: A}, {name: B}]",
            R"({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/exchange"}})"},
           {"subscribers", true, "list of population", "", "at least one item",
            "populations of addresses (subscribers) at the exchanges",
            "[{name: homes, exchange: A, count: 5000, lines: 1}]",
            R"({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/population"}})"},
           {"trunk_groups", false, "list of trunk group", "none", "",
            "circuit groups joining two exchanges; without any, every call stays in its exchange",
            "[{name: AB, between: [A, B], circuits: 120}]",
            R"({"type": "array", "items": {"$ref": "#/$defs/trunk_group"}})"},
           {"routes", false, "list of route", "none", "",
            "how calls between two exchanges reach each other; required for every relation "
            "between two exchanges",
            "[{from: A, to: B, via: [[AB], [AT, TB]]}]",
            R"({"type": "array", "items": {"$ref": "#/$defs/route"}})"},
           {"traffic", true, "list of relation", "", "at least one item",
            "traffic relations: who calls whom, how often, for how long",
            "[{from: homes, to: callcentre, arrivals: {poisson: {rate: 0.8}}, holding: 180}]",
            R"({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/relation"}})"},
           {"policies", false, "map of name to policy", "none", "names other than `none`",
            "named completion-policy instances, referred to by relations and fallbacks",
            "{cb: {type: callback, expiry: 2700}}",
            R"({"type": ["object", "null"],
                "propertyNames": {"pattern": "^[A-Za-z0-9_-]+$", "not": {"const": "none"}},
                "additionalProperties": {"$ref": "#/$defs/policy"}})"},
           {"plugins", false, "list of strings", "[]", "",
            "plug-ins that add policy types: a path relative to this file (loads only with "
            "`--allow-plugins` or the same `--plugin`), or a bare name searched on "
            "TELSIM_PLUGIN_PATH and the installed plug-in folder",
            "[redial-then-callback]",
            R"({"type": "array", "items": {"type": "string", "minLength": 1}})"},
           {"expect", false, "list of expect check", "none", "",
            "checks for CI: `telsim run` exits 1 if one fails",
            "[{metric: trunk_groups.AB.call_blocking, max: 0.01}]",
            R"({"type": "array", "items": {"$ref": "#/$defs/expect"}})"},
       },
       ""});

  objects.push_back(
      {"precision",
       "precision",
       "Sequential stopping: after `replications`, telsim adds replications until the 95% CI "
       "half-width of `metric` is at most `relative` times its mean, or `max_replications` is "
       "reached (`precision.met` in the results says which).",
       {
           {"metric", true, "results path", "", "a statistic this scenario's results hold",
            "the figure whose precision decides", "trunk_groups.AB.call_blocking",
            results_path_schema},
           {"relative", false, "number", "0.05", "above 0", "the target: ci95 <= relative x mean",
            "0.05", positive_number_schema},
           {"max_replications", false, "integer", "200, or `replications` if larger",
            "at least `replications`", "the most replications to run", "400",
            R"({"type": "integer", "minimum": 1})"},
       },
       ""});

  objects.push_back(
      {"limits",
       "limits",
       "Guards against runaway scenarios, per replication except `max_memory`. Exceeding one "
       "stops the run with exit code 3.",
       {
           {"max_events", false, "integer", "1e10", "1 to 2^44-1", "events one replication may run",
            "1e10", R"({"type": "integer", "minimum": 1, "maximum": 17592186044415})"},
           {"max_pending", false, "integer", "1e8", "1 to 2^64-1",
            "events one replication may have pending at once", "1e8",
            R"({"type": "integer", "minimum": 1, "maximum": 18446744073709551615})"},
           {"max_memory", false, "bytes or `auto`", "auto", "1 to 2^64-1",
            "memory for the whole run (all threads); `auto` is half the machine's physical "
            "memory; checked against an estimate before the run and against use during it",
            "8e9",
            R"({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 18446744073709551615},
                          {"const": "auto"}]})"},
       },
       ""});

  objects.push_back({"engine",
                     "engine",
                     "Settings of the event engine. They never change the results: every choice "
                     "gives the same event order.",
                     {
                         {"event_set", false, "`auto`, `heap` or `ladder`", "auto", "",
                          "the pending-event set; `auto` picks by the number of pending events",
                          "heap", R"({"enum": ["auto", "heap", "ladder"]})"},
                     },
                     ""});

  objects.push_back({"exchange",
                     "exchanges[]",
                     "An exchange (switch). A tandem exchange is one with no subscribers.",
                     {
                         {"name", true, "name", "", "unique among exchanges", "the exchange's name",
                          "A", name_schema},
                         {"completion", false, "map (exchange completion)",
                          "all modes, 8 per address, 4 "
                          "messages, 0 bridges",
                          "", "the call-completion services this exchange offers its callers",
                          "{modes: [campon, callback], max_per_address: 4}",
                          R"({"$ref": "#/$defs/exchange_completion"})"},
                     },
                     ""});

  objects.push_back(
      {"exchange_completion",
       "exchanges[].completion",
       "What an exchange, as the service provider, supports (TAPI's line device capabilities).",
       {
           {"modes", false, "list of modes", "[campon, callback, intrude, message]",
            "`campon`, `callback`, `intrude`, `message`, each once",
            "the completion modes offered; a policy of another mode is refused (`unsupported`)",
            "[campon, callback]", modes_schema},
           {"max_per_address", false, "integer or `unlimited`", "8", "at least 1",
            "completion requests one address may have outstanding; one more is `rejected`", "4",
            per_address_schema},
           {"messages", false, "integer", "4", "at least 0",
            "predefined messages for MESSAGE mode (a policy's `message_id` must be below it)", "3",
            R"({"type": "integer", "minimum": 0, "maximum": 4294967295})"},
           {"bridges", false, "integer", "0", "at least 0", "conference bridges for INTRUDE mode",
            "2", R"({"type": "integer", "minimum": 0, "maximum": 4294967295})"},
       },
       ""});

  objects.push_back(
      {"population",
       "subscribers[]",
       "A population of addresses at one exchange, all alike.",
       {
           {"name", true, "name", "", "unique among populations", "the population's name", "homes",
            name_schema},
           {"exchange", true, "exchange name", "", "", "the exchange the addresses belong to", "A",
            name_schema},
           {"count", true, "integer", "", "1 to 2^32-2 (all populations together)",
            "number of addresses", "5000",
            R"({"type": "integer", "minimum": 1, "maximum": 4294967294})"},
           {"lines", true, "integer or `unlimited`", "", "at least 1",
            "lines per address; an address is busy when all its lines are; `unlimited` is never "
            "busy (an external network)",
            "1", per_address_schema},
           {"completion", false, "map (population completion)", "the exchange's", "",
            "these addresses' own capabilities; each key given replaces the exchange's value",
            "{modes: [campon], max_per_address: 2}",
            R"({"$ref": "#/$defs/population_completion"})"},
       },
       ""});

  objects.push_back(
      {"population_completion",
       "subscribers[].completion",
       "Capabilities per address (TAPI's address capabilities): the keys given replace the "
       "exchange's values for callers of this population. Messages and bridges stay per "
       "exchange.",
       {
           {"modes", false, "list of modes", "the exchange's",
            "`campon`, `callback`, `intrude`, `message`, each once",
            "the completion modes these callers may use", "[campon]", modes_schema},
           {"max_per_address", false, "integer or `unlimited`", "the exchange's", "at least 1",
            "completion requests one address may have outstanding", "2", per_address_schema},
       },
       ""});

  objects.push_back(
      {"trunk_group",
       "trunk_groups[]",
       "Both-way circuits between two exchanges.",
       {
           {"name", true, "name", "", "unique among trunk groups", "the group's name", "AB",
            name_schema},
           {"between", true, "two exchange names", "", "two different exchanges",
            "the exchanges it joins", "[A, B]",
            R"({"type": "array", "minItems": 2, "maxItems": 2, "items": {"$ref": "#/$defs/name"}})"},
           {"circuits", true, "integer", "", "1 to 2^32-1", "number of circuits", "120",
            R"({"type": "integer", "minimum": 1, "maximum": 4294967295})"},
           {"reserve", false, "integer", "0", "0 to circuits-1",
            "trunk reservation: circuits that only first-choice traffic may take", "4",
            R"({"type": "integer", "minimum": 0, "maximum": 4294967294})"},
       },
       ""});

  objects.push_back(
      {"route",
       "routes[]",
       "How calls between two exchanges are routed. A route from A to B also serves B to A "
       "(each chain reversed) unless a route from B to A is given.",
       {
           {"from", true, "exchange name", "", "", "one end", "A", name_schema},
           {"to", true, "exchange name", "", "not `from`", "the other end", "B", name_schema},
           {"via", true, "list of chains of trunk group names", "", "at least one chain",
            "ordered alternatives, each a chain of trunk groups joining `from` to `to` hop by "
            "hop",
            "[[AB], [AT, TB]]",
            R"({"type": "array", "minItems": 1,
                "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/name"}}})"},
           {"strategy", false, "`sequential`, `random`, `dar` or `lba`", "sequential", "",
            "how an alternative is chosen: in order; the first then a random other; dynamic "
            "alternative routing; least busy alternative",
            "dar", R"({"enum": ["sequential", "random", "dar", "lba"]})"},
       },
       ""});

  objects.push_back(
      {"relation",
       "traffic[]",
       "A traffic relation: first attempts from one population to another. The callee is "
       "drawn uniformly from the destination's addresses, never the caller itself.",
       {
           {"name", false, "name", "`<from>-to-<to>`", "unique among relations",
            "the relation's name in the results", "homes-to-cc", name_schema},
           {"from", true, "population name", "", "", "the callers", "homes", name_schema},
           {"to", true, "population name", "", "", "the callees", "callcentre", name_schema},
           {"arrivals", true, "map (arrivals)", "", "", "when first attempts are placed",
            "{poisson: {rate: 0.8}}", R"({"$ref": "#/$defs/arrivals"})"},
           {"holding", true, "distribution", "", "", "conversation time of a connected call",
            "{exponential: {mean: 180}}", distribution_schema},
           {"bandwidth", false, "integer", "1", "1 to 1000000",
            "circuits a call takes on every hop (a group with fewer circuits blocks every such "
            "call)",
            "2", R"({"type": "integer", "minimum": 1, "maximum": 1000000})"},
           {"answer", false, "map (answer)", "{probability: 1, delay: 0}", "", "how callees answer",
            "{probability: 0.9, delay: {exponential: {mean: 6}}, timeout: "
            "30}",
            R"({"$ref": "#/$defs/answer"})"},
           {"completion", false, "policy name or `none`", "none", "a name in `policies`",
            "the completion policy acting on this relation's failed attempts", "cb", name_schema},
       },
       ""});

  objects.push_back(
      {"arrivals",
       "traffic[].arrivals",
       "Exactly one of `poisson`, `per_idle_source` and `at`, and optionally a `profile`.",
       {
           {"poisson", false, "map (poisson)", "", "",
            "an infinite source: aggregate first attempts per second, or offered Erlangs",
            "{rate: 0.8}", R"({"$ref": "#/$defs/poisson"})"},
           {"per_idle_source", false, "map (per_idle_source)", "", "",
            "a finite source: each idle caller address calls at this rate (Engset)",
            "{rate: 0.0002}", R"({"$ref": "#/$defs/per_idle_source"})"},
           {"at", false, "list of seconds", "", "non-decreasing, 0 to 1e12",
            "one first attempt at each listed time (scripted calls); a busy caller places none",
            "[120, 300.5]",
            R"({"type": "array", "minItems": 1,
                "items": {"type": "number", "minimum": 0, "maximum": 1e12}})"},
           {"profile", false, "list of [time, multiplier]", "[]",
            "times strictly increasing, multipliers >= 0; not with `at`",
            "rate multipliers from each time on (piecewise constant, since t = 0, warm-up "
            "included; 1 before the first time)",
            "[[0, 0.6], [1800, 1.0], [5400, 0.7]]",
            R"({"type": "array",
                "items": {"type": "array", "minItems": 2, "maxItems": 2,
                          "prefixItems": [{"type": "number", "minimum": 0, "maximum": 1e12},
                                          {"type": "number", "minimum": 0}]}})"},
       },
       R"({"oneOf": [{"required": ["poisson"]}, {"required": ["per_idle_source"]},
                     {"required": ["at"]}],
           "not": {"required": ["at", "profile"],
                   "properties": {"profile": {"minItems": 1}}}})"});

  objects.push_back({"poisson",
                     "traffic[].arrivals.poisson",
                     "Poisson first attempts. Exactly one of `rate` and `erlangs`.",
                     {
                         {"rate", false, "number", "", "above 0", "first attempts per second",
                          "0.8", R"({"type": "number", "exclusiveMinimum": 0})"},
                         {"erlangs", false, "number", "", "above 0",
                          "offered traffic; the rate is erlangs / mean holding time", "144",
                          R"({"type": "number", "exclusiveMinimum": 0})"},
                     },
                     R"({"oneOf": [{"required": ["rate"]}, {"required": ["erlangs"]}]})"});

  objects.push_back(
      {"per_idle_source",
       "traffic[].arrivals.per_idle_source",
       "Each idle caller address places first attempts at this rate.",
       {
           {"rate", true, "number", "", "above 0", "first attempts per second per idle address",
            "0.0002", R"({"type": "number", "exclusiveMinimum": 0})"},
       },
       ""});

  objects.push_back(
      {"answer",
       "traffic[].answer",
       "An attempt that reaches a free callee is answered if the answer draw succeeds and its "
       "delay is below `timeout`; otherwise it fails with `no_answer` at `timeout` (with no "
       "timeout, at once).",
       {
           {"probability", false, "number", "1", "0 to 1", "probability that the callee answers",
            "0.9", probability_schema},
           {"delay", false, "distribution", "0", "", "time from ringing to answer",
            "{exponential: {mean: 6}}", distribution_schema},
           {"timeout", false, "seconds", "none", "above 0",
            "the caller gives up ringing after this long", "30", positive_seconds_schema},
       },
       ""});

  objects.push_back(
      {"distribution",
       "any distribution",
       "A random duration: exactly one of the kinds below, or a bare number, which means "
       "`deterministic`.",
       {
           {"exponential", false, "map", "", "", "`{mean}`", "{mean: 180}",
            R"({"$ref": "#/$defs/distribution_exponential"})"},
           {"deterministic", false, "map", "", "", "`{value}`: always this value", "{value: 30}",
            R"({"$ref": "#/$defs/distribution_deterministic"})"},
           {"uniform", false, "map", "", "", "`{min, max}`", "{min: 2, max: 12}",
            R"({"$ref": "#/$defs/distribution_uniform"})"},
           {"erlang", false, "map", "", "",
            "`{k, mean}`: the sum of k exponential phases, `mean` of the sum", "{k: 3, mean: 180}",
            R"({"$ref": "#/$defs/distribution_erlang"})"},
           {"lognormal", false, "map", "", "",
            "`{mean, sd}` of the variable itself, not of its logarithm", "{mean: 180, sd: 120}",
            R"({"$ref": "#/$defs/distribution_lognormal"})"},
           {"hyperexponential", false, "map", "", "",
            "`{means, probs}`: phase i, with probability probs[i], is exponential of mean "
            "means[i]",
            "{means: [60, 600], probs: [0.9, 0.1]}",
            R"({"$ref": "#/$defs/distribution_hyperexponential"})"},
           {"empirical", false, "map", "", "", "`{values, probs}`: a discrete distribution",
            "{values: [30, 60], probs: [0.5, 0.5]}",
            R"({"$ref": "#/$defs/distribution_empirical"})"},
       },
       R"({"minProperties": 1, "maxProperties": 1})"});

  constexpr std::string_view nonnegative = R"({"type": "number", "minimum": 0})";
  constexpr std::string_view number_list =
      R"({"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 0}})";
  objects.push_back(
      {"distribution_exponential",
       "exponential",
       "Exponential.",
       {{"mean", true, "seconds", "", "above 0", "the mean", "180", positive_seconds_schema}},
       ""});
  objects.push_back(
      {"distribution_deterministic",
       "deterministic",
       "Always the same value.",
       {{"value", true, "seconds", "", "0 to 1e12", "the value", "30", seconds_schema}},
       ""});
  objects.push_back(
      {"distribution_uniform",
       "uniform",
       "Uniform between min and max.",
       {
           {"min", true, "seconds", "", "at least 0", "lower end", "2", nonnegative},
           {"max", true, "seconds", "", "at least min", "upper end", "12", nonnegative},
       },
       ""});
  objects.push_back({"distribution_erlang",
                     "erlang",
                     "Erlang-k: the sum of k exponential phases.",
                     {
                         {"k", true, "integer", "", "1 to 1000", "number of phases", "3",
                          R"({"type": "integer", "minimum": 1, "maximum": 1000})"},
                         {"mean", true, "seconds", "", "above 0", "mean of the sum", "180",
                          positive_seconds_schema},
                     },
                     ""});
  objects.push_back(
      {"distribution_lognormal",
       "lognormal",
       "Lognormal, given by the mean and standard deviation of the variable.",
       {
           {"mean", true, "seconds", "", "above 0", "the mean", "180", positive_seconds_schema},
           {"sd", true, "seconds", "", "at least 0", "the standard deviation", "120", nonnegative},
       },
       ""});
  objects.push_back({"distribution_hyperexponential",
                     "hyperexponential",
                     "A mixture of exponential phases.",
                     {
                         {"means", true, "list of seconds", "", "each above 0", "each phase's mean",
                          "[60, 600]", number_list},
                         {"probs", true, "list of numbers", "", "as many as means, summing to 1",
                          "each phase's probability", "[0.9, 0.1]", number_list},
                     },
                     ""});
  objects.push_back({"distribution_empirical",
                     "empirical",
                     "A discrete distribution.",
                     {
                         {"values", true, "list of seconds", "", "each 0 to 1e12", "the values",
                          "[30, 60]", number_list},
                         {"probs", true, "list of numbers", "", "as many as values, summing to 1",
                          "each value's probability", "[0.5, 0.5]", number_list},
                     },
                     ""});

  objects.push_back(
      {"policy",
       "policies.<name>",
       "A named completion-policy instance. Besides the keys below it takes its type's own "
       "parameters (listed under \"Policy types\"; `telsim policies` lists them with plug-in "
       "types).",
       {
           {"type", false, "policy type", "the preset's type",
            "a built-in or plug-in type; required unless `preset` is given", "the policy type",
            "callback", R"({"type": "string"})"},
           {"preset", false, "preset name", "none", "",
            "fills the type's parameters from a standard (e.g. `ccbs-etsi`); keys given "
            "override it",
            "ccbs-etsi", R"({"type": "string"})"},
           {"when", false, "list of causes", "the type's",
            "`congestion`, `busy`, `no_answer`, each once", "the failure causes it acts on",
            "[busy]",
            R"({"type": "array", "uniqueItems": true,
                "items": {"enum": ["congestion", "busy", "no_answer"]}})"},
           {"fallback", false, "policy name or `none`", "none", "another policy, no cycle",
            "the policy that takes over when this one cannot act", "retry", name_schema},
       },
       R"({"anyOf": [{"required": ["type"]}, {"required": ["preset"]}]})"});

  objects.push_back(
      {"expect",
       "expect[]",
       "A check for CI on one figure of the results: `telsim run` exits 1 if it fails (every "
       "output is still written). A metric whose mean is null fails, saying so.",
       {
           {"metric", true, "results path", "", "a statistic this scenario's results hold",
            "the figure checked", "trunk_groups.AB.call_blocking", results_path_schema},
           {"min", false, "number", "none", "", "lower bound (min and/or max)", "0.0396",
            R"({"type": "number"})"},
           {"max", false, "number", "none", "at least min", "upper bound", "0.01",
            R"({"type": "number"})"},
           {"bound", false, "`mean` or `ci`", "mean", "",
            "what must lie within min/max: the mean, or the whole 95% interval [mean - ci95, "
            "mean + ci95] (a `ci` check fails with one replication: no interval)",
            "ci", R"({"enum": ["mean", "ci"]})"},
       },
       R"({"anyOf": [{"required": ["min"]}, {"required": ["max"]}]})"});

  return objects;
}

/// The declaration and each object's key names, built once and never changed (a
/// constant table, not mutable state): the loader asks for the names of every item.
struct Table {
  std::vector<ObjectDeclaration> objects = declare();
  std::vector<std::vector<std::string>> names = [this] {
    std::vector<std::vector<std::string>> all;
    for (const auto& object : objects) {
      auto& keys = all.emplace_back();
      for (const auto& key : object.keys) keys.emplace_back(key.name);
    }
    return all;
  }();
};

const Table& table() {
  static const Table t;
  return t;
}

std::size_t index_of_object(std::string_view id) {
  const auto& objects = table().objects;
  const auto it = std::find_if(objects.begin(), objects.end(),
                               [&](const ObjectDeclaration& o) { return o.id == id; });
  if (it == objects.end()) {
    throw std::out_of_range("undeclared scenario object '" + std::string(id) + "'");
  }
  return static_cast<std::size_t>(it - objects.begin());
}

}  // namespace

const std::vector<ObjectDeclaration>& scenario_objects() {
  return table().objects;
}

const ObjectDeclaration& scenario_object(std::string_view id) {
  return table().objects[index_of_object(id)];
}

const std::vector<std::string>& declared_keys(std::string_view id) {
  return table().names[index_of_object(id)];
}

}  // namespace telsim::scenarios
