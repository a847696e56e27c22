// llama2.c checkpoint and tokenizer readers, the float32 Llama forward, greedy generation.
// The formats and the math are described in include/lmzip/model/llama2c.h and docs/llama2c.md.
#include "lmzip/model/llama2c.h"

#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "lmzip/bytes.h"
#include "lmzip/common/file_io.h"
#include "lmzip/error.h"

namespace lmzip::model::llama2c {
namespace {

constexpr std::size_t kHeaderBytes = 7 * sizeof(std::int32_t);

// Reads little-endian values from a byte buffer, throwing "<file>: truncated ..." past the end.
class Reader {
 public:
  Reader(const Bytes& bytes, const std::filesystem::path& path) : bytes_(bytes), path_(path) {}

  void need(std::size_t n, const char* what) const {
    if (bytes_.size() - pos_ < n) {
      throw Error(path_.string() + ": truncated file (needs " + std::to_string(n) +
                  " more bytes for " + what + " at offset " + std::to_string(pos_) + ", has " +
                  std::to_string(bytes_.size() - pos_) + ")");
    }
  }
  std::int32_t i32(const char* what) {
    need(4, what);
    std::uint32_t u = std::uint32_t(bytes_[pos_]) | (std::uint32_t(bytes_[pos_ + 1]) << 8) |
                      (std::uint32_t(bytes_[pos_ + 2]) << 16) | (std::uint32_t(bytes_[pos_ + 3]) << 24);
    pos_ += 4;
    std::int32_t v;
    std::memcpy(&v, &u, 4);
    return v;
  }
  float f32(const char* what) {
    std::int32_t i = i32(what);
    float f;
    std::memcpy(&f, &i, 4);
    return f;
  }
  std::string str(std::size_t n, const char* what) {
    need(n, what);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  std::size_t pos() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  const Bytes& bytes_;
  const std::filesystem::path& path_;
  std::size_t pos_ = 0;
};

// a * b, throwing if it exceeds `limit` (so no size computation can overflow).
std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const std::filesystem::path& path) {
  constexpr std::uint64_t limit = std::uint64_t(1) << 50;
  if (a != 0 && b > limit / a) throw Error(path.string() + ": header sizes are implausibly large");
  return a * b;
}

// y (d) = W (d, n) @ x (n)
void matmul(float* y, const float* x, const float* w, int n, int d) {
  for (int i = 0; i < d; ++i) {
    float sum = 0.0f;
    const float* row = w + static_cast<std::size_t>(i) * n;
    for (int j = 0; j < n; ++j) sum += row[j] * x[j];
    y[i] = sum;
  }
}

// out (n) = weight (n) * x (n) / sqrt(mean(x^2) + 1e-5); out may alias x.
void rmsnorm(float* out, const float* x, const float* weight, int n) {
  float ss = 0.0f;
  for (int j = 0; j < n; ++j) ss += x[j] * x[j];
  ss /= static_cast<float>(n);
  ss += 1e-5f;
  ss = 1.0f / std::sqrt(ss);
  for (int j = 0; j < n; ++j) out[j] = weight[j] * (ss * x[j]);
}

// In-place softmax over x (n).
void softmax(float* x, int n) {
  float max_val = x[0];
  for (int i = 1; i < n; ++i) max_val = std::max(max_val, x[i]);
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max_val);
    sum += x[i];
  }
  for (int i = 0; i < n; ++i) x[i] /= sum;
}

}  // namespace

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  const Bytes bytes = read_whole_file(path);
  Reader in(bytes, path);
  const std::string name = path.string();

  Checkpoint ck;
  Config& c = ck.config;
  c.dim = in.i32("the header");
  c.hidden_dim = in.i32("the header");
  c.n_layers = in.i32("the header");
  c.n_heads = in.i32("the header");
  c.n_kv_heads = in.i32("the header");
  const std::int32_t header_vocab = in.i32("the header");
  c.seq_len = in.i32("the header");
  c.shared_classifier = header_vocab > 0;
  c.vocab_size = header_vocab == std::numeric_limits<std::int32_t>::min() ? 0
                 : header_vocab < 0                                     ? -header_vocab
                                                                        : header_vocab;

  auto bad = [&](const std::string& why) {
    return Error(name + ": bad llama2.c header (" + why + "): dim " + std::to_string(c.dim) +
                 ", hidden_dim " + std::to_string(c.hidden_dim) + ", n_layers " +
                 std::to_string(c.n_layers) + ", n_heads " + std::to_string(c.n_heads) +
                 ", n_kv_heads " + std::to_string(c.n_kv_heads) + ", vocab_size " +
                 std::to_string(header_vocab) + ", seq_len " + std::to_string(c.seq_len));
  };
  if (c.dim <= 0 || c.hidden_dim <= 0 || c.n_layers <= 0 || c.n_heads <= 0 || c.n_kv_heads <= 0 ||
      c.vocab_size <= 0 || c.seq_len <= 0) {
    throw bad("every size must be positive");
  }
  if (c.dim % c.n_heads != 0) throw bad("dim must be a multiple of n_heads");
  if (c.n_kv_heads > c.n_heads || c.n_heads % c.n_kv_heads != 0) {
    throw bad("n_heads must be a multiple of n_kv_heads");
  }
  if (c.head_size() % 2 != 0) throw bad("head_size must be even for RoPE");

  // Float counts of each tensor, in file order.
  const std::uint64_t dim = c.dim, hidden = c.hidden_dim, layers = c.n_layers, vocab = c.vocab_size,
                      kv_dim = static_cast<std::uint64_t>(c.kv_dim()), head = c.head_size(),
                      seq = c.seq_len;
  auto m = [&](std::uint64_t a, std::uint64_t b) { return checked_mul(a, b, path); };
  const std::uint64_t n_embed = m(vocab, dim);
  const std::uint64_t n_rms_att = m(layers, dim);
  const std::uint64_t n_wq = m(layers, m(dim, dim));
  const std::uint64_t n_wk = m(layers, m(kv_dim, dim));
  const std::uint64_t n_wv = n_wk;
  const std::uint64_t n_wo = n_wq;
  const std::uint64_t n_rms_ffn = n_rms_att;
  const std::uint64_t n_w1 = m(layers, m(hidden, dim));
  const std::uint64_t n_w2 = n_w1;
  const std::uint64_t n_w3 = n_w1;
  const std::uint64_t n_rms_final = dim;
  const std::uint64_t n_freq = m(seq, head / 2);  // each of real, imag
  const std::uint64_t n_wcls = c.shared_classifier ? 0 : n_embed;
  const std::uint64_t total = n_embed + n_rms_att + n_wq + n_wk + n_wv + n_wo + n_rms_ffn + n_w1 +
                              n_w2 + n_w3 + n_rms_final + 2 * n_freq + n_wcls;
  const std::uint64_t expected_bytes = kHeaderBytes + m(total, 4);
  if (bytes.size() < expected_bytes) {
    throw Error(name + ": truncated llama2.c checkpoint (" + std::to_string(bytes.size()) +
                " bytes, the header implies " + std::to_string(expected_bytes) + ")");
  }
  if (bytes.size() > expected_bytes) {
    throw Error(name + ": llama2.c checkpoint has " + std::to_string(bytes.size() - expected_bytes) +
                " trailing bytes (" + std::to_string(bytes.size()) + " bytes, the header implies " +
                std::to_string(expected_bytes) + "; wrong header?)");
  }

  ck.data.resize(total);
  for (std::uint64_t i = 0; i < total; ++i) ck.data[i] = in.f32("weights");

  Weights& w = ck.weights;
  const float* p = ck.data.data();
  auto take = [&p](std::uint64_t n) {
    const float* t = p;
    p += n;
    return t;
  };
  w.token_embedding = take(n_embed);
  w.rms_att = take(n_rms_att);
  w.wq = take(n_wq);
  w.wk = take(n_wk);
  w.wv = take(n_wv);
  w.wo = take(n_wo);
  w.rms_ffn = take(n_rms_ffn);
  w.w1 = take(n_w1);
  w.w2 = take(n_w2);
  w.w3 = take(n_w3);
  w.rms_final = take(n_rms_final);
  take(n_freq);  // freq_cis_real (unused)
  take(n_freq);  // freq_cis_imag (unused)
  w.wcls = c.shared_classifier ? w.token_embedding : take(n_wcls);
  return ck;
}

