//! The ONS lookup from LSOA codes to local authority districts, and the area rules.
//!
//! A lookup is any ONS table with one LSOA code column (`LSOA11CD`, `LSOA21CD`, ...)
//! and a local authority district code and name (`LADCD`/`LADNM`, `LAD22CD`/`LAD22NM`,
//! ...), found by their header names in any case and order; other columns are ignored.
//! A table holding both 2011 and 2021 LSOA codes maps both to the district, so files
//! of either vintage find their area. Where several district columns are present, the
//! latest year is used. A gzipped table (`.gz`) is read as well.
//!
//! The area of a crime (see `docs/crime-data.md`):
//! - with a lookup: the district of its LSOA code;
//! - an LSOA code the lookup does not hold, or no lookup loaded: the LSOA name's prefix,
//!   the text before its final `001A`-style token (`Blaby 002A` is in `Blaby`), taken as
//!   the lookup's district of that name when it has one;
//! - no LSOA at all: the force (`Falls within`), marked `(no location)`.
//!
//! It reads the table it is given and nothing else: it holds no built-in lookup.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use crate::Error;
use crate::csv::Reader;
use crate::intern::FastMap;

/// A local authority area: its ONS code, when known, and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    pub code: Option<String>,
    pub name: String,
}

/// LSOA codes to local authority districts, loaded from an ONS table.
#[derive(Debug, Default)]
pub struct Lookup {
    /// Every district, in the order first met in the table.
    areas: Vec<Area>,
    /// LSOA code to index in `areas`.
    by_lsoa: FastMap<Box<[u8]>, u32>,
    /// District name to index in `areas`.
    by_name: FastMap<String, u32>,
    /// The columns used, for the record: e.g. `LSOA11CD -> LADCD, LADNM`.
    columns: String,
    /// The name it was read from.
    source: String,
}

/// The columns of the table that matter.
struct Columns {
    lsoa: Vec<usize>,
    code: usize,
    name: usize,
    width: usize,
    described: String,
}

