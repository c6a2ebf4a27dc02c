//! `pcplan themes analyse`: theme analysis of one question's responses from a file, on
//! the command line, with no database.
//!
//! It reads a CSV or XLSX export (through `pcplan-import`, so encodings, quoted cells
//! over several lines and bad rows by line all work as in the web import) or JSON Lines,
//! runs `pcplan_themes::analyse` (or, given `--model-dir` in a build with the
//! `embeddings` feature, the same analysis from sentence embeddings), and prints the
//! themes and every response's assignments as text or JSON on standard output. Notes go
//! to standard error, among them how the themes were found and, when not with
//! embeddings, why not. It opens no configuration-dependent path (the model directory
//! is read only when named), creates no data directory and writes no file; it does not
//! store, review or label themes (staff do that in the web application).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use pcplan_import::{Limits, Mapping, ReadOptions, Target};
use pcplan_themes::{Analysis, Flag, Options, Response};
use serde::Serialize;
use serde_json::Value;

use crate::cli::{Format, ThemesCommand};

/// Characters of a quote shown in the text output before it is cut.
const QUOTE_CHARS: usize = 200;
/// Bad rows listed before "and N more".
const BAD_ROWS_SHOWN: usize = 10;

/// Runs a `themes` command.
pub fn run(command: ThemesCommand) -> anyhow::Result<ExitCode> {
    match command {
        ThemesCommand::Analyse {
            file,
            text_column,
            id_column,
            themes,
            seed,
            format,
            sheet,
            header_row,
            skip_bad_rows,
            model_dir,
        } => {
            if themes == Some(0) {
                bail!("--themes must be at least 1; leave it out to choose the number automatically");
            }
            let source = Source { text_column, id_column, sheet, header_row, skip_bad_rows };
            let responses = load(&file, &source)?;
            eprintln!("analysing {} responses from {}", responses.len(), file.display());
            let options = Options { seed, themes, ..Options::default() };
            let (analysis, note) = analyse(&responses, &options, model_dir.as_deref())?;
            eprintln!("method {}: {note}", analysis.method);
            let out = match format {
                Format::Json => {
                    let output = JsonOutput { analysis: &analysis, method_note: &note };
                    let mut json = serde_json::to_string_pretty(&output).context("writing the analysis as JSON")?;
                    json.push('\n');
                    json
                }
                Format::Text => text_report(&analysis, &note),
            };
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Where the responses are in the file.
struct Source {
    text_column: String,
    id_column: Option<String>,
    sheet: Option<String>,
    header_row: Option<usize>,
    skip_bad_rows: bool,
}

/// Reads the responses, by the file's extension: `.jsonl` or `.ndjson` as JSON Lines,
/// anything else as a CSV or XLSX export. Texts are trimmed; without an id column a
/// response's id is its 1-based position among the responses.
fn load(path: &Path, source: &Source) -> anyhow::Result<Vec<Response>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let responses = if matches!(extension.as_str(), "jsonl" | "ndjson") {
        from_json_lines(&name, &bytes, source)?
    } else {
        from_table(&name, &bytes, source)?
    };
    unique_ids(&responses, source)?;
    Ok(responses)
}

const ID: Target = Target { key: "id", label: "Response ID", required: true, free_text: false, synonyms: &[] };
// Not required: an empty answer is still a response, analysed as fitting no theme.
const TEXT: Target = Target { key: "text", label: "Response text", required: false, free_text: true, synonyms: &[] };

fn from_table(name: &str, bytes: &[u8], source: &Source) -> anyhow::Result<Vec<Response>> {
    let options = ReadOptions { header_row: source.header_row, sheet: source.sheet.clone(), ..ReadOptions::default() };
    let table = pcplan_import::read(name, bytes, &options, &mut |_| {})?;
    let column = |wanted: &str| {
        table.find_column(wanted).ok_or_else(|| {
            anyhow::anyhow!(
                "`{name}` has no column `{wanted}`; its columns are {}",
                table.headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
            )
        })
    };
    let mut mapping = Mapping::default();
    mapping.0.insert(TEXT.key.to_owned(), column(&source.text_column)?);
    let mut targets = vec![TEXT];
    if let Some(id) = &source.id_column {
        mapping.0.insert(ID.key.to_owned(), column(id)?);
        targets.push(ID);
    }
    let mapped = pcplan_import::apply(&table, &mapping, &targets, &Limits::default())?;
    let mut notes = Vec::new();
    if let Some(sheet) = &table.sheet {
        notes.push(format!("sheet `{sheet}`"));
    }
    if let Some(encoding) = table.encoding {
        notes.push(encoding.name().to_owned());
    }
    notes.push(format!("header on line {}", table.header_line));
    eprintln!("read `{name}`: {}, {} rows", notes.join(", "), table.rows.len());
    if !mapped.bad.is_empty() {
        let mut listed: Vec<String> = mapped.bad.iter().take(BAD_ROWS_SHOWN).map(|b| format!("  {b}")).collect();
        if mapped.bad.len() > BAD_ROWS_SHOWN {
            listed.push(format!("  and {} more", mapped.bad.len() - BAD_ROWS_SHOWN));
        }
        if !source.skip_bad_rows {
            bail!(
                "`{name}` has {} bad rows; correct them, or pass --skip-bad-rows to analyse the other {}:\n{}",
                mapped.bad.len(),
                mapped.good.len(),
                listed.join("\n")
            );
        }
        eprintln!("leaving out {} bad rows:\n{}", mapped.bad.len(), listed.join("\n"));
    }
    Ok(mapped
        .into_good()
        .into_iter()
        .enumerate()
        .map(|(i, row)| Response {
            id: row.values.get(ID.key).cloned().unwrap_or_else(|| (i + 1).to_string()),
            text: row.values.get(TEXT.key).cloned().unwrap_or_default(),
        })
        .collect())
}

fn from_json_lines(name: &str, bytes: &[u8], source: &Source) -> anyhow::Result<Vec<Response>> {
    let (text, _) = pcplan_import::decode(bytes);
    let mut responses = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            anyhow::anyhow!("`{name}` line {number} is not valid JSON ({e}); each line must be one JSON object")
        })?;
        let Value::Object(object) = value else {
            bail!(
                "`{name}` line {number} is not a JSON object; each line must be one object like {{\"text\": \"...\"}}"
            );
        };
        let field = |wanted: &str| -> anyhow::Result<&Value> {
            object
                .get(wanted)
                .or_else(|| object.iter().find(|(k, _)| k.to_lowercase() == wanted.to_lowercase()).map(|(_, v)| v))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "`{name}` line {number} has no key `{wanted}`; its keys are {}",
                        object.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    )
                })
        };
        let text = match field(&source.text_column)? {
            Value::String(s) => s.trim().to_owned(),
            Value::Null => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(_) | Value::Object(_) => {
                bail!("`{name}` line {number}: `{}` is a list or an object, not text", source.text_column)
            }
        };
        let id = match &source.id_column {
            None => (responses.len() + 1).to_string(),
            Some(key) => match field(key)? {
                Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
                Value::Number(n) => n.to_string(),
                _ => bail!("`{name}` line {number}: `{key}` must be a non-empty string or a number to be an id"),
            },
        };
        responses.push(Response { id, text });
    }
    if responses.is_empty() {
        bail!("`{name}` holds no responses; it needs one JSON object a line");
    }
    Ok(responses)
}

