// compress.cpp - input stream -> .lmz archive, chunks coded in parallel in bounded groups.
#include <bit>
#include <vector>

#include "archive/chunk_codec.h"
#include "archive/format.h"
#include "archive/group_size.h"
#include "archive/worker_pool.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"

namespace lmzip::archive {

namespace {

// The model's table total, from its first table: must be 2^16 .. 2^24.
unsigned probe_precision(model::ModelSession& session, const std::string& model_name) {
  if (const auto bits = session.fixed_precision_bits()) return *bits;
  session.reset();
  const coding::FrequencyTable& table = session.next_table();
  const std::uint32_t total = table.size() == 0 ? 0 : table.total();
  if (table.size() != 256 || !std::has_single_bit(total) || total < (1u << coding::kMinPrecisionBits) ||
      total > (1u << coding::kMaxPrecisionBits)) {
    throw Error("model " + model_name + ": gives tables of " + std::to_string(table.size()) + " symbols and total " +
                std::to_string(total) + "; lmzip needs 256 symbols and a total of 2^16 .. 2^24");
  }
  return static_cast<unsigned>(std::countr_zero(total));
}

// Reads until `out` is full or the input ends. @return the bytes read.
std::size_t read_full(ByteSource& in, std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t n = in.read(out.subspan(done));
    if (n == 0) break;
    done += n;
  }
  return done;
}

}  // namespace

ArchiveSummary compress(const model::ByteModel& model, ByteSource& in, ByteSink& out, const CompressOptions& options) {
  const std::string& name = in.name();
  ArchiveSummary summary;
  ArchiveHeader& header = summary.header;
  header.format_version = format::kFormatVersion;
  header.model = model.identity();
  header.chunk_size = options.chunk_size;
  if (options.chunk_size == 0 || options.chunk_size > kMaxChunkSize) {
    throw Error(name + ": chunk size " + std::to_string(options.chunk_size) + " is outside 1.." +
                std::to_string(kMaxChunkSize));
  }
  if (header.model.context != 0 && options.chunk_size > header.model.context) {
    throw Error(name + ": chunk size " + std::to_string(options.chunk_size) + " exceeds the context of model " +
                header.model.name + " (" + std::to_string(header.model.context) + " bytes)");
  }
  WorkerPool pool(model, options.threads);
  pool.run(1, [&](model::ModelSession& s, std::size_t) { header.precision_bits = probe_precision(s, header.model.name); });
  header.model.context = 0;  // not recorded

  const Bytes head = format::encode_header(header);
  out.write(head);
  std::uint64_t written = head.size();

  const std::uint32_t cs = options.chunk_size;
  const std::size_t group = chunks_per_group(cs, options.threads);
  Bytes input(group * cs);
  std::vector<format::FrameHeader> frames(group);
  std::vector<Bytes> payloads(group);
  Bytes entries, frame_head;
  Xxh64 content;
  std::uint64_t chunk_base = 0, stored = 0, total_in = 0;
  const std::optional<std::uint64_t> input_total = in.size();

  for (;;) {
    const std::size_t n = read_full(in, input);
    const std::size_t chunks = (n + cs - 1) / cs;
    pool.run(chunks, [&](model::ModelSession& session, std::size_t i) {
      const std::size_t begin = i * cs, len = std::min<std::size_t>(cs, n - begin);
      const ChunkPlace place{&name, chunk_base + i};
      encode_chunk(session, ByteView(input.data() + begin, len), header.precision_bits, options.verify, place, frames[i],
                   payloads[i]);
    });
    for (std::size_t i = 0; i < chunks; ++i) {
      frame_head.clear();
      format::encode_frame_header(frames[i], cs, frame_head);
      out.write(frame_head);
      out.write(payloads[i]);
      written += frame_head.size() + payloads[i].size();
      format::put_varint(entries, frame_head.size() + payloads[i].size());
      format::put_varint(entries, frames[i].raw_size);
      if (frames[i].mode == format::kModeStored) ++stored;
    }
    content.update(ByteView(input.data(), n));
    chunk_base += chunks;
    total_in += n;
    if (options.progress) options.progress(Progress{total_in, written, input_total});
    if (n < input.size()) break;
  }

  Bytes index{format::kIndexMarker};
  format::put_varint(index, chunk_base);
  index.insert(index.end(), entries.begin(), entries.end());
  format::put_u64(index, total_in);
  format::put_u64(index, content.digest());
  format::put_u32(index, format::low32_xxh64(index));
  out.write(index);
  const Bytes footer = format::encode_footer(index.size());
  out.write(footer);
  written += index.size() + footer.size();

  summary.original_size = total_in;
  summary.archive_size = written;
  summary.chunk_count = chunk_base;
  summary.stored_chunks = stored;
  summary.content_xxh64 = content.digest();
  if (options.progress) options.progress(Progress{total_in, written, input_total});
  return summary;
}

}  // namespace lmzip::archive
