// memory.cpp - compress/decompress between byte vectors.
#include "lmzip/archive/archive.h"

namespace lmzip::archive {

Bytes compress_bytes(const model::ByteModel& model, ByteView input, const CompressOptions& options) {
  MemorySource in(input, "(memory)");
  MemorySink out;
  compress(model, in, out, options);
  return std::move(out.bytes());
}

Bytes decompress_bytes(const model::ByteModel& model, ByteView archive, const DecompressOptions& options,
                       const std::string& name) {
  MemorySource in(archive, name);
  ArchiveReader reader(in);
  MemorySink out;
  decompress(reader, model, out, options);
  return std::move(out.bytes());
}

}  // namespace lmzip::archive
