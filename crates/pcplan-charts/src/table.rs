//! The data table that goes beside every chart: the same figures as the drawing, in rows a
//! screen reader can walk and anyone can copy.
//!
//! A chart is never the only place a figure appears. [`Table`] holds the cells as text
//! (already formatted, `no figure` for a gap), and [`Table::to_html`] writes a GOV.UK
//! Design System table; a PDF writer reads the same fields.

use std::fmt::Write as _;

use crate::text::escape;

/// A table of the figures a chart draws. The first cell of each row names the row (the
/// period, the area, the item) and is written as a row header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    /// Whether each column holds figures, which GOV.UK tables align to the right.
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The table as GOV.UK Design System HTML (`govuk-table`), every cell escaped.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table class=\"govuk-table\">\n");
        // Writing to a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(
            out,
            "<caption class=\"govuk-table__caption govuk-table__caption--s\">{}</caption>",
            escape(&self.caption)
        );
        out.push_str("<thead class=\"govuk-table__head\">\n<tr class=\"govuk-table__row\">");
        for (column, header) in self.headers.iter().enumerate() {
            let _ = write!(
                out,
                "<th scope=\"col\" class=\"govuk-table__header{}\">{}</th>",
                self.modifier(column, "govuk-table__header--numeric"),
                escape(header)
            );
        }
        out.push_str("</tr>\n</thead>\n<tbody class=\"govuk-table__body\">\n");
        for row in &self.rows {
            out.push_str("<tr class=\"govuk-table__row\">");
            for (column, cell) in row.iter().enumerate() {
                if column == 0 {
                    let _ = write!(out, "<th scope=\"row\" class=\"govuk-table__header\">{}</th>", escape(cell));
                } else {
                    let _ = write!(
                        out,
                        "<td class=\"govuk-table__cell{}\">{}</td>",
                        self.modifier(column, "govuk-table__cell--numeric"),
                        escape(cell)
                    );
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// ` class` for a numeric column other than the first (which names the row).
    fn modifier(&self, column: usize, class: &str) -> String {
        if column > 0 && self.numeric.get(column).copied().unwrap_or(false) {
            format!(" {class}")
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_written_with_govuk_classes_and_scopes() {
        let table = Table {
            caption: String::from("Burglaries"),
            headers: vec![String::from("Period"), String::from("Value")],
            numeric: vec![false, true],
            rows: vec![vec![String::from("April 2022"), String::from("52")]],
        };
        let html = table.to_html();
        assert!(html.starts_with("<table class=\"govuk-table\">\n"), "{html}");
        assert!(html.contains("<caption class=\"govuk-table__caption govuk-table__caption--s\">Burglaries</caption>"));
        assert!(html.contains("<th scope=\"col\" class=\"govuk-table__header\">Period</th>"), "{html}");
        assert!(
            html.contains("<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\">Value</th>")
        );
        assert!(html.contains("<th scope=\"row\" class=\"govuk-table__header\">April 2022</th>"), "{html}");
        assert!(html.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">52</td>"), "{html}");
    }

    #[test]
    fn every_cell_of_the_table_is_escaped() {
        let hostile = "<script>alert('x')</script>\"]]>&amp;";
        let table = Table {
            caption: hostile.to_string(),
            headers: vec![hostile.to_string(), hostile.to_string()],
            numeric: vec![false, false],
            rows: vec![vec![hostile.to_string(), hostile.to_string()]],
        };
        let html = table.to_html();
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("]]>"), "{html}");
        assert_eq!(html.matches("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;]]&gt;&amp;amp;").count(), 5);
    }
}
