// `telsim run --calls FILE.csv` (SPEC §4): the call detail records. Their format on
// scripted calls, their agreement with the results file, their independence of the
// number of threads, and that a failed or interrupted run leaves no file behind.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

const std::string header =
    "replication,call,relation,caller,callee,first_attempt_s,first_failure,policy,"
    "completion_ids,attempts,outcome,latency_s,end_s";

const Strings final_outcomes{"connected", "completed",     "intruded",  "abandoned",
                             "expired",   "recall_failed", "cancelled", "cleared"};
const Strings causes{"congestion", "busy", "no_answer"};

/// One CSV record split as RFC 4180 reads it (quoted fields, doubled quotes).
Strings split_record(const std::string& line) {
  Strings fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

struct Row {
  std::size_t replication = 0;
  std::uint64_t call = 0;
  std::string relation, caller, callee, first_attempt_s, first_failure, policy, completion_ids;
  std::uint64_t attempts = 0;
  std::string outcome, latency_s, end_s;
};

/// The rows of a calls file; fails the test on a bad header or a row of the wrong width.
std::vector<Row> read_rows(const fs::path& file) {
  std::vector<Row> rows;
  std::istringstream in(read_file(file));
  std::string line;
  if (!std::getline(in, line)) {
    ADD_FAILURE() << "empty calls file " << file;
    return rows;
  }
  EXPECT_EQ(line, header);
  while (std::getline(in, line)) {
    const Strings f = split_record(line);
    if (f.size() != 13) {
      ADD_FAILURE() << "row of " << f.size() << " fields: " << line;
      continue;
    }
    Row r;
    r.replication = std::stoull(f[0]);
    r.call = std::stoull(f[1]);
    r.relation = f[2];
    r.caller = f[3];
    r.callee = f[4];
    r.first_attempt_s = f[5];
    r.first_failure = f[6];
    r.policy = f[7];
    r.completion_ids = f[8];
    r.attempts = std::stoull(f[9]);
    r.outcome = f[10];
    r.latency_s = f[11];
    r.end_s = f[12];
    rows.push_back(std::move(r));
  }
  return rows;
}

/// "<population>" of "<population>#<index>".
std::string population_of(const std::string& address) {
  return address.substr(0, address.rfind('#'));
}

/// Seconds with exactly 6 decimals, as integer microseconds.
std::int64_t micros(const std::string& seconds) {
  EXPECT_TRUE(regex_matches(seconds, "[0-9]+\\.[0-9]{6}", true)) << "'" << seconds << "'";
  const std::size_t dot = seconds.find('.');
  if (dot == std::string::npos) return -1;
  return std::stoll(seconds.substr(0, dot)) * 1'000'000 + std::stoll(seconds.substr(dot + 1));
}

/// Checks what every calls file must satisfy, against its results file: numbering and
/// order, field formats, the measured window, populations of each relation.
void expect_well_formed(const std::vector<Row>& rows, const Json& results) {
  std::map<std::string, std::pair<std::string, std::string>> ends;  // relation -> from, to
  for (const Json& rel : results["scenario"]["traffic"]) {
    ends[rel["name"].get<std::string>()] = {rel["from"].get<std::string>(),
                                            rel["to"].get<std::string>()};
  }
  const std::set<std::string> outcome_names(final_outcomes.begin(), final_outcomes.end());
  const std::set<std::string> cause_names(causes.begin(), causes.end());
  const auto duration = static_cast<std::int64_t>(results["duration"].get<double>() * 1e6);
  std::size_t replication = 0;
  std::uint64_t next_call = 0;
  std::int64_t last_start = 0;
  for (const Row& r : rows) {
    SCOPED_TRACE("replication " + std::to_string(r.replication) + " call " +
                 std::to_string(r.call));
    if (r.replication != replication) {
      ASSERT_EQ(r.replication, replication + 1) << "replications in order, none skipped";
      replication = r.replication;
      next_call = 0;
      last_start = 0;
    }
    ASSERT_EQ(r.call, next_call) << "calls numbered from 0 without gaps";
    ++next_call;
    const std::int64_t start = micros(r.first_attempt_s);
    const std::int64_t end = micros(r.end_s);
    EXPECT_GE(start, last_start) << "in order of first attempt";
    last_start = start;
    EXPECT_GE(end, start);
    const auto warmup = static_cast<std::int64_t>(
        results["warmup_used"]["values"][r.replication].get<double>() * 1e6 + 0.5);
    EXPECT_GE(start, warmup) << "measured calls only";
    EXPECT_LT(start, warmup + duration) << "measured calls only";
    ASSERT_EQ(ends.count(r.relation), 1u) << r.relation;
    EXPECT_EQ(population_of(r.caller), ends[r.relation].first) << r.caller;
    EXPECT_EQ(population_of(r.callee), ends[r.relation].second) << r.callee;
    EXPECT_TRUE(regex_matches(r.caller, "[A-Za-z0-9_-]+#[0-9]+", true)) << r.caller;
    EXPECT_TRUE(regex_matches(r.callee, "[A-Za-z0-9_-]+#[0-9]+", true)) << r.callee;
    EXPECT_TRUE(r.first_failure.empty() || cause_names.count(r.first_failure) == 1)
        << r.first_failure;
    EXPECT_TRUE(outcome_names.count(r.outcome) == 1) << r.outcome;
    EXPECT_TRUE(regex_matches(r.completion_ids, "([0-9]+(;[0-9]+)*)?", true)) << r.completion_ids;
    EXPECT_GE(r.attempts, 1u);
    if (r.outcome == "completed") {
      EXPECT_LE(micros(r.latency_s), end - start);
    } else {
      EXPECT_EQ(r.latency_s, "") << "latency only for completed calls";
    }
    if (r.outcome == "connected") {
      EXPECT_EQ(r.first_failure, "");
      EXPECT_EQ(r.policy, "") << "connected: no policy acted";
    }
    if (!r.first_failure.empty()) {
      EXPECT_NE(r.outcome, "connected");
    }
  }
  EXPECT_EQ(rows.empty() ? 0 : replication + 1, results["replications"].get<std::size_t>())
      << "one block of rows per replication of the results";
}

/// The counts a block of the results file holds, recomputed from rows.
struct Counts {
  std::uint64_t calls = 0;
  std::uint64_t attempts = 0;
  std::map<std::string, std::uint64_t> first_failure;
  std::map<std::string, std::uint64_t> outcome;
  std::uint64_t completed = 0;
  long double latency_sum = 0.0L;

  void add(const Row& r) {
    ++calls;
    attempts += r.attempts;
    if (!r.first_failure.empty()) ++first_failure[r.first_failure];
    ++outcome[r.outcome];
    if (r.outcome == "completed" && !r.latency_s.empty()) {
      ++completed;
      latency_sum += static_cast<long double>(micros(r.latency_s)) / 1e6L;
    }
  }
};

double value(const Json& statistic, std::size_t replication) {
  const Json& v = statistic["values"][replication];
  return v.is_null() ? -1.0 : v.get<double>();
}

/// Every per-call figure of `block` (a traffic relation or a policy instance) in
/// replication `rep` is what the rows say.
void expect_block_agrees(const Json& block, std::size_t rep, const Counts& c) {
  EXPECT_EQ(value(block["calls"], rep), static_cast<double>(c.calls));
  EXPECT_EQ(value(block["attempts"], rep), static_cast<double>(c.attempts));
  const auto fraction = [&](std::uint64_t n) {
    return c.calls == 0 ? -1.0 : static_cast<double>(n) / static_cast<double>(c.calls);
  };
  for (const std::string& cause : causes) {
    SCOPED_TRACE("first_attempt_failure." + cause);
    const auto it = c.first_failure.find(cause);
    EXPECT_DOUBLE_EQ(value(block["first_attempt_failure"][cause], rep),
                     fraction(it == c.first_failure.end() ? 0 : it->second));
  }
  for (const std::string& outcome : final_outcomes) {
    SCOPED_TRACE("outcome." + outcome);
    const auto it = c.outcome.find(outcome);
    EXPECT_DOUBLE_EQ(value(block["outcome"][outcome], rep),
                     fraction(it == c.outcome.end() ? 0 : it->second));
  }
  const Json& mean = block["completion_latency"]["mean"]["values"][rep];
  if (c.completed == 0) {
    EXPECT_TRUE(mean.is_null()) << mean;
  } else {
    EXPECT_NEAR(mean.get<double>(),
                static_cast<double>(c.latency_sum / static_cast<long double>(c.completed)),
                1e-9 * mean.get<double>());
  }
}

/// Checks every relation, and every policy instance that has no fallback (the
/// `policy` column names the instance that acted last, and nothing acts after an
/// instance with no fallback: its rows are exactly the calls it acted on).
void expect_agreement(const std::vector<Row>& rows, const Json& results) {
  const std::size_t replications = results["replications"].get<std::size_t>();
  std::vector<std::map<std::string, Counts>> by_relation(replications);
  std::vector<std::map<std::string, Counts>> by_policy(replications);
  for (const Row& r : rows) {
    ASSERT_LT(r.replication, replications);
    by_relation[r.replication][r.relation].add(r);
    if (!r.policy.empty()) by_policy[r.replication][r.policy].add(r);
  }
  for (std::size_t rep = 0; rep < replications; ++rep) {
    for (const auto& item : results["traffic"].items()) {
      SCOPED_TRACE("replication " + std::to_string(rep) + ", traffic." + item.key());
      expect_block_agrees(item.value(), rep, by_relation[rep][item.key()]);
    }
    for (const auto& item : results["policies"].items()) {
      if (results["scenario"]["policies"][item.key()]["fallback"] != "none") continue;
      SCOPED_TRACE("replication " + std::to_string(rep) + ", policies." + item.key());
      expect_block_agrees(item.value(), rep, by_policy[rep][item.key()]);
    }
  }
}

fs::path library(const std::string& name) {
  return fs::path(TELSIM_SCENARIO_DIR) / name;
}

/// policies-metro.yaml, short: every policy type acts within a few seconds of run time.
Strings metro_run(const std::string& threads, const std::string& calls, const std::string& out) {
  return {"run",
          library("policies-metro.yaml").string(),
          "--set",
          "warmup=600",
          "--set",
          "duration=1800",
          "--replications",
          "3",
          "--threads",
          threads,
          "--quiet",
          "--calls",
          calls,
          "--out",
          out};
}

// ---- the format ---------------------------------------------------------------------

// Scripted calls (SPEC §2 `at`) from the one caller to the one callee, one line each
// side, deterministic holding and answer: every row is known in advance.
const char* const scripted_yaml = R"(telsim: 1
name: cdr-scripted
replications: 2
warmup: 0
duration: 10
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: others, exchange: A, count: 3, lines: 1}
  - {name: caller, exchange: A, count: 1, lines: unlimited}
  - {name: callee, exchange: B, count: 1, lines: 1}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 2}
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - name: a-to-b
    from: caller
    to: callee
    arrivals: {at: [1, 2.5, 2.75, 20]}
    holding: 2
    completion: wait
