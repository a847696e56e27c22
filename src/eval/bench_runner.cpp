// The bench harness. Work is split into one task per (data set, codec): the task streams the
// data set's chunks through the codec (chunked row) and then compresses the prepared bytes as
// one stream (whole row). Tasks run on `threads` workers; each compress/decompress call is timed
// on its own thread, so throughput is single-thread throughput whatever the worker count.
// See lmzip/eval/bench.h.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "lmzip/codecs/registry.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"
#include "lmzip/eval/bench.h"

namespace lmzip::eval {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Compresses `raw`, decodes it if asked and checks it; adds sizes and times to `m`.
void measure_block(const codecs::Codec& codec, ByteView raw, bool verify, Measurement& m, const std::string& where) {
  auto t0 = Clock::now();
  Bytes packed = codec.compress(raw);
  m.compress_seconds += seconds_since(t0);
  m.coded_bytes_sum += packed.size();
  if (const auto paper = codec.paper_bytes(packed)) {
    m.has_paper = true;
    m.paper_bytes_sum += *paper;
  }
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
  m.model_file_bytes = codec.model_file_bytes();
  m.verified = verify;
  return m;
}

std::string label_of(const data::DatasetSpec& spec) {
  return spec.label.empty() ? std::string(data::to_string(spec.modality)) : spec.label;
}

// What the preparation did to a file beyond the standard path, for the report.
std::string note_of(const data::SourceFile& f) {
  std::string note;
  if (f.channels > 1) note = "mixed " + std::to_string(f.channels) + " channels to mono";
  if (f.resampled) {
    if (!note.empty()) note += "; ";
    note += "resampled " + std::to_string(f.sample_rate) + " Hz -> 16000 Hz (libsoxr, HQ)";
  }
  return note;
}

struct TaskResult {
  DatasetResult dataset;  // what this task saw of the data set (the same for every codec)
  std::vector<Measurement> rows;  // whole row first, then chunked
};

class ProgressSink {
 public:
  explicit ProgressSink(const ProgressFn& fn) : fn_(fn) {}
  void report(const Progress& p) {
    if (!fn_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    fn_(p);
  }

 private:
  const ProgressFn& fn_;
  std::mutex mutex_;
};

TaskResult run_task(const data::DatasetSpec& spec, const std::string& codec_name, const BenchOptions& options,
                    ProgressSink& progress, std::size_t task, std::size_t tasks, const std::atomic<bool>& abort) {
  const std::string label = label_of(spec);
  auto codec = codecs::Registry::builtin().create(codec_name);
  if (auto special = codec->for_modality(data::to_string(spec.modality))) codec = std::move(special);
  auto stream = data::open_dataset(spec);

  TaskResult result;
  DatasetResult& ds = result.dataset;
  ds.label = label;
  ds.modality = std::string(data::to_string(spec.modality));

  Measurement chunked = blank(*codec, Chunking::chunked, label, options.verify);
  {
    const Bytes h = codec->compress(Bytes{0});
    chunked.header_bytes = h.size();
    if (const auto paper = codec->paper_bytes(h)) chunked.paper_header_bytes = *paper;
  }
  Xxh64 prepared_hash;
  Bytes whole;
  // A codec that codes in its own chunks would only repeat the chunked row as a whole row.
  bool keep_whole = options.whole && !codec->codes_in_chunks();
  data::Chunk chunk;
  while (stream->next(chunk)) {
    if (abort.load(std::memory_order_relaxed)) return result;
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
      measure_block(*codec, chunk.bytes, options.verify, chunked,
                    "data set " + label + ", " + src.string() + ", chunk " + std::to_string(chunk.index_in_source));
    }
    if (ds.chunks % 64 == 0) progress.report({label, codec_name + " chunked", ds.chunks, ds.raw_bytes, task, tasks});
  }
  if (ds.chunks == 0) {
    throw Error("data set " + label + ": no complete " + std::to_string(spec.chunk_size) +
                "-byte chunk in its input (files too short?)");
  }
  ds.prepared_xxh64 = to_hex64(prepared_hash.digest());
  for (const auto& f : stream->sources()) ds.inputs.push_back({f.path.string(), f.size_bytes, "", note_of(f)});

  if (keep_whole) {
    progress.report({label, codec_name + " whole", ds.chunks, ds.raw_bytes, task, tasks});
    Measurement m = blank(*codec, Chunking::whole, label, options.verify);
    measure_block(*codec, whole, options.verify, m, "data set " + label + " (whole stream)");
    result.rows.push_back(m);
  }
  if (options.chunked) result.rows.push_back(chunked);
  return result;
}

}  // namespace

BenchReport run_bench(const BenchOptions& options, const ProgressFn& progress_fn) {
  if (options.datasets.empty()) throw Error("bench: no data set given (use --data MODALITY=PATH)");
  if (!options.chunked && !options.whole) throw Error("bench: neither chunked nor whole rows requested");

  const auto& registry = codecs::Registry::builtin();
  BenchReport report;
  report.machine = describe_machine();
  report.codecs = options.codecs.empty() ? registry.default_names() : options.codecs;
  report.verified = options.verify;
  for (const auto& name : report.codecs) registry.create(name);  // fail early on unknown names
  for (const auto& spec : options.datasets) data::list_files(spec);  // fail early on missing inputs

  const std::size_t n_codecs = report.codecs.size();
  const std::size_t n_tasks = options.datasets.size() * n_codecs;
  std::vector<TaskResult> results(n_tasks);
  std::vector<std::exception_ptr> errors(n_tasks);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abort{false};
  ProgressSink progress(progress_fn);

  auto worker = [&] {
    for (std::size_t t; (t = next.fetch_add(1)) < n_tasks && !abort.load();) {
      try {
        results[t] = run_task(options.datasets[t / n_codecs], report.codecs[t % n_codecs], options, progress, t + 1,
                              n_tasks, abort);
      } catch (...) {
        errors[t] = std::current_exception();
        abort.store(true);
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(n_tasks)));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  // The first failing task in task order decides the message, whatever the thread timing.
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }

  for (std::size_t d = 0; d < options.datasets.size(); ++d) {
    DatasetResult ds = results[d * n_codecs].dataset;
    for (std::size_t c = 1; c < n_codecs; ++c) {
      if (results[d * n_codecs + c].dataset.prepared_xxh64 != ds.prepared_xxh64) {
        throw Error("data set " + ds.label + ": the prepared bytes differ between two reads (input changed?)");
      }
    }
    if (options.datasets[d].modality != data::Modality::random) {
      for (auto& f : ds.inputs) f.xxh64 = to_hex64(xxh64_file(f.path));
    }
    report.datasets.push_back(std::move(ds));
  }
  for (std::size_t c = 0; c < n_codecs; ++c) {
    for (std::size_t d = 0; d < options.datasets.size(); ++d) {
      for (auto& m : results[d * n_codecs + c].rows) report.measurements.push_back(std::move(m));
    }
  }
  return report;
}

}  // namespace lmzip::eval
