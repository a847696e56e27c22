// The GPU training backend (src/train/gpu) against the CPU backend's float64 model.
//
// "emulated-gpu" runs the CUDA backend's kernels (kernels.h) and call sequence (gpu_model.h) on
// the CPU, so these checks run everywhere; the "cuda" checks need a CUDA device and skip, saying
// why, without one. Tolerances (docs/training.md, "The CUDA backend"): the float32 GPU model's
// loss within 2e-6 relative of TrainModel<double>, every gradient within 2e-4 of the largest
// gradient (emulated) and 1e-3 (cuda, full float32 GEMMs; cuBLAS sums in its own order).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../grad_check.h"
#include "lmzip/error.h"
#include "lmzip/model/model_file.h"
#include "lmzip/train/engine.h"
#include "lmzip/train/layers_fast.h"
#include "lmzip/train/train_model.h"
#include "train/gpu/host_ops.h"

namespace lmzip::train {
namespace {

model::Config small() {
  model::Config c;
  c.d_model = 16;
  c.n_layers = 2;
  c.n_heads = 2;
  c.d_mlp = 64;
  c.context = 32;
  return c;
}

Bytes text_bytes(std::size_t n, std::uint64_t seed) {
  const char* words[] = {"the ", "model ", "predicts ", "next ", "byte ", "of ", "text, ", "and ", "codes ", "it. "};
  Bytes b;
  const auto r = test::random_vec(n, seed);
  for (std::size_t i = 0; b.size() < n; ++i) {
    const char* w = words[static_cast<std::size_t>((r[i % n] + 1.0) * 5.0) % 10];
    for (const char* p = w; *p && b.size() < n; ++p) b.push_back(static_cast<std::uint8_t>(*p));
  }
  return b;
}

struct Reference {
  double loss;
  std::vector<double> grads;
};

Reference reference(const model::Config& c, const model::OwnedWeights& w, const Bytes& bytes, int B, int T) {
  TrainModel<double> m(c, B, T);
  const std::vector<double> p = params_from_weights<double>(w);
  Reference r;
  r.loss = m.forward(p, bytes);
  m.backward();
  r.grads.assign(m.grads().begin(), m.grads().end());
  return r;
}

// Max |a - b| over the gradients, divided by the largest reference gradient.
double grad_error(const std::vector<float>& got, const std::vector<double>& want) {
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(got[i]) - want[i]));
    scale = std::max(scale, std::abs(want[i]));
  }
  return worst / scale;
}

struct LossAndGrads {
  double loss;
  std::vector<float> grads;
};

// One forward_backward of `backend` (2 threads for the cpu backend).
LossAndGrads run_engine(const std::string& backend, bool tf32, const model::Config& c, const model::OwnedWeights& w,
                        const Bytes& bytes, int B, int T) {
  EngineOptions o;
  o.backend = backend;
  o.threads = 2;
  o.tf32 = tf32;
  LossAndGrads r{0, std::vector<float>(c.parameter_count())};
  r.loss = make_engine(c, B, T, o)->forward_backward(w.data(), bytes, r.grads);
  return r;
}

void expect_matches_reference(const std::string& backend, double grad_tol, const model::Config& c, int B, int T) {
  model::OwnedWeights w = model::random_weights(c, 11, {.perturb_layernorm = true});
  const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 5);
  const Reference ref = reference(c, w, bytes, B, T);
  EngineOptions o;
  o.backend = backend;
  o.tf32 = false;
  const auto engine = make_engine(c, B, T, o);
  EXPECT_EQ(engine->backend(), backend);
  std::vector<float> grads(c.parameter_count(), -1.0f);
  const double loss = engine->forward_backward(w.data(), bytes, grads);
  EXPECT_NEAR(loss, ref.loss, 2e-6 * ref.loss);
  const double err = grad_error(grads, ref.grads);
  EXPECT_LT(err, grad_tol);
  testing::Test::RecordProperty("grad_error", testing::PrintToString(err));
  // forward alone gives the same loss, and a second batch is not polluted by the first.
  EXPECT_DOUBLE_EQ(engine->forward(w.data(), bytes), loss);
}

TEST(GpuModel, EmulatedMatchesTheFloat64Model) {
  expect_matches_reference("emulated-gpu", 2e-4, small(), 3, 32);
}