/// Ids name responses in the output, so two responses may not share one.
fn unique_ids(responses: &[Response], source: &Source) -> anyhow::Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, r) in responses.iter().enumerate() {
        if let Some(first) = seen.insert(&r.id, i + 1) {
            let column = source.id_column.as_deref().unwrap_or("id");
            bail!(
                "responses {first} and {} both have the id `{}`; each value in `{column}` must be unique, or leave out \
                 --id-column to number the responses",
                i + 1,
                r.id
            );
        }
    }
    Ok(())
}

/// The JSON output: the whole analysis, and how its themes were found in words.
#[derive(Serialize)]
struct JsonOutput<'a> {
    #[serde(flatten)]
    analysis: &'a Analysis,
    method_note: &'a str,
}

/// Runs the analysis: from sentence embeddings when a model directory is given, this
/// pcplan has the `embeddings` feature and the model loads; with TF-IDF and NMF
/// otherwise. Returns it with a note saying how the themes were found and, for TF-IDF,
/// why no embeddings were used.
fn analyse(responses: &[Response], options: &Options, model_dir: Option<&Path>) -> anyhow::Result<(Analysis, String)> {
    let why = match model_dir {
        None if cfg!(feature = "embeddings") => {
            String::from("no embedding model given (--model-dir or PCPLAN_EMBEDDING_MODEL)")
        }
        None => String::from("this pcplan was built without the `embeddings` feature"),
        Some(dir) => match embedded(responses, options, dir)? {
            Ok(found) => return Ok(found),
            Err(why) => why,
        },
    };
    let analysis = pcplan_themes::analyse(responses, options);
    Ok((analysis, format!("TF-IDF and NMF, no embedding model: {why}")))
}

