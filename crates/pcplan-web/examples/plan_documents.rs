//! The plan-to-PDF benchmark (issue 7): renders the demo plan (West Midlands, 2014
//! version) as pcplan's PDF, and beside it, in the same run, has LibreOffice convert
//! pcplan's own DOCX export of the same plan to PDF. Then the same for a long plan: the
//! demo plan's objectives, measures and local plans repeated until its PDF runs to at
//! least 40 pages (each copy's titles numbered, so nothing is literally the same).
//!
//! Prints one table: pages, pcplan's time (the first render, which loads the fonts,
//! and the best of the next runs), LibreOffice's time (wall time of the whole
//! `soffice --headless --convert-to pdf` process, best of its runs) and the ratio.
//! Not a test: the figures depend on the machine. Run it through
//! `bench/documents/run.sh`, or:
//!
//! ```sh
//! cargo run --release -p pcplan-web --example plan_documents -- [--runs 5] [--keep DIR]
//! ```
//!
//! Without `libreoffice` on the PATH it prints pcplan's figures and says LibreOffice
//! was not found (Debian: `apt-get install libreoffice-writer-nogui`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use pcplan_web::plan_document::plan_document;
use pcplan_web::plan_view::{PlanView, VersionView};

struct Args {
    runs: usize,
    keep: Option<PathBuf>,
}

fn args() -> Result<Args, String> {
    let mut args = Args { runs: 5, keep: None };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--runs" => {
                let value = given.next().ok_or("--runs needs a number")?;
                args.runs = value.parse().map_err(|_| format!("--runs {value}: not a whole number"))?;
                if args.runs == 0 {
                    return Err(String::from("--runs must be 1 or more"));
                }
            }
            "--keep" => args.keep = Some(PathBuf::from(given.next().ok_or("--keep needs a directory")?)),
            other => return Err(format!("unknown argument {other}; see the top of plan_documents.rs")),
        }
    }
    Ok(args)
}

/// The plan `copies` times over: objectives, measures, grants and local plans repeated,
/// each copy's titles numbered.
fn scaled(plan: &PlanView, copies: usize) -> PlanView {
    let mut long = plan.clone();
    for copy in 2..=copies {
        let tag = |title: &str| format!("{title} ({copy})");
        long.groups.extend(plan.groups.iter().cloned().map(|mut g| {
            g.title = tag(&g.title);
            for o in &mut g.objectives {
                o.title = tag(&o.title);
            }
            g
        }));
        long.measures.extend(plan.measures.iter().cloned().map(|mut m| {
            m.title = tag(&m.title);
            m
        }));
        long.grants.extend(plan.grants.iter().cloned().map(|mut g| {
            g.recipient = tag(&g.recipient);
            g
        }));
        long.local_plans.extend(plan.local_plans.iter().cloned().map(|mut l| {
            l.title = tag(&l.title);
            l
        }));
    }
    long
}

/// Pages of a PDF by `pdfinfo`, when it is installed.
fn pages(pdf: &Path) -> Option<usize> {
    let output = Command::new("pdfinfo").arg(pdf).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok())
}

/// LibreOffice's best time converting `docx` to PDF in `out`, or why it could not.
fn libreoffice(docx: &Path, out: &Path, runs: usize) -> Result<(Duration, Option<usize>), String> {
    let profile = out.join("lo-profile");
    let mut best: Option<Duration> = None;
    for _ in 0..runs {
        let started = Instant::now();
        let status = Command::new("libreoffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(out.join("libreoffice"))
            .arg(docx)
            .output()
            .map_err(|e| format!("libreoffice not found ({e}); Debian: apt-get install libreoffice-writer-nogui"))?;
        let took = started.elapsed();
        if !status.status.success() {
            return Err(format!("libreoffice failed: {}", String::from_utf8_lossy(&status.stderr)));
        }
        best = Some(best.map_or(took, |b| b.min(took)));
    }
    let converted = out.join("libreoffice").join(docx.with_extension("pdf").file_name().unwrap_or_default());
    Ok((best.unwrap_or_default(), pages(&converted)))
}

fn seconds(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

fn main() -> Result<(), String> {
    let args = args()?;
    let temp = tempfile::tempdir().map_err(|e| format!("a temporary directory: {e}"))?;
    let out = args.keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;

    let body = pcplan_demo::body();
    let plan = PlanView::new(&pcplan_demo::plan_2014(), &body);
    let version = VersionView {
        number: 2,
        kind: "issued",
        label: String::from("Police and Crime Plan 2014"),
        effective_on: String::from("1 April 2014"),
    };
    let dated = NaiveDate::from_ymd_opt(2014, 4, 1).ok_or("a date")?;

    println!(
        "{:<24} {:>6} {:>12} {:>12} {:>14} {:>9} {:>8}",
        "document", "pages", "pcplan 1st s", "pcplan best", "LibreOffice s", "LO pages", "ratio"
    );
    // The demo plan, then copies until the PDF has 40 pages or more.
    let mut copies = 1;
    loop {
        let view = scaled(&plan, copies);
        let document = plan_document(&view, &version, dated);
        let started = Instant::now();
        let pdf = pcplan_pdf::render(&document).map_err(|e| format!("rendering the PDF: {e}"))?;
        let first = started.elapsed();
        let mut best = first;
        for _ in 1..args.runs {
            let started = Instant::now();
            let again = pcplan_pdf::render(&document).map_err(|e| format!("rendering the PDF: {e}"))?;
            best = best.min(started.elapsed());
            if again != pdf {
                return Err(String::from("the same document gave different PDF bytes"));
            }
        }
        let name = if copies == 1 { String::from("demo-plan") } else { format!("demo-plan-x{copies}") };
        let pdf_path = out.join(format!("{name}.pdf"));
        let docx_path = out.join(format!("{name}.docx"));
        std::fs::write(&pdf_path, &pdf).map_err(|e| format!("{}: {e}", pdf_path.display()))?;
        let docx = pcplan_pdf::render_docx(&document).map_err(|e| format!("writing the DOCX: {e}"))?;
        std::fs::write(&docx_path, &docx).map_err(|e| format!("{}: {e}", docx_path.display()))?;
        let page_count = pages(&pdf_path);
        let shown = page_count.map_or(String::from("?"), |n| n.to_string());
        match libreoffice(&docx_path, &out, args.runs.min(3)) {
            Ok((lo, lo_pages)) => println!(
                "{:<24} {:>6} {:>12} {:>12} {:>14} {:>9} {:>7.1}x",
                name,
                shown,
                seconds(first),
                seconds(best),
                seconds(lo),
                lo_pages.map_or(String::from("?"), |n| n.to_string()),
                lo.as_secs_f64() / best.as_secs_f64()
            ),
            Err(why) => {
                println!("{:<24} {:>6} {:>12} {:>12} {:>14}", name, shown, seconds(first), seconds(best), "-");
                println!("  ({why})");
            }
        }
        if page_count.is_none_or(|n| n >= 40) || copies >= 64 {
            break;
        }
        // Enough copies for 40 pages, judged from this run's pages per copy.
        let per_copy = page_count.unwrap_or(1).max(1) as f64 / copies as f64;
        copies = ((40.0 / per_copy).ceil() as usize).max(copies + 1);
    }
    if let Some(keep) = &args.keep {
        println!("files kept in {}", keep.display());
    }
    Ok(())
}
