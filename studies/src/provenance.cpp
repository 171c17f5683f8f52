#include "telsim/studies/provenance.hpp"

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

namespace telsim::studies {

std::string sha256_of_bytes(std::string_view bytes) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
    return {};
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string sha256_of_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return {};
  return sha256_of_bytes(bytes.str());
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

std::string build_version() {
  return TELSIM_VERSION;
}

std::string build_commit() {
  return TELSIM_COMMIT;
}

analysis::RunInfo make_run_info(const std::string& scenario_sha256, const std::string& command_line,
                                unsigned threads) {
  analysis::RunInfo info;
  info.version = build_version();
  info.commit = build_commit();
  info.scenario_sha256 = scenario_sha256;
  info.command_line = command_line;
  info.started_at = utc_now_iso8601();
  info.threads = static_cast<int>(threads);
  return info;
}

}  // namespace telsim::studies
