//! The consultation response import on a CSV upload: the file's bytes as the web
//! import receives them, sniffed, read, mapped and checked row by row
//! (`pcplan_fuzz::import_responses`, which says what it rebuilds of the web module).
//!
//! The file is called `responses.csv`; the name only matters to sniffing, which refuses
//! some extensions and otherwise goes by the bytes (a zip signature makes it XLSX, so
//! this target reaches the workbook reader too, though `responses_xlsx` is the one
//! seeded with workbooks).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT {
        return;
    }
    pcplan_fuzz::import_responses("responses.csv", data);
});
