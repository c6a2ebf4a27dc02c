//! Finding the police.uk files in the paths a person names, and reading them.
//!
//! A path is one of:
//! - a `.csv` file, whatever its name: street or outcomes is told from its header later;
//! - a folder, walked to any depth for `*-street.csv` and `*-outcomes.csv`, as a police.uk
//!   download unpacks (`2021-10/2021-10-leicestershire-street.csv`);
//! - a `.zip` archive as police.uk serves it, whose entries are read one at a time
//!   straight from the archive, never unpacked to disk.
//!
//! `*-stop-and-search.csv` files in a folder or archive are left out with a note (they
//! record searches, not crimes); other files there are ignored. Anything else named on
//! the command line is refused. A file reached twice (a folder and a file inside it) is
//! read once. Inputs are sorted by name, so the result does not depend on the order in
//! which paths were given or folders listed.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use crate::Error;

/// One file to read.
#[derive(Debug, Clone)]
pub enum Input {
    /// A CSV file on disk.
    File(PathBuf),
    /// An entry of a zip archive, by its index in the archive.
    ZipEntry { archive: PathBuf, index: usize, name: String },
    /// A file already in memory (tests, uploads), with the name to report it by.
    Memory { name: String, bytes: Vec<u8> },
}

impl Input {
    /// The name reports use: the path, or `archive.zip:entry/name.csv`.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::ZipEntry { archive, name, .. } => format!("{}:{name}", archive.display()),
            Input::Memory { name, .. } => name.clone(),
        }
    }
}

/// The files found, and notes on what was left out.
#[derive(Debug, Default)]
pub struct Inputs {
    pub inputs: Vec<Input>,
    pub notes: Vec<String>,
}

/// What a file's name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Crime,
    StopAndSearch,
    Other,
}

fn named(file_name: &str) -> Named {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with("-street.csv") || lower.ends_with("-outcomes.csv") {
        Named::Crime
    } else if lower.ends_with("-stop-and-search.csv") {
        Named::StopAndSearch
    } else {
        Named::Other
    }
}

/// Finds every police.uk file under `paths`.
pub fn collect(paths: &[PathBuf]) -> Result<Inputs, Error> {
    let mut found = Found::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => Error::NotFound { path: path.clone() },
            _ => Error::Io { path: path.clone(), source },
        })?;
        if meta.is_dir() {
            found.folder(path)?;
        } else if has_extension(path, "zip") {
            found.archive(path)?;
        } else if has_extension(path, "csv") {
            found.add(canonical(path), Input::File(path.clone()));
        } else {
            return Err(Error::Unsupported { path: path.clone() });
        }
    }
    let mut inputs: Vec<(String, Input)> = found.inputs.into_values().map(|i| (i.name(), i)).collect();
    inputs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut notes = found.notes;
    if found.repeated > 0 {
        notes.push(format!("{} files were named more than once and are read once", found.repeated));
    }
    Ok(Inputs { inputs: inputs.into_iter().map(|(_, i)| i).collect(), notes })
}

#[derive(Default)]
struct Found {
    /// By identity: the canonical path, plus the entry name for archives.
    inputs: HashMap<(PathBuf, String), Input>,
    notes: Vec<String>,
    repeated: usize,
}

impl Found {
    fn add(&mut self, file: PathBuf, input: Input) {
        let key = match &input {
            Input::ZipEntry { name, .. } => (file, name.clone()),
            _ => (file, String::new()),
        };
        if self.inputs.insert(key, input).is_some() {
            self.repeated += 1;
        }
    }

    fn folder(&mut self, root: &Path) -> Result<(), Error> {
        let mut files = BTreeSet::new();
        walk(root, &mut files)?;
        let mut crime = 0;
        let mut searches = 0;
        for file in files {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match named(&name) {
                Named::Crime => {
                    crime += 1;
                    self.add(canonical(&file), Input::File(file));
                }
                Named::StopAndSearch => searches += 1,
                Named::Other => {}
            }
        }
        self.after_listing(root, crime, searches)
    }

    fn archive(&mut self, path: &Path) -> Result<(), Error> {
        let archive = open_archive(path)?;
        let mut crime = 0;
        let mut searches = 0;
        for (index, entry) in archive.file_names().enumerate() {
            let zip_error = |source| Error::Zip { path: path.to_path_buf(), source };
            let name = entry.map_err(zip_error)?.into_owned();
            let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
            match named(base) {
                Named::Crime => {
                    crime += 1;
                    let input = Input::ZipEntry { archive: path.to_path_buf(), index, name };
                    self.add(canonical(path), input);
                }
                Named::StopAndSearch => searches += 1,
                Named::Other => {}
            }
        }
        self.after_listing(path, crime, searches)
    }

