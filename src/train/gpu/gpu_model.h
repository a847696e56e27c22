// The GPU training backend's forward and backward, written once over an `Ops` back end
// (docs/training.md, "The CUDA backend").
//
// GpuModel<Ops> runs the byte transformer of lmzip/train/train_model.h (the same equations, the
// same flat parameter layout of lmzip/train/params.h) as a sequence of Ops calls:
//   ops.launch(n, functor)  - functor(i) for i in [0, n) (kernels.h), a CUDA kernel or a CPU loop
//   ops.gemm(Gemm{...})     - row-major batched GEMM, cuBLAS or a plain triple loop
//   ops.alloc/upload/download/zero/release - memory on the device (or the host)
// Ops = CudaOps (cuda_ops.cu) is the CUDA backend; Ops = HostOps (host_ops.h) runs the identical
// call sequence on the CPU, which is how the tests check this file without a GPU.
//
// Parameters are uploaded at every forward (a few MB) and gradients downloaded after every
// backward; AdamW stays on the host (lmzip/train/adamw.h), so both backends share the optimizer,
// the checkpoints and the schedule.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "flash_kernels.h"
#include "kernels.h"
#include "layernorm.h"
#include "softmax.h"
#include "lmzip/error.h"
#include "lmzip/model/config.h"
#include "lmzip/train/engine.h"
#include "lmzip/train/layers.h"
#include "lmzip/train/params.h"

