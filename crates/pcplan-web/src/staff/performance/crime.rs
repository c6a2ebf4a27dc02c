//! police.uk crime data for staff, `/staff/performance/crime`: the months stored, the
//! body's LSOA lookup and the measures fed from them; for editors, the upload of
//! street-level files (CSV files, or the zip archive police.uk serves) and of the ONS
//! LSOA lookup.
//!
//! An upload is streamed into a fresh temporary folder (never held whole in memory),
//! each file sniffed first: a zip archive by its magic number, a CSV file by a text
//! header line; anything else is refused by name. `pcplan_crime` then reads the folder's
//! files with the body's stored lookup, the store replaces each force's month the files
//! hold (so importing a month again replaces it), and every fed measure is computed
//! again. The result page lists the months added and replaced, the crimes, bad rows as
//! `file:line: reason`, LSOA codes the lookup lacks and what each measure gained. The
//! folder is removed when the request ends, whatever happened.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{MAIN_SEPARATOR, PathBuf};

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_crime::{Aggregate, AreaRule, FileKind, Options};
use pcplan_domain::Body;
use pcplan_domain::period::Period;
use pcplan_store::CrimeImportSummary;

use super::{BodyQuery, body_of, measure_path, monitored, trail, with_body};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::performance_work::{self, CRIME_UPLOAD_MAX_BYTES};
use crate::staff::forms::FieldErrors;
use crate::staff::{Crumb, require_editor, see_other, sentence};
use crate::views::{Layout, render, render_with_status};

/// The page and the upload.
pub const PATH: &str = "/staff/performance/crime";

/// The upload of the LSOA lookup.
pub const LOOKUP_PATH: &str = "/staff/performance/crime/lookup";

/// Bad rows listed on the result page; the rest are counted.
const BAD_ROWS_SHOWN: usize = 50;

/// Unmatched LSOA codes listed on the result page; the rest are counted.
const UNMATCHED_SHOWN: usize = 50;

/// The largest LSOA lookup accepted: the ONS table for all of England and Wales, with
/// both vintages of LSOA codes, is a few megabytes.
const LOOKUP_MAX_BYTES: usize = 32 * 1024 * 1024;

/// `200 MB`.
fn megabytes(bytes: usize) -> String {
    format!("{} MB", bytes / (1024 * 1024))
}

// ---------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------

/// One stored month.
pub struct MonthRow {
    pub month: String,
    pub force: String,
    pub crimes: String,
    pub malformed: String,
    pub imported: String,
}

/// One of the body's areas and the LSOAs the lookup places in it.
pub struct AreaRow {
    pub name: String,
    pub code: String,
    pub lsoas: usize,
}

