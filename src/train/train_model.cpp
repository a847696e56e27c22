// The training forward and backward of the whole model (lmzip/train/train_model.h).
#include "lmzip/train/train_model.h"

#include <algorithm>
#include <string>
#include <type_traits>

#include "lmzip/error.h"
#include "lmzip/train/layers.h"
#include "lmzip/train/layers_fast.h"

namespace lmzip::train {

namespace {

// The heavy layers: float32 runs their GEMM twins when lmzip has OpenBLAS (lmzip/train/layers_fast.h
// says why not otherwise) and the vectorised GELU always; float64, the gradient checks, always runs
// the reference layers.
namespace dispatch {

template <class T>
void matmul_forward(T* out, const T* x, const T* W, const T* b, int N, int IN, int OUT) {
  if constexpr (std::is_same_v<T, float>) {
    if (fast::accelerated()) return fast::matmul_forward(out, x, W, b, N, IN, OUT);
  }
  train::matmul_forward(out, x, W, b, N, IN, OUT);
}

template <class T>
void matmul_backward(T* dx, T* dW, T* db, const T* dout, const T* x, const T* W, int N, int IN, int OUT) {
  if constexpr (std::is_same_v<T, float>) {
    if (fast::accelerated()) return fast::matmul_backward(dx, dW, db, dout, x, W, N, IN, OUT);
  }
  train::matmul_backward(dx, dW, db, dout, x, W, N, IN, OUT);
}

template <class T>
void attention_forward(T* out, T* att, const T* q, const T* k, const T* v, int B, int Tlen, int H, int hd) {
  if constexpr (std::is_same_v<T, float>) {
    if (fast::accelerated()) return fast::attention_forward(out, att, q, k, v, B, Tlen, H, hd);
  }
  train::attention_forward(out, att, q, k, v, B, Tlen, H, hd);
}

template <class T>
void attention_backward(T* dq, T* dk, T* dv, const T* dout, const T* att, const T* q, const T* k, const T* v,
                        int B, int Tlen, int H, int hd) {
  if constexpr (std::is_same_v<T, float>) {
    if (fast::accelerated()) return fast::attention_backward(dq, dk, dv, dout, att, q, k, v, B, Tlen, H, hd);
  }
  train::attention_backward(dq, dk, dv, dout, att, q, k, v, B, Tlen, H, hd);
}

template <class T>
void gelu_forward(T* out, const T* x, int n) {
  if constexpr (std::is_same_v<T, float>) return fast::gelu_forward(out, x, n);
  train::gelu_forward(out, x, n);
}

template <class T>
void gelu_backward(T* dx, const T* x, const T* dout, int n) {
  if constexpr (std::is_same_v<T, float>) return fast::gelu_backward(dx, x, dout, n);
  train::gelu_backward(dx, x, dout, n);
}

}  // namespace dispatch

}  // namespace

template <class Scalar>
typename TrainModel<Scalar>::Acts TrainModel<Scalar>::carve_acts(Scalar* base, std::size_t* total) const {
  const std::size_t N = static_cast<std::size_t>(B_) * T_, D = static_cast<std::size_t>(config_.d_model);
  const std::size_t M = static_cast<std::size_t>(config_.d_mlp), H = static_cast<std::size_t>(config_.n_heads);
  const std::size_t TT = static_cast<std::size_t>(B_) * H * T_ * T_;
  std::size_t off = 0;
  auto take = [&](std::size_t n) {
    Scalar* r = base ? base + off : nullptr;
    off += n;
    return r;
  };
  Acts a{};
  a.encoded = take(N * D);
  a.layers.resize(static_cast<std::size_t>(config_.n_layers));
  for (auto& L : a.layers) {
    L.ln1 = take(N * D); L.ln1_mean = take(N); L.ln1_rstd = take(N);
    L.q = take(N * D); L.k = take(N * D); L.v = take(N * D); L.att = take(TT);
    L.atty = take(N * D); L.attproj = take(N * D); L.res2 = take(N * D);
    L.ln2 = take(N * D); L.ln2_mean = take(N); L.ln2_rstd = take(N);
    L.fch = take(N * M); L.fch_gelu = take(N * M); L.fcproj = take(N * D); L.res3 = take(N * D);
  }
  a.lnf = take(N * D); a.lnf_mean = take(N); a.lnf_rstd = take(N);
  a.logits = take(N * 256); a.probs = take(N * 256); a.losses = take(N);
  *total = off;
  return a;
}

template <class Scalar>
TrainModel<Scalar>::TrainModel(const Config& c, int batch, int seq_len) : config_(c), B_(batch), T_(seq_len) {
  config_.validate();
  if (batch < 1) throw Error("train: batch must be at least 1, got " + std::to_string(batch));
  if (seq_len < 1 || seq_len > c.context) {
    throw Error("train: sequence length " + std::to_string(seq_len) + " is not in 1.." + std::to_string(c.context));
  }
  grads_.assign(c.parameter_count(), Scalar(0));
  std::size_t total = 0;
  carve_acts(nullptr, &total);
  act_buf_.assign(total, Scalar(0));
  dact_buf_.assign(total, Scalar(0));
  acts_ = carve_acts(act_buf_.data(), &total);
  dacts_ = carve_acts(dact_buf_.data(), &total);
  const std::size_t half = static_cast<std::size_t>(c.head_dim() / 2);
  rope_cos_.resize(static_cast<std::size_t>(T_) * half);
  rope_sin_.resize(rope_cos_.size());
  rope_tables(rope_cos_.data(), rope_sin_.data(), T_, c.head_dim(), static_cast<double>(c.rope_theta));
  inputs_.resize(static_cast<std::size_t>(B_) * T_);
  targets_.resize(inputs_.size());
}

template <class Scalar>
std::span<const Scalar> TrainModel<Scalar>::logits() const {
  return {acts_.logits, static_cast<std::size_t>(B_) * T_ * 256};
}

template <class Scalar>
std::span<const Scalar> TrainModel<Scalar>::losses() const {
  return {acts_.losses, static_cast<std::size_t>(B_) * T_};
}

template <class Scalar>
double TrainModel<Scalar>::forward(std::span<const Scalar> params, ByteView bytes) {
  if (params.size() != config_.parameter_count()) {
    throw Error("train: " + std::to_string(params.size()) + " parameters given, the config has " +
                std::to_string(config_.parameter_count()));
  }
  if (bytes.size() != inputs_.size()) {
    throw Error("train: batch of " + std::to_string(bytes.size()) + " bytes, expected B*T = " +
                std::to_string(inputs_.size()));
  }
  for (int b = 0; b < B_; ++b) {
    for (int t = 0; t < T_; ++t) {
      const std::size_t i = static_cast<std::size_t>(b) * T_ + t;
      inputs_[i] = t == 0 ? model::kBos : bytes[i - 1];
      targets_[i] = bytes[i];
    }
  }
  params_ = params.data();
  const auto p = carve(config_, params.data());
  const int N = B_ * T_, D = config_.d_model, M = config_.d_mlp, H = config_.n_heads, hd = config_.head_dim();
  const double eps = config_.ln_eps;
  Acts& a = acts_;

  embedding_forward(a.encoded, inputs_.data(), p.embed, N, D);
  const Scalar* x = a.encoded;
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const auto& w = p.layers[l];
    LayerActs& A = a.layers[l];
    layernorm_forward(A.ln1, A.ln1_mean, A.ln1_rstd, x, w.ln1_w, w.ln1_b, N, D, eps);
    dispatch::matmul_forward(A.q, A.ln1, w.wq, static_cast<const Scalar*>(nullptr), N, D, D);
    dispatch::matmul_forward(A.k, A.ln1, w.wk, static_cast<const Scalar*>(nullptr), N, D, D);
    dispatch::matmul_forward(A.v, A.ln1, w.wv, static_cast<const Scalar*>(nullptr), N, D, D);
    rope_forward(A.q, rope_cos_.data(), rope_sin_.data(), B_, T_, H, hd);
    rope_forward(A.k, rope_cos_.data(), rope_sin_.data(), B_, T_, H, hd);
    dispatch::attention_forward(A.atty, A.att, A.q, A.k, A.v, B_, T_, H, hd);
    dispatch::matmul_forward(A.attproj, A.atty, w.wo, static_cast<const Scalar*>(nullptr), N, D, D);
    residual_forward(A.res2, x, A.attproj, N * D);
    layernorm_forward(A.ln2, A.ln2_mean, A.ln2_rstd, A.res2, w.ln2_w, w.ln2_b, N, D, eps);
    dispatch::matmul_forward(A.fch, A.ln2, w.up_w, w.up_b, N, D, M);
    dispatch::gelu_forward(A.fch_gelu, A.fch, N * M);
    dispatch::matmul_forward(A.fcproj, A.fch_gelu, w.down_w, w.down_b, N, M, D);
    residual_forward(A.res3, A.res2, A.fcproj, N * D);
    x = A.res3;
  }
  layernorm_forward(a.lnf, a.lnf_mean, a.lnf_rstd, x, p.lnf_w, p.lnf_b, N, D, eps);
  dispatch::matmul_forward(a.logits, a.lnf, p.head_w, p.head_b, N, D, 256);
  return crossentropy_forward(a.probs, a.losses, a.logits, targets_.data(), N, 256);
}