namespace lmzip::train::gpu {

// C = alpha op(A) op(B) + beta C for `batch` matrices at strides sA, sB, sC, all row-major:
// op(A) is m x k (A is k x m when ta), op(B) k x n (B is n x k when tb), C m x n. beta = 0
// ignores C's old contents.
struct Gemm {
  bool ta, tb;
  int m, n, k;
  float alpha;
  const float* A; int lda; Index sA;
  const float* B; int ldb; Index sB;
  float beta;
  float* C; int ldc; Index sC;
  int batch;
};

// How attention runs: fused (FlashAttention's recurrence, flash_kernels.h, no T x T buffers)
// where the head size is 8, 16, 32 or 64, else materialised (GEMMs + the causal softmax of
// softmax.h, B*H*T*T floats per layer: the plain twin the tests compare the fused kernels with).
enum class Attention { kFused, kMaterialized };
inline Attention attention(bool fused) { return fused ? Attention::kFused : Attention::kMaterialized; }

template <class Ops>
class GpuModel {
 public:
  GpuModel(Ops& ops, const Config& c, int batch, int seq_len, Attention attention = Attention::kFused)
      : ops_(ops), owned_{ops, {}}, c_(c), B_(batch), T_(seq_len) {
    c_.validate();
    if (batch < 1) throw Error("train: batch must be at least 1, got " + std::to_string(batch));
    if (seq_len < 1 || seq_len > c.context) {
      throw Error("train: sequence length " + std::to_string(seq_len) + " is not in 1.." + std::to_string(c.context));
    }
    const std::size_t N = n(), D = static_cast<std::size_t>(c.d_model), M = static_cast<std::size_t>(c.d_mlp);
    const std::size_t TT = static_cast<std::size_t>(B_) * c.n_heads * T_ * T_;
    const std::size_t BHT = static_cast<std::size_t>(B_) * c.n_heads * T_;
    const int hd = c.head_dim();
    fused_ = attention == Attention::kFused && (hd == 8 || hd == 16 || hd == 32 || hd == 64);
    params_ = alloc(c.parameter_count());
    grads_ = alloc(c.parameter_count());
    encoded_ = alloc(N * D);
    layers_.resize(static_cast<std::size_t>(c.n_layers));
    for (auto& L : layers_) {
      L.ln1 = alloc(N * D); L.ln1_mean = alloc(N); L.ln1_rstd = alloc(N);
      L.qp = alloc(N * D); L.kp = alloc(N * D); L.vp = alloc(N * D);
      if (fused_) {
        L.y = alloc(N * D); L.lse = alloc(BHT);
      } else {
        L.att = alloc(TT);
      }
      L.atty = alloc(N * D); L.res2 = alloc(N * D);
      L.ln2 = alloc(N * D); L.ln2_mean = alloc(N); L.ln2_rstd = alloc(N);
      L.fch = alloc(N * M); L.fch_gelu = alloc(N * M); L.res3 = alloc(N * D);
    }
    lnf_ = alloc(N * D); lnf_mean_ = alloc(N); lnf_rstd_ = alloc(N);
    logits_ = alloc(N * 256); probs_ = alloc(N * 256); losses_ = alloc(N);
    // Scratch shared by all layers.
    q_ = alloc(N * D); k_ = alloc(N * D); v_ = alloc(N * D);
    if (!fused_) yp_ = alloc(N * D);
    dres_ = alloc(N * D); dln_ = alloc(N * D); dtmp_ = alloc(N * D); datty_ = alloc(N * D);
    dyp_ = alloc(N * D); dqp_ = alloc(N * D); dkp_ = alloc(N * D); dvp_ = alloc(N * D);
    dfch_ = alloc(N * M); dfch_gelu_ = alloc(N * M); dlogits_ = alloc(N * 256);
    if (fused_) {
      delta_ = alloc(BHT);
    } else {
      datt_ = alloc(TT);
    }
    onehot_ = alloc(N * model::kInputVocab); ones_ = alloc(N);
    // LayerNorm's rows (N), or the materialised softmax's (B*H*T) where there are more.
    const std::size_t rows = fused_ ? N : static_cast<std::size_t>(BHT);
    row_scratch_ = {alloc(rows * kRowLanes), alloc(rows * kRowLanes), alloc(rows), alloc(rows)};
    ops_.launch(static_cast<Index>(N), Fill{ones_, 1.0f});
    inputs_ = ops_.template alloc<int>(N);
    targets_ = ops_.template alloc<int>(N);
    owned_.list.push_back(inputs_);
    owned_.list.push_back(targets_);
    const std::size_t half = static_cast<std::size_t>(c.head_dim() / 2);
    std::vector<float> cos_t(static_cast<std::size_t>(T_) * half), sin_t(cos_t.size());
    rope_tables(cos_t.data(), sin_t.data(), T_, c.head_dim(), static_cast<double>(c.rope_theta));
    rope_cos_ = alloc(cos_t.size());
    rope_sin_ = alloc(sin_t.size());
    ops_.upload(rope_cos_, cos_t.data(), cos_t.size() * sizeof(float));
    ops_.upload(rope_sin_, sin_t.data(), sin_t.size() * sizeof(float));
    host_inputs_.resize(N);
    host_targets_.resize(N);
    host_losses_.resize(N);
  }
  GpuModel(const GpuModel&) = delete;
  GpuModel& operator=(const GpuModel&) = delete;

  int batch() const { return B_; }
  int seq_len() const { return T_; }
  bool fused_attention() const { return fused_; }