#[derive(Template)]
#[template(path = "staff/performance_crime.html")]
pub struct CrimePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub body_id: String,
    pub months: Vec<MonthRow>,
    pub lsoas: usize,
    pub areas: Vec<AreaRow>,
    pub other_lsoas: usize,
    pub fed: Vec<Crumb>,
    pub editable: bool,
    pub action: &'static str,
    pub lookup_action: &'static str,
    pub max_upload: String,
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    notice: Option<String>,
    errors: FieldErrors,
) -> Result<CrimePage, PageError> {
    let months = state
        .store
        .crime_months(body.id)
        .await?
        .into_iter()
        .map(|m| MonthRow {
            month: m.month.parse::<Period>().map_or_else(|_| m.month.clone(), |p| p.label()),
            force: m.force,
            crimes: super::number(m.crimes as f64),
            malformed: m.report.get("malformed_rows").and_then(serde_json::Value::as_u64).unwrap_or(0).to_string(),
            imported: format!("{}, {}", m.imported_by, m.imported_at.format("%-d %B %Y at %H:%M (UTC)")),
        })
        .collect();
    let lookup = state.store.lsoa_areas(body.id).await?;
    let mut per_area: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &lookup {
        *per_area.entry(row.area_code.as_str()).or_default() += 1;
    }
    let areas: Vec<AreaRow> = body
        .areas
        .iter()
        .map(|a| AreaRow {
            name: a.name.clone(),
            code: a.code.clone(),
            lsoas: per_area.get(a.code.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let in_areas: usize = areas.iter().map(|a| a.lsoas).sum();
    let titles: BTreeMap<_, _> = match monitored(&state.store, body.clone()).await? {
        Some(found) => found.plan.items.iter().map(|i| (i.id, i.record.title().to_string())).collect(),
        None => BTreeMap::new(),
    };
    let fed = state
        .store
        .measure_feeds(body.id)
        .await?
        .into_iter()
        .map(|(id, feed)| {
            let title = titles.get(&id).cloned().unwrap_or_else(|| format!("Measure {id} (not in the plan in force)"));
            Crumb::new(format!("{title}: {}", feed.describe()), measure_path(id))
        })
        .collect();
    Ok(CrimePage {
        layout: user.layout("Crime data").with_errors(!errors.is_empty()),
        crumbs: trail(body.id),
        notice,
        errors,
        body_name: body.name.clone(),
        body_id: body.id.to_string(),
        months,
        lsoas: lookup.len(),
        other_lsoas: lookup.len().saturating_sub(in_areas),
        areas,
        fed,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Deliver),
        action: PATH,
        lookup_action: LOOKUP_PATH,
        max_upload: megabytes(CRIME_UPLOAD_MAX_BYTES),
    })
}

/// `GET /staff/performance/crime[?body=]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BodyQuery>,
) -> Result<Response, PageError> {
    let body = body_of(&state, query.body.as_deref()).await?;
    let notice = match query.done.as_deref() {
        Some("lookup") => Some(String::from("LSOA lookup loaded")),
        _ => None,
    };
    render(&view(&state, &user, &body, notice, FieldErrors::default()).await?)
}

// ---------------------------------------------------------------------------------------
// Reading an upload
// ---------------------------------------------------------------------------------------

/// A folder of its own under the system's temporary folder, removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new() -> Result<Self, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("reading random bytes for an upload folder: {e}"))?;
        let path = std::env::temp_dir().join(format!("pcplan-crime-{}", hex::encode(bytes)));
        // `create_dir` fails when the name exists, so no one else's folder is reused.
        std::fs::create_dir(&path).map_err(|e| format!("making the upload folder {}: {e}", path.display()))?;
        Ok(TempFolder(path))
    }

    /// `name` shown without the folder: `2022-01-street.csv`, `a.zip:2022-01/x.csv`.
    fn strip(&self, text: &str) -> String {
        let prefix = format!("{}{MAIN_SEPARATOR}", self.0.display());
        text.replace(&prefix, "")
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(upload.folder = %self.0.display(), error = %e, "could not remove an upload folder");
        }
    }
}

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sniffed {
    Zip,
    Csv,
}

/// Bytes looked at before deciding what a file is.
const SNIFF_BYTES: usize = 4096;

/// A zip archive (`PK\x03\x04`, or an empty archive's `PK\x05\x06`), or a CSV file: a
/// first line of UTF-8 text with a comma and no control characters. `None` for
/// anything else (a PDF, a spreadsheet, an image).
fn sniff(head: &[u8]) -> Option<Sniffed> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Sniffed::Zip);
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // A first line cut off by the sniffing window may end inside a character.
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&line[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return None,
    };
    let clean = !text.chars().any(|c| c.is_control() && c != '\t');
    (clean && text.contains(',')).then_some(Sniffed::Csv)
}

