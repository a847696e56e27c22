// quantize_matrix(): per-row symmetric int8 quantisation of a weight matrix, in the reference
// (row-major) and the packed SIMD layout (kernels.h).
#include <cmath>

#include "lmzip/model/int8/kernels.h"
#include "lmzip/model/int8/numerics.h"

namespace lmzip::model::int8 {

QMatrix quantize_matrix(const float* w, int rows, int cols, const float* bias) {
  QMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.rows_pad = round_up(rows, 16);
  m.cols_pad = round_up(cols, 4);
  m.q.assign(static_cast<std::size_t>(rows) * m.cols_pad, 0);
  m.packed.assign(static_cast<std::size_t>(m.rows_pad) * m.cols_pad, 0);
  m.rowsum128.assign(m.rows_pad, 0);
  m.scale.assign(m.rows_pad, 0.0f);
  if (bias != nullptr) {
    m.bias.assign(m.rows_pad, 0.0f);
    for (int o = 0; o < rows; ++o) m.bias[o] = bias[o];
  }
  const int groups = m.cols_pad / 4;
  for (int o = 0; o < rows; ++o) {
    const float* row = w + static_cast<std::size_t>(o) * cols;
    float amax = 0.0f;
    for (int i = 0; i < cols; ++i) amax = max_v1(amax, std::fabs(row[i]));
    const float scale = quant_scale_v1(amax);
    m.scale[o] = scale;
    std::int32_t sum = 0;
    for (int i = 0; i < cols; ++i) {
      const std::int8_t q = scale == 0.0f ? std::int8_t{0} : quant_one_v1(row[i], scale);
      m.q[static_cast<std::size_t>(o) * m.cols_pad + i] = q;
      const std::size_t block = static_cast<std::size_t>(o / 16) * groups + static_cast<std::size_t>(i / 4);
      m.packed[block * 64 + static_cast<std::size_t>(o % 16) * 4 + static_cast<std::size_t>(i % 4)] = q;
      sum += q;
    }
    m.rowsum128[o] = 128 * sum;
  }
  return m;
}

}  // namespace lmzip::model::int8
