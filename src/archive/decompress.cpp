// decompress.cpp - .lmz archive -> original bytes, chunks decoded in parallel in bounded groups.
#include <vector>

#include "archive/archive_reader_state.h"
#include "archive/chunk_codec.h"
#include "archive/group_size.h"
#include "archive/worker_pool.h"
#include "lmzip/common/checksum.h"
#include "lmzip/error.h"

namespace lmzip::archive {

ArchiveReader::ArchiveReader(ByteSource& in) : state_(std::make_unique<State>(in)) {
  state_->header = parse_header(state_->cursor);
  state_->header_size = state_->cursor.position();
  if (in.size()) state_->index = read_index_from_end(in, state_->header, state_->header_size);
}

ArchiveReader::~ArchiveReader() = default;

const ArchiveHeader& ArchiveReader::header() const { return state_->header; }

const std::string& ArchiveReader::name() const { return state_->cursor.name(); }

ArchiveSummary decompress(ArchiveReader& reader, const model::ByteModel& model, ByteSink& out,
                          const DecompressOptions& options) {
  ArchiveReader::State& st = *reader.state_;
  const std::string& name = reader.name();
  if (st.consumed) throw Error(name + ": the archive was already read");
  st.consumed = true;
  check_model(st.header, model, name);

  const ArchiveHeader& header = st.header;
  InputCursor& in = st.cursor;
  const std::uint32_t cs = header.chunk_size;
  const std::size_t group = chunks_per_group(cs, options.threads);
  WorkerPool pool(model, options.threads);
  std::vector<format::FrameHeader> frames(group);
  std::vector<Bytes> payloads(group);
  std::vector<std::uint64_t> offsets(group + 1);
  Bytes output(group * static_cast<std::size_t>(cs));
  EntryDigest entries;
  Xxh64 content;
  std::uint64_t chunk_base = 0, stored = 0, total_out = 0;
  std::optional<std::uint64_t> input_total = in.source().size();

  for (bool more = true; more;) {
    std::size_t chunks = 0;
    offsets[0] = 0;
    while (chunks < group) {
      format::FrameHeader& f = frames[chunks];
      if (!parse_frame_header(in, header, chunk_base + chunks, f)) {
        more = false;
        break;
      }
      payloads[chunks].resize(f.coded_size);
      if (!in.read(payloads[chunks])) {
        throw Error(name + ": chunk " + std::to_string(chunk_base + chunks) + ": truncated archive (chunk incomplete)");
      }
      entries.add(frame_size(f, cs), f.raw_size);
      if (f.mode == format::kModeStored) ++stored;
      offsets[chunks + 1] = offsets[chunks] + f.raw_size;
      ++chunks;
    }
    pool.run(chunks, [&](model::ModelSession& session, std::size_t i) {
      const ChunkPlace place{&name, chunk_base + i};
      decode_chunk(session, frames[i], payloads[i], header.precision_bits, place,
                   std::span<std::uint8_t>(output.data() + offsets[i], frames[i].raw_size));
    });
    const ByteView decoded(output.data(), offsets[chunks]);
    out.write(decoded);
    content.update(decoded);
    total_out += decoded.size();
    chunk_base += chunks;
    if (options.progress) options.progress(Progress{in.position(), total_out, input_total});
  }

  const IndexInfo info = parse_index_and_footer(in, header);
  if (info.chunk_count != chunk_base || info.entries_digest != entries.value()) {
    throw Error(name + ": corrupt archive (the index does not match the chunks: it lists " +
                std::to_string(info.chunk_count) + " chunks, the archive holds " + std::to_string(chunk_base) + ")");
  }
  if (info.content_xxh64 != content.digest()) {
    throw Error(name + ": content checksum mismatch (corrupt archive)");
  }
  if (in.peek() >= 0) throw Error(name + ": trailing data after the end of the archive");

  ArchiveSummary summary;
  summary.header = header;
  summary.original_size = total_out;
  summary.archive_size = in.position();
  summary.chunk_count = chunk_base;
  summary.stored_chunks = stored;
  summary.content_xxh64 = info.content_xxh64;
  return summary;
}

ArchiveSummary test(ArchiveReader& reader, const model::ByteModel& model, const DecompressOptions& options) {
  NullSink sink;
  return decompress(reader, model, sink, options);
}

ArchiveSummary list(ByteSource& source) {
  ArchiveReader reader(source);
  ArchiveReader::State& st = *reader.state_;
  ArchiveSummary summary;
  summary.header = st.header;
  IndexInfo info;
  if (st.index) {
    info = *st.index;
    summary.archive_size = *source.size();
  } else {  // a pipe: walk the frames, skipping their payloads
    InputCursor& in = st.cursor;
    EntryDigest entries;
    std::uint64_t chunks = 0, stored = 0;
    format::FrameHeader f;
    while (parse_frame_header(in, st.header, chunks, f)) {
      if (!in.skip(f.coded_size)) {
        throw Error(reader.name() + ": chunk " + std::to_string(chunks) + ": truncated archive (chunk incomplete)");
      }
      entries.add(frame_size(f, st.header.chunk_size), f.raw_size);
      if (f.mode == format::kModeStored) ++stored;
      ++chunks;
    }
    info = parse_index_and_footer(in, st.header);
    if (info.chunk_count != chunks || info.entries_digest != entries.value()) {
      throw Error(reader.name() + ": corrupt archive (the index does not match the chunks)");
    }
    if (in.peek() >= 0) throw Error(reader.name() + ": trailing data after the end of the archive");
    summary.archive_size = in.position();
    summary.stored_chunks = stored;
  }
  summary.original_size = info.original_size;
  summary.chunk_count = info.chunk_count;
  summary.content_xxh64 = info.content_xxh64;
  return summary;
}

}  // namespace lmzip::archive
