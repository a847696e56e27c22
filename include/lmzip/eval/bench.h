// lmzip/eval/bench.h - the harness behind `lmzip bench`: the paper's Table 1 for any codecs
// and data sets, every figure from a verified round trip.
//
// For each (data set, codec) the chunk stream is read: every chunk is compressed on its own
// ("chunked" rows), decompressed and compared; the prepared bytes are also kept, up to
// `whole_limit_bytes`, and compressed as one stream ("whole" rows). A codec that does not
// restore its input exactly is an error, never a number. Tasks run on `threads` workers; every
// compress/decompress call is timed on its own thread, so MB/s figures are one-thread figures.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lmzip/data/dataset.h"
#include "lmzip/eval/machine.h"
#include "lmzip/eval/measurement.h"

namespace lmzip::eval {

struct BenchOptions {
  std::vector<data::DatasetSpec> datasets;
  std::vector<std::string> codecs;  // registry names; empty = the registry's default set
  bool chunked = true;
  bool whole = true;
  bool verify = true;               // false: --no-verify (rates are then marked unverified)
  // Whole rows need the prepared data set in memory; larger data sets get no whole row.
  std::uint64_t whole_limit_bytes = std::uint64_t{2} << 30;
  unsigned threads = 1;             // workers, each running one (data set, codec) task at a time
};

struct InputFile {
  std::string path;
  std::uint64_t size_bytes = 0;
  std::string xxh64;  // of the file as stored
  std::string note;   // what preparation did beyond the standard path, e.g. resampling
};

struct DatasetResult {
  std::string label;
  std::string modality;
  std::uint64_t chunks = 0;
  std::uint64_t raw_bytes = 0;
  std::string prepared_xxh64;  // of the prepared chunk bytes, in stream order
  std::vector<InputFile> inputs;
  bool whole_skipped = false;  // larger than whole_limit_bytes
};

struct BenchReport {
  MachineInfo machine;
  std::vector<DatasetResult> datasets;
  std::vector<Measurement> measurements;  // codec-major: for each codec, whole rows then chunked rows, per data set
  std::vector<std::string> codecs;
  bool verified = true;
};

// Progress events, for a terminal progress line. Calls are serialised (never concurrent).
struct Progress {
  std::string dataset;
  std::string stage;      // "chunked" or "whole <codec>"
  std::uint64_t chunks = 0;
  std::uint64_t bytes = 0;
  std::size_t task = 0;   // 1-based index of this (data set, codec) task
  std::size_t tasks = 0;  // number of tasks
};
using ProgressFn = std::function<void(const Progress&)>;

// @throws lmzip::Error for an unknown codec, unreadable input, an empty data set, or a codec
// whose round trip does not restore the input (naming codec, data set, file and chunk).
BenchReport run_bench(const BenchOptions& options, const ProgressFn& progress = {});

}  // namespace lmzip::eval
