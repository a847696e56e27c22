// JSON and CSV renderings of a BenchReport: every figure, inputs' checksums, the machine.
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lmzip/eval/report.h"

namespace lmzip::eval {

namespace {

nlohmann::json measurement_json(const Measurement& m) {
  return {
      {"codec", m.codec},
      {"description", m.description},
      {"chunking", std::string(to_string(m.chunking))},
      {"dataset", m.dataset},
      {"chunks", m.chunks},
      {"raw_bytes", m.raw_bytes},
      {"coded_bytes_sum", m.coded_bytes_sum},
      {"header_bytes", m.header_bytes},
      {"compressed_bytes", m.compressed_bytes()},
      {"parameters", m.parameters},
      {"rate", m.rate()},
      {"adjusted_rate", m.adjusted_rate()},
      {"model_file_bytes", m.model_file_bytes},
      {"file_adjusted_rate", m.file_adjusted_rate()},
      {"paper_rate", m.has_paper ? nlohmann::json(m.paper_rate()) : nlohmann::json()},
      {"compress_seconds", m.compress_seconds},
      {"decompress_seconds", m.decompress_seconds},
      {"compress_mb_per_s", m.compress_mb_per_s()},
      {"decompress_mb_per_s", m.decompress_mb_per_s()},
      {"verified", m.verified},
  };
}

}  // namespace

std::string to_json(const BenchReport& report) {
  nlohmann::json j;
  j["schema"] = "lmzip-bench/1";
  const auto& mi = report.machine;
  j["machine"] = {{"hostname", mi.hostname},       {"cpu_model", mi.cpu_model},
                  {"logical_cpus", mi.logical_cpus}, {"memory_bytes", mi.memory_bytes},
                  {"os", mi.os},                   {"compiler", mi.compiler},
                  {"lmzip_version", mi.lmzip_version}, {"timestamp_utc", mi.timestamp_utc}};
  j["verified"] = report.verified;
  j["codecs"] = report.codecs;
  j["header_rule"] =
      "chunked compressed = sum of chunk sizes - (chunks - 1) x H, H = size of compressing one zero byte";
  nlohmann::json datasets = nlohmann::json::array();
  for (const auto& ds : report.datasets) {
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& f : ds.inputs) {
      nlohmann::json in = {{"path", f.path}, {"bytes", f.size_bytes}, {"xxh64", f.xxh64}};
      if (!f.note.empty()) in["note"] = f.note;
      inputs.push_back(in);
    }
    datasets.push_back({{"label", ds.label},
                        {"modality", ds.modality},
                        {"chunks", ds.chunks},
                        {"raw_bytes", ds.raw_bytes},
                        {"prepared_xxh64", ds.prepared_xxh64},
                        {"whole_skipped", ds.whole_skipped},
                        {"inputs", inputs}});
  }
  j["datasets"] = datasets;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& m : report.measurements) rows.push_back(measurement_json(m));
  j["measurements"] = rows;
  return j.dump(2) + "\n";
}

std::string to_csv(const BenchReport& report) {
  std::ostringstream out;
  out << "codec,chunking,dataset,chunks,raw_bytes,coded_bytes_sum,header_bytes,compressed_bytes,parameters,"
         "rate,adjusted_rate,model_file_bytes,file_adjusted_rate,compress_seconds,decompress_seconds,compress_mb_per_s,decompress_mb_per_s,verified,paper_rate\n";
  for (const auto& m : report.measurements) {
    out << fmt::format("{},{},{},{},{},{},{},{},{},{:.6f},{:.6f},{},{:.6f},{:.6f},{:.6f},{:.3f},{:.3f},{},{}\n",
                       m.codec, to_string(m.chunking), m.dataset, m.chunks, m.raw_bytes, m.coded_bytes_sum,
                       m.header_bytes, m.compressed_bytes(), m.parameters, m.rate(), m.adjusted_rate(),
                       m.model_file_bytes, m.file_adjusted_rate(), m.compress_seconds,
                       m.decompress_seconds, m.compress_mb_per_s(), m.decompress_mb_per_s(),
                       m.verified ? "true" : "false", m.has_paper ? fmt::format("{:.6f}", m.paper_rate()) : "");
  }
  return out.str();
}

}  // namespace lmzip::eval
