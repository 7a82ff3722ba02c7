// config_sections.cpp — keys, help texts and checks of every config section.
#include "app/config_sections.hpp"

#include <cctype>

namespace nmt {
namespace {

OptionSchema::Check<std::string> language_code() {
  return [](const std::string& code) {
    if (code.empty()) return std::string("must not be empty");
    for (const char c : code)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
        return "must be a language code such as 'en' (letters, digits, '-' and '_'), got '" + code + "'";
    return std::string();
  };
}

}  // namespace

void add_data_options(OptionSchema& schema, DataConfig& config) {
  const std::string s = "data";
  schema.add_required(s, "source_lang", &config.source_lang,
                      "source language code; corpus files end in .CODE or .CODE.gz", language_code());
  schema.add_required(s, "target_lang", &config.target_lang, "target language code", language_code());
  schema.add_required(s, "train", &config.train, "training corpus prefix: PREFIX.LANG or PREFIX.LANG.gz");
  schema.add(s, "dev", &config.dev, "validation corpus prefix (empty: no validation)");
  schema.add(s, "test", &config.test, "test corpus prefix: scored by `nmt train` at the end and by `nmt evaluate` (empty: none)");
  schema.add(s, "max_length", &config.max_length,
             "training pairs with more subword tokens than this on either side are dropped",
             in_range(1, 1000));
  schema.add(s, "max_line_bytes", &config.read.max_line_bytes,
             "lines longer than this many bytes count as bad lines", in_range<std::size_t>(16, 1 << 24));
  schema.add(s, "on_bad_line", &config.read.on_bad_line,
             "empty, over-long or invalid-UTF-8 lines: skip the pair (with a count) or fail");
  schema.add_relation({"data.target_lang"}, [&config] {
    return config.source_lang == config.target_lang
               ? "must differ from data.source_lang (both are '" + config.source_lang + "')"
               : std::string();
  });
}

void add_tokenizer_options(OptionSchema& schema, TokenizerConfig& config) {
  const std::string s = "tokenizer";
  schema.add(s, "algorithm", &config.algorithm, "SentencePiece model type");
  schema.add(s, "vocab_size", &config.vocab_size,
             "pieces per model (fewer if the corpus cannot support that many)", in_range(8, 1000000));
  schema.add(s, "joint", &config.joint, "one model shared by source and target");
  schema.add(s, "character_coverage", &config.character_coverage,
             "share of the corpus's characters the alphabet must cover", in_range(0.9, 1.0));
  schema.add(s, "byte_fallback", &config.byte_fallback,
             "spell unknown characters as UTF-8 byte pieces instead of <unk>");
  schema.add(s, "normalization", &config.normalization, "Unicode normalization before splitting");
  schema.add(s, "max_sentences", &config.max_sentences,
             "sentences sampled to train each model (0 = all)", at_least(0));
  schema.add(s, "threads", &config.threads, "threads for tokenizer training", in_range(1, 256));
  schema.add(s, "seed", &config.seed, "seed of the sentence sampling");
}

void add_model_options(OptionSchema& schema, ModelConfig& config) {
  const std::string s = "model";
  schema.add(s, "embed_dim", &config.embed_dim, "E: embedding size", in_range(1, 8192));
  schema.add(s, "encoder_hidden", &config.encoder_hidden, "H: encoder GRU size per direction",
             in_range(1, 8192));
  schema.add(s, "encoder_layers", &config.encoder_layers, "stacked bidirectional encoder layers",
             in_range(1, 16));
  schema.add(s, "decoder_hidden", &config.decoder_hidden, "D: decoder GRU size", in_range(1, 8192));
  schema.add(s, "attention_dim", &config.attention_dim, "A: additive attention size",
             in_range(1, 8192));
  schema.add(s, "output_dim", &config.output_dim, "O: deep-output size", in_range(1, 8192));
  schema.add(s, "attention", &config.attention, "attention score");
  schema.add(s, "dropout", &config.dropout,
             "dropout on embeddings and the deep output's input and output", in_range(0.0, 0.9));
  schema.add(s, "tie_embeddings", &config.tie_embeddings,
             "share the target embedding with the output matrix (needs output_dim = embed_dim)");
  schema.add_relation({"model.tie_embeddings", "model.output_dim", "model.embed_dim"}, [&config] {
    return config.tie_embeddings && config.output_dim != config.embed_dim
               ? "needs model.output_dim (" + std::to_string(config.output_dim) +
                     ") = model.embed_dim (" + std::to_string(config.embed_dim) + ")"
               : std::string();
  });
}

void add_train_options(OptionSchema& schema, TrainConfig& config) {
  const std::string s = "train";
  schema.add(s, "run_dir", &config.run_dir,
             "run directory: config, log, metrics, checkpoints and the model file",
             OptionSchema::Check<std::string>([](const std::string& dir) {
               return dir.empty() ? std::string("must not be empty") : std::string();
             }));
  schema.add(s, "seed", &config.seed, "seed of initialisation, dropout and batch order");
  schema.add(s, "threads", &config.threads, "compute threads", in_range(1, 256));
  schema.add(s, "precision", &config.precision,
             "matrix-product precision: bf16 rounds the operands of every matrix product to bf16 and "
             "sums in f32; weights, gradients and Adam stay f32 (needs a CPU with bf16 instructions)");
  schema.add(s, "batch_tokens", &config.batch_tokens, "target tokens per batch", in_range(1, 1000000));
  schema.add(s, "max_epochs", &config.max_epochs, "stop after this many epochs", at_least(1));
  schema.add(s, "max_steps", &config.max_steps, "stop after this many updates (0 = no limit)",
             at_least<std::int64_t>(0));
  schema.add(s, "max_minutes", &config.max_minutes,
             "stop after this much wall-clock time in minutes, validations included, then validate "
             "once more (0 = no limit)",
             at_least(0.0));
  schema.add(s, "lr", &config.lr, "Adam learning rate", in_range(1e-8, 10.0));
  schema.add(s, "beta1", &config.beta1, "Adam beta1", in_range(0.0, 0.999999));
  schema.add(s, "beta2", &config.beta2, "Adam beta2", in_range(0.0, 0.999999999));
  schema.add(s, "epsilon", &config.epsilon, "Adam epsilon", in_range(1e-12, 1.0));
  schema.add(s, "clip_norm", &config.clip_norm, "clip the global gradient norm to this (0 = off)",
             at_least(0.0));
  schema.add(s, "warmup_steps", &config.warmup_steps, "linear learning-rate warmup steps", at_least(0));
  schema.add(s, "anneal_fraction", &config.anneal_fraction,
             "over this last share of the run's budget (max_minutes, max_steps or max_epochs, "
             "whichever ends it first) the learning rate falls linearly to min_lr (0 = off)",
             in_range(0.0, 1.0));
  schema.add(s, "label_smoothing", &config.label_smoothing, "label smoothing epsilon",
             in_range(0.0, 0.99));
  schema.add(s, "lr_decay", &config.lr_decay, "learning-rate factor when the validation metric stalls",
             in_range(0.01, 1.0));
  schema.add(s, "lr_patience", &config.lr_patience,
             "validations without improvement before the learning rate decays", at_least(1));
  schema.add(s, "min_lr", &config.min_lr, "the learning rate never decays below this", at_least(0.0));
  schema.add(s, "valid_every", &config.valid_every, "steps between validations (0 = once per epoch)",
             at_least(0));
  schema.add(s, "valid_metric", &config.valid_metric,
             "dev metric that picks the best model and drives lr decay and early stopping "
             "(BLEU and exact match of greedy translations, or teacher-forced perplexity)");
  schema.add(s, "early_stopping", &config.early_stopping,
             "validations without improvement before training stops (0 = never)", at_least(0));
  schema.add(s, "checkpoint_every", &config.checkpoint_every, "steps between checkpoints",
             at_least(1));
  schema.add(s, "keep_checkpoints", &config.keep_checkpoints, "checkpoints kept in the run directory",
             in_range(1, 1000));
  schema.add(s, "log_every", &config.log_every,
             "steps between log lines when stderr is not a terminal", at_least(1));
  schema.add(s, "max_bad_updates", &config.max_bad_updates,
             "consecutive non-finite losses or gradients before the run stops", at_least(1));
}

void add_search_options(OptionSchema& schema, SearchConfig& config) {
  const std::string s = "search";
  schema.add(s, "beam_size", &config.beam_size, "beam width (1 = greedy)", in_range(1, 256));
  schema.add(s, "length_penalty", &config.length_penalty,
             "alpha: hypotheses are ranked by score / length^alpha", in_range(0.0, 10.0));
  schema.add(s, "max_length_ratio", &config.max_length_ratio,
             "output length limit: ratio * source length + max_length_extra", in_range(0.1, 100.0));
  schema.add(s, "max_length_extra", &config.max_length_extra, "see max_length_ratio", in_range(0, 1000));
  schema.add(s, "nbest", &config.nbest, "hypotheses output per sentence", in_range(1, 256));
  schema.add(s, "batch_size", &config.batch_size, "sentences translated together", in_range(1, 4096));
  schema.add_relation({"search.nbest", "search.beam_size"}, [&config] {
    return config.nbest > config.beam_size
               ? "cannot exceed search.beam_size (" + std::to_string(config.beam_size) + ")"
               : std::string();
  });
}

void add_run_options(OptionSchema& schema, RunConfig& config) {
  add_data_options(schema, config.data);
  add_tokenizer_options(schema, config.tokenizer);
  add_model_options(schema, config.model);
  add_train_options(schema, config.train);
  add_search_options(schema, config.search);
}

}  // namespace nmt