TEST(GpuModel, EmulatedMatchesWithWindowsShorterThanTheContext) {
  expect_matches_reference("emulated-gpu", 2e-4, small(), 2, 9);
}

TEST(GpuModel, EmulatedMatchesTheCpuBackendOnAPreset) {
  const model::Config c = model::preset("200K");
  const int B = 2, T = 48;
  model::OwnedWeights w = model::random_weights(c, 3);
  const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 9);
  const LossAndGrads cpu = run_engine("cpu", false, c, w, bytes, B, T);
  const LossAndGrads emu = run_engine("emulated-gpu", false, c, w, bytes, B, T);
  EXPECT_NEAR(emu.loss, cpu.loss, 1e-6 * cpu.loss);
  EXPECT_LT(grad_error(emu.grads, std::vector<double>(cpu.grads.begin(), cpu.grads.end())), 1e-4);
}

// The fused attention kernels against their plain twin (GEMMs + softmax), for every head size the
// fused path serves, both run on the CPU through HostOps. T = 37: more than one warp's 32 rows (the
// key/value kernel starts at its warp's first row) and not a multiple of the 4 keys a step takes
// (the last group is clamped and masked).
TEST(GpuModel, FusedAttentionMatchesTheMaterialisedTwin) {
  for (int hd : {8, 16, 32, 64}) {
    model::Config c = small();
    c.n_heads = 2;
    c.d_model = 2 * hd;
    c.d_mlp = 4 * c.d_model;
    c.context = 64;
    const int B = 2, T = 37;
    model::OwnedWeights w = model::random_weights(c, 21, {.perturb_layernorm = true});
    const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 17);
    gpu::HostOps ops;
    gpu::GpuModel<gpu::HostOps> fused(ops, c, B, T, gpu::Attention::kFused);
    gpu::GpuModel<gpu::HostOps> plain(ops, c, B, T, gpu::Attention::kMaterialized);
    ASSERT_TRUE(fused.fused_attention()) << hd;
    ASSERT_FALSE(plain.fused_attention()) << hd;
    std::vector<float> g_fused(c.parameter_count()), g_plain(c.parameter_count());
    const double l_fused = fused.forward(w.data(), bytes);
    fused.backward(g_fused);
    const double l_plain = plain.forward(w.data(), bytes);
    plain.backward(g_plain);
    EXPECT_NEAR(l_fused, l_plain, 1e-6 * l_plain) << "head size " << hd;
    EXPECT_LT(grad_error(g_fused, std::vector<double>(g_plain.begin(), g_plain.end())), 1e-5) << "head size " << hd;
  }
}

// One forward_backward of the engine `o` names with fused attention and one with the materialised
// path, on the same weights and bytes; each engine's device() is kept for the caller to check.
struct AttentionPaths {
  double l_fused, l_plain, grad_error;
  std::string fused_device, plain_device;
};
AttentionPaths run_both_attention_paths(EngineOptions o, const model::Config& c, const model::OwnedWeights& w,
                                        const Bytes& bytes, int B, int T) {
  std::vector<float> g_fused(c.parameter_count()), g_plain(c.parameter_count());
  AttentionPaths r{};
  o.fused_attention = true;
  const auto fused = make_engine(c, B, T, o);
  r.l_fused = fused->forward_backward(w.data(), bytes, g_fused);
  r.fused_device = fused->device();
  o.fused_attention = false;
  const auto plain = make_engine(c, B, T, o);
  r.l_plain = plain->forward_backward(w.data(), bytes, g_plain);
  r.plain_device = plain->device();
  r.grad_error = grad_error(g_fused, std::vector<double>(g_plain.begin(), g_plain.end()));
  return r;
}

// --materialized-attention reaches the model through EngineOptions (emulated here; the cuda
// twin of this check is CudaFusedAndMaterialisedAttentionAgree), and both paths agree.
TEST(GpuModel, EngineOptionChoosesTheAttentionPath) {
  const model::Config c = small();  // head size 8: fused by default
  const int B = 2, T = 16;
  model::OwnedWeights w = model::random_weights(c, 5);
  const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 3);
  EngineOptions o;
  o.backend = "emulated-gpu";
  const AttentionPaths r = run_both_attention_paths(o, c, w, bytes, B, T);
  EXPECT_NE(r.fused_device.find(", fused attention"), std::string::npos) << r.fused_device;
  EXPECT_NE(r.plain_device.find(", materialised attention"), std::string::npos) << r.plain_device;
  EXPECT_NEAR(r.l_fused, r.l_plain, 1e-6 * r.l_plain);
  EXPECT_LT(r.grad_error, 1e-5);
}

