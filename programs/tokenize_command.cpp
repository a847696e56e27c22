#include "tokenize_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lmzip/codecs/paper_protocol.h"
#include "lmzip/data/dataset.h"
#include "lmzip/error.h"
#include "lmzip/model/open_model.h"
#include "lmzip/model/token_model.h"

namespace lmzip::cli {

namespace {

struct TokenizeArgs {
  std::string model;
  std::string tokenizer;
  std::vector<std::string> data;
  std::uint64_t chunks = 0;
  bool paper = false;
};

// Per data set: its chunks (prepared as `lmzip bench` prepares them), each tokenized alone as
// the compressor does, with the paper's 7-bit protocol if asked.
void run(const TokenizeArgs& a) {
  model::OpenOptions open;
  if (!a.tokenizer.empty()) open.tokenizer = a.tokenizer;
  const auto m = model::open_model(a.model, open);
  const auto* tm = dynamic_cast<const model::TokenModel*>(m.get());
  if (!tm) throw Error(a.model + ": not a token model (GGUF, Hugging Face or llama2.c with a tokenizer)");
  std::printf("%-12s %-6s %9s %12s %12s %12s\n", "data set", "kind", "chunks", "bytes", "tokens", "bytes/token");
  for (const auto& d : a.data) {
    data::DatasetSpec spec = data::parse_dataset_arg(d);
    if (a.chunks > 0) spec.max_chunks = a.chunks;
    auto stream = data::open_dataset(spec);
    std::uint64_t chunks = 0, bytes = 0, tokens = 0;
    data::Chunk chunk;
    while (stream->next(chunk)) {
      const std::string_view kind = data::to_string(spec.modality);
      const Bytes input = a.paper ? codecs::split(chunk.bytes, codecs::paper_protocol_for(kind)).seven : chunk.bytes;
      tokens += tm->tokenizer().encode(input).size();
      bytes += input.size();
      ++chunks;
    }
    std::printf("%-12s %-6s %9llu %12llu %12llu %12.3f\n", spec.label.c_str(),
                std::string(data::to_string(spec.modality)).c_str(), static_cast<unsigned long long>(chunks),
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(tokens),
                tokens ? static_cast<double>(bytes) / static_cast<double>(tokens) : 0.0);
  }
}

}  // namespace

void add_tokenize_command(CLI::App& app) {
  auto args = std::make_shared<TokenizeArgs>();
  auto* cmd = app.add_subcommand("tokenize", "Bytes per token of a token model's tokenizer on prepared data");
  cmd->add_option("-m,--model", args->model, "Token model (GGUF, Hugging Face folder, llama2.c checkpoint)")->required();
  cmd->add_option("--tokenizer", args->tokenizer, "Tokenizer file, where the model carries none");
  cmd->add_option("--data", args->data, "Data set as for lmzip bench: MODALITY[:LABEL]=PATH[,PATH...]")->required();
  cmd->add_option("--chunks", args->chunks, "At most N chunks per data set");
  cmd->add_flag("--paper", args->paper, "Apply the paper's 7-bit protocol first (as the lm7: codecs do)");
  cmd->callback([args] { run(*args); });
}

}  // namespace lmzip::cli
