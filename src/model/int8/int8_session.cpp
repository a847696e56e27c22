// Int8Session: the forward pass of the int8 transformer over a block of positions, and the
// incremental (next_table / feed) and batched (tables_for_chunk) paths built on it.
#include "int8_session.h"

#include <immintrin.h>

#include <string>

#include "lmzip/error.h"

namespace lmzip::model::int8 {
namespace {

// The contract assumes IEEE default rounding without flush-to-zero / denormals-are-zero (a
// library built with fast-math flags may have switched them on for the whole process).
void check_float_environment() {
  const unsigned csr = _mm_getcsr();
  constexpr unsigned kFtz = 1u << 15, kDaz = 1u << 6, kRounding = 3u << 13;
  if ((csr & (kFtz | kDaz | kRounding)) != 0) {
    throw Error(
        "int8 model: the floating-point environment is not the IEEE default (flush-to-zero, "
        "denormals-are-zero or a directed rounding mode is on); probabilities would not be reproducible");
  }
}

}  // namespace

Int8Session::Int8Session(std::shared_ptr<const QuantizedModel> model) : m_(std::move(model)), s_(*m_, m_->block) {
  reset();
}

void Int8Session::reset() {
  check_float_environment();
  pos_ = 0;
  pending_ = kBos;
  fresh_ = false;
}

const coding::FrequencyTable& Int8Session::next_table() {
  if (!fresh_) {
    if (pos_ >= m_->config.context) {
      throw Error("int8 model: no table after " + std::to_string(pos_) + " bytes: the context holds " +
                  std::to_string(m_->config.context) + " positions");
    }
    forward(&pending_, pos_, 1, true);
    make_table(0);
    fresh_ = true;
  }
  return table_;
}

void Int8Session::feed(std::uint8_t byte) {
  if (pos_ >= m_->config.context) {
    throw Error("int8 model: more than " + std::to_string(m_->config.context) +
                " bytes fed to a session (the model's context)");
  }
  if (!fresh_) forward(&pending_, pos_, 1, false);  // the cache needs this position's key and value
  ++pos_;
  pending_ = byte;
  fresh_ = false;
}

void Int8Session::tables_for_chunk(ByteView chunk, const TableFn& fn) {
  const int context = m_->config.context;
  if (chunk.size() > static_cast<std::size_t>(context)) {
    throw Error("int8 model: a chunk of " + std::to_string(chunk.size()) + " bytes exceeds the context of " +
                std::to_string(context) + " positions");
  }
  reset();
  const int n = static_cast<int>(chunk.size());
  const int block = m_->block;
  std::vector<int> tokens(static_cast<std::size_t>(block));
  for (int p0 = 0; p0 < n; p0 += block) {
    const int rows = n - p0 < block ? n - p0 : block;
    for (int r = 0; r < rows; ++r) tokens[r] = p0 + r == 0 ? kBos : chunk[p0 + r - 1];
    forward(tokens.data(), p0, rows, true);
    for (int r = 0; r < rows; ++r) {
      make_table(r);
      fn(static_cast<std::size_t>(p0 + r), table_);
    }
  }
  if (n > 0) {  // as after the incremental path's last feed()
    pos_ = n;
    pending_ = chunk[n - 1];
    fresh_ = false;
  }
}

void Int8Session::make_table(int r) {
  m_->kernels->softmax(s_.logits.data() + static_cast<std::size_t>(r) * kByteVocab, kByteVocab, s_.probs.data());
  coding::quantize(s_.probs, table_);
}

void Int8Session::forward(const int* tokens, int pos0, int n, bool want_logits) {
  const QuantizedModel& m = *m_;
  const Kernels& k = *m.kernels;
  const int D = m.config.d_model, M = m.config.d_mlp, H = m.config.n_heads;
  const int hd = m.head_dim, hdp = m.head_dim_pad, half = hd / 2, K = m.in_pad;
  const std::size_t Cp = static_cast<std::size_t>(m.ctx_pad), C = static_cast<std::size_t>(m.config.context);
  float* x = s_.x.data();
  float* xn = s_.xn.data();
  std::int8_t* xq = s_.xq.data();
  float* xs = s_.xs.data();
  auto row = [](auto* p, int r, int stride) { return p + static_cast<std::size_t>(r) * stride; };

  for (int r = 0; r < n; ++r) {  // x = embed[token] * sqrt(D)
    const float* e = m.embed.data() + static_cast<std::size_t>(tokens[r]) * D;
    for (int i = 0; i < D; ++i) row(x, r, D)[i] = e[i] * m.embed_scale;
  }
  for (int l = 0; l < m.config.n_layers; ++l) {
    const QuantizedLayer& w = m.layers[l];
    // ---- attention: q, k, v = LN1(x) W^T; RoPE on q and k; int8 keys and values into the cache
    for (int r = 0; r < n; ++r) {
      k.layernorm(row(x, r, D), w.ln1_w.data(), w.ln1_b.data(), D, m.config.ln_eps, row(xn, r, D));
      xs[r] = k.quantize(row(xn, r, D), D, K, row(xq, r, K));
    }
    k.matmul(w.wqkv, n, xq, K, xs, s_.qkv.data(), 3 * D);
    for (int r = 0; r < n; ++r) {
      const int pos = pos0 + r;
      float* q = row(s_.qkv.data(), r, 3 * D);
      float* kv = q + D;
      const float* cs = m.rope.cos.data() + static_cast<std::size_t>(pos) * half;
      const float* sn = m.rope.sin.data() + static_cast<std::size_t>(pos) * half;
      for (int h = 0; h < H; ++h) {
        for (float* v : {q + h * hd, kv + h * hd}) {  // rotate pairs (j, j + hd/2)
          for (int j = 0; j < half; ++j) {
            const float a = v[j], b = v[j + half];
            v[j] = a * cs[j] - b * sn[j];
            v[j + half] = b * cs[j] + a * sn[j];
          }
        }
        const std::size_t lh = static_cast<std::size_t>(l) * H + h;
        alignas(64) std::int8_t kq[1024];
        const float kscale = k.quantize(kv + h * hd, hd, hdp, kq);
        std::int32_t ksum = 0;
        std::int8_t* keys = s_.key.data() + static_cast<std::size_t>(l) * H * Cp * hdp;
        for (int j = 0; j < hdp; ++j) {
          keys[key_index(m.ctx_pad, hdp, h, pos, j)] = kq[j];
          ksum += kq[j];
        }
        s_.key_scale[lh * Cp + pos] = kscale;
        s_.key_sum128[lh * Cp + pos] = 128 * ksum;
        std::int8_t* value = s_.value.data() + (static_cast<std::size_t>(l) * C + pos) * D + h * hd;
        s_.value_scale[lh * Cp + pos] = k.quantize(q + 2 * D + h * hd, hd, hd, value);
        const float qs = k.quantize(q + h * hd, hd, hdp, row(s_.qq.data(), r * H + h, hdp));
        s_.q_coef[static_cast<std::size_t>(r) * H + h] = qs * m.attn_scale;
      }
    }
    attention_block(l, pos0, n);
    for (int r = 0; r < n; ++r) xs[r] = k.quantize(row(s_.att.data(), r, D), D, K, row(xq, r, K));
    k.matmul(w.wo, n, xq, K, xs, xn, D);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n) * D; ++i) x[i] = x[i] + xn[i];
    // ---- MLP: x += down(gelu(up(LN2(x))))
    for (int r = 0; r < n; ++r) {
      k.layernorm(row(x, r, D), w.ln2_w.data(), w.ln2_b.data(), D, m.config.ln_eps, row(xn, r, D));
      xs[r] = k.quantize(row(xn, r, D), D, K, row(xq, r, K));
    }
    k.matmul(w.up, n, xq, K, xs, s_.hid.data(), M);
    for (int r = 0; r < n; ++r) {
      k.gelu(row(s_.hid.data(), r, M), M);
      xs[r] = k.quantize(row(s_.hid.data(), r, M), M, K, row(xq, r, K));
    }
    k.matmul(w.down, n, xq, K, xs, xn, D);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n) * D; ++i) x[i] = x[i] + xn[i];
  }
  if (!want_logits) return;
  for (int r = 0; r < n; ++r) {
    k.layernorm(row(x, r, D), m.lnf_w.data(), m.lnf_b.data(), D, m.config.ln_eps, row(xn, r, D));
    xs[r] = k.quantize(row(xn, r, D), D, K, row(xq, r, K));
  }
  k.matmul(m.head, n, xq, K, xs, s_.logits.data(), kByteVocab);
}

