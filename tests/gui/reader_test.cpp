// Reading what telsim writes (results file, sweep folder, compare.json), the errors for
// what it does not, and the loss model a scenario matches.
#include <cmath>
#include <fstream>

#include <QTemporaryDir>
#include <QTest>
#include <nlohmann/json.hpp>

#include "data/loss_model.hpp"
#include "data/results_reader.hpp"
#include "telsim/analysis/erlang.hpp"

using namespace telsim::view;

namespace {

const std::string data = TELSIM_GUI_TEST_DATA;

nlohmann::ordered_json load(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::ordered_json::parse(in);
}

std::string error_of(const std::filesystem::path& path) {
  try {
    read_document(path);
  } catch (const ReadError& e) {
    return e.what();
  }
  return "(no error)";
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

class ReaderTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void reads_a_results_file() {
    const Document doc = read_document(data + "/policies-metro.results.json");
    QVERIFY(doc.is_run());
    const Run& run = std::get<Run>(doc.content);
    const nlohmann::ordered_json raw = load(data + "/policies-metro.results.json");
    QCOMPARE(run.name, std::string("policies-metro"));
    QCOMPARE(run.trunk_groups, (std::vector<std::string>{"AB", "AT", "TB"}));
    QCOMPARE(run.relations.size(), raw["traffic"].size());
    QCOMPARE(run.policies.size(), raw["policies"].size());
    QCOMPARE(run.policies.front().type, raw["policies"].begin().value()["type"].get<std::string>());
    // A nested statistic, read as written.
    const auto p95 = run.metric("traffic.a-to-cc.completion_latency.p95");
    QVERIFY(p95 && p95->mean);
    const auto& raw_p95 = raw["traffic"]["a-to-cc"]["completion_latency"]["p95"];
    QCOMPARE(*p95->mean, raw_p95["mean"].get<double>());
    QCOMPARE(*p95->ci95, raw_p95["ci95"].get<double>());
    QCOMPARE(p95->n, raw_p95["n"].get<std::size_t>());
    QCOMPARE(p95->values.size(), raw_p95["values"].size());
    // Histograms by owner, time series by group, circuits from the scenario.
    QVERIFY(run.latency_histograms.count("traffic.a-to-cc"));
    QCOMPARE(run.latency_histograms.at("traffic.a-to-cc").counts.size() + 1,
             raw["traffic"]["a-to-cc"]["completion_latency_histogram"]["edges"].size());
    QCOMPARE(run.busy_circuits.at("AT").t.size(),
             raw["timeseries"]["trunk_groups"]["AT"]["busy_circuits"]["t"].size());
    QCOMPARE(run.circuits("AB").value(), 150.0);
    QVERIFY(!run.circuits("nope"));
    QVERIFY(!run.metric("traffic.a-to-cc.no_such_thing"));
  }

  void reads_a_sweep_folder_and_its_summary() {
    for (const std::string& path :
         {data + "/sweep-erlang-b", data + "/sweep-erlang-b/summary.json"}) {
      const Document doc = read_document(path);
      QVERIFY(doc.is_sweep());
      const Sweep& sweep = std::get<Sweep>(doc.content);
      QCOMPARE(sweep.axes.size(), std::size_t{1});
      QCOMPARE(sweep.axes[0].key, std::string("trunk_groups.AB.circuits"));
      QCOMPARE(sweep.axes[0].values, (std::vector<std::string>{"16", "18", "20", "22", "24"}));
      QCOMPARE(sweep.points.size(), std::size_t{5});
      QCOMPARE(sweep.points[2].run.circuits("AB").value(), 20.0);
      QCOMPARE(doc.watched_files().front().filename().string(), std::string("summary.json"));
    }
  }

  void reads_a_compare_json() {
    const Document doc = read_document(data + "/policy-comparison.compare.json");
    QVERIFY(doc.is_comparison());
    const Comparison& c = std::get<Comparison>(doc.content);
    QCOMPARE(c.key, std::string("traffic.homes-to-cc.completion"));
    QCOMPARE(c.values, (std::vector<std::string>{"none", "camp", "cb"}));
    QCOMPARE(c.alternatives.size(), std::size_t{3});
    QCOMPARE(c.alternatives[1].scenario["traffic"][0]["completion"].get<std::string>(),
             std::string("camp"));
  }

  void says_what_is_wrong_with_other_files() {
    QTemporaryDir dir;
    const std::filesystem::path base = dir.path().toStdString();
    write(base / "notes.json", R"({"name": "shopping list"})");
    write(base / "text.json", "telsim results, honest");
    write(base / "future.json", R"({"telsim": 2, "trunk_groups": {}, "traffic": {}})");
    write(base / "half.json", R"({"telsim": 1, "traffic": {}})");
    std::filesystem::create_directory(base / "empty-sweep");
    QCOMPARE(error_of(base / "notes.json"),
             (base / "notes.json").string() +
                 " is not a telsim results file: it has no \"telsim\": 1 key");
    QCOMPARE(
        error_of(base / "text.json"),
        (base / "text.json").string() + " is not a telsim results file: it is not JSON (byte 2)");
    QCOMPARE(error_of(base / "future.json"),
             (base / "future.json").string() +
                 " has telsim format version 2; this viewer reads version 1");
    QCOMPARE(error_of(base / "half.json"),
             (base / "half.json").string() +
                 " is not a telsim results file: it has no \"trunk_groups\" section");
    QVERIFY(error_of(base / "empty-sweep")
                .starts_with((base / "empty-sweep").string() +
                             " is not a telsim sweep folder: it has no summary.json"));
    QCOMPARE(error_of(base / "missing.json"),
             "cannot open " + (base / "missing.json").string() + ": no such file");
  }

  void matches_erlang_b_and_engset_and_nothing_else() {
    const Run erlang = std::get<Run>(read_document(data + "/erlang-b.results.json").content);
    const auto model = match_loss_model(erlang.scenario);
    QVERIFY(model);
    QCOMPARE(model->name(), std::string("Erlang B"));
    QCOMPARE(model->circuits, 20.0);
    QCOMPARE(model->rate * model->mean_holding, 15.0);
    QCOMPARE(*model->predict("call_blocking"), telsim::analysis::erlang_b(20, 15));
    QVERIFY(!model->predict("carried_erlangs"));
    QCOMPARE(model->with_value("trunk_groups.AB.circuits", 22)->circuits, 22.0);
    QVERIFY(!model->with_value("trunk_groups.XY.circuits", 22));

    // engset.yaml's scenario, as `telsim run` resolves it (only what the match reads).
    nlohmann::ordered_json engset = erlang.scenario;
    engset["subscribers"][0]["count"] = 30;
    engset["subscribers"][0]["lines"] = 1;
    engset["traffic"][0]["arrivals"] = {{"per_idle_source", {{"rate", 0.0025}}}};
    engset["traffic"][0]["holding"] = {{"exponential", {{"mean", 100}}}};
    engset["trunk_groups"][0]["circuits"] = 10;
    const auto finite = match_loss_model(engset);
    QVERIFY(finite);
    QCOMPARE(finite->name(), std::string("Engset"));
    QCOMPARE(*finite->predict("call_blocking"),
             telsim::analysis::engset(10, 30, 0.25).call_congestion);

    const Run metro = std::get<Run>(read_document(data + "/policies-metro.results.json").content);
    QVERIFY(!match_loss_model(metro.scenario));
    nlohmann::ordered_json with_policy = erlang.scenario;
    with_policy["traffic"][0]["completion"] = "camp";
    QVERIFY(!match_loss_model(with_policy));
  }
};

QTEST_GUILESS_MAIN(ReaderTest)
#include "reader_test.moc"