impl Lookup {
    /// Reads a lookup table from a file; `.gz` files are decompressed first.
    pub fn from_path(path: &Path) -> Result<Lookup, Error> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        let raw = std::fs::read(path).map_err(io)?;
        let gzipped = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let bytes = if gzipped {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw.as_slice()).read_to_end(&mut out).map_err(io)?;
            out
        } else {
            raw
        };
        Lookup::from_bytes(&path.display().to_string(), &bytes)
    }

    /// Reads a lookup table from the bytes of a CSV file called `name` in errors.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Lookup, Error> {
        let fail = |line: u64, reason: String| Error::Lookup { path: name.to_owned(), line, reason };
        let mut reader = Reader::new(bytes);
        let Some(header) = reader.next_record() else {
            return Err(fail(1, "the file is empty; expected an ONS LSOA lookup with a header row".into()));
        };
        let names: Vec<String> =
            (0..header.len()).map(|i| String::from_utf8_lossy(header.get(i)).trim().to_owned()).collect();
        let columns = find_columns(&names).map_err(|reason| fail(header.line, reason))?;
        let mut lookup = Lookup { columns: columns.described.clone(), source: name.to_owned(), ..Lookup::default() };
        let mut names_by_code: FastMap<String, (String, u64)> = FastMap::default();
        while let Some(record) = reader.next_record() {
            let line = record.line;
            if record.len() != columns.width {
                let reason = format!("expected {} cells as in the header, found {}", columns.width, record.len());
                return Err(fail(line, reason));
            }
            let text = |i: usize| std::str::from_utf8(record.get(i)).map(str::trim);
            let (Ok(code), Ok(area_name)) = (text(columns.code), text(columns.name)) else {
                return Err(fail(line, "the district code or name is not UTF-8 text; save the file as UTF-8".into()));
            };
            if code.is_empty() || area_name.is_empty() {
                return Err(fail(line, format!("the district code or name is empty ({})", columns.described)));
            }
            match names_by_code.get(code) {
                Some((known, first)) if known != area_name => {
                    let reason = format!("district {code} is named `{area_name}` here but `{known}` on line {first}");
                    return Err(fail(line, reason));
                }
                Some(_) => {}
                None => {
                    names_by_code.insert(code.to_owned(), (area_name.to_owned(), line));
                }
            }
            let index = lookup.area_index(code, area_name).map_err(|reason| fail(line, reason))?;
            for &col in &columns.lsoa {
                let lsoa = record.get(col).trim_ascii();
                if lsoa.is_empty() {
                    continue;
                }
                if let Some(&before) = lookup.by_lsoa.get(lsoa)
                    && before != index
                {
                    let other = &lookup.areas[before as usize].name;
                    let reason = format!(
                        "LSOA {} is in `{area_name}` here but in `{other}` on an earlier line; an LSOA belongs to one district",
                        String::from_utf8_lossy(lsoa)
                    );
                    return Err(fail(line, reason));
                }
                lookup.by_lsoa.insert(lsoa.into(), index);
            }
        }
        if lookup.by_lsoa.is_empty() {
            return Err(fail(1, "the table has a header but no LSOA rows".into()));
        }
        Ok(lookup)
    }

    /// The index of district `code` called `name`, added when new. Names must be unique:
    /// areas are told apart by name in the output.
    fn area_index(&mut self, code: &str, name: &str) -> Result<u32, String> {
        if let Some(&i) = self.by_name.get(name) {
            let known = self.areas[i as usize].code.as_deref().unwrap_or_default();
            if known != code {
                return Err(format!("two districts are called `{name}` ({known} and {code}); names must be unique"));
            }
            return Ok(i);
        }
        let i = u32::try_from(self.areas.len()).unwrap_or(u32::MAX);
        self.areas.push(Area { code: Some(code.to_owned()), name: name.to_owned() });
        self.by_name.insert(name.to_owned(), i);
        Ok(i)
    }

    /// The number of LSOA codes it maps.
    pub fn lsoas(&self) -> usize {
        self.by_lsoa.len()
    }

    /// The districts, in the order first met in the table.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// The file it was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The columns read, e.g. `LSOA11CD -> LADCD, LADNM`.
    pub fn columns(&self) -> &str {
        &self.columns
    }

    /// Every LSOA code with its district, in code order (for storing the table).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Area)> {
        let mut rows: Vec<(&str, &Area)> = self
            .by_lsoa
            .iter()
            .filter_map(|(code, &i)| Some((std::str::from_utf8(code).ok()?, &self.areas[i as usize])))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(b.0));
        rows.into_iter()
    }

    /// The district of an LSOA code.
    pub fn area_of(&self, lsoa_code: &str) -> Option<&Area> {
        self.index_of(lsoa_code.as_bytes()).map(|i| &self.areas[i as usize])
    }

    /// The code of the district called `name`.
    pub fn code_of(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).and_then(|&i| self.areas[i as usize].code.as_deref())
    }

    pub(crate) fn index_of(&self, lsoa_code: &[u8]) -> Option<u32> {
        self.by_lsoa.get(lsoa_code).copied()
    }

    pub(crate) fn index_of_name(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    pub(crate) fn name_of(&self, index: u32) -> &str {
        self.areas.get(index as usize).map_or("", |a| a.name.as_str())
    }
}

/// Finds the LSOA code columns and the district code and name columns by header name.
fn find_columns(names: &[String]) -> Result<Columns, String> {
    let upper: Vec<String> = names.iter().map(|n| n.to_ascii_uppercase()).collect();
    let lsoa: Vec<usize> = (0..upper.len()).filter(|&i| vintage(&upper[i], "LSOA", "CD").is_some()).collect();
    if lsoa.is_empty() {
        return Err(format!(
            "no LSOA code column; expected a header like `LSOA11CD` or `LSOA21CD`, found: {}",
            names.join(", ")
        ));
    }
    // The latest district codes: `LAD22CD` over `LAD21CD`, either over an undated `LADCD`.
    let code = (0..upper.len())
        .filter_map(|i| vintage(&upper[i], "LAD", "CD").map(|year| (year, i)))
        .max_by_key(|&(year, i)| (year, std::cmp::Reverse(i)))
        .map(|(_, i)| i)
        .ok_or_else(|| {
            format!("no district code column; expected a header like `LAD22CD` or `LADCD`, found: {}", names.join(", "))
        })?;
    let code_year = vintage(&upper[code], "LAD", "CD");
    let name = (0..upper.len())
        .find(|&i| vintage(&upper[i], "LAD", "NM") == code_year)
        .ok_or_else(|| format!("no district name column to go with `{}`; expected its `..NM` twin", names[code]))?;
    let lsoa_names: Vec<&str> = lsoa.iter().map(|&i| names[i].as_str()).collect();
    let described = format!("{} -> {}, {}", lsoa_names.join(" + "), names[code], names[name]);
    Ok(Columns { lsoa, code, name, width: names.len(), described })
}

