//! Accessible SVG charts of performance figures and delivery status, each with the data
//! table that goes beside it.
//!
//! Three charts, each a plain struct the caller fills in and renders:
//!
//! - [`SeriesChart`]: a measure's series against its baseline, target and XmR process
//!   limits, with signals marked and named ([`SeriesChart::from_xmr`] builds one from
//!   `pcplan_domain::stats::xmr`);
//! - [`SmallMultiples`]: one small series per area on a shared scale;
//! - [`StatusBars`]: milestone statuses as horizontal stacked bars.
//!
//! `render` returns an [`Svg`]: the SVG text, the [`Table`] of the same figures, the
//! description in words, and the [`Drawing`] the SVG was written from. The rules every
//! chart keeps (docs/charts.md explains them for page and PDF authors):
//!
//! - the `<svg>` has `role="img"` and is labelled by its `<title>` and a `<desc>` that says
//!   in words what the chart shows, with ids from the caller's prefix, so the same input
//!   always gives the same bytes;
//! - colour never carries meaning alone: line styles, marker shapes, fill patterns and
//!   words do too;
//! - every caller's text is escaped, missing figures are gaps (never zeros), and no
//!   `NaN` or `inf` reaches the output;
//! - coordinates are rounded to 0.1.
//!
//! This crate does no I/O and knows nothing of HTTP, templates or PDF files: pages put
//! [`Svg::svg`] and [`Table::to_html`] into their HTML, and PDF writers draw from
//! [`Svg::drawing`] and [`Svg::table`].
//!
//! ```
//! use pcplan_charts::{Options, Point, SeriesChart};
//!
//! let chart = SeriesChart::new(
//!     "Burglaries recorded each month",
//!     "crimes",
//!     vec![
//!         Point::new("April 2024", Some(52.0)),
//!         Point::new("May 2024", None),
//!         Point::new("June 2024", Some(47.0)),
//!     ],
//! );
//! let rendered = chart.render(&Options::page("burglary"));
//! assert!(rendered.svg.starts_with("<svg "));
//! assert!(rendered.svg.contains(r#"aria-labelledby="burglary-title burglary-desc""#));
//! assert_eq!(rendered.table.rows[1], ["May 2024", "no figure"]);
//! assert!(rendered.table.to_html().starts_with(r#"<table class="govuk-table">"#));
//! ```

mod bars;
mod drawing;
mod legend;
mod multiples;
mod number;
mod plot;
mod series;
mod table;
mod text;
mod xmr;

pub use bars::{STATUS_ORDER, StatusBars, StatusCounts, StatusRow};
pub use drawing::{Anchor, Colour, Dash, Drawing, Shape, Stroke, Text};
pub use multiples::{Panel, SmallMultiples};
pub use series::{Limits, Point, Reading, SeriesChart, Signal, SignalKind};
pub use table::Table;
pub use xmr::{axis_label, points_from_xmr};

use drawing::SvgHead;
use text::clean_id;

/// The font pages use: the GOV.UK Design System's, with its fallbacks.
pub const PAGE_FONT_FAMILY: &str = "\"GDS Transport\", arial, sans-serif";

/// The font for PDFs, which set text in Liberation Sans (Arial's metrics).
pub const PDF_FONT_FAMILY: &str = "Liberation Sans, Arial, sans-serif";

/// How a chart is written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The prefix of the chart's element ids (`{id}`, `{id}-title`, `{id}-desc`); unique on
    /// the page. Characters other than letters, digits, `-` and `_` become `-`, and a
    /// prefix not starting with a letter gets `chart-` in front.
    pub id: String,
    /// The CSS font family list set on the `<svg>`.
    pub font_family: String,
}

impl Options {
    /// For a web page: the GOV.UK font.
    pub fn page(id: impl Into<String>) -> Self {
        Options { id: id.into(), font_family: PAGE_FONT_FAMILY.to_string() }
    }

    /// For a PDF: Liberation Sans, the font `pcplan-pdf` embeds.
    pub fn pdf(id: impl Into<String>) -> Self {
        Options { id: id.into(), font_family: PDF_FONT_FAMILY.to_string() }
    }
}

/// A rendered chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Svg {
    /// The `<svg>` element, ready to put in a page (no XML declaration).
    pub svg: String,
    /// The same figures as a table, to show beside the chart.
    pub table: Table,
    /// What the chart shows, in words: the text of its `<desc>`.
    pub summary: String,
    /// The shapes the SVG was written from, for writers that draw them another way.
    pub drawing: Drawing,
}

impl Svg {
    fn finish(drawing: Drawing, options: &Options, title: &str, summary: String, table: Table) -> Svg {
        let id = clean_id(&options.id);
        let head = SvgHead { id: &id, title, desc: &summary, font_family: &options.font_family };
        let svg = drawing.to_svg(&head);
        Svg { svg, table, summary, drawing }
    }
}
