// The affine layer y = x W^T + b: forward/backward pair (lmzip/train/layers.h).
//
// The forward transposes W once per call so that the inner loop runs along contiguous outputs
// (out[n, :] += x[n, i] * Wt[i, :]), which vectorizes while keeping each output's sum in the
// reference's order (bias, then i ascending).
#include <vector>

#include "axpy.h"
#include "lmzip/train/layers.h"

namespace lmzip::train {

using detail::axpy;

template <class T>
void matmul_forward(T* out, const T* x, const T* W, const T* b, int N, int IN, int OUT) {
  std::vector<T> Wt(static_cast<std::size_t>(IN) * static_cast<std::size_t>(OUT));  // (IN, OUT)
  for (int o = 0; o < OUT; ++o) {
    for (int i = 0; i < IN; ++i) Wt[static_cast<std::size_t>(i) * OUT + o] = W[static_cast<std::size_t>(o) * IN + i];
  }
  for (int n = 0; n < N; ++n) {  // omp: parallel over n
    T* y = out + static_cast<std::size_t>(n) * OUT;
    for (int o = 0; o < OUT; ++o) y[o] = b ? b[o] : T(0);
    const T* xn = x + static_cast<std::size_t>(n) * IN;
    for (int i = 0; i < IN; ++i) axpy(y, xn[i], Wt.data() + static_cast<std::size_t>(i) * OUT, OUT);
  }
}

// dx[n, :] += sum_o dout[n, o] W[o, :];  dW[o, :] += sum_n dout[n, o] x[n, :];  db[o] += sum_n dout[n, o].
template <class T>
void matmul_backward(T* dx, T* dW, T* db, const T* dout, const T* x, const T* W, int N, int IN, int OUT) {
  for (int n = 0; n < N; ++n) {  // omp: parallel over n
    T* dxn = dx + static_cast<std::size_t>(n) * IN;
    const T* dn = dout + static_cast<std::size_t>(n) * OUT;
    for (int o = 0; o < OUT; ++o) axpy(dxn, dn[o], W + static_cast<std::size_t>(o) * IN, IN);
  }
  for (int o = 0; o < OUT; ++o) {  // omp: parallel over o
    T* dWo = dW + static_cast<std::size_t>(o) * IN;
    T bsum = 0;
    for (int n = 0; n < N; ++n) {
      const T g = dout[static_cast<std::size_t>(n) * OUT + o];
      axpy(dWo, g, x + static_cast<std::size_t>(n) * IN, IN);
      bsum += g;
    }
    if (db) db[o] += bsum;
  }
}

template void matmul_forward<float>(float*, const float*, const float*, const float*, int, int, int);
template void matmul_forward<double>(double*, const double*, const double*, const double*, int, int, int);
template void matmul_backward<float>(float*, float*, float*, const float*, const float*, const float*, int, int,
                                     int);
template void matmul_backward<double>(double*, double*, double*, const double*, const double*, const double*,
                                      int, int, int);

}  // namespace lmzip::train