    fn after_listing(&mut self, path: &Path, crime: usize, searches: usize) -> Result<(), Error> {
        if searches > 0 {
            self.notes.push(format!(
                "left out {searches} stop-and-search files in {}: they record searches, not crimes",
                path.display()
            ));
        }
        if crime == 0 {
            return Err(Error::NoCrimeFiles { path: path.to_path_buf() });
        }
        Ok(())
    }
}

/// Every file under `dir`, to any depth.
fn walk(dir: &Path, files: &mut BTreeSet<PathBuf>) -> Result<(), Error> {
    let io = |source| Error::Io { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| Error::Io { path: path.clone(), source })?;
        if kind.is_dir() {
            walk(&path, files)?;
        } else if kind.is_file() || path.is_file() {
            files.insert(path);
        }
    }
    Ok(())
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

type Archive = ZipArchive<BufReader<File>>;

fn open_archive(path: &Path) -> Result<Archive, Error> {
    let file = File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    ZipArchive::new(BufReader::new(file)).map_err(|source| Error::Zip { path: path.to_path_buf(), source })
}

/// Reads inputs, keeping each archive open for the next entry of the same archive.
#[derive(Default)]
pub(crate) struct Opener {
    archives: HashMap<PathBuf, Archive>,
}

/// Bytes read before giving up on finding the end of a header line.
const HEAD_LIMIT: u64 = 64 * 1024;

impl Opener {
    /// The whole of `input`, read into `buf` unless it is already in memory.
    pub fn bytes<'a>(&mut self, input: &'a Input, buf: &'a mut Vec<u8>) -> Result<&'a [u8], String> {
        buf.clear();
        match input {
            Input::Memory { bytes, .. } => return Ok(bytes),
            Input::File(path) => {
                File::open(path).and_then(|mut f| f.read_to_end(buf)).map_err(|e| e.to_string())?;
            }
            Input::ZipEntry { archive, index, .. } => {
                let mut entry = self.archive(archive)?.by_index(*index).map_err(|e| e.to_string())?;
                buf.reserve(usize::try_from(entry.size()).unwrap_or(0));
                entry.read_to_end(buf).map_err(|e| e.to_string())?;
            }
        }
        Ok(buf)
    }

    /// The first line of `input` (or its first 64 KiB when no line ends sooner).
    pub fn head(&mut self, input: &Input) -> Result<Vec<u8>, String> {
        match input {
            Input::Memory { bytes, .. } => Ok(first_line(bytes).to_vec()),
            Input::File(path) => {
                let file = File::open(path).map_err(|e| e.to_string())?;
                read_head(file)
            }
            Input::ZipEntry { archive, index, .. } => {
                let entry = self.archive(archive)?.by_index(*index).map_err(|e| e.to_string())?;
                read_head(entry)
            }
        }
    }

    fn archive(&mut self, path: &Path) -> Result<&mut Archive, String> {
        if !self.archives.contains_key(path) {
            let archive = open_archive(path).map_err(|e| e.to_string())?;
            self.archives.insert(path.to_path_buf(), archive);
        }
        self.archives.get_mut(path).ok_or_else(|| format!("{} could not be opened", path.display()))
    }
}

fn read_head(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut head = Vec::new();
    let mut limited = reader.take(HEAD_LIMIT);
    let mut chunk = [0u8; 4096];
    loop {
        let n = limited.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(head);
        }
        head.extend_from_slice(&chunk[..n]);
        if chunk[..n].contains(&b'\n') {
            let len = first_line(&head).len();
            head.truncate(len);
            return Ok(head);
        }
    }
}

fn first_line(bytes: &[u8]) -> &[u8] {
    bytes.iter().position(|&b| b == b'\n').map_or(bytes, |end| &bytes[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn police_uk_file_names_are_told_apart() {
        assert_eq!(named("2021-10-leicestershire-street.csv"), Named::Crime);
        assert_eq!(named("2018-01-bedfordshire-OUTCOMES.csv"), Named::Crime);
        assert_eq!(named("2018-08-west-midlands-stop-and-search.csv"), Named::StopAndSearch);
        assert_eq!(named("README.txt"), Named::Other);
    }

    #[test]
    fn the_head_is_the_first_line_only() {
        assert_eq!(read_head(&b"a,b\r\nc,d\n"[..]).ok(), Some(b"a,b\r".to_vec()));
        assert_eq!(read_head(&b"no line end"[..]).ok(), Some(b"no line end".to_vec()));
    }
}
