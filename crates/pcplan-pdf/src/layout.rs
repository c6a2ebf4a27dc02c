//! Laying blocks out on A4 pages: word wrapping with the fonts' real widths, page breaks
//! that keep a heading with what follows it, tables whose header row repeats on every
//! page they run over, figures scaled to the text width and kept whole on one page, and
//! the footer with page numbers.
//!
//! The result is a list of pages of drawing operations in PDF coordinates (points from
//! the bottom-left corner); `writer` turns them into content streams.

use crate::metrics::{encode, width};
use crate::{Block, Column, Document, Figure};

pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.7;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// The lowest a line of content may reach; the footer sits below it.
const BOTTOM: f32 = 64.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BODY_SIZE: f32 = 10.5;
const BODY_LEADING: f32 = 14.0;
const TABLE_SIZE: f32 = 9.5;
const TABLE_LEADING: f32 = 12.5;
const CELL_PAD: f32 = 4.0;
const PARAGRAPH_GAP: f32 = 6.0;
const HANGING_INDENT: f32 = 24.0;
/// Between a figure and its caption.
const CAPTION_GAP: f32 = 4.0;

/// One drawing operation.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Op {
    /// Text in WinAnsiEncoding bytes, starting at `x` on the baseline `y`.
    Text { x: f32, y: f32, size: f32, bold: bool, bytes: Vec<u8> },
    /// A straight line in grey (0 black, 1 white).
    Line { x1: f32, y1: f32, x2: f32, y2: f32, grey: f32 },
    /// A filled rectangle in grey, from its bottom-left corner.
    Fill { x: f32, y: f32, w: f32, h: f32, grey: f32 },
    /// A figure with its top-left corner at `(x, top)`, `scale` points to its unit.
    Figure { x: f32, top: f32, scale: f32, figure: Figure },
}

/// A run of text in one font.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    bold: bool,
    bytes: Vec<u8>,
    x: f32,
}

/// A wrapped line: runs placed from the line's left edge.
type WrappedLine = Vec<Run>;

/// Text as WinAnsiEncoding bytes: a tab is a space, any character the encoding lacks is `?`.
pub(crate) fn encode_text(text: &str) -> Vec<u8> {
    text.chars().map(|c| if c == '\t' { b' ' } else { encode(c).unwrap_or(b'?') }).collect()
}

fn measure(bytes: &[u8], bold: bool, size: f32) -> f32 {
    bytes.iter().map(|b| width(*b, bold, size)).sum()
}