/// For `LSOA11CD` with prefix `LSOA` and suffix `CD`: `Some(11)`; an undated `LADCD`
/// gives `Some(0)`; anything else `None`.
fn vintage(upper: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let middle = upper.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if middle.is_empty() {
        return Some(0);
    }
    if middle.len() == 2 && middle.bytes().all(|b| b.is_ascii_digit()) {
        return middle.parse().ok();
    }
    None
}

/// The area name an LSOA name stands in: the text before a final token made of digits
/// then capital letters (`Blaby 002A` gives `Blaby`); the whole name, trimmed, when it
/// does not end in such a token.
pub fn name_prefix(lsoa_name: &str) -> &str {
    let name = lsoa_name.trim();
    match name.rsplit_once(' ') {
        Some((before, token)) if is_lsoa_token(token) && !before.trim_end().is_empty() => before.trim_end(),
        _ => name,
    }
}

/// `001A`: one or more digits followed by one or more capital letters.
fn is_lsoa_token(token: &str) -> bool {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    let letters = &token.as_bytes()[digits..];
    digits > 0 && !letters.is_empty() && letters.iter().all(u8::is_ascii_uppercase)
}

/// The area name of crimes with no location in `force`'s files.
pub fn no_location_area(force: &str) -> String {
    format!("{force} (no location)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_prefixes_drop_the_final_lsoa_token_only() {
        let cases = [
            ("Blaby 002A", "Blaby"),
            ("North West Leicestershire 013C", "North West Leicestershire"),
            ("Hinckley and Bosworth 001AB", "Hinckley and Bosworth"),
            ("Leicester", "Leicester"),
            ("Leicester 001", "Leicester 001"),
            ("Leicester abc", "Leicester abc"),
            ("  Rutland 004B ", "Rutland"),
            ("001A", "001A"),
        ];
        for (name, prefix) in cases {
            assert_eq!(name_prefix(name), prefix, "{name}");
        }
    }

    #[test]
    fn columns_are_found_by_name_in_any_case_and_order() {
        let csv = "PFA,ladnm,LSOA11NM,lsoa11cd,ladcd\nLeicestershire,Blaby,Blaby 002A,E01025631,E07000129\n";
        let lookup = Lookup::from_bytes("t.csv", csv.as_bytes()).expect("a valid lookup");
        assert_eq!(lookup.columns(), "lsoa11cd -> ladcd, ladnm");
        let area = lookup.area_of("E01025631").expect("mapped");
        assert_eq!((area.code.as_deref(), area.name.as_str()), (Some("E07000129"), "Blaby"));
        assert_eq!(lookup.code_of("Blaby"), Some("E07000129"));
    }

    #[test]
    fn both_lsoa_vintages_map_and_the_latest_district_columns_win() {
        let csv = "LSOA11CD,LSOA21CD,LAD21CD,LAD21NM,LAD22CD,LAD22NM\n\
                   E01000001,E01035001,E07000001,Old name,E06000099,New name\n";
        let lookup = Lookup::from_bytes("t.csv", csv.as_bytes()).expect("a valid lookup");
        assert_eq!(lookup.lsoas(), 2);
        assert_eq!(lookup.area_of("E01000001").map(|a| a.name.as_str()), Some("New name"));
        assert_eq!(lookup.area_of("E01035001").and_then(|a| a.code.as_deref()), Some("E06000099"));
    }

    #[test]
    fn a_table_without_lsoa_codes_is_refused_with_its_header() {
        let err = Lookup::from_bytes("t.csv", b"WD22CD,LAD22CD,LAD22NM\nX,Y,Z\n").expect_err("no LSOA column");
        let text = err.to_string();
        assert!(text.contains("line 1") && text.contains("LSOA11CD") && text.contains("WD22CD"), "{text}");
    }

    #[test]
    fn an_lsoa_in_two_districts_is_refused_by_line() {
        let csv = "LSOA11CD,LADCD,LADNM\nE01,E07A,Blaby\nE01,E07B,Melton\n";
        let err = Lookup::from_bytes("t.csv", csv.as_bytes()).expect_err("conflict");
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
