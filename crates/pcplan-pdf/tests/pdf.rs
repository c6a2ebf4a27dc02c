//! Whole PDFs, read back by a PDF reader (poppler's `pdftotext` and `pdfinfo`): the text
//! of every block kind in order, the header and footer of every page, the contents list,
//! text outside Latin-1, the tags, and the same bytes from the same document.

mod common;

use common::{document, info, page_text, pages, squeeze, text};
use pcplan_pdf::{Block, Column, Document, Error, render};

/// One block of each kind, with the characters notices use (pound sign, dashes, curly
/// quotes) and ones that are markup in typst (`*`, `#`, `$`, `[`, `<`, `@`, `//`).
fn every_block() -> Document {
    document(vec![
        Block::heading(1, "WEST MIDLANDS POLICE AND CRIME COMMISSIONER"),
        Block::heading(2, "NON-CONFIDENTIAL NOTICE OF DECISION 018/2013"),
        Block::field("Contact Officer: ", "Jacky Courtney"),
        Block::heading(3, "DECISION"),
        Block::paragraph(
            "That the Police and Crime Plan is approved. The budget is £2.2m \u{2013} the \u{201c}precept\u{201d} \
             is set elsewhere.\n\nA *second* paragraph: #set $x$ [a] <b> @c // d\nwith a second line.",
        ),
        Block::Strong(String::from("DRAFT: not yet published.")),
        Block::Lines(vec![String::from("Lloyd House"), String::from("Colmore Circus")]),
        Block::numbered(
            "1.",
            "The Police Reform and Social Responsibility Act 2011 requires the Commissioner to issue a plan.",
        ),
        Block::Bullets(vec![String::from("manifesto commitments"), String::from("the Strategic Policing Requirement")]),
        Block::Table {
            columns: vec![Column::new("Recommendation", 1.0), Column::new("Response", 2.0)],
            rows: vec![vec![String::from("R1 Targets on prosecutions"), String::from("Accepted in part")]],
        },
        Block::Space(12.0),
        Block::Rule,
        Block::Lines(vec![String::from("Signature: Bob Jones"), String::from("Date: 28 March 2013")]),
    ])
}

#[test]
fn every_block_kind_reads_back_as_its_text_in_order() {
    let bytes = render(&every_block()).expect("the document typesets");
    let Some(text) = text(&bytes) else { return };
    let expected = "\
West Midlands Police and Crime Commissioner

28 March 2013

WEST MIDLANDS POLICE AND CRIME COMMISSIONER
NON-CONFIDENTIAL NOTICE OF DECISION 018/2013
Contact Officer: Jacky Courtney

DECISION
That the Police and Crime Plan is approved. The budget is £2.2m – the “precept” is set elsewhere.
A *second* paragraph: #set $x$ [a] <b> @c // d
with a second line.
DRAFT: not yet published.
Lloyd House
Colmore Circus
1. The Police Reform and Social Responsibility Act 2011 requires the Commissioner to issue a plan.
• manifesto commitments
• the Strategic Policing Requirement
Recommendation

Response

R1 Targets on prosecutions

Accepted in part

Signature: Bob Jones
Date: 28 March 2013

Notice of Decision 018/2013 — Page 1 of 1

\u{c}";
    assert_eq!(text, expected);
}

#[test]
fn every_page_has_the_header_and_page_n_of_m_in_its_footer() {
    let paragraph = "The Panel asked for the figures by area and by month, with the counts behind each rate. ";
    let blocks = (1..=45).map(|n| Block::paragraph(format!("{n}. {}", paragraph.repeat(3)))).collect();
    let bytes = render(&document(blocks)).expect("the document typesets");
    let Some(count) = pages(&bytes) else { return };
    assert_eq!(count, 3, "45 paragraphs of three lines fill three pages");
    for page in 1..=count {
        let text = page_text(&bytes, page).expect("pdftotext ran for the whole document");
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines[..2], ["West Midlands Police and Crime Commissioner", "28 March 2013"], "page {page}");
        let footer = format!("Notice of Decision 018/2013 — Page {page} of 3");
        assert_eq!(lines.last().map(|l| l.trim()), Some(footer.as_str()), "page {page}");
    }
}