policies:
  wait:
    type: campon
    patience: 1
    when: [busy]
)";

TEST(CallRecords, ScriptedCallsGiveExactRows) {
  TempDir dir;
  write_file(dir / "s.yaml", scripted_yaml);
  const ProcessResult r = run_telsim(
      {"run", "s.yaml", "--threads", "2", "--quiet", "--out", "r.json", "--calls", "calls.csv"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.entries(), (Strings{"calls.csv", "r.json", "s.yaml"})) << "no temporary file";
  // Call 0 connects at 1 s and hangs up at 3 s. Call 1 (2.5 s) finds the callee busy
  // and camps on, keeping its circuit: it connects when call 0 ends (latency 0.5 s) and
  // hangs up at 5 s. Call 2 (2.75 s) finds both circuits of AB held: congestion, which
  // `wait` does not act on (when: [busy]), so it is cleared at once. The call at 20 s
  // is past the measured window. "others" come first: the caller is address 3, caller#0.
  const std::string rows =
      "0,0,a-to-b,caller#0,callee#0,1.000000,,,,1,connected,,3.000000\n"
      "0,1,a-to-b,caller#0,callee#0,2.500000,busy,wait,1,1,completed,0.500000,5.000000\n"
      "0,2,a-to-b,caller#0,callee#0,2.750000,congestion,,,1,cleared,,2.750000\n";
  std::string expected = header + "\n" + rows;
  std::string second = rows;
  for (std::size_t at = 0; at < second.size(); at = second.find('\n', at) + 1) second[at] = '1';
  expected += second;
  EXPECT_EQ(read_file(dir / "calls.csv"), expected);
  expect_well_formed(read_rows(dir / "calls.csv"), read_json(dir / "r.json"));
}

// ---- agreement with the results file ------------------------------------------------

TEST(CallRecords, AgreeWithTheResultsFile) {
  TempDir dir;
  const ProcessResult r = run_telsim(metro_run("2", "calls.csv", "r.json"), dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  const std::vector<Row> rows = read_rows(dir / "calls.csv");
  expect_well_formed(rows, results);
  expect_agreement(rows, results);

  // The run shows what the records are for: policies act, requests get IDs, some
  // calls complete later, and `policy` is never set without a first failure.
  std::set<std::string> policies;
  std::size_t with_ids = 0;
  std::set<std::string> outcomes;
  for (const Row& row : rows) {
    if (!row.policy.empty()) policies.insert(row.policy);
    if (!row.completion_ids.empty()) ++with_ids;
    outcomes.insert(row.outcome);
    if (!row.policy.empty()) {
      EXPECT_NE(row.first_failure, "") << row.call;
    }
  }
  EXPECT_GE(policies.size(), 4u);
  EXPECT_GT(with_ids, 0u);
  EXPECT_EQ(outcomes.count("completed"), 1u);
  EXPECT_EQ(outcomes.count("connected"), 1u);
}

// Cancellation by ID and refusals, each cause apart (SPEC §3 "Cancellation",
// the completion-policies table): the records, the `cancelled` outcome and the
// refusal counts of the policy blocks agree in every replication. No policy
// has a fallback, so a call meets at most one refusal and its row names the
// refusing instance: rows of `camp` cleared after no answer are its refusals
// by cause (camp-on cannot act on no_answer); rows of `barge` cleared are its
// refusals for want of a call to join or a bridge; `rejected` calls are the
// overruns (one request per home) and full camp-on queues.
const char* const cancelling_yaml = R"(telsim: 1
name: cdr-cancelling
seed: 7
replications: 4
warmup: 100
duration: 1800
exchanges:
  - {name: A, completion: {max_per_address: 1, bridges: 1}}
subscribers:
  - {name: homes, exchange: A, count: 30, lines: 1}
  - {name: cc, exchange: A, count: 1, lines: 2, completion: {max_per_address: 3}}
traffic:
  - name: homes-to-cc
    from: homes
    to: cc
    arrivals: {poisson: {rate: 0.04}}
    holding: {exponential: {mean: 60}}
    answer: {probability: 0.9, timeout: 10}
    completion: camp
  - name: homes-to-homes
    from: homes
    to: homes
    arrivals: {poisson: {rate: 0.05}}
    holding: {exponential: {mean: 120}}
    completion: cb
  - name: cc-to-homes
    from: cc
    to: homes
    arrivals: {poisson: {rate: 0.03}}
    holding: 60
    completion: barge
  - name: homes-to-homes-again
    from: homes
    to: homes
    arrivals: {poisson: {rate: 0.02}}
    holding: 90
    completion: note
policies:
  camp: {type: campon, queue_limit: 2, cancel_after: {exponential: {mean: 30}},
         when: [busy, no_answer]}
  cb: {type: callback, cancel_after: {exponential: {mean: 200}}, when: [busy]}
  barge: {type: intrude}
  note: {type: message, reaction: 20, cancel_after: 60, when: [busy]}
)";

TEST(CallRecords, CancellationsAndRefusalsAgreeWithTheResultsFile) {
  TempDir dir;
  write_file(dir / "s.yaml", cancelling_yaml);
  const ProcessResult r = run_telsim(
      {"run", "s.yaml", "--quiet", "--out", "r.json", "--calls", "calls.csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  const std::vector<Row> rows = read_rows(dir / "calls.csv");
  expect_well_formed(rows, results);
  expect_agreement(rows, results);

  const std::size_t replications = results["replications"].get<std::size_t>();
  const Json& policies = results["policies"];
  std::map<std::string, std::uint64_t> seen;  // over all replications: the test must bite
  for (std::size_t rep = 0; rep < replications; ++rep) {
    SCOPED_TRACE("replication " + std::to_string(rep));
    std::map<std::string, std::uint64_t> cancelled, calls, cleared_after_no_answer, cleared;
    for (const Row& row : rows) {
      if (row.replication != rep || row.policy.empty()) continue;
      ++calls[row.policy];
      if (row.outcome == "cancelled") ++cancelled[row.policy];
      if (row.outcome == "cleared") ++cleared[row.policy];
      if (row.outcome == "cleared" && row.first_failure == "no_answer")
        ++cleared_after_no_answer[row.policy];
    }
    const auto count = [&](const std::string& policy, const std::string& path) {
      const double v = value(policies[policy]["requests"][path], rep);
      return static_cast<std::uint64_t>(v);
    };
    for (const std::string p : {"camp", "cb", "barge", "note"}) {
      SCOPED_TRACE("policy " + p);
      EXPECT_EQ(count(p, "cancelled"), cancelled[p]);
      // The refusal total is the sum of its causes.
      EXPECT_EQ(count(p, "refused"), count(p, "refused_overrun") + count(p, "refused_queue_full") +
                                         count(p, "refused_no_bridge") + count(p, "refused_cause") +
                                         count(p, "refused_unsupported"));
      // Overruns and full queues are the `rejected` calls.
      const double rejected =
          value(policies[p]["outcome"]["rejected"], rep) * static_cast<double>(calls[p]);
      EXPECT_EQ(static_cast<std::uint64_t>(std::llround(rejected)),
                count(p, "refused_overrun") + count(p, "refused_queue_full"));
      seen["cancelled"] += cancelled[p];
      seen["overrun"] += count(p, "refused_overrun");
      seen["queue_full"] += count(p, "refused_queue_full");
    }
    EXPECT_EQ(count("camp", "refused_cause"), cleared_after_no_answer["camp"]);
    EXPECT_EQ(count("barge", "refused_no_bridge"), cleared["barge"]);
    seen["no_bridge"] += count("barge", "refused_no_bridge");
    seen["cause"] += count("camp", "refused_cause");
  }
  for (const auto& [what, n] : seen) EXPECT_GT(n, 0u) << what << " never happened";
  EXPECT_EQ(seen.size(), 5u);
}

TEST(CallRecords, SameBytesWithOneThreadOrTwo) {
  TempDir dir;
  const ProcessResult one = run_telsim(metro_run("1", "one.csv", "one.json"), dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const ProcessResult two = run_telsim(metro_run("2", "two.csv", "two.json"), dir.path());
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string a = read_file(dir / "one.csv");
  EXPECT_GT(a.size(), header.size() + 1);
  EXPECT_TRUE(a == read_file(dir / "two.csv")) << "the calls file depends on --threads";
}

// With `precision:`, replications run past the stopping point (a batch of --threads at a
// time) are discarded from the results, and from the records with them.
TEST(CallRecords, PrecisionKeepsOnlyTheReplicationsUsed) {
  TempDir dir;
  // 2 replications, then batches of 4: the rule is met between 3 and 5 replications
  // here, so 1 to 3 replications that ran are left out.
  const ProcessResult r =
      run_telsim({"run", fixture("precision.yaml").string(), "--set", "duration=200", "--set",
                  "replications=2", "--set", "precision.relative=0.4", "--threads", "4", "--quiet",
                  "--out", "r.json", "--calls", "calls.csv"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  const auto used = results["replications"].get<std::size_t>();
  EXPECT_GT(used, 2u);
  EXPECT_LT(used, 6u) << "pick settings that stop inside the batch of 4";
  const std::vector<Row> rows = read_rows(dir / "calls.csv");
  expect_well_formed(rows, results);
  expect_agreement(rows, results);
  EXPECT_EQ(dir.entries(), (Strings{"calls.csv", "r.json"}));
}

// With `warmup: auto` the pilot run that chooses the warm-up records nothing: the rows
// are the measured calls of each replication, after the warm-up it chose.
TEST(CallRecords, AutomaticWarmupRecordsOnlyTheMeasuredRun) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("warmup_auto.yaml").string(), "--set", "duration=300", "--threads",
                  "2", "--quiet", "--out", "r.json", "--calls", "calls.csv"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  const std::vector<Row> rows = read_rows(dir / "calls.csv");
  expect_well_formed(rows, results);
  expect_agreement(rows, results);
}

// ---- nothing left behind ------------------------------------------------------------

TEST(CallRecords, FailedRunLeavesNoFile) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("max_events.yaml").string(), "--threads", "2",
                                      "--quiet", "--calls", "calls.csv"},
                                     dir.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("max_events"), std::string::npos) << r.err;
  EXPECT_EQ(dir.entries(), Strings{}) << "no calls file, no temporary file";
}

TEST(CallRecords, BadScenarioWritesNothing) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("bad_unknown_key.yaml").string(), "--threads", "2", "--calls", "calls.csv"},
      dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(dir.entries(), Strings{});
}