/// The analysis from the model in `dir`, or why it could not be made (`Ok(Err(why))`,
/// which falls back to TF-IDF). A model that loads but fails while embedding stops the
/// command: that is no setting to correct but a fault to report.
#[cfg(feature = "embeddings")]
fn embedded(
    responses: &[Response],
    options: &Options,
    dir: &Path,
) -> anyhow::Result<Result<(Analysis, String), String>> {
    let embedder = match pcplan_themes::Embedder::load(dir) {
        Ok(embedder) => embedder,
        Err(error) => return Ok(Err(error.to_string())),
    };
    eprintln!("embedding the responses with the model at {}", dir.display());
    let analysis = pcplan_themes::analyse_with_embedder(responses, &embedder, options)
        .with_context(|| format!("finding themes with the model at {}", dir.display()))?;
    let note = format!("sentence embeddings (all-MiniLM-L6-v2 from {}) clustered by k-means", dir.display());
    Ok(Ok((analysis, note)))
}

/// Without the `embeddings` feature a model directory cannot be used: says so.
#[cfg(not(feature = "embeddings"))]
fn embedded(
    _responses: &[Response],
    _options: &Options,
    dir: &Path,
) -> anyhow::Result<Result<(Analysis, String), String>> {
    Ok(Err(format!(
        "this pcplan was built without the `embeddings` feature, so the model at {} is not used (build with \
         `--features embeddings`)",
        dir.display()
    )))
}

/// The analysis for a person to read. Themes are numbered from 1 here (theme `id` + 1).
fn text_report(a: &Analysis, note: &str) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail, so the results of `writeln!` are ignored.
    let _ = writeln!(
        out,
        "Responses: {}, distinct: {}, method: {} ({note}), seed: {}, themes: {}",
        a.responses,
        a.distinct_responses,
        a.method,
        a.seed,
        a.themes.len()
    );
    for theme in &a.themes {
        let _ = writeln!(out, "\nTheme {}: {}", theme.id + 1, one_line(&theme.label));
        let _ = writeln!(out, "  Size: {} responses ({} with copies)", theme.size, theme.size_with_duplicates);
        let _ = writeln!(out, "  Key phrases: {}", theme.key_phrases.join(", "));
        let _ = writeln!(out, "  Quotes:");
        for quote in &theme.quotes {
            let _ = writeln!(out, "    [{}] {}", one_line(&quote.response_id), cut(&quote.text, QUOTE_CHARS));
        }
    }
    if !a.duplicate_groups.is_empty() {
        let _ = writeln!(out, "\nCopies:");
        for group in &a.duplicate_groups {
            let kind = if group.campaign { "campaign" } else { "copies" };
            let _ = writeln!(out, "  {} responses like [{}] ({kind})", group.size, one_line(&group.representative));
        }
    }
    let _ = writeln!(out, "\nFlags:");
    if a.flags.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for flag in &a.flags {
        let _ = writeln!(out, "  {}", flag_text(flag));
    }
    let _ = writeln!(out, "\nAssignments:");
    for assignment in &a.assignments {
        let themes = if assignment.themes.is_empty() {
            "other".to_owned()
        } else {
            assignment.themes.iter().map(|s| format!("{} ({:.2})", s.theme + 1, s.score)).collect::<Vec<_>>().join(", ")
        };
        let copy = assignment.duplicate_of.as_ref().map(|d| format!("; copy of {}", one_line(d))).unwrap_or_default();
        let _ = writeln!(out, "{}\t{themes}{copy}", one_line(&assignment.response_id));
    }
    out
}

fn flag_text(flag: &Flag) -> String {
    match flag {
        Flag::ThemeOverlap { a, b, overlap } => format!(
            "themes {} and {} overlap: {:.0}% of the smaller one's responses are in both",
            a + 1,
            b + 1,
            overlap * 100.0
        ),
        Flag::ThemesMerged { count } => format!("{count} themes merged into others because their words were too alike"),
        Flag::ThemesDissolved { count } => {
            format!("{count} themes dissolved for holding too few responses; their responses moved to other themes")
        }
        Flag::TooFewResponses { usable, needed } => {
            format!("too few responses to find themes: {usable} with usable words, at least {needed} needed")
        }
    }
}

/// Whitespace (line breaks and tabs included) collapsed to single spaces, so every
/// value stays on its line and tab-separated columns stay aligned.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` on one line, cut at a word boundary to at most `max` characters, with `…`.
fn cut(s: &str, max: usize) -> String {
    let line = one_line(s);
    if line.chars().count() <= max {
        return line;
    }
    let head: String = line.chars().take(max).collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(h, _)| h);
    format!("{}…", head.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(cut("short\nanswer", 200), "short answer");
        assert_eq!(cut("one two, three four", 12), "one two…");
    }
}