#[test]
fn without_a_body_or_date_there_is_no_header_and_without_a_footer_only_the_page_number() {
    let bytes = render(&Document {
        title: String::from("Annual report"),
        blocks: vec![Block::paragraph("The year in brief.")],
        ..Document::default()
    })
    .expect("the document typesets");
    let Some(text) = text(&bytes) else { return };
    assert_eq!(text, "The year in brief.\n\nPage 1 of 1\n\n\u{c}");
}

#[test]
fn the_contents_list_names_each_part_with_the_page_it_starts_on() {
    let filler = "Each objective has its priorities, commitments, milestones and measures. ".repeat(12);
    let mut blocks =
        vec![Block::heading(1, "Police and Crime Plan 2021 to 2025"), Block::field("Period: ", "2021 to 2025")];
    for part in ["Vision", "Objectives", "Resources"] {
        blocks.push(Block::heading(2, part));
        blocks.extend((0..6).map(|_| Block::paragraph(filler.clone())));
        blocks.push(Block::heading(3, format!("{part} in detail")));
    }
    let mut plan = document(blocks);
    plan.contents = true;
    let bytes = render(&plan).expect("the document typesets");
    let Some(first) = page_text(&bytes, 1) else { return };
    // The list follows the title and the details, before the first part; it names the
    // level 2 headings only, each with its page (typst puts a word joiner before it).
    let first = first.replace('\u{2060}', "");
    let contents: Vec<&str> = first.lines().skip_while(|l| *l != "Contents").take(4).collect();
    assert_eq!(contents[0], "Contents");
    assert!(first.find("Period: 2021 to 2025") < first.find("Contents"), "{first}");
    let mut listed = Vec::new();
    for line in &contents[1..] {
        let (name, page) = line.rsplit_once(' ').expect("a name, leaders and a page");
        let name = name.trim_end_matches([' ', '.']).to_string();
        let page: usize = page.parse().unwrap_or_else(|_| panic!("a page number in {line:?}"));
        let on_page = page_text(&bytes, page).expect("pdftotext ran");
        assert!(on_page.lines().any(|l| l == name), "{name:?} starts on page {page}:\n{on_page}");
        listed.push(name);
    }
    assert_eq!(listed, ["Vision", "Objectives", "Resources"]);
    assert!(!first.contains("Vision in detail ."), "level 3 headings are not listed:\n{first}");
}

#[test]
fn welsh_polish_greek_and_cyrillic_text_prints_as_itself() {
    let names = "Gŵyl Dewi, Tŷ Hywel; Zażółć gęślą jaźń, Łódź; Αλέξανδρος Παπαδόπουλος; Олена Коваленко";
    let bytes = render(&document(vec![
        Block::heading(2, "Ymgynghoriad: Tŷ’r Cyffredin"),
        Block::paragraph(names),
        Block::Table {
            columns: vec![Column::new("Enw", 1.0), Column::new("Ardal", 1.0)],
            rows: vec![vec![String::from("Siân Ŵyn"), String::from("Wrecsam")]],
        },
    ]))
    .expect("the document typesets");
    let Some(text) = text(&bytes) else { return };
    for part in ["Ymgynghoriad: Tŷ’r Cyffredin", names, "Siân Ŵyn"] {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
    assert!(!text.contains('?'), "no character is replaced:\n{text}");
}

#[test]
fn the_same_document_gives_the_same_bytes_and_no_date_unless_it_has_one() {
    let first = render(&every_block()).expect("the document typesets");
    assert_eq!(render(&every_block()).expect("again"), first, "the same bytes");
    let raw = String::from_utf8_lossy(&first);
    assert!(!raw.contains("/CreationDate") && !raw.contains("/ModDate"), "no date from the clock");

    let mut dated = every_block();
    dated.created = String::from("2013-03-28");
    let dated = render(&dated).expect("the document typesets");
    assert!(String::from_utf8_lossy(&dated).contains("/CreationDate(D:20130328"), "the document's own day");
    if let Some(created) = info(&dated, "CreationDate") {
        assert!(created.contains("2013"), "{created}");
    }
}

#[test]
fn the_pdf_is_tagged_with_its_title_language_headings_table_header_and_figure_text() {
    let mut tagged = every_block();
    tagged.blocks.push(Block::figure(pcplan_pdf::Figure::new(100.0, 50.0), "Figure 1: burglaries by month"));
    let bytes = render(&tagged).expect("the document typesets");
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("/Lang(en-GB)"), "the language");
    for tag in
        ["/StructTreeRoot", "/S/H1", "/S/H2", "/S/H3", "/S/P", "/S/L", "/S/Table", "/S/THead", "/S/TH", "/S/Figure"]
    {
        assert!(raw.contains(tag), "{tag} in the structure tree");
    }
    assert!(raw.contains("/Alt(Figure 1: burglaries by month)"), "the caption is the figure's alternative text");
    let Some(tagged) = info(&bytes, "Tagged") else { return };
    assert_eq!(tagged, "yes");
    assert_eq!(info(&bytes, "Title").as_deref(), Some("Notice of Decision 018/2013: Police and Crime Plan"));
    assert_eq!(info(&bytes, "Author").as_deref(), Some("West Midlands Police and Crime Commissioner"));
    assert_eq!(info(&bytes, "Subject").as_deref(), Some("Notice of Decision"));
    assert_eq!(info(&bytes, "Page size").as_deref(), Some("595.276 x 841.89 pts (A4)"));
}

