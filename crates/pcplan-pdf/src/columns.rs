//! Column widths for tables ([`crate::fit_columns`]), measured in the font the PDF is set
//! in: the advance widths of Liberation Sans's glyphs, read from the vendored files with
//! ttf-parser (which typst already uses, so it adds nothing to the build).
//!
//! The widths are only shares: the template gives each column `weight` fractions of the
//! text width (`fr` in typst), so the table always spans the text width and a small
//! error in measuring (kerning is ignored) changes nothing but where a long cell wraps.

use std::sync::LazyLock;

use crate::Column;
use crate::typeset::{BOLD, REGULAR};

/// The width of the text column on A4 with the template's margins, in points.
pub(crate) const TEXT_WIDTH: f32 = 595.28 - 2.0 * 56.7;
/// The size of text in tables, in points (the template's `table-size`).
pub(crate) const TABLE_SIZE: f32 = 9.5;
/// The space between a cell's edge and its text, in points (the template's `inset`).
pub(crate) const CELL_PAD: f32 = 4.0;

/// The two faces text is measured in. A face that cannot be parsed measures every
/// character at the fallback width, so a broken font file shows as odd column widths in
/// the tests rather than as a panic.
static FACES: LazyLock<[Option<ttf_parser::Face<'static>>; 2]> =
    LazyLock::new(|| [ttf_parser::Face::parse(REGULAR, 0).ok(), ttf_parser::Face::parse(BOLD, 0).ok()]);

/// The width of a character the font lacks (typst sets it in a fallback font), in ems:
/// about an average Latin letter.
const FALLBACK_EM: f32 = 0.56;

/// The width of `text` at `size` points, in points.
pub(crate) fn measure(text: &str, bold: bool, size: f32) -> f32 {
    let face = FACES[usize::from(bold)].as_ref();
    let em: f32 = text
        .chars()
        .map(|c| {
            let c = if c == '\t' { ' ' } else { c };
            face.and_then(|face| {
                let glyph = face.glyph_index(c)?;
                let advance = face.glyph_hor_advance(glyph)?;
                Some(f32::from(advance) / f32::from(face.units_per_em()))
            })
            .unwrap_or(FALLBACK_EM)
        })
        .sum();
    em * size
}

/// See [`crate::fit_columns`]: each column gets at least its longest word (so no word is
/// broken when that can be helped) and, room allowing, its longest line unwrapped; the
/// room between is shared in proportion to what each column lacks.
pub(crate) fn fit(headings: &[&str], rows: &[Vec<String>]) -> Vec<Column> {
    let longest_word =
        |text: &str, bold: bool| text.split_whitespace().map(|w| measure(w, bold, TABLE_SIZE)).fold(0.0, f32::max);
    let longest_line =
        |text: &str, bold: bool| text.lines().map(|l| measure(l.trim(), bold, TABLE_SIZE)).fold(0.0, f32::max);
    let (minimum, desired): (Vec<f32>, Vec<f32>) = headings
        .iter()
        .enumerate()
        .map(|(index, heading)| {
            let cells = rows.iter().filter_map(|row| row.get(index)).map(String::as_str);
            let mut least = longest_word(heading, true);
            let mut most = longest_line(heading, true);
            for cell in cells {
                least = least.max(longest_word(cell, false));
                most = most.max(longest_line(cell, false));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_measured_in_liberation_sans_which_has_arials_widths() {
        // Liberation Sans is metric-compatible with Arial: "Hi" is 722 + 222 thousandths
        // of an em, bold 722 + 278.
        assert!((measure("Hi", false, 10.0) - 9.44).abs() < 0.01, "{}", measure("Hi", false, 10.0));
        assert!((measure("Hi", true, 10.0) - 10.0).abs() < 0.01, "{}", measure("Hi", true, 10.0));
        // Welsh and Polish letters are in the font, not measured at the fallback width.
        assert!((measure("ŵ", false, 10.0) - measure("w", false, 10.0)).abs() < 0.01);
        assert!((measure("ł", false, 10.0) - measure("l", false, 10.0)).abs() < 0.01);
    }

    #[test]
    fn fitted_columns_keep_words_whole_and_give_long_text_the_room_left() {
        let headings = ["Period", "Baseline", "Lower process limit", "Signal"];
        let row = |period: &str, signal: &str| {
            vec![period.to_string(), String::from("50"), String::from("39.2"), signal.to_string()]
        };
        let short = vec![row("September 2024", "Significant improvement: lower than usual")];
        let columns = fit(&headings, &short);
        let total: f32 = columns.iter().map(|c| c.weight).sum();
        assert!(total < TEXT_WIDTH, "a short table needs less than the width: {total}");
        for (column, heading) in columns.iter().zip(headings) {
            assert!(column.weight >= measure(heading, true, TABLE_SIZE) + 2.0 * CELL_PAD, "{heading}");
        }

        let long = vec![
            row(
                "September 2024",
                &"Significant improvement: lower than usual, for the third month running. ".repeat(3),
            ),
            row("October 2024", "No significant change"),
        ];
        let columns = fit(&headings, &long);
        let total: f32 = columns.iter().map(|c| c.weight).sum();
        assert!((total - TEXT_WIDTH).abs() < 0.01, "a long table fills the width: {total}");
        for (column, word) in columns.iter().zip(["September", "Baseline", "process", "Significant"]) {
            assert!(column.weight >= measure(word, true, TABLE_SIZE) + 2.0 * CELL_PAD, "{word} stays whole");
        }
        assert!(columns[3].weight > columns[1].weight * 2.0, "the signal column gets the room");

        let narrow = fit(&["Area", "Figure"], &[vec![String::from("North"), String::from("41")]]);
        let measured = |t: &str, bold| measure(t, bold, TABLE_SIZE) + 2.0 * CELL_PAD + 0.5;
        assert_eq!(narrow[0].weight, measured("North", false));
        assert_eq!(narrow[1].weight, measured("Figure", true));
    }
}
