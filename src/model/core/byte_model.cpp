#include "lmzip/model/byte_model.h"

namespace lmzip::model {

void ModelSession::tables_for_chunk(ByteView chunk, const TableFn& fn) {
  reset();
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    fn(i, next_table());
    feed(chunk[i]);
  }
}

}  // namespace lmzip::model
