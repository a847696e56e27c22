// mapped_file.h (private) - a whole file mapped read-only into memory.
//
// The mapping lives as long as the object; views of it (ByteView, float pointers) must not
// outlive it. The file is assumed not to change while it is mapped (a truncation by another
// process would make later reads fault); lmzip writes model files through temporary files and
// rename, which never changes a mapped file in place.
#pragma once

#include <cstdint>
#include <filesystem>

#include "lmzip/bytes.h"

namespace lmzip::model {

class MappedFile {
 public:
  // Maps the whole of `path` (an empty file gives an empty view).
  // @throws lmzip::Error naming the file if it cannot be opened, examined or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  ByteView bytes() const { return {data_, size_}; }

 private:
  const std::uint8_t* data_ = nullptr;  // (size_) bytes, page-aligned; null when empty
  std::size_t size_ = 0;
};

}  // namespace lmzip::model