#[test]
fn a_long_table_repeats_its_header_row_on_every_page() {
    let rows: Vec<Vec<String>> =
        (1..=120).map(|n| vec![format!("R{n}"), format!("Response to recommendation {n}")]).collect();
    let columns = pcplan_pdf::fit_columns(&["Recommendation", "Response"], &rows);
    let bytes = render(&document(vec![Block::Table { columns, rows }])).expect("the document typesets");
    let Some(count) = pages(&bytes) else { return };
    assert!(count > 2, "{count} pages");
    for page in 1..=count {
        let text = page_text(&bytes, page).expect("pdftotext ran");
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines[2..4], ["Recommendation", "Response"], "the header row heads page {page}");
    }
    let all = squeeze(&text(&bytes).expect("pdftotext ran"));
    assert!(all.contains("R120 Response to recommendation 120"), "every row is printed");
}

#[test]
fn fields_a_caller_cannot_mean_are_refused_with_the_reason() {
    let mut welsh = every_block();
    welsh.language = String::from("cy-GB");
    let bytes = render(&welsh).expect("Welsh is a language");
    assert!(String::from_utf8_lossy(&bytes).contains("/Lang(cy-GB)"));

    let mut wrong = every_block();
    wrong.language = String::from("English");
    let error = render(&wrong).expect_err("not a language tag");
    assert!(matches!(error, Error::Language { .. }), "{error:?}");
    assert!(error.to_string().contains("\"English\" is not a tag like `en-GB`"), "{error}");

    let mut undated = every_block();
    undated.created = String::from("31 March 2013");
    assert!(matches!(render(&undated), Err(Error::Created { .. })));
}

#[test]
fn odd_input_prints_what_it_can_and_never_fails() {
    let odd = document(vec![
        Block::heading(0, "Level zero is level one"),
        Block::heading(9, "Level nine is level six"),
        Block::paragraph("A bell\u{7} and an escape\u{1b} in the text."),
        Block::Bullets(Vec::new()),
        Block::Lines(Vec::new()),
        Block::numbered("", ""),
        Block::Table { columns: Vec::new(), rows: vec![vec![String::from("no columns")]] },
        Block::Table { columns: vec![Column::new("Only", f32::NAN)], rows: vec![Vec::new()] },
        Block::figure(pcplan_pdf::Figure::new(f32::NAN, 10.0), "A figure without a size keeps its caption"),
        Block::Space(f32::INFINITY),
        Block::Space(-40.0),
        Block::paragraph("The end."),
    ]);
    let bytes = render(&odd).expect("odd input still typesets");
    let Some(text) = text(&bytes) else { return };
    for part in [
        "Level zero is level one",
        "Level nine is level six",
        "in the text.",
        "Only",
        "A figure without a size keeps its caption",
        "The end.",
    ] {
        assert!(text.contains(part), "{part:?} in:\n{text}");
    }
    assert!(!text.contains("no columns"), "a table without columns prints nothing");
}