  // The mean loss (nats per byte) of `params` on B windows of T bytes (as TrainModel::forward).
  double forward(std::span<const float> params, ByteView bytes) {
    if (params.size() != c_.parameter_count()) {
      throw Error("train: " + std::to_string(params.size()) + " parameters given, the config has " +
                  std::to_string(c_.parameter_count()));
    }
    if (bytes.size() != n()) {
      throw Error("train: batch of " + std::to_string(bytes.size()) + " bytes, expected B*T = " + std::to_string(n()));
    }
    for (int b = 0; b < B_; ++b) {
      for (int t = 0; t < T_; ++t) {
        const std::size_t i = static_cast<std::size_t>(b) * T_ + t;
        host_inputs_[i] = t == 0 ? model::kBos : bytes[i - 1];
        host_targets_[i] = bytes[i];
      }
    }
    ops_.upload(params_, params.data(), params.size() * sizeof(float));
    ops_.upload(inputs_, host_inputs_.data(), n() * sizeof(int));
    ops_.upload(targets_, host_targets_.data(), n() * sizeof(int));
    const auto p = carve(c_, static_cast<const float*>(params_));
    const Index N = static_cast<Index>(n());
    const int D = c_.d_model, M = c_.d_mlp;
    const float eps = c_.ln_eps;

    ops_.launch(N * D, EmbeddingForward{encoded_, inputs_, p.embed, D, embed_scale()});
    const float* x = encoded_;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const auto& w = p.layers[l];
      Layer& A = layers_[l];
      layernorm_forward(ops_, row_scratch_, A.ln1, A.ln1_mean, A.ln1_rstd, x, w.ln1_w, w.ln1_b, N, D, eps);
      linear_forward(q_, A.ln1, w.wq, nullptr, D, D);
      linear_forward(k_, A.ln1, w.wk, nullptr, D, D);
      linear_forward(v_, A.ln1, w.wv, nullptr, D, D);
      attention_forward(A);
      linear_forward(A.res2, A.atty, w.wo, nullptr, D, D);  // attproj, then the residual in place
      ops_.launch(N * D, Add{A.res2, A.res2, x});
      layernorm_forward(ops_, row_scratch_, A.ln2, A.ln2_mean, A.ln2_rstd, A.res2, w.ln2_w, w.ln2_b, N, D, eps);
      linear_forward(A.fch, A.ln2, w.up_w, w.up_b, D, M);
      ops_.launch(N * M, GeluForward{A.fch_gelu, A.fch});
      linear_forward(A.res3, A.fch_gelu, w.down_w, w.down_b, M, D);  // fcproj, then the residual
      ops_.launch(N * D, Add{A.res3, A.res3, A.res2});
      x = A.res3;
    }
    layernorm_forward(ops_, row_scratch_, lnf_, lnf_mean_, lnf_rstd_, x, p.lnf_w, p.lnf_b, N, D, eps);
    linear_forward(logits_, lnf_, p.head_w, p.head_b, D, 256);
    ops_.launch(N, CrossEntropyForward{probs_, losses_, logits_, targets_, 256});
    ops_.download(host_losses_.data(), losses_, n() * sizeof(float));
    double total = 0;
    for (float l : host_losses_) total += static_cast<double>(l);
    forwarded_ = true;
    return total / static_cast<double>(n());
  }

  // The gradient of the last forward's mean loss, written into `grads` (parameter_count()).
  void backward(std::span<float> grads) {
    if (!forwarded_) throw Error("train: backward() before forward()");
    if (grads.size() != c_.parameter_count()) throw Error("train: gradient buffer of the wrong size");
    const auto p = carve(c_, static_cast<const float*>(params_));
    const auto g = carve(c_, grads_);
    const Index N = static_cast<Index>(n());
    const int D = c_.d_model, M = c_.d_mlp;
    ops_.zero(grads_, c_.parameter_count());

    ops_.launch(N * 256, CrossEntropyBackward{dlogits_, probs_, targets_, 256, 1.0f / static_cast<float>(N)});
    linear_backward(dln_, 0.0f, g.head_w, g.head_b, dlogits_, lnf_, p.head_w, D, 256);
    const float* x_last = layers_.empty() ? encoded_ : layers_.back().res3;
    ops_.zero(dres_, n() * D);
    layernorm_backward(dres_, g.lnf_w, g.lnf_b, dln_, x_last, p.lnf_w, lnf_mean_, lnf_rstd_);

    // dres_ holds dL/d(the layer's output) on entry and dL/d(its input) on exit.
    for (std::size_t li = layers_.size(); li-- > 0;) {
      const auto& w = p.layers[li];
      const auto& gw = g.layers[li];
      const Layer& A = layers_[li];
      const float* x = li == 0 ? encoded_ : layers_[li - 1].res3;
      linear_backward(dfch_gelu_, 0.0f, gw.down_w, gw.down_b, dres_, A.fch_gelu, w.down_w, M, D);
      ops_.launch(N * M, GeluBackward{dfch_, A.fch, dfch_gelu_});
      linear_backward(dln_, 0.0f, gw.up_w, gw.up_b, dfch_, A.ln2, w.up_w, D, M);
      layernorm_backward(dres_, gw.ln2_w, gw.ln2_b, dln_, A.res2, w.ln2_w, A.ln2_mean, A.ln2_rstd);
      linear_backward(datty_, 0.0f, gw.wo, nullptr, dres_, A.atty, w.wo, D, D);
      attention_backward(A);  // datty_ -> q_, k_, v_ (reused as dq, dk, dv)
      linear_backward(dln_, 0.0f, gw.wq, nullptr, q_, A.ln1, w.wq, D, D);
      linear_backward(dln_, 1.0f, gw.wk, nullptr, k_, A.ln1, w.wk, D, D);
      linear_backward(dln_, 1.0f, gw.wv, nullptr, v_, A.ln1, w.wv, D, D);
      layernorm_backward(dres_, gw.ln1_w, gw.ln1_b, dln_, x, w.ln1_w, A.ln1_mean, A.ln1_rstd);
    }
    // dE += sqrt(D) onehot^T dres.
    ops_.launch(N * model::kInputVocab, OneHot{onehot_, inputs_, model::kInputVocab});
    ops_.gemm(Gemm{true, false, model::kInputVocab, D, static_cast<int>(N), embed_scale(), onehot_,
                   model::kInputVocab, 0, dres_, D, 0, 1.0f, g.embed, D, 0, 1});
    ops_.download(grads.data(), grads_, grads.size() * sizeof(float));
  }

