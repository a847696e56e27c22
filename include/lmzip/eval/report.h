// lmzip/eval/report.h - a BenchReport as the paper's Table 1 (text), JSON and CSV.
#pragma once

#include <string>

#include "lmzip/eval/bench.h"

namespace lmzip::eval {

// Table 1 layout: rows = chunking x compressor (whole rows first, as the paper), columns = data
// sets, raw rates then adjusted rates in %; a second table gives compress / decompress MB/s.
std::string format_table(const BenchReport& report);

// Every figure, the inputs' checksums and the machine, as one JSON document (schema "lmzip-bench/1").
std::string to_json(const BenchReport& report);

// One row per (codec, chunking, data set) with every figure; a header line first.
std::string to_csv(const BenchReport& report);

}  // namespace lmzip::eval