// Like an unwritable --out (exit 3, the path named on one line), but before simulating.
TEST(CallRecords, UnwritableFolderFailsAtOnce) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("long.yaml").string(), "--threads", "2", "--quiet", "--out",
                  "r.json", "--calls", "/proc/telsim-x/calls.csv"},
                 dir.path(), std::chrono::seconds(20));
  EXPECT_FALSE(r.timed_out) << "fails before simulating";
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("/proc/telsim-x"), std::string::npos) << "names the path: " << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one clear line: " << r.err;
  EXPECT_EQ(dir.entries(), Strings{});
}

TEST(CallRecords, FolderAsTargetIsAnError) {
  TempDir dir;
  fs::create_directory(dir / "calls.csv");
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--quiet", "--calls", "calls.csv"},
      dir.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("calls.csv"), std::string::npos) << r.err;
  EXPECT_EQ(dir.entries(), Strings{"calls.csv"});
  EXPECT_EQ(TempDir::entries_of(dir / "calls.csv"), Strings{});
}

TEST(CallRecords, ReplacesAnOldFileAndLeavesNoTemporary) {
  TempDir dir;
  fs::create_directory(dir / "out");
  write_file(dir / "out" / "calls.csv", "old\n");
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2", "--set", "duration=50",
                  "--out", "r.json", "--calls", "out/calls.csv"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(TempDir::entries_of(dir / "out"), Strings{"calls.csv"});
  EXPECT_EQ(read_file(dir / "out" / "calls.csv").rfind(header + "\n", 0), 0u);
  EXPECT_NE(r.out.find("calls: out/calls.csv"), std::string::npos) << r.out;
}

