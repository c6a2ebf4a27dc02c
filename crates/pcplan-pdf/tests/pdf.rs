//! Whole files: the cross-reference table points at every object, and a PDF reader
//! (`pdftotext`, from poppler-utils, which `.ci/run` installs) reads the text back in
//! order, with the characters outside ASCII that notices and letters use.

use std::process::Command;

use pcplan_pdf::{Block, Column, Document, render};

fn notice() -> Document {
    Document {
        title: String::from("Notice of Decision 018/2013: Police and Crime Plan"),
        author: String::from("West Midlands Police and Crime Commissioner"),
        subject: String::from("Notice of Decision"),
        created: String::new(),
        footer: String::from("Notice of Decision 018/2013"),
        blocks: vec![
            Block::heading(1, "WEST MIDLANDS POLICE AND CRIME COMMISSIONER"),
            Block::heading(2, "NON-CONFIDENTIAL NOTICE OF DECISION 018/2013"),
            Block::field("Contact Officer: ", "Jacky Courtney"),
            Block::field("Title: ", "Police and Crime Plan"),
            Block::heading(3, "DECISION"),
            Block::paragraph(
                "That the Police and Crime Plan as drafted, which is attached to this report, is approved for issue \
                 on 31 March 2013. The budget is £2.2m \u{2013} the \u{201c}precept\u{201d} is set elsewhere.",
            ),
            Block::numbered(
                "1.",
                "The Police Reform and Social Responsibility Act 2011 requires the Commissioner to issue a plan.",
            ),
            Block::Bullets(vec![
                String::from("manifesto commitments"),
                String::from("the Strategic Policing Requirement"),
            ]),
            Block::Table {
                columns: vec![Column::new("Recommendation", 1.0), Column::new("Response", 2.0)],
                rows: vec![vec![String::from("R1 Targets on prosecutions"), String::from("Accepted in part")]],
            },
            Block::Lines(vec![String::from("Signature: Bob Jones"), String::from("Date: 28 March 2013")]),
        ],
    }
}

#[test]
fn every_cross_reference_points_at_its_object() {
    let bytes = render(&notice());
    let text = String::from_utf8(bytes.clone()).expect("the file is 7-bit text");
    assert!(text.starts_with("%PDF-1.7\n") && text.ends_with("%%EOF\n"));
    let start: usize =
        text.rsplit("startxref\n").next().and_then(|t| t.lines().next()).expect("startxref").parse().expect("a number");
    assert!(text[start..].starts_with("xref\n"));
    let entries: Vec<&str> = text[start..].lines().skip(3).take_while(|l| l.ends_with(" n ")).collect();
    assert!(entries.len() >= 7);
    for (i, entry) in entries.iter().enumerate() {
        let offset: usize = entry[..10].parse().expect("offset");
        assert!(text[offset..].starts_with(&format!("{} 0 obj\n", i + 1)), "object {}", i + 1);
    }
    assert_eq!(render(&notice()), bytes, "the same document gives the same bytes");
}

#[test]
fn a_pdf_reader_reads_the_text_back_in_order() {
    let dir = std::env::temp_dir().join(format!("pcplan-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("notice.pdf");
    std::fs::write(&path, render(&notice())).expect("write");
    let output = match Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output() {
        Ok(output) => output,
        Err(error) => {
            assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils: {error}");
            // Without a reader here, check the content streams hold the text instead.
            let raw = String::from_utf8(render(&notice())).expect("7-bit");
            assert!(raw.contains("(That the Police and Crime Plan as drafted, which is attached to this report, is"));
            return;
        }
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let order = [
        "WEST MIDLANDS POLICE AND CRIME COMMISSIONER",
        "NON-CONFIDENTIAL NOTICE OF DECISION 018/2013",
        "Contact Officer: Jacky Courtney",
        "DECISION",
        "£2.2m \u{2013} the \u{201c}precept\u{201d}",
        "1.",
        "manifesto commitments",
        "Recommendation",
        "Accepted in part",
        "Signature: Bob Jones",
        "Notice of Decision 018/2013 \u{2014} Page 1 of 1",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after byte {from} in:\n{text}"));
        from += at + part.len();
    }
    let info = Command::new("pdfinfo").arg(&path).output().expect("pdfinfo comes with pdftotext");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let field =
        |name: &str| info.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_string()).unwrap_or_default();
    assert_eq!(field("Title:"), "Notice of Decision 018/2013: Police and Crime Plan", "{info}");
    assert_eq!(field("Page size:"), "595.28 x 841.89 pts (A4)", "{info}");
    std::fs::remove_dir_all(&dir).ok();
}