 private:
  struct Layer {
    float *ln1, *ln1_mean, *ln1_rstd, *qp, *kp, *vp, *atty, *res2;
    float* att = nullptr;  // materialised: probabilities (B*H, T, T)
    float *y = nullptr, *lse = nullptr;  // fused: output per head (B*H, T, hd), log-sum-exp (B*H*T)
    float *ln2, *ln2_mean, *ln2_rstd, *fch, *fch_gelu, *res3;
  };

  float embed_scale() const { return static_cast<float>(std::sqrt(static_cast<double>(c_.d_model))); }

  std::size_t n() const { return static_cast<std::size_t>(B_) * static_cast<std::size_t>(T_); }

  float* alloc(std::size_t count) {
    float* p = ops_.template alloc<float>(count);
    owned_.list.push_back(p);
    return p;
  }

  // out (N, OUT) = x (N, IN) W^T + b, W (OUT, IN).
  void linear_forward(float* out, const float* x, const float* W, const float* b, int IN, int OUT) {
    const int N = static_cast<int>(n());
    ops_.gemm(Gemm{false, true, N, OUT, IN, 1.0f, x, IN, 0, W, IN, 0, 0.0f, out, OUT, 0, 1});
    if (b) ops_.launch(static_cast<Index>(N) * OUT, AddBias{out, b, OUT});
  }

  // dx = dx_beta dx + dout W;  dW += dout^T x;  db += ones^T dout (the column sums).
  void linear_backward(float* dx, float dx_beta, float* dW, float* db, const float* dout, const float* x,
                       const float* W, int IN, int OUT) {
    const int N = static_cast<int>(n());
    ops_.gemm(Gemm{false, false, N, IN, OUT, 1.0f, dout, OUT, 0, W, IN, 0, dx_beta, dx, IN, 0, 1});
    ops_.gemm(Gemm{true, false, OUT, IN, N, 1.0f, dout, OUT, 0, x, IN, 0, 1.0f, dW, IN, 0, 1});
    if (db) ops_.gemm(Gemm{false, false, 1, OUT, N, 1.0f, ones_, N, 0, dout, OUT, 0, 1.0f, db, OUT, 0, 1});
  }

  // dx += LayerNorm backward; dw += column sums of dout xhat; db += column sums of dout.
  void layernorm_backward(float* dx, float* dw, float* db, const float* dout, const float* x, const float* w,
                          const float* mean, const float* rstd) {
    const int N = static_cast<int>(n()), D = c_.d_model;
    gpu::layernorm_backward(ops_, row_scratch_, dx, dtmp_, dout, x, w, mean, rstd, N, D);
    ops_.gemm(Gemm{false, false, 1, D, N, 1.0f, ones_, N, 0, dtmp_, D, 0, 1.0f, dw, D, 0, 1});
    ops_.gemm(Gemm{false, false, 1, D, N, 1.0f, ones_, N, 0, dout, D, 0, 1.0f, db, D, 0, 1});
  }