/// A file name safe to write in the upload folder, ending as the file was sniffed.
fn safe_name(uploaded: &str, kind: Sniffed, taken: &[PathBuf], folder: &TempFolder) -> PathBuf {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String =
        base.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let name_trimmed = name.trim_start_matches('.').to_string();
    name = if name_trimmed.is_empty() { String::from("upload") } else { name_trimmed };
    let extension = match kind {
        Sniffed::Zip => ".zip",
        Sniffed::Csv => ".csv",
    };
    if !name.to_ascii_lowercase().ends_with(extension) {
        name.push_str(extension);
    }
    let mut path = folder.0.join(&name);
    let mut n = 2;
    while taken.contains(&path) {
        path = folder.0.join(format!("{n}-{name}"));
        n += 1;
    }
    path
}

/// One part of the form being written to the folder.
struct Writing {
    uploaded: String,
    head: Vec<u8>,
    file: Option<std::fs::File>,
}

/// What a crime upload held.
struct CrimeUpload {
    body: String,
    files: Vec<PathBuf>,
    /// Problems with the upload as a whole or with a file, by file name.
    problems: Vec<String>,
}

/// Streams the `files` parts of a multipart form into `folder`, counting their bytes
/// against [`CRIME_UPLOAD_MAX_BYTES`]; reads the `body` field. Writes are plain
/// blocking writes of one chunk at a time: tokio's file support is not built into this
/// crate, and `block_in_place` would panic on the single-threaded runtime of tests.
async fn read_crime_upload(mut form: Multipart, folder: &TempFolder) -> CrimeUpload {
    let mut upload = CrimeUpload { body: String::new(), files: Vec::new(), problems: Vec::new() };
    let mut total = 0usize;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                upload
                    .problems
                    .push(format!("The upload could not be read ({}); choose the files again", e.body_text()));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name != "files" {
            if name == "body" {
                upload.body = field.text().await.unwrap_or_default();
            }
            continue;
        }
        let mut writing =
            Writing { uploaded: field.file_name().unwrap_or_default().to_string(), head: Vec::new(), file: None };
        let mut refused = false;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    upload.problems.push(format!(
                        "{} could not be read ({}); choose it again",
                        writing.uploaded,
                        e.body_text()
                    ));
                    refused = true;
                    break;
                }
            };
            total += chunk.len();
            if total > CRIME_UPLOAD_MAX_BYTES {
                upload.problems.push(format!(
                    "The files are larger than {} together; upload fewer months at a time",
                    megabytes(CRIME_UPLOAD_MAX_BYTES)
                ));
                return upload;
            }
            if refused {
                continue;
            }
            if let Err(problem) = write_chunk(&mut writing, &chunk, &mut upload.files, folder) {
                upload.problems.push(problem);
                refused = true;
            }
        }
        if !refused && let Err(problem) = finish(&mut writing, &mut upload.files, folder) {
            upload.problems.push(problem);
        }
    }
    upload
}

/// Adds a chunk: held until there is enough to sniff, then written to its file.
fn write_chunk(
    writing: &mut Writing,
    chunk: &[u8],
    files: &mut Vec<PathBuf>,
    folder: &TempFolder,
) -> Result<(), String> {
    if let Some(file) = writing.file.as_mut() {
        return file.write_all(chunk).map_err(|e| format!("{}: could not be kept for reading ({e})", writing.uploaded));
    }
    writing.head.extend_from_slice(chunk);
    if writing.head.len() >= SNIFF_BYTES { open(writing, files, folder) } else { Ok(()) }
}

/// Sniffs what is held, opens the file it goes to and writes it there.
fn open(writing: &mut Writing, files: &mut Vec<PathBuf>, folder: &TempFolder) -> Result<(), String> {
    let shown = if writing.uploaded.is_empty() { "A file" } else { writing.uploaded.as_str() };
    let Some(kind) = sniff(&writing.head) else {
        return Err(format!(
            "{shown} is neither a CSV file nor a zip archive; upload police.uk street-level files (.csv) or the .zip police.uk serves"
        ));
    };
    let path = safe_name(&writing.uploaded, kind, files, folder);
    let mut file =
        std::fs::File::create_new(&path).map_err(|e| format!("{shown}: could not be kept for reading ({e})"))?;
    file.write_all(&writing.head).map_err(|e| format!("{shown}: could not be kept for reading ({e})"))?;
    writing.head.clear();
    writing.file = Some(file);
    files.push(path);
    Ok(())
}