/// Wraps runs of (text, bold) into lines no wider than `max`. Words longer than a line
/// are broken where they must be; a newline in the text forces a break.
fn wrap(spans: &[(&str, bool)], size: f32, max: f32) -> Vec<WrappedLine> {
    let mut lines: Vec<WrappedLine> = Vec::new();
    let mut line: WrappedLine = Vec::new();
    let mut x = 0.0;
    let space = |bold| width(b' ', bold, size);
    let push_word = |line: &mut WrappedLine, x: &mut f32, word: &[u8], bold: bool| match line.last_mut() {
        Some(last) if last.bold == bold => {
            if *x > 0.0 {
                last.bytes.push(b' ');
            }
            last.bytes.extend_from_slice(word);
        }
        _ => {
            let mut bytes = Vec::new();
            if *x > 0.0 {
                bytes.push(b' ');
            }
            bytes.extend_from_slice(word);
            line.push(Run { bold, bytes, x: *x });
        }
    };
    for (text, bold) in spans {
        let bold = *bold;
        for (i, hard_line) in text.split('\n').enumerate() {
            if i > 0 {
                lines.push(std::mem::take(&mut line));
                x = 0.0;
            }
            for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
                let mut word = encode_text(word);
                loop {
                    let gap = if x > 0.0 { space(bold) } else { 0.0 };
                    let w = measure(&word, bold, size);
                    if x + gap + w <= max {
                        push_word(&mut line, &mut x, &word, bold);
                        x += gap + w;
                        break;
                    }
                    if x > 0.0 {
                        lines.push(std::mem::take(&mut line));
                        x = 0.0;
                        continue;
                    }
                    // A word wider than the whole line: break it.
                    let mut taken = 0;
                    let mut used = 0.0;
                    while taken < word.len() && used + width(word[taken], bold, size) <= max {
                        used += width(word[taken], bold, size);
                        taken += 1;
                    }
                    let taken = taken.max(1);
                    let rest = word.split_off(taken);
                    push_word(&mut line, &mut x, &word, bold);
                    lines.push(std::mem::take(&mut line));
                    x = 0.0;
                    word = rest;
                    if word.is_empty() {
                        break;
                    }
                }
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

struct Cursor {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Cursor {
    fn new() -> Self {
        Cursor { pages: vec![Vec::new()], y: TOP }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn at_top(&self) -> bool {
        self.y >= TOP
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the cursor.
    fn need(&mut self, height: f32) {
        if self.y - height < BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y -= height;
        }
    }

    /// Draws wrapped lines at `x`, breaking pages between lines.
    fn lines(&mut self, lines: &[WrappedLine], x: f32, size: f32, leading: f32) {
        for line in lines {
            self.need(leading);
            let baseline = self.y - size * 0.8;
            for run in line {
                let (bold, bytes, rx) = (run.bold, run.bytes.clone(), run.x);
                self.ops().push(Op::Text { x: x + rx, y: baseline, size, bold, bytes });
            }
            self.y -= leading;
        }
    }
}

fn heading_size(level: u8) -> f32 {
    match level {
        0 | 1 => 16.0,
        2 => 13.0,
        _ => 11.5,
    }
}

/// Widths in points, for [`crate::fit_columns`]: each column gets at least its longest
/// word (so no word is broken when that can be helped) and, room allowing, its longest
/// line unwrapped; the room between is shared in proportion to what each column lacks.
pub(crate) fn fit_columns(headings: &[&str], rows: &[Vec<String>]) -> Vec<Column> {
    let size = |text: &str, bold: bool| measure(&encode_text(text), bold, TABLE_SIZE);
    let longest_word = |text: &str, bold: bool| text.split_whitespace().map(|w| size(w, bold)).fold(0.0, f32::max);
    let (minimum, desired): (Vec<f32>, Vec<f32>) = headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let cells = rows.iter().filter_map(|row| row.get(index)).map(String::as_str);
            let mut least = longest_word(heading, true);
            let mut most = size(heading, true);
            for cell in cells {
                least = least.max(longest_word(cell, false));
                most = most.max(size(cell, false));
            }
            (least + 2.0 * CELL_PAD + 0.5, most + 2.0 * CELL_PAD + 0.5)
        })
        .unzip();
    let (least, most): (f32, f32) = (minimum.iter().sum(), desired.iter().sum());
    let widths: Vec<f32> = if most <= TEXT_WIDTH {
        desired
    } else if least >= TEXT_WIDTH {
        minimum
    } else {
        let share = (TEXT_WIDTH - least) / (most - least);
        minimum.iter().zip(&desired).map(|(low, high)| low + (high - low) * share).collect()
    };
    headings.iter().zip(widths).map(|(heading, width)| Column::new(*heading, width)).collect()
}

fn table(cursor: &mut Cursor, columns: &[Column], rows: &[Vec<String>]) {
    let total: f32 = columns.iter().map(|c| c.weight.max(0.01)).sum();
    let widths: Vec<f32> = columns.iter().map(|c| TEXT_WIDTH * c.weight.max(0.01) / total).collect();
    let edges: Vec<f32> = std::iter::once(MARGIN)
        .chain(widths.iter().scan(MARGIN, |x, w| {
            *x += w;
            Some(*x)
        }))
        .collect();
    let wrap_cells = |cells: Vec<&str>, bold: bool| -> Vec<Vec<WrappedLine>> {
        cells.iter().zip(&widths).map(|(text, w)| wrap(&[(text, bold)], TABLE_SIZE, w - 2.0 * CELL_PAD)).collect()
    };
    let header = wrap_cells(columns.iter().map(|c| c.heading.as_str()).collect(), true);
    let header_lines = header.iter().map(Vec::len).max().unwrap_or(1);
    let header_height = header_lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD;

    let draw_row = |cursor: &mut Cursor, cells: &[Vec<WrappedLine>], from: usize, count: usize, shaded: bool| {
        let height = count as f32 * TABLE_LEADING + 2.0 * CELL_PAD;
        let top = cursor.y;
        let bottom = top - height;
        if shaded {
            cursor.ops().push(Op::Fill { x: MARGIN, y: bottom, w: TEXT_WIDTH, h: height, grey: 0.92 });
        }
        for (i, cell) in cells.iter().enumerate() {
            let mut y = top - CELL_PAD;
            for line in cell.iter().skip(from).take(count) {
                let baseline = y - TABLE_SIZE * 0.8;
                for run in line {
                    let op = Op::Text {
                        x: edges[i] + CELL_PAD + run.x,
                        y: baseline,
                        size: TABLE_SIZE,
                        bold: run.bold,
                        bytes: run.bytes.clone(),
                    };
                    cursor.ops().push(op);
                }
                y -= TABLE_LEADING;
            }
        }
        let right = MARGIN + TEXT_WIDTH;
        let grey = 0.55;
        cursor.ops().push(Op::Line { x1: MARGIN, y1: top, x2: right, y2: top, grey });
        cursor.ops().push(Op::Line { x1: MARGIN, y1: bottom, x2: right, y2: bottom, grey });
        for x in &edges {
            cursor.ops().push(Op::Line { x1: *x, y1: top, x2: *x, y2: bottom, grey });
        }
        cursor.y = bottom;
    };

    cursor.need(header_height + TABLE_LEADING + 2.0 * CELL_PAD);
    draw_row(cursor, &header, 0, header_lines, true);
    let fresh_page_lines = ((TOP - BOTTOM - header_height - 2.0 * CELL_PAD) / TABLE_LEADING).floor().max(1.0) as usize;
    for row in rows {
        let cells = wrap_cells(
            row.iter().map(String::as_str).chain(std::iter::repeat("")).take(columns.len()).collect(),
            false,
        );
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
        let mut from = 0;
        while from < lines {
            let remaining = lines - from;
            let fit = ((cursor.y - BOTTOM - 2.0 * CELL_PAD) / TABLE_LEADING).floor().max(0.0) as usize;
            // Move a row that would fit whole on a new page rather than split it.
            let split_needed = remaining > fit;
            if fit == 0 || (split_needed && from == 0 && remaining <= fresh_page_lines) {
                cursor.new_page();
                draw_row(cursor, &header, 0, header_lines, true);
                continue;
            }
            let take = remaining.min(fit);
            draw_row(cursor, &cells, from, take, false);
            from += take;
            if from < lines {
                cursor.new_page();
                draw_row(cursor, &header, 0, header_lines, true);
            }
        }
    }
}

/// The points per unit a figure is drawn at: as wide as the text when it is wider,
/// never enlarged (a narrow figure's text would grow past the body text), and shrunk
/// further when it would be taller than `room`. The scale is rounded down to the four
/// decimals the writer prints, so the figure drawn is never larger than the room laid out.
fn figure_scale(figure: &Figure, room: f32) -> f32 {
    let scale = (TEXT_WIDTH / figure.width).min(room / figure.height).min(1.0);
    ((scale * 10_000.0).floor() / 10_000.0).max(0.0001)
}

/// A figure, then its caption under it. The figure is never split: it moves to a new
/// page with the first two lines of its caption when they do not fit below the cursor;
/// a longer caption runs on like a paragraph. A figure without area draws nothing but
/// its caption.
fn figure_block(cursor: &mut Cursor, figure: &Figure, caption: &str) {
    let caption = caption.trim();
    let lines = if caption.is_empty() { Vec::new() } else { wrap(&[(caption, false)], TABLE_SIZE, TEXT_WIDTH) };
    let kept = if lines.is_empty() { 0.0 } else { CAPTION_GAP + lines.len().min(2) as f32 * TABLE_LEADING };
    cursor.gap(PARAGRAPH_GAP);
    if figure.has_area() {
        let scale = figure_scale(figure, TOP - BOTTOM - kept);
        let height = figure.height * scale;
        cursor.need(height + kept);
        let top = cursor.y;
        cursor.ops().push(Op::Figure { x: MARGIN, top, scale, figure: figure.clone() });
        cursor.y -= height;
        if !lines.is_empty() {
            cursor.y -= CAPTION_GAP;
        }
    }
    cursor.lines(&lines, MARGIN, TABLE_SIZE, TABLE_LEADING);
    cursor.gap(PARAGRAPH_GAP * 2.0);
}

/// Lays out the whole document and adds the footers.
pub(crate) fn pages(document: &Document) -> Vec<Vec<Op>> {
    let mut cursor = Cursor::new();
    for block in &document.blocks {
        match block {
            Block::Heading { level, text } => {
                let size = heading_size(*level);
                let leading = size * 1.25;
                let lines = wrap(&[(text, true)], size, TEXT_WIDTH);
                cursor.gap(size * 0.6);
                // Keep a heading with at least two lines of what follows.
                cursor.need(lines.len() as f32 * leading + 2.0 * BODY_LEADING);
                cursor.lines(&lines, MARGIN, size, leading);
                cursor.y -= 3.0;
            }
            Block::Paragraph(text) | Block::Strong(text) => {
                let bold = matches!(block, Block::Strong(_));
                for part in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
                    let lines = wrap(&[(part.trim(), bold)], BODY_SIZE, TEXT_WIDTH);
                    cursor.lines(&lines, MARGIN, BODY_SIZE, BODY_LEADING);
                    cursor.gap(PARAGRAPH_GAP);
                }
            }
            Block::Lines(lines) => {
                for line in lines {
                    let wrapped = wrap(&[(line, false)], BODY_SIZE, TEXT_WIDTH);
                    cursor.lines(&wrapped, MARGIN, BODY_SIZE, BODY_LEADING);
                }
                cursor.gap(PARAGRAPH_GAP);
            }
            Block::Field { label, value } => {
                let lines = wrap(&[(label, true), (value, false)], BODY_SIZE, TEXT_WIDTH);
                cursor.lines(&lines, MARGIN, BODY_SIZE, BODY_LEADING);
                cursor.gap(PARAGRAPH_GAP / 2.0);
            }
            Block::Numbered { number, text } => {
                let lines = wrap(&[(text, false)], BODY_SIZE, TEXT_WIDTH - HANGING_INDENT);
                cursor.need(BODY_LEADING);
                let baseline = cursor.y - BODY_SIZE * 0.8;
                let bytes = encode_text(number);
                cursor.ops().push(Op::Text { x: MARGIN, y: baseline, size: BODY_SIZE, bold: false, bytes });
                cursor.lines(&lines, MARGIN + HANGING_INDENT, BODY_SIZE, BODY_LEADING);
                cursor.gap(PARAGRAPH_GAP);
            }
            Block::Bullets(items) => {
                for item in items {
                    let lines = wrap(&[(item, false)], BODY_SIZE, TEXT_WIDTH - 18.0);
                    cursor.need(BODY_LEADING);
                    let baseline = cursor.y - BODY_SIZE * 0.8;
                    let bullet = vec![0x95];
                    cursor.ops().push(Op::Text {
                        x: MARGIN + 4.0,
                        y: baseline,
                        size: BODY_SIZE,
                        bold: false,
                        bytes: bullet,
                    });
                    cursor.lines(&lines, MARGIN + 18.0, BODY_SIZE, BODY_LEADING);
                    cursor.gap(2.0);
                }
                cursor.gap(PARAGRAPH_GAP);
            }
            Block::Table { columns, rows } => {
                if !columns.is_empty() {
                    table(&mut cursor, columns, rows);
                    cursor.gap(PARAGRAPH_GAP * 2.0);
                }
            }
            Block::Figure { figure, caption } => figure_block(&mut cursor, figure, caption),
            Block::Space(points) => cursor.gap(*points),
            Block::Rule => {
                cursor.need(8.0);
                let y = cursor.y - 4.0;
                let right = MARGIN + TEXT_WIDTH;
                cursor.ops().push(Op::Line { x1: MARGIN, y1: y, x2: right, y2: y, grey: 0.4 });
                cursor.y -= 10.0;
            }
        }
    }
    let count = cursor.pages.len();
    for (i, ops) in cursor.pages.iter_mut().enumerate() {
        let label = if document.footer.is_empty() {
            format!("Page {} of {count}", i + 1)
        } else {
            format!("{} \u{2014} Page {} of {count}", document.footer, i + 1)
        };
        let bytes = encode_text(&label);
        let x = (PAGE_WIDTH - measure(&bytes, false, 8.0)) / 2.0;
        ops.push(Op::Text { x, y: MARGIN - 22.0, size: 8.0, bold: false, bytes });
    }
    cursor.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(line: &WrappedLine) -> String {
        line.iter().map(|r| String::from_utf8_lossy(&r.bytes).to_string()).collect()
    }

    #[test]
    fn wrapping_keeps_every_line_inside_the_width_and_every_word() {
        let text = "The Commissioner, under the terms of the Police Reform and Social Responsibility Act 2011, \
                    is required to issue a police and crime plan which covers the term of his office.";
        for max in [60.0, 150.0, 300.0, TEXT_WIDTH] {
            let lines = wrap(&[(text, false)], BODY_SIZE, max);
            for line in &lines {
                let w: f32 = line.iter().map(|r| measure(&r.bytes, r.bold, BODY_SIZE)).sum();
                assert!(w <= max + 0.01, "{w} > {max}: {}", text_of(line));
            }
            let joined: Vec<String> = lines.iter().map(text_of).collect();
            let squeeze = |t: &str| t.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&joined.join(" ")), squeeze(text), "no character lost at {max}");
            if max >= 150.0 {
                // Every word fits on a line, so none is broken.
                assert_eq!(joined.join(" ").split_whitespace().collect::<Vec<_>>().join(" "), text, "at {max}");
            }
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_and_newlines_force_breaks() {
        let lines = wrap(&[("https://www.birmingham.gov.uk/wmpcp/a/very/long/address", false)], BODY_SIZE, 80.0);
        assert!(lines.len() > 1);
        assert_eq!(
            lines.iter().map(text_of).collect::<String>(),
            "https://www.birmingham.gov.uk/wmpcp/a/very/long/address"
        );
        let lines = wrap(&[("Lloyd House\nColmore Circus", false)], BODY_SIZE, TEXT_WIDTH);
        assert_eq!(lines.iter().map(text_of).collect::<Vec<_>>(), ["Lloyd House", "Colmore Circus"]);
    }

    #[test]
    fn a_label_and_its_value_share_a_line_in_two_fonts() {
        let lines = wrap(&[("Contact Officer:", true), ("Jacky Courtney", false)], BODY_SIZE, TEXT_WIDTH);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].len(), 2);
        assert!(lines[0][0].bold && !lines[0][1].bold);
        assert!(lines[0][1].x > measure(b"Contact Officer:", true, BODY_SIZE) - 0.01);
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let rows: Vec<Vec<String>> =
            (1..=120).map(|n| vec![format!("R{n}"), format!("Response to recommendation {n}")]).collect();
        let document = Document {
            blocks: vec![Block::Table {
                columns: vec![Column::new("Recommendation", 1.0), Column::new("Response", 3.0)],
                rows,
            }],
            ..Document::default()
        };
        let pages = pages(&document);
        assert!(pages.len() > 1);
        for page in &pages {
            let headers = page
                .iter()
                .filter(|op| matches!(op, Op::Text { bytes, bold: true, .. } if bytes == b"Recommendation"))
                .count();
            assert_eq!(headers, 1, "the header once on each page");
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y > MARGIN - 30.0 && *y < PAGE_HEIGHT, "on the page: {y}");
                }
            }
        }
    }

    #[test]
    fn a_figure_is_scaled_to_the_text_width_with_its_caption_under_it() {
        let document = Document {
            blocks: vec![
                Block::figure(Figure::new(640.0, 320.0), "Figure 1: burglaries"),
                Block::paragraph("After the figure."),
                Block::figure(Figure::new(200.0, 100.0), ""),
            ],
            ..Document::default()
        };
        let pages = pages(&document);
        assert_eq!(pages.len(), 1);
        let figures: Vec<(f32, f32, f32)> = pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Figure { x, top, scale, .. } => Some((*x, *top, *scale)),
                _ => None,
            })
            .collect();
        assert_eq!(figures.len(), 2);
        let (x, top, scale) = figures[0];
        assert_eq!((x, top), (MARGIN, TOP));
        assert!(640.0 * scale <= TEXT_WIDTH && 640.0 * scale > TEXT_WIDTH - 0.1, "{scale}");
        assert_eq!(figures[1].2, 1.0, "a narrow figure is never enlarged");
        let baseline = |wanted: &[u8]| {
            pages[0]
                .iter()
                .find_map(|op| match op {
                    Op::Text { y, bytes, .. } if bytes == wanted => Some(*y),
                    _ => None,
                })
                .expect("the text is laid out")
        };
        let bottom = top - 320.0 * scale;
        let caption = baseline(b"Figure 1: burglaries");
        assert!(caption < bottom && caption > bottom - 2.0 * TABLE_LEADING, "{caption} under {bottom}");
        assert!(baseline(b"After the figure.") < caption);
        assert!(figures[1].1 < baseline(b"After the figure."));
    }

    #[test]
    fn fitted_columns_keep_words_whole_and_give_long_text_the_room_left() {
        let headings = ["Period", "Baseline", "Lower process limit", "Signal"];
        let row = |period: &str, signal: &str| {
            vec![period.to_string(), String::from("50"), String::from("39.2"), signal.to_string()]
        };
        // Lines that fit unwrapped: no cell and no heading wraps.
        let short = vec![row("September 2024", "Significant improvement: lower than usual")];
        // A sentence too long for the page: the table fills the width, words stay whole.
        let long = vec![
            row(
                "September 2024",
                &"Significant improvement: lower than usual, for the third month running. ".repeat(3),
            ),
            row("October 2024", "No significant change"),
        ];
        for (rows, wraps) in [(short, false), (long, true)] {
            let columns = fit_columns(&headings, &rows);
            let total: f32 = columns.iter().map(|c| c.weight).sum();
            assert_eq!((total - TEXT_WIDTH).abs() < 0.01, wraps, "the width is filled only when short: {total}");
            for (index, column) in columns.iter().enumerate() {
                // The width the table gives the text of the column (tables span the text width).
                let width = TEXT_WIDTH * column.weight / total - 2.0 * CELL_PAD;
                let heading = wrap(&[(headings[index], true)], TABLE_SIZE, width);
                let cells =
                    rows.iter().map(|row| (row[index].as_str(), wrap(&[(&row[index], false)], TABLE_SIZE, width)));
                for (text, lines) in std::iter::once((headings[index], heading)).chain(cells) {
                    let limit = if wraps { text.split_whitespace().count() } else { 1 };
                    assert!(lines.len() <= limit, "{text:?} in {} lines at {width}", lines.len());
                }
            }
            assert!(columns[3].weight > columns[1].weight * 2.0, "the signal column gets the room");
        }

        let narrow = fit_columns(&["Area", "Figure"], &[vec![String::from("North"), String::from("41")]]);
        let measured = |t: &str, bold| measure(&encode_text(t), bold, TABLE_SIZE) + 2.0 * CELL_PAD + 0.5;
        assert_eq!(narrow[0].weight, measured("North", false));
        assert_eq!(narrow[1].weight, measured("Figure", true));
    }
}