void build_run_state(RunState& s, const Config& c) {
  const std::size_t kv_cache = static_cast<std::size_t>(c.n_layers) * c.seq_len * c.kv_dim();
  s.x.assign(c.dim, 0.0f);
  s.xb.assign(c.dim, 0.0f);
  s.xb2.assign(c.dim, 0.0f);
  s.hb.assign(c.hidden_dim, 0.0f);
  s.hb2.assign(c.hidden_dim, 0.0f);
  s.q.assign(c.dim, 0.0f);
  s.k.assign(c.kv_dim(), 0.0f);
  s.v.assign(c.kv_dim(), 0.0f);
  s.att.assign(static_cast<std::size_t>(c.n_heads) * c.seq_len, 0.0f);
  s.logits.assign(c.vocab_size, 0.0f);
  s.key_cache.assign(kv_cache, 0.0f);
  s.value_cache.assign(kv_cache, 0.0f);
}

void free_run_state(RunState& s) {
  for (std::vector<float>* v : {&s.x, &s.xb, &s.xb2, &s.hb, &s.hb2, &s.q, &s.k, &s.v, &s.att,
                                &s.logits, &s.key_cache, &s.value_cache}) {
    std::vector<float>().swap(*v);
  }
}

const std::vector<float>& forward(const Checkpoint& ck, RunState& s, int token, int pos) {
  const Config& c = ck.config;
  const Weights& w = ck.weights;
  if (token < 0 || token >= c.vocab_size) {
    throw Error("llama2c forward: token " + std::to_string(token) + " out of range [0, " +
                std::to_string(c.vocab_size) + ")");
  }
  if (pos < 0 || pos >= c.seq_len) {
    throw Error("llama2c forward: position " + std::to_string(pos) + " out of range [0, " +
                std::to_string(c.seq_len) + ")");
  }
  const int dim = c.dim, hidden = c.hidden_dim, head_size = c.head_size(), kv_dim = c.kv_dim();
  const int kv_mul = c.n_heads / c.n_kv_heads;  // query heads per kv head
  const std::size_t udim = dim;

  // x = the token's embedding row.
  std::memcpy(s.x.data(), w.token_embedding + token * udim, udim * sizeof(float));

  for (int l = 0; l < c.n_layers; ++l) {
    const std::size_t L = l;
    // --- attention ---
    rmsnorm(s.xb.data(), s.x.data(), w.rms_att + L * dim, dim);
    matmul(s.q.data(), s.xb.data(), w.wq + L * dim * dim, dim, dim);
    matmul(s.k.data(), s.xb.data(), w.wk + L * kv_dim * dim, dim, kv_dim);
    matmul(s.v.data(), s.xb.data(), w.wv + L * kv_dim * dim, dim, kv_dim);

    // RoPE: rotate each adjacent pair (i, i+1) of every head by pos * 10000^(-(i%head_size)/head_size).
    for (int i = 0; i < dim; i += 2) {
      const int head_dim = i % head_size;
      const float freq = 1.0f / std::pow(10000.0f, static_cast<float>(head_dim) / static_cast<float>(head_size));
      const float angle = static_cast<float>(pos) * freq;
      const float cr = std::cos(angle), ci = std::sin(angle);
      const int n_rot = i < kv_dim ? 2 : 1;  // q always, k only within kv_dim
      for (int r = 0; r < n_rot; ++r) {
        float* vec = r == 0 ? s.q.data() : s.k.data();
        const float v0 = vec[i], v1 = vec[i + 1];
        vec[i] = v0 * cr - v1 * ci;
        vec[i + 1] = v0 * ci + v1 * cr;
      }
    }

    // Store k, v at this position.
    const std::size_t layer_off = L * c.seq_len * kv_dim;
    std::memcpy(s.key_cache.data() + layer_off + static_cast<std::size_t>(pos) * kv_dim, s.k.data(),
                kv_dim * sizeof(float));
    std::memcpy(s.value_cache.data() + layer_off + static_cast<std::size_t>(pos) * kv_dim, s.v.data(),
                kv_dim * sizeof(float));

    // Multi-head attention over positions 0..pos; query head h reads kv head h / kv_mul.
    for (int h = 0; h < c.n_heads; ++h) {
      const float* q = s.q.data() + static_cast<std::size_t>(h) * head_size;
      float* att = s.att.data() + static_cast<std::size_t>(h) * c.seq_len;
      const std::size_t kv_off = static_cast<std::size_t>(h / kv_mul) * head_size;
      for (int t = 0; t <= pos; ++t) {
        const float* k = s.key_cache.data() + layer_off + static_cast<std::size_t>(t) * kv_dim + kv_off;
        float score = 0.0f;
        for (int i = 0; i < head_size; ++i) score += q[i] * k[i];
        att[t] = score / std::sqrt(static_cast<float>(head_size));
      }
      softmax(att, pos + 1);
      float* out = s.xb.data() + static_cast<std::size_t>(h) * head_size;
      for (int i = 0; i < head_size; ++i) out[i] = 0.0f;
      for (int t = 0; t <= pos; ++t) {
        const float* v = s.value_cache.data() + layer_off + static_cast<std::size_t>(t) * kv_dim + kv_off;
        for (int i = 0; i < head_size; ++i) out[i] += att[t] * v[i];
      }
    }
    matmul(s.xb2.data(), s.xb.data(), w.wo + L * dim * dim, dim, dim);
    for (int i = 0; i < dim; ++i) s.x[i] += s.xb2[i];

    // --- feed-forward (SwiGLU): x += w2 (silu(w1 xb) * (w3 xb)) ---
    rmsnorm(s.xb.data(), s.x.data(), w.rms_ffn + L * dim, dim);
    matmul(s.hb.data(), s.xb.data(), w.w1 + L * hidden * dim, dim, hidden);
    matmul(s.hb2.data(), s.xb.data(), w.w3 + L * hidden * dim, dim, hidden);
    for (int i = 0; i < hidden; ++i) {
      const float g = s.hb[i];
      s.hb[i] = g * (1.0f / (1.0f + std::exp(-g))) * s.hb2[i];
    }
    matmul(s.xb.data(), s.hb.data(), w.w2 + L * dim * hidden, hidden, dim);
    for (int i = 0; i < dim; ++i) s.x[i] += s.xb[i];
  }

  rmsnorm(s.x.data(), s.x.data(), w.rms_final, dim);
  matmul(s.logits.data(), s.x.data(), w.wcls, dim, c.vocab_size);
  return s.logits;
}