void Int8Session::attention_block(int layer, int pos0, int n) {
  const QuantizedModel& m = *m_;
  const int D = m.config.d_model, H = m.config.n_heads;
  const std::size_t Cp = static_cast<std::size_t>(m.ctx_pad), C = static_cast<std::size_t>(m.config.context);
  AttentionArgs a;
  a.n_heads = H;
  a.head_dim = m.head_dim;
  a.head_dim_pad = m.head_dim_pad;
  a.ctx_pad = m.ctx_pad;
  a.keys = s_.key.data() + static_cast<std::size_t>(layer) * H * Cp * m.head_dim_pad;
  a.key_scale = s_.key_scale.data() + static_cast<std::size_t>(layer) * H * Cp;
  a.key_sum128 = s_.key_sum128.data() + static_cast<std::size_t>(layer) * H * Cp;
  a.values = s_.value.data() + static_cast<std::size_t>(layer) * C * D;
  a.value_scale = s_.value_scale.data() + static_cast<std::size_t>(layer) * H * Cp;
  a.weights = s_.weights.data();
  a.n_keys = pos0 + 1;  // query r (position pos0 + r) attends to pos0 + r + 1 positions
  a.rows = n;
  a.q = s_.qq.data();
  a.q_coef = s_.q_coef.data();
  a.out = s_.att.data();
  m.kernels->attention(a);
}

}  // namespace lmzip::model::int8
