// The bench harness: one pass over each data set's chunk stream, every codec on every chunk,
// then every codec on the whole prepared stream. See lmzip/eval/bench.h.
#include <algorithm>
#include <chrono>
#include <memory>

#include "lmzip/codecs/registry.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"
#include "lmzip/eval/bench.h"

namespace lmzip::eval {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct CodecRun {
  std::unique_ptr<codecs::Codec> codec;
  std::uint64_t header_bytes = 0;
  Measurement chunked;
};

// Compresses `raw` with `codec`, decodes it if asked and checks it; adds sizes and times to `m`.
void measure_block(const codecs::Codec& codec, ByteView raw, bool verify, Measurement& m,
                   const std::string& where) {
  auto t0 = Clock::now();
  Bytes packed = codec.compress(raw);
  m.compress_seconds += seconds_since(t0);
  m.coded_bytes_sum += packed.size();
  m.raw_bytes += raw.size();
  m.chunks += 1;
  if (!verify) return;
  Bytes restored;
  t0 = Clock::now();
  try {
    restored = codec.decompress(packed, raw.size());
  } catch (const Error& e) {
    throw Error("codec " + codec.name() + " failed to decode its own output for " + where + ": " + e.what());
  }
  m.decompress_seconds += seconds_since(t0);
  if (restored.size() != raw.size() || !std::equal(restored.begin(), restored.end(), raw.begin())) {
    throw Error("codec " + codec.name() + " did not restore " + where + " exactly (round trip failed)");
  }
}

Measurement blank(const codecs::Codec& codec, Chunking chunking, const std::string& dataset, bool verify) {
  Measurement m;
  m.codec = codec.name();
  m.description = codec.description();
  m.chunking = chunking;
  m.dataset = dataset;
  m.parameters = codec.parameter_count();
  m.verified = verify;
  return m;
}

}  // namespace

BenchReport run_bench(const BenchOptions& options, const ProgressFn& progress) {
  if (options.datasets.empty()) throw Error("bench: no data set given (use --data MODALITY=PATH)");
  if (!options.chunked && !options.whole) throw Error("bench: neither chunked nor whole rows requested");

  const auto& registry = codecs::Registry::builtin();
  BenchReport report;
  report.machine = describe_machine();
  report.codecs = options.codecs.empty() ? registry.default_names() : options.codecs;
  report.verified = options.verify;
  for (const auto& name : report.codecs) registry.create(name);  // fail early on unknown names

  std::vector<std::vector<Measurement>> per_codec(report.codecs.size());

  for (const auto& spec : options.datasets) {
    const std::string label = spec.label.empty() ? std::string(data::to_string(spec.modality)) : spec.label;
    auto stream = data::open_dataset(spec);

    std::vector<CodecRun> runs;
    for (const auto& name : report.codecs) {
      CodecRun run;
      run.codec = registry.create(name);
      run.header_bytes = run.codec->compress(Bytes{0}).size();
      run.chunked = blank(*run.codec, Chunking::chunked, label, options.verify);
      run.chunked.header_bytes = run.header_bytes;
      runs.push_back(std::move(run));
    }

    DatasetResult ds;
    ds.label = label;
    ds.modality = std::string(data::to_string(spec.modality));
    Xxh64 prepared_hash;
    Bytes whole;
    bool keep_whole = options.whole;
    data::Chunk chunk;
    while (stream->next(chunk)) {
      prepared_hash.update(chunk.bytes);
      ds.chunks += 1;
      ds.raw_bytes += chunk.bytes.size();
      if (keep_whole) {
        if (whole.size() + chunk.bytes.size() > options.whole_limit_bytes) {
          keep_whole = false;
          ds.whole_skipped = true;
          Bytes().swap(whole);
        } else {
          whole.insert(whole.end(), chunk.bytes.begin(), chunk.bytes.end());
        }
      }
      if (options.chunked) {
        const auto& src = stream->sources().at(chunk.source_index).path;
        const std::string where = "data set " + label + ", " + src.string() + ", chunk " +
                                  std::to_string(chunk.index_in_source);
        for (auto& run : runs) measure_block(*run.codec, chunk.bytes, options.verify, run.chunked, where);
      }
      if (progress && ds.chunks % 64 == 0) progress({label, "chunked", ds.chunks, ds.raw_bytes});
    }
    if (ds.chunks == 0) {
      throw Error("data set " + label + ": no complete " + std::to_string(spec.chunk_size) +
                  "-byte chunk in its input (files too short?)");
    }
    ds.prepared_xxh64 = to_hex64(prepared_hash.digest());
    for (const auto& f : stream->sources()) {
      ds.inputs.push_back({f.path.string(), f.size_bytes, to_hex64(xxh64_file(f.path))});
    }

    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (options.chunked) per_codec[i].push_back(runs[i].chunked);
      if (keep_whole) {
        if (progress) progress({label, "whole " + runs[i].codec->name(), ds.chunks, ds.raw_bytes});
        Measurement m = blank(*runs[i].codec, Chunking::whole, label, options.verify);
        measure_block(*runs[i].codec, whole, options.verify, m, "data set " + label + " (whole stream)");
        per_codec[i].push_back(m);
      }
    }
    report.datasets.push_back(std::move(ds));
  }

  for (auto& rows : per_codec) {
    std::stable_sort(rows.begin(), rows.end(), [](const Measurement& a, const Measurement& b) {
      return a.chunking == Chunking::whole && b.chunking == Chunking::chunked;
    });
    for (auto& m : rows) report.measurements.push_back(std::move(m));
  }
  return report;
}

}  // namespace lmzip::eval