Tokenizer read_tokenizer(const std::filesystem::path& path, int vocab_size) {
  const std::string name = path.string();
  if (vocab_size <= 0) throw Error(name + ": vocab_size must be positive");
  const Bytes bytes = read_whole_file(path);
  Reader in(bytes, path);
  Tokenizer tok;
  tok.max_token_length = in.i32("max_token_length");
  if (tok.max_token_length <= 0) {
    throw Error(name + ": bad tokenizer header (max_token_length " +
                std::to_string(tok.max_token_length) + ")");
  }
  tok.vocab.reserve(vocab_size);
  tok.scores.reserve(vocab_size);
  for (int i = 0; i < vocab_size; ++i) {
    if (in.remaining() == 0) {
      throw Error(name + ": tokenizer has " + std::to_string(i) +
                  " tokens, the model's vocab_size is " + std::to_string(vocab_size) +
                  " (truncated file or vocab mismatch)");
    }
    tok.scores.push_back(in.f32("a token score"));
    const std::int32_t len = in.i32("a token length");
    if (len < 0 || len > tok.max_token_length) {
      throw Error(name + ": token " + std::to_string(i) + " has length " + std::to_string(len) +
                  " (max_token_length " + std::to_string(tok.max_token_length) + ")");
    }
    tok.vocab.push_back(in.str(static_cast<std::size_t>(len), "a token piece"));
  }
  if (in.remaining() != 0) {
    throw Error(name + ": tokenizer has " + std::to_string(in.remaining()) +
                " bytes after the model's " + std::to_string(vocab_size) +
                " tokens (vocab mismatch between model and tokenizer)");
  }
  return tok;
}