  // q_, k_, v_ (N, D) -> A.atty (N, D), keeping the permuted q, k, v and the probabilities.
  void attention_forward(Layer& A) {
    const int H = c_.n_heads, hd = c_.head_dim(), T = T_, BH = B_ * H;
    const Index ND = static_cast<Index>(n()) * c_.d_model, TT = static_cast<Index>(T) * T, Thd = static_cast<Index>(T) * hd;
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
    ops_.launch(static_cast<Index>(n()) * H * (hd / 2), Rope{q_, rope_cos_, rope_sin_, T, H, hd, 1.0f});
    ops_.launch(static_cast<Index>(n()) * H * (hd / 2), Rope{k_, rope_cos_, rope_sin_, T, H, hd, 1.0f});
    ops_.launch(ND, PermuteHeads{A.qp, q_, T, H, hd});
    ops_.launch(ND, PermuteHeads{A.kp, k_, T, H, hd});
    ops_.launch(ND, PermuteHeads{A.vp, v_, T, H, hd});
    if (fused_) {
      switch (hd) {
        case 8: fused_forward<8>(A, scale); break;
        case 16: fused_forward<16>(A, scale); break;
        case 32: fused_forward<32>(A, scale); break;
        default: fused_forward<64>(A, scale); break;
      }
      ops_.launch(ND, UnpermuteHeads{A.atty, A.y, T, H, hd, false});
      return;
    }
    ops_.gemm(Gemm{false, true, T, T, hd, scale, A.qp, hd, Thd, A.kp, hd, Thd, 0.0f, A.att, T, TT, BH});
    causal_softmax_forward(ops_, row_scratch_, A.att, static_cast<Index>(BH) * T, T);
    ops_.gemm(Gemm{false, false, T, hd, T, 1.0f, A.att, T, TT, A.vp, hd, Thd, 0.0f, yp_, hd, Thd, BH});
    ops_.launch(ND, UnpermuteHeads{A.atty, yp_, T, H, hd, false});
  }

  template <int HD>
  void fused_forward(Layer& A, float scale) {
    ops_.launch(static_cast<Index>(B_) * c_.n_heads * T_, FlashForward<HD>{A.y, A.lse, A.qp, A.kp, A.vp, T_, scale});
  }

  template <int HD>
  void fused_backward(const Layer& A, float scale) {
    const Index rows = static_cast<Index>(B_) * c_.n_heads * T_;
    ops_.launch(rows, RowDot<HD>{delta_, dyp_, A.y});
    ops_.launch(rows, FlashBackwardQuery<HD>{dqp_, A.qp, A.kp, A.vp, dyp_, A.lse, delta_, T_, scale});
    ops_.launch(rows, FlashBackwardKeyValue<HD>{dkp_, dvp_, A.qp, A.kp, A.vp, dyp_, A.lse, delta_, T_, scale});
  }