/// Ends a part: a short file is sniffed and written now; an empty part (the file input
/// left empty) is nothing.
fn finish(writing: &mut Writing, files: &mut Vec<PathBuf>, folder: &TempFolder) -> Result<(), String> {
    if writing.file.is_none() && !writing.head.is_empty() {
        open(writing, files, folder)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The upload of crime files
// ---------------------------------------------------------------------------------------

/// One computed measure's result.
pub struct ComputedRow {
    pub title: String,
    pub href: String,
    pub summary: String,
}

/// One file read.
pub struct FileRow {
    pub path: String,
    pub kind: &'static str,
    pub rows: String,
    pub malformed: String,
    pub skipped: String,
}

#[derive(Template)]
#[template(path = "staff/performance_crime_result.html")]
pub struct ResultPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub body_name: String,
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    pub crimes: String,
    pub area_rule: String,
    pub files: Vec<FileRow>,
    pub bad_rows: Vec<String>,
    pub bad_more: u64,
    pub unmatched: Vec<String>,
    pub unmatched_more: usize,
    pub notes: Vec<String>,
    pub computed: Vec<ComputedRow>,
    pub back: String,
}

/// `2022-01` of `West Midlands Police` as `January 2022 (West Midlands Police)`; the
/// store writes each as `force month`.
fn month_label(force_month: &str) -> String {
    match force_month.rsplit_once(' ') {
        Some((force, month)) => {
            format!("{} ({force})", month.parse::<Period>().map_or_else(|_| month.to_string(), |p| p.label()))
        }
        None => force_month.to_string(),
    }
}

fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Street => "Street-level crimes",
        FileKind::Outcomes => "Outcomes",
        FileKind::StopAndSearch => "Stop and search",
        FileKind::Unknown => "Not a police.uk file",
    }
}

/// The paths of an aggregation without the upload folder in front of them.
fn strip_paths(aggregate: &mut Aggregate, folder: &TempFolder) {
    for file in &mut aggregate.files {
        file.path = folder.strip(&file.path);
    }
    for note in &mut aggregate.notes {
        *note = folder.strip(note);
    }
}