std::string Tokenizer::decode(int prev_token, int token) const {
  const int n = static_cast<int>(vocab.size());
  if (token < 0 || token >= n) {
    throw Error("llama2c tokenizer: token " + std::to_string(token) + " out of range [0, " +
                std::to_string(n) + ")");
  }
  std::string_view piece = vocab[token];
  if (prev_token == kBosToken && !piece.empty() && piece[0] == ' ') piece.remove_prefix(1);
  // "<0xNN>" (two hex digits) is the raw byte 0xNN.
  if (piece.size() == 6 && piece.substr(0, 3) == "<0x" && piece[5] == '>' &&
      std::isxdigit(static_cast<unsigned char>(piece[3])) &&
      std::isxdigit(static_cast<unsigned char>(piece[4]))) {
    const int byte = std::stoi(std::string(piece.substr(3, 2)), nullptr, 16);
    return std::string(1, static_cast<char>(byte));
  }
  return std::string(piece);
}

std::string_view printable_piece(std::string_view piece) {
  if (piece.empty()) return piece;
  if (piece.size() == 1) {
    const unsigned char b = static_cast<unsigned char>(piece[0]);
    if (!(std::isprint(b) || std::isspace(b))) return {};
  }
  return piece;
}

std::string generate_greedy(const Checkpoint& ck, const Tokenizer& tokenizer, int steps) {
  const Config& c = ck.config;
  if (static_cast<int>(tokenizer.vocab.size()) != c.vocab_size) {
    throw Error("llama2c: tokenizer has " + std::to_string(tokenizer.vocab.size()) +
                " tokens, model vocab_size is " + std::to_string(c.vocab_size));
  }
  if (steps <= 0 || steps > c.seq_len) steps = c.seq_len;
  RunState state;
  build_run_state(state, c);
  std::string out;
  int token = kBosToken;
  for (int pos = 0; pos < steps; ++pos) {
    const std::vector<float>& logits = forward(ck, state, token, pos);
    int next = 0;  // argmax, lowest id on ties
    for (int i = 1; i < c.vocab_size; ++i) {
      if (logits[i] > logits[next]) next = i;
    }
    if (next == kBosToken) break;
    out += printable_piece(tokenizer.decode(token, next));
    token = next;
  }
  out += '\n';
  free_run_state(state);
  return out;
}

}  // namespace lmzip::model::llama2c