// `--calls /dev/stdout | head -1`: a device or pipe is written in place, its parts kept
// in the temporary folder; when the reader goes, the write fails (exit 3, the path
// named) instead of SIGPIPE killing telsim, and the parts are removed.
TEST(CallRecords, PipeClosedEarlyLeavesNoTemporary) {
  TempDir dir;
  TempDir tmp;
  const std::string script = "{ TMPDIR='" + tmp.path().string() + "' '" + telsim_exe().string() +
                             "' run '" + fixture("small.yaml").string() +
                             "' --threads 2 --quiet --out r.json --calls /dev/stdout;"
                             " echo $? > rc; } | head -1 > head.txt";
  const ProcessResult r = run_program("/bin/sh", {"-c", script}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir / "head.txt"), header + "\n");
  EXPECT_EQ(read_file(dir / "rc"), "3\n") << r.err;
  EXPECT_NE(r.err.find("/dev/stdout"), std::string::npos) << r.err;
  EXPECT_EQ(tmp.entries(), Strings{}) << "no part left in the temporary folder";
  EXPECT_EQ(dir.entries(), (Strings{"head.txt", "rc"}));
}

// SIGTERM while replications run (each has its temporary file): exit 143 and nothing
// left. The warm-up is long and the window short, so the parts stay small.
TEST(CallRecords, SignalLeavesNoFile) {
  TempDir dir;
  Process process(telsim_exe(),
                  {"run", fixture("long.yaml").string(), "--set", "warmup=300000", "--set",
                   "duration=100", "--threads", "2", "--out", "r.json", "--calls", "calls.csv"},
                  dir.path());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  process.send_signal(SIGTERM);
  const ProcessResult r = process.wait(std::chrono::seconds(30));
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_EQ(dir.entries(), Strings{}) << "no calls file, no temporary file";
}

}  // namespace
}  // namespace telsim::e2e
