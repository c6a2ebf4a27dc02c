//! Bench driver: runs [`pcplan_themes::analyse`] on a JSON-lines file and writes the
//! `Analysis` as JSON, so that `bench/themes/run.py` can time it end to end (reading,
//! analysing, writing) against scikit-learn.
//!
//! Usage: `analyse_jsonl <input.jsonl> [--themes N] [--seed S] [--options JSON] [--out FILE]
//! [--timings]`. Each input line is an object with `id` (string or number) and `text`.
//! `--options` takes a JSON object of `Options` fields (others keep their defaults;
//! `--themes` and `--seed` are applied after it). With `--timings` the seconds spent
//! reading, analysing and writing go to standard error.
//!
//! It is not the product's command line (`pcplan themes analyse` in `crates/pcplan`
//! is): it reads only JSON lines, has no CSV support and no text output.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use pcplan_themes::{Options, Response, analyse};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    id: serde_json::Value,
    text: String,
}

struct Args {
    input: String,
    out: Option<String>,
    options: Options,
    timings: bool,
}

const USAGE: &str =
    "usage: analyse_jsonl <input.jsonl> [--themes N] [--seed S] [--options JSON] [--out FILE] [--timings]";

fn parse_args() -> Result<Args, String> {
    let (mut input, mut out, mut json) = (None, None, None);
    let (mut themes, mut seed) = (None, None);
    let mut timings = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value; {USAGE}"));
        match arg.as_str() {
            "--themes" => {
                let v = value("--themes")?;
                themes = Some(v.parse().map_err(|_| format!("--themes {v}: expected a whole number such as 10"))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                seed = Some(v.parse().map_err(|_| format!("--seed {v}: expected a whole number such as 42"))?);
            }
            "--options" => json = Some(value("--options")?),
            "--out" => out = Some(value("--out")?),
            "--timings" => timings = true,
            _ if input.is_none() && !arg.starts_with("--") => input = Some(arg),
            _ => return Err(format!("unknown argument {arg}; {USAGE}")),
        }
    }
    let input = input.ok_or_else(|| format!("missing input file; {USAGE}"))?;
    let mut options: Options = match json {
        Some(j) => serde_json::from_str(&j)
            .map_err(|e| format!("--options: {e}; expected a JSON object such as {{\"min_df\": 3}}"))?,
        None => Options::default(),
    };
    if themes.is_some() {
        options.themes = themes;
    }
    if let Some(seed) = seed {
        options.seed = seed;
    }
    Ok(Args { input, out, options, timings })
}

fn read(path: &str) -> Result<Vec<Response>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open {path}: {e}"))?;
    let mut responses = Vec::new();
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path} line {}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&line)
            .map_err(|e| format!("{path} line {}: {e}; expected {{\"id\": ..., \"text\": \"...\"}}", n + 1))?;
        let id = match parsed.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        responses.push(Response { id, text: parsed.text });
    }
    Ok(responses)
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let start = Instant::now();
    let responses = read(&args.input)?;
    let read_s = start.elapsed().as_secs_f64();
    let analysis = analyse(&responses, &args.options);
    let analyse_s = start.elapsed().as_secs_f64() - read_s;
    let write_err = |e: std::io::Error| format!("cannot write the analysis: {e}");
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| format!("cannot create {path}: {e}"))?;
            let mut w = BufWriter::new(file);
            serde_json::to_writer(&mut w, &analysis).map_err(|e| format!("cannot write {path}: {e}"))?;
            w.flush().map_err(write_err)?;
        }
        None => {
            let mut w = BufWriter::new(std::io::stdout().lock());
            serde_json::to_writer(&mut w, &analysis).map_err(|e| format!("cannot write the analysis: {e}"))?;
            w.flush().map_err(write_err)?;
        }
    }
    if args.timings {
        let total = start.elapsed().as_secs_f64();
        eprintln!(
            "read {read_s:.3}s analyse {analyse_s:.3}s write {:.3}s responses {} themes {}",
            total - read_s - analyse_s,
            analysis.responses,
            analysis.themes.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