/// Refuses the upload: the page again, with the problems beside the file input.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    problems: Vec<String>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    // One message per field: the problems are joined so that none is lost.
    errors.add("files", problems.join(". "));
    let page = view(state, user, body, None, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/crime` (multipart: `body`, one or more `files`).
pub async fn upload(State(state): State<AppState>, user: CurrentUser, form: Multipart) -> Result<Response, PageError> {
    require_editor(&user)?;
    let folder = TempFolder::new().map_err(PageError::Internal)?;
    let upload = read_crime_upload(form, &folder).await;
    let body = body_of(&state, Some(&upload.body)).await?;
    if !upload.problems.is_empty() {
        return refuse(&state, &user, &body, upload.problems).await;
    }
    if upload.files.is_empty() {
        let message = "Choose one or more police.uk street-level files (.csv), or the .zip archive police.uk serves";
        return refuse(&state, &user, &body, vec![message.to_string()]).await;
    }
    let lookup = performance_work::stored_lookup(&state.store.lsoa_areas(body.id).await?)
        .map_err(|e| PageError::Internal(format!("the stored LSOA lookup of body {}: {e}", body.id)))?;
    let paths = upload.files.clone();
    let read = tokio::task::spawn_blocking(move || {
        let options = Options { lookup: lookup.as_ref(), ..Options::default() };
        pcplan_crime::aggregate_paths(&paths, &options)
    })
    .await
    .map_err(|e| PageError::Internal(format!("reading crime files: {e}")))?;
    let mut aggregate = match read {
        Ok(aggregate) => aggregate,
        Err(e) => return refuse(&state, &user, &body, vec![sentence(&folder.strip(&e.to_string()))]).await,
    };
    strip_paths(&mut aggregate, &folder);
    if aggregate.street_files_read() == 0 {
        let mut problems = vec![String::from("No police.uk street-level file could be read")];
        problems.extend(
            aggregate
                .files
                .iter()
                .map(|f| format!("{}: {}", f.path, f.skipped.as_deref().unwrap_or("not a street file"))),
        );
        return refuse(&state, &user, &body, problems).await;
    }
    let actor = user.actor();
    let months = performance_work::crime_months(&body, &aggregate);
    let summary = state.store.import_crime_months(&actor, body.id, &months).await?;
    let computed = performance_work::recompute(&state.store, &actor, body.id).await?;
    let page = result_page(&state, &user, &body, &aggregate, summary, computed).await?;
    render(&page)
}

async fn result_page(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    aggregate: &Aggregate,
    summary: CrimeImportSummary,
    computed: Vec<performance_work::Computed>,
) -> Result<ResultPage, PageError> {
    let titles: BTreeMap<_, _> = match monitored(&state.store, body.clone()).await? {
        Some(found) => found.plan.items.iter().map(|i| (i.id, i.record.title().to_string())).collect(),
        None => BTreeMap::new(),
    };
    let mut bad_rows = Vec::new();
    for file in &aggregate.files {
        for bad in &file.malformed {
            if bad_rows.len() < BAD_ROWS_SHOWN {
                bad_rows.push(format!("{}:{}: {}", file.path, bad.line, bad.reason));
            }
        }
    }
    let bad_more = aggregate.malformed().saturating_sub(bad_rows.len() as u64);
    let unmatched: Vec<String> = aggregate
        .unmatched_lsoas
        .iter()
        .take(UNMATCHED_SHOWN)
        .map(|u| format!("{} {} ({} crimes)", u.code, u.name, u.crimes))
        .collect();
    let area_rule = match &aggregate.area_rule {
        AreaRule::Lookup { lsoas, .. } => {
            format!("Crimes were placed in areas by the body's LSOA lookup ({lsoas} LSOA codes), then by LSOA name")
        }
        AreaRule::NamePrefix => String::from(
            "No LSOA lookup is loaded, so crimes were placed in areas by the name of their LSOA (Blaby 002A is in Blaby)",
        ),
    };
    Ok(ResultPage {
        layout: user.layout("Crime data imported"),
        crumbs: {
            let mut crumbs = trail(body.id);
            crumbs.push(Crumb::new("Crime data", with_body(PATH, body.id)));
            crumbs
        },
        body_name: body.name.clone(),
        added: summary.added.iter().map(|m| month_label(m)).collect(),
        replaced: summary.replaced.iter().map(|m| month_label(m)).collect(),
        crimes: super::number(summary.crimes as f64),
        area_rule,
        files: aggregate
            .files
            .iter()
            .map(|f| FileRow {
                path: f.path.clone(),
                kind: kind_label(f.kind),
                rows: super::number(f.rows as f64),
                malformed: super::number(f.malformed_total as f64),
                skipped: f.skipped.clone().unwrap_or_default(),
            })
            .collect(),
        bad_rows,
        bad_more,
        unmatched_more: aggregate.unmatched_lsoas.len().saturating_sub(unmatched.len()),
        unmatched,
        notes: aggregate.notes.clone(),
        computed: computed
            .into_iter()
            .map(|c| {
                let ch = c.changes;
                ComputedRow {
                    title: titles.get(&c.measure).cloned().unwrap_or_else(|| c.measure.to_string()),
                    href: measure_path(c.measure),
                    summary: format!(
                        "{} figures computed: {} added, {} changed, {} unchanged, {} removed; {} kept as entered by staff",
                        c.observations, ch.added, ch.changed, ch.unchanged, ch.removed, ch.kept
                    ),
                }
            })
            .collect(),
        back: with_body(PATH, body.id),
    })
}

// ---------------------------------------------------------------------------------------
// The upload of the LSOA lookup
// ---------------------------------------------------------------------------------------

/// `POST /staff/performance/crime/lookup` (multipart: `body`, `file`): replaces the
/// body's LSOA lookup with an ONS table, refused by line when the table is not one.
pub async fn load_lookup(
    State(state): State<AppState>,
    user: CurrentUser,
    mut form: Multipart,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let mut body_raw = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut problem = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                problem = Some(format!("The upload could not be read ({}); choose the file again", e.body_text()));
                break;
            }
        };
        match field.name().unwrap_or_default() {
            "body" => body_raw = field.text().await.unwrap_or_default(),
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) if bytes.len() + chunk.len() > LOOKUP_MAX_BYTES => {
                            problem = Some(format!(
                                "{name} is larger than {}; keep only the LSOA code and district columns",
                                megabytes(LOOKUP_MAX_BYTES)
                            ));
                            break;
                        }
                        Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                        Ok(None) => break,
                        Err(e) => {
                            problem = Some(format!("{name} could not be read ({}); choose it again", e.body_text()));
                            break;
                        }
                    }
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
        if problem.is_some() {
            break;
        }
    }
    let body = body_of(&state, Some(&body_raw)).await?;
    let problem = match (problem, file) {
        (Some(problem), _) => problem,
        (None, Some((name, bytes))) if !bytes.is_empty() => {
            let name = if name.trim().is_empty() { String::from("the lookup") } else { name };
            let read = tokio::task::spawn_blocking(move || performance_work::lookup_rows(&name, &bytes))
                .await
                .map_err(|e| PageError::Internal(format!("reading an LSOA lookup: {e}")))?;
            match read {
                Ok((_, rows)) => match state.store.load_lsoa_areas(&user.actor(), body.id, &rows).await {
                    Ok(()) => return Ok(see_other(&format!("{PATH}?body={}&done=lookup", body.id))),
                    Err(pcplan_store::StoreError::Fields(problems)) => {
                        problems.0.iter().map(|p| sentence(&p.problem)).collect::<Vec<_>>().join(". ")
                    }
                    Err(other) => return Err(other.into()),
                },
                Err(reason) => sentence(&reason),
            }
        }
        (None, _) => String::from("Choose the ONS LSOA lookup file (.csv)"),
    };
    let mut errors = FieldErrors::default();
    errors.add("file", problem);
    let page = view(&state, &user, &body, None, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_archives_and_csv_header_lines_are_told_from_anything_else() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Some(Sniffed::Zip));
        assert_eq!(sniff(b"\xEF\xBB\xBFCrime ID,Month,Reported by\r\nx,y"), Some(Sniffed::Csv));
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3"), None);
        assert_eq!(sniff(b"just words\n"), None);
        assert_eq!(sniff(b"a,b\x00,c\n"), None);
    }

    #[test]
    fn months_are_labelled_with_their_force() {
        assert_eq!(month_label("West Midlands Police 2022-01"), "January 2022 (West Midlands Police)");
    }

    #[test]
    fn upload_names_keep_only_safe_characters_and_their_kind() {
        let folder = TempFolder::new().expect("a temporary folder");
        let first = safe_name("C:\\Users\\a\\2022-01 street.CSV", Sniffed::Csv, &[], &folder);
        assert_eq!(first.file_name().and_then(|n| n.to_str()), Some("2022-01_street.CSV"));
        let again = safe_name("2022-01 street.CSV", Sniffed::Csv, std::slice::from_ref(&first), &folder);
        assert_eq!(again.file_name().and_then(|n| n.to_str()), Some("2-2022-01_street.CSV"));
        let zip = safe_name("../../etc/passwd", Sniffed::Zip, &[], &folder);
        assert_eq!(zip.file_name().and_then(|n| n.to_str()), Some("passwd.zip"));
        assert_eq!(folder.strip(&format!("{}:inner.csv", zip.display())), "passwd.zip:inner.csv");
    }
}