template <class Scalar>
void TrainModel<Scalar>::backward() {
  if (!params_) throw Error("train: backward() before forward()");
  std::fill(grads_.begin(), grads_.end(), Scalar(0));
  std::fill(dact_buf_.begin(), dact_buf_.end(), Scalar(0));
  const auto p = carve(config_, params_);
  const auto g = carve(config_, grads_.data());
  const int N = B_ * T_, D = config_.d_model, M = config_.d_mlp, H = config_.n_heads, hd = config_.head_dim();
  const Acts& a = acts_;
  Acts& d = dacts_;

  crossentropy_backward(d.logits, a.probs, targets_.data(), N, 256);
  dispatch::matmul_backward(d.lnf, g.head_w, g.head_b, d.logits, a.lnf, p.head_w, N, D, 256);
  const int L = static_cast<int>(a.layers.size());
  Scalar* dx_last = L > 0 ? d.layers[static_cast<std::size_t>(L - 1)].res3 : d.encoded;
  const Scalar* x_last = L > 0 ? a.layers[static_cast<std::size_t>(L - 1)].res3 : a.encoded;
  layernorm_backward(dx_last, g.lnf_w, g.lnf_b, d.lnf, x_last, p.lnf_w, a.lnf_mean, a.lnf_rstd, N, D);

  for (int l = L - 1; l >= 0; --l) {
    const std::size_t li = static_cast<std::size_t>(l);
    const auto& w = p.layers[li];
    const auto& gw = g.layers[li];
    const LayerActs& A = a.layers[li];
    LayerActs& dA = d.layers[li];
    const Scalar* x = l == 0 ? a.encoded : a.layers[li - 1].res3;
    Scalar* dx = l == 0 ? d.encoded : d.layers[li - 1].res3;

    residual_backward(dA.res2, dA.fcproj, dA.res3, N * D);
    dispatch::matmul_backward(dA.fch_gelu, gw.down_w, gw.down_b, dA.fcproj, A.fch_gelu, w.down_w, N, M, D);
    dispatch::gelu_backward(dA.fch, A.fch, dA.fch_gelu, N * M);
    dispatch::matmul_backward(dA.ln2, gw.up_w, gw.up_b, dA.fch, A.ln2, w.up_w, N, D, M);
    layernorm_backward(dA.res2, gw.ln2_w, gw.ln2_b, dA.ln2, A.res2, w.ln2_w, A.ln2_mean, A.ln2_rstd, N, D);
    residual_backward(dx, dA.attproj, dA.res2, N * D);
    dispatch::matmul_backward(dA.atty, gw.wo, static_cast<Scalar*>(nullptr), dA.attproj, A.atty, w.wo, N, D, D);
    dispatch::attention_backward(dA.q, dA.k, dA.v, dA.atty, A.att, A.q, A.k, A.v, B_, T_, H, hd);
    rope_backward(dA.q, rope_cos_.data(), rope_sin_.data(), B_, T_, H, hd);
    rope_backward(dA.k, rope_cos_.data(), rope_sin_.data(), B_, T_, H, hd);
    dispatch::matmul_backward(dA.ln1, gw.wq, static_cast<Scalar*>(nullptr), dA.q, A.ln1, w.wq, N, D, D);
    dispatch::matmul_backward(dA.ln1, gw.wk, static_cast<Scalar*>(nullptr), dA.k, A.ln1, w.wk, N, D, D);
    dispatch::matmul_backward(dA.ln1, gw.wv, static_cast<Scalar*>(nullptr), dA.v, A.ln1, w.wv, N, D, D);
    layernorm_backward(dx, gw.ln1_w, gw.ln1_b, dA.ln1, x, w.ln1_w, A.ln1_mean, A.ln1_rstd, N, D);
  }
  embedding_backward(g.embed, d.encoded, inputs_.data(), N, D);
}

template class TrainModel<float>;
template class TrainModel<double>;

}  // namespace lmzip::train