TEST(GpuModel, OtherHeadSizesUseTheMaterialisedPath) {
  model::Config c = small();
  c.n_heads = 4;  // head size 4
  gpu::HostOps ops;
  EXPECT_FALSE(gpu::GpuModel<gpu::HostOps>(ops, c, 1, 8).fused_attention());
  expect_matches_reference("emulated-gpu", 2e-4, c, 2, 12);
}

TEST(GpuModel, CudaMatchesTheFloat64Model) {
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << "no CUDA: " << why;
  expect_matches_reference("cuda", 1e-3, small(), 3, 32);
  expect_matches_reference("cuda", 1e-3, small(), 2, 9);
}

TEST(GpuModel, CudaMatchesTheCpuBackendOnThe3MPreset) {
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << "no CUDA: " << why;
  const model::Config c = model::preset("3.2M");
  const int B = 2, T = 256;
  model::OwnedWeights w = model::random_weights(c, 4);
  const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 13);
  const LossAndGrads cpu = run_engine("cpu", false, c, w, bytes, B, T);
  const std::vector<double> want(cpu.grads.begin(), cpu.grads.end());
  for (bool tf32 : {false, true}) {
    const LossAndGrads gpu = run_engine("cuda", tf32, c, w, bytes, B, T);
    const double err = grad_error(gpu.grads, want);
    EXPECT_NEAR(gpu.loss, cpu.loss, (tf32 ? 1e-3 : 1e-5) * cpu.loss) << "tf32 " << tf32;
    EXPECT_LT(err, tf32 ? 2e-2 : 1e-3) << "tf32 " << tf32;
    RecordProperty(tf32 ? "grad_error_tf32" : "grad_error_fp32", testing::PrintToString(err));
  }
}

// On the device: the fused kernels (vector loads, one thread per row) against the materialised
// GEMM + softmax path, both in full float32, on the 3.2M preset's head size (32) and a window
// longer than a warp's 32 rows.
TEST(GpuModel, CudaFusedAndMaterialisedAttentionAgree) {
  const std::string why = cuda_unavailable_reason();
  if (!why.empty()) GTEST_SKIP() << "no CUDA: " << why;
  const model::Config c = model::preset("3.2M");
  const int B = 2, T = 300;
  model::OwnedWeights w = model::random_weights(c, 6);
  const Bytes bytes = text_bytes(static_cast<std::size_t>(B) * T, 19);
  EngineOptions o;
  o.backend = "cuda";
  o.tf32 = false;
  const AttentionPaths r = run_both_attention_paths(o, c, w, bytes, B, T);
  EXPECT_NEAR(r.l_fused, r.l_plain, 1e-5 * r.l_plain);
  EXPECT_LT(r.grad_error, 1e-4);
  RecordProperty("grad_error", testing::PrintToString(r.grad_error));
}

TEST(Engine, BackendsAreNamedAndUnavailableOnesExplainWhy) {
  const model::Config c = small();
  EngineOptions o;
  o.backend = "tpu";
  EXPECT_THROW(make_engine(c, 2, 8, o), Error);
  o.backend = "cpu";
  o.threads = 2;
  EXPECT_THROW(make_engine(c, 3, 8, o), Error) << "batch not a multiple of the threads";
  EXPECT_EQ(make_engine(c, 4, 8, o)->device(), fast::accelerated() ? "2 threads, " + fast::backend() : "2 threads");
  o.backend = "auto";
  const std::string why = cuda_unavailable_reason();
  EXPECT_EQ(make_engine(c, 4, 8, o)->backend(), why.empty() ? "cuda" : "cpu");
  if (!why.empty()) {
    o.backend = "cuda";
    try {
      make_engine(c, 4, 8, o);
      FAIL() << "cuda without a device";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
  o.backend = "emulated-gpu";
  const auto e = make_engine(c, 2, 8, o);
  std::vector<float> params(c.parameter_count()), grads(c.parameter_count());
  EXPECT_THROW(e->forward(params, Bytes(15)), Error) << "batch of the wrong size";
  params.pop_back();
  EXPECT_THROW(e->forward(params, Bytes(16)), Error) << "parameters of the wrong size";
}

}  // namespace
}  // namespace lmzip::train
