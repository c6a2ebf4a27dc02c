//! Times a long document: a report of about forty pages (parts with paragraphs, fields,
//! bullets, numbered paragraphs, a table per part and a chart every other part, and a
//! contents list), rendered as PDF twice (the first render also builds the engine and
//! parses the fonts) and as a Word file, and prints the pages and the times.
//!
//! `cargo run -p pcplan-pdf --example long_document --release` (or without `--release`:
//! the workspace's dev profile already optimises typst). It writes nothing to disk.

use std::time::Instant;

use pcplan_pdf::{Anchor, Block, Column, Document, Figure, Rgb, Shape, Stroke, Text, render, render_docx};

fn chart(part: usize) -> Figure {
    let mut figure = Figure::new(640.0, 300.0);
    let points: Vec<(f32, f32)> =
        (0..24).map(|i| (40.0 + i as f32 * 24.0, 150.0 + ((i * 37 + part * 11) % 90) as f32)).collect();
    figure.shapes.push(Shape::Rect {
        x: 40.0,
        y: 40.0,
        width: 560.0,
        height: 220.0,
        fill: None,
        stroke: Some(Stroke::solid(Rgb::new(0x50, 0x5a, 0x5f), 1.0)),
    });
    figure
        .shapes
        .push(Shape::Polyline { points: points.clone(), stroke: Stroke::solid(Rgb::new(0x1d, 0x70, 0xb8), 3.0) });
    for (x, y) in points {
        figure.shapes.push(Shape::Circle {
            cx: x,
            cy: y,
            r: 3.0,
            fill: Some(Rgb::new(0x1d, 0x70, 0xb8)),
            stroke: None,
        });
    }
    let mut title = Text::new(320.0, 24.0, format!("Crimes recorded each month, part {part}"), 14.0);
    title.anchor = Anchor::Middle;
    title.bold = true;
    figure.shapes.push(Shape::Text(title));
    figure
}

fn document() -> Document {
    let paragraph = "The Commissioner will work with the Chief Constable, community safety partners and the \
                     public to reduce crime, support victims and make the force's performance visible. Each \
                     commitment below has an owner, milestones and the measures it is judged by. ";
    let mut blocks = vec![
        Block::heading(1, "Police and Crime Plan 2021 to 2025: annual performance report"),
        Block::field("Published by: ", "West Midlands Police and Crime Commissioner"),
        Block::field("Period: ", "1 April 2024 to 31 March 2025"),
    ];
    for part in 1..=26 {
        blocks.push(Block::heading(2, format!("Objective {part}: safer neighbourhoods in area {part}")));
        blocks.push(Block::paragraph(format!("{}\n\n{}", paragraph.repeat(3), paragraph.repeat(2))));
        blocks.push(Block::Bullets((1..=4).map(|n| format!("Commitment {part}.{n}: {}", &paragraph[..90])).collect()));
        for n in 1..=3 {
            blocks.push(Block::numbered(format!("{part}.{n}"), paragraph.repeat(2)));
        }
        if part % 2 == 0 {
            blocks.push(Block::figure(chart(part), format!("Figure {part}: crimes recorded each month, area {part}")));
        }
        let rows: Vec<Vec<String>> = (1..=14)
            .map(|n| {
                vec![
                    format!("Milestone {part}.{n}"),
                    format!("{n} March 2025"),
                    String::from("On track"),
                    paragraph[..120].to_string(),
                ]
            })
            .collect();
        let columns: Vec<Column> = pcplan_pdf::fit_columns(&["Milestone", "Due", "Status", "Latest update"], &rows);
        blocks.push(Block::Table { columns, rows });
    }
    Document {
        title: String::from("Annual performance report 2024 to 2025"),
        author: String::from("West Midlands Police and Crime Commissioner"),
        subject: String::from("Performance report"),
        footer: String::from("Annual performance report 2024 to 2025"),
        body: String::from("West Midlands Police and Crime Commissioner"),
        date: String::from("30 June 2025"),
        contents: true,
        blocks,
        ..Document::default()
    }
}

fn main() -> Result<(), pcplan_pdf::Error> {
    let document = document();
    let started = Instant::now();
    let first = render(&document)?;
    let cold = started.elapsed();
    let started = Instant::now();
    let second = render(&document)?;
    let warm = started.elapsed();
    let started = Instant::now();
    let docx = render_docx(&document)?;
    let word = started.elapsed();
    let raw = String::from_utf8_lossy(&first);
    let pages = raw.matches("/Type/Page").count() - raw.matches("/Type/Pages").count();
    println!("PDF: {pages} pages, {} bytes", first.len());
    println!("first render (engine and fonts built): {cold:?}");
    println!("second render: {warm:?}");
    println!("same bytes: {}", first == second);
    println!("Word file: {} bytes in {word:?}", docx.len());
    Ok(())
}
