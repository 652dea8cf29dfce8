//! `yoshiki dump FILE`: the intermediate form, one row a line, cells
//! separated by ` | `, each prefixed with its column and location.

use super::{EXIT_INPUT, EXIT_OK};
use crate::ir::RowKind;
use crate::limits::Limits;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
}

pub fn run(a: Args) -> i32 {
    let bytes = match std::fs::read(&a.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("yoshiki: {}: cannot read: {e}", a.file.display());
            return EXIT_INPUT;
        }
    };
    match crate::parse::read_ir(&bytes, &Limits::default()) {
        Ok(ir) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`| head`) ends the listing quietly.
            let _ = write_ir(&mut out, &ir);
            EXIT_OK
        }
        Err(e) => {
            eprintln!("yoshiki: {}: {e}", a.file.display());
            EXIT_INPUT
        }
    }
}

fn write_ir(out: &mut impl Write, ir: &crate::ir::Ir) -> std::io::Result<()> {
    {
        {
            writeln!(out, "# format={} meta={:?}", ir.format.as_str(), ir.meta)?;
            for r in &ir.rows {
                let kind = match r.kind {
                    RowKind::Table => "T".to_string(),
                    RowKind::Line => "L".to_string(),
                    RowKind::Heading(n) => format!("H{n}"),
                };
                let cells: Vec<String> = r
                    .cells
                    .iter()
                    .map(|c| {
                        format!(
                            "[{}{}{}{}] {}",
                            c.col,
                            if c.wrapped { "w" } else { "" },
                            span(c.span),
                            loc(&c.at),
                            c.text.replace('\n', "⏎")
                        )
                    })
                    .collect();
                writeln!(out, "{kind} {}", cells.join(" | "))?;
            }
            for rv in &ir.revisions {
                writeln!(
                    out,
                    "# revision {:?} → {:?} ({:?}){}",
                    rv.before,
                    rv.after,
                    rv.evidence,
                    loc(&rv.at)
                )?;
            }
            for w in &ir.warnings {
                writeln!(out, "# warning {}: {}{}", w.code, w.message, loc(&w.at))?;
            }
        }
    }
    out.flush()
}

/// A merged cell's extent, ` 2x1` (rows x columns); nothing for a plain cell.
fn span((rows, cols): (u32, u32)) -> String {
    if (rows, cols) == (1, 1) {
        String::new()
    } else {
        format!(" {rows}x{cols}")
    }
}

fn loc(at: &crate::model::Location) -> String {
    let mut s = String::new();
    if let Some(p) = at.page {
        s.push_str(&format!(" p{p}"));
    }
    if let Some(b) = at.bbox {
        s.push_str(&format!(" [{:.1},{:.1},{:.1},{:.1}]", b[0], b[1], b[2], b[3]));
    }
    if let (Some(sh), Some(c)) = (&at.sheet, &at.cell) {
        s.push_str(&format!(" {sh}!{c}"));
    }
    if let (Some(t), Some(c)) = (at.table, &at.cell) {
        s.push_str(&format!(" table{t}!{c}"));
    }
    if let Some(l) = at.line {
        s.push_str(&format!(" L{l}"));
    }
    s
}