  // datty_ -> dq, dk, dv in q_, k_, v_ (N, D), RoPE's backward applied to dq and dk.
  void attention_backward(const Layer& A) {
    const int H = c_.n_heads, hd = c_.head_dim(), T = T_, BH = B_ * H;
    const Index ND = static_cast<Index>(n()) * c_.d_model, TT = static_cast<Index>(T) * T, Thd = static_cast<Index>(T) * hd;
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(hd)));
    ops_.launch(ND, PermuteHeads{dyp_, datty_, T, H, hd});
    if (fused_) {
      switch (hd) {
        case 8: fused_backward<8>(A, scale); break;
        case 16: fused_backward<16>(A, scale); break;
        case 32: fused_backward<32>(A, scale); break;
        default: fused_backward<64>(A, scale); break;
      }
    } else {
      ops_.gemm(Gemm{false, true, T, T, hd, 1.0f, dyp_, hd, Thd, A.vp, hd, Thd, 0.0f, datt_, T, TT, BH});
      ops_.gemm(Gemm{true, false, T, hd, T, 1.0f, A.att, T, TT, dyp_, hd, Thd, 0.0f, dvp_, hd, Thd, BH});
      causal_softmax_backward(ops_, row_scratch_, datt_, A.att, static_cast<Index>(BH) * T, T, scale);
      ops_.gemm(Gemm{false, false, T, hd, T, 1.0f, datt_, T, TT, A.kp, hd, Thd, 0.0f, dqp_, hd, Thd, BH});
      ops_.gemm(Gemm{true, false, T, hd, T, 1.0f, datt_, T, TT, A.qp, hd, Thd, 0.0f, dkp_, hd, Thd, BH});
    }
    ops_.launch(ND, UnpermuteHeads{q_, dqp_, T, H, hd, false});
    ops_.launch(ND, UnpermuteHeads{k_, dkp_, T, H, hd, false});
    ops_.launch(ND, UnpermuteHeads{v_, dvp_, T, H, hd, false});
    ops_.launch(static_cast<Index>(n()) * H * (hd / 2), Rope{q_, rope_cos_, rope_sin_, T, H, hd, -1.0f});
    ops_.launch(static_cast<Index>(n()) * H * (hd / 2), Rope{k_, rope_cos_, rope_sin_, T, H, hd, -1.0f});
  }

  // Every allocation, released when the model goes (also when the constructor throws half way).
  struct Owned {
    Ops& ops;
    std::vector<void*> list;
    ~Owned() {
      for (void* p : list) ops.release(p);
    }
  };

  Ops& ops_;
  Owned owned_;
  Config c_;
  int B_, T_;
  float *params_, *grads_;
  float* encoded_;
  std::vector<Layer> layers_;
  float *lnf_, *lnf_mean_, *lnf_rstd_, *logits_, *probs_, *losses_;
  float *q_, *k_, *v_;
  float* yp_ = nullptr;  // materialised attention's output per head (B*H, T, hd)
  float *dres_, *dln_, *dtmp_, *datty_, *dyp_, *dqp_, *dkp_, *dvp_, *dfch_, *dfch_gelu_, *dlogits_;
  float* datt_ = nullptr;   // materialised attention's scratch (B*H, T, T)
  float* delta_ = nullptr;  // fused attention's dy.y per head row (B*H*T)
  bool fused_ = false;
  float *onehot_, *ones_, *rope_cos_, *rope_sin_;
  RowScratch row_scratch_{};
  int *inputs_, *targets_;
  std::vector<int> host_inputs_, host_targets_;
  std::vector<float> host_losses_;
  bool forwarded_ = false;
};

// An Engine (lmzip/train/engine.h) running GpuModel<Ops>: the "cuda" and "emulated-gpu" backends.
template <class Ops>
class GpuEngine final : public Engine {
 public:
  template <class... OpsArgs>
  GpuEngine(std::string backend, std::string device, const Config& c, int batch, int seq_len, Attention attention,
            OpsArgs&&... ops_args)
      : backend_(std::move(backend)), device_(std::move(device)), ops_(std::forward<OpsArgs>(ops_args)...),
        model_(ops_, c, batch, seq_len, attention) {
    device_ += model_.fused_attention() ? ", fused attention" : ", materialised attention";
  }
  std::string backend() const override { return backend_; }
  std::string device() const override { return device_; }
  int batch() const override { return model_.batch(); }
  int seq_len() const override { return model_.seq_len(); }
  double forward(std::span<const float> params, ByteView bytes) override { return model_.forward(params, bytes); }
  double forward_backward(std::span<const float> params, ByteView bytes, std::span<float> grads) override {
    const double loss = model_.forward(params, bytes);
    model_.backward(grads);
    return loss;
  }

 private:
  std::string backend_, device_;
  Ops ops_;
  GpuModel<Ops> model_;  // after ops_: built from it, and gone before it
};

}  // namespace lmzip::train::gpu
