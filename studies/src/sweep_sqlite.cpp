#include "sweep_sqlite.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/format.h>

#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>

#include "telsim/analysis/results.hpp"

namespace telsim::studies {
namespace {

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

class Database {
 public:
  explicit Database(const std::filesystem::path& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error(fmt::format("cannot create {}: {}", path.string(), message));
    }
  }
  ~Database() { close(); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errmsg(db_);
      sqlite3_free(error);
      fail(message);
    }
  }

  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      fail(sqlite3_errmsg(db_));
    }
    return statement;
  }

  void step(sqlite3_stmt* statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_finalize(statement);
      fail(message);
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }

  void close() {
    if (db_ != nullptr && sqlite3_close(db_) != SQLITE_OK) {
      sqlite3_close_v2(db_);
    }
    db_ = nullptr;
  }

  [[noreturn]] void fail(const std::string& message) {
    throw std::runtime_error(fmt::format("cannot write {}: {}", path_.string(), message));
  }

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

void bind_number(sqlite3_stmt* statement, int index, const nlohmann::ordered_json& value) {
  if (value.is_number()) {
    sqlite3_bind_double(statement, index, value.get<double>());
  } else {
    sqlite3_bind_null(statement, index);
  }
}

void build(const std::filesystem::path& path, const SweepSummary& summary) {
  Database db(path);
  // Built in one transaction with no journal: the file is renamed into place only
  // when complete, so a crash leaves at most a temporary file behind.
  db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;");
  std::string create_points = "CREATE TABLE points(point INTEGER PRIMARY KEY";
  for (const auto& axis : summary.axes)
    create_points += ", " + quote_identifier(axis.key) + " TEXT";
  create_points += ");";
  db.exec(create_points);
  db.exec(
      "CREATE TABLE metrics(point INTEGER NOT NULL REFERENCES points(point), metric TEXT NOT NULL, "
      "mean REAL, ci95 REAL, n INTEGER, PRIMARY KEY(point, metric));");
  db.exec("CREATE TABLE vary(position INTEGER PRIMARY KEY, key TEXT NOT NULL);");

  sqlite3_stmt* vary = db.prepare("INSERT INTO vary VALUES(?, ?);");
  for (std::size_t a = 0; a < summary.axes.size(); ++a) {
    sqlite3_bind_int64(vary, 1, static_cast<sqlite3_int64>(a));
    sqlite3_bind_text(vary, 2, summary.axes[a].key.c_str(), -1, SQLITE_TRANSIENT);
    db.step(vary);
  }
  sqlite3_finalize(vary);

  std::string insert_point = "INSERT INTO points VALUES(?";
  for (std::size_t a = 0; a < summary.axes.size(); ++a) insert_point += ", ?";
  insert_point += ");";
  sqlite3_stmt* point = db.prepare(insert_point);
  sqlite3_stmt* metric = db.prepare("INSERT INTO metrics VALUES(?, ?, ?, ?, ?);");
  for (std::size_t p = 0; p < summary.statistics.size(); ++p) {
    sqlite3_bind_int64(point, 1, static_cast<sqlite3_int64>(p));
    for (std::size_t a = 0; a < summary.axes.size(); ++a) {
      sqlite3_bind_text(point, static_cast<int>(a) + 2, summary.points[p][a].c_str(), -1,
                        SQLITE_TRANSIENT);
    }
    db.step(point);
    for (const auto& e : summary.statistics[p]) {
      sqlite3_bind_int64(metric, 1, static_cast<sqlite3_int64>(p));
      sqlite3_bind_text(metric, 2, e.path.c_str(), -1, SQLITE_TRANSIENT);
      bind_number(metric, 3, e.mean);
      bind_number(metric, 4, e.ci95);
      if (e.n.is_number_integer()) {
        sqlite3_bind_int64(metric, 5, e.n.get<sqlite3_int64>());
      } else {
        sqlite3_bind_null(metric, 5);
      }
      db.step(metric);
    }
  }
  sqlite3_finalize(point);
  sqlite3_finalize(metric);
  db.exec("COMMIT;");
  db.close();
}

}  // namespace

void write_sweep_sqlite(const std::filesystem::path& target, const std::filesystem::path& temp_dir,
                        const SweepSummary& summary) {
  std::random_device random;
  const std::filesystem::path temp =
      temp_dir / fmt::format("{}.{}-{:08x}.tmp", target.filename().string(), ::getpid(), random());
  try {
    build(temp, summary);
    const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
      const std::error_code ec(errno, std::system_category());
      if (fd >= 0) ::close(fd);
      throw std::runtime_error(fmt::format("cannot write {}: {}", temp.string(), ec.message()));
    }
    ::close(fd);
  } catch (const std::filesystem::filesystem_error& e) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", target.string(), e.code().message()));
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw;
  }
  // Renamed into place by the rules every output follows (a device is written in place).
  analysis::replace_with_temporary(temp, target);
}

}  // namespace telsim::studies
