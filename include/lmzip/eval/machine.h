// lmzip/eval/machine.h - what machine a report was measured on.
#pragma once

#include <cstdint>
#include <string>

namespace lmzip::eval {

struct MachineInfo {
  std::string hostname;
  std::string cpu_model;       // /proc/cpuinfo "model name"
  unsigned logical_cpus = 0;   // std::thread::hardware_concurrency
  std::uint64_t memory_bytes = 0;
  std::string os;              // uname: sysname release machine
  std::string compiler;        // e.g. "g++ 12.2.0"
  std::string lmzip_version;
  std::string timestamp_utc;   // ISO 8601, when the report was made
};

MachineInfo describe_machine();

}  // namespace lmzip::eval
