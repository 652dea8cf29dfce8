//! A table's cells placed on its grid, as the HTML table model places
//! them: each cell at the first free column of its row, `rowspan` and
//! `colspan` reserving the columns below and beside it. A spanned cell
//! appears once, at its origin, with its span; the rows it covers start
//! their own cells after it — so a label column merged down with rowspan
//! gives the same columns as the form printed one label per row.

use super::dom::{Dom, NodeId};

/// The spec's caps: larger values are treated as these.
const MAX_COLSPAN: u32 = 1000;
const MAX_ROWSPAN: u32 = 65534;

#[derive(Debug, Clone)]
pub struct Placed {
    pub node: NodeId,
    /// Row within the table (0-based).
    pub row: u32,
    /// Grid column (0-based).
    pub col: u32,
    /// (rows, columns) the cell covers.
    pub span: (u32, u32),
}

/// The table's rows (`tr` elements, in source order, through `thead`,
/// `tbody` and `tfoot`) with their cells placed.
pub fn place(dom: &Dom, table: NodeId) -> Vec<(NodeId, Vec<Placed>)> {
    // Row groups: each section's rows; rows directly in the table form
    // their own group.
    let mut groups: Vec<Vec<NodeId>> = Vec::new();
    for &c in dom.children(table) {
        match dom.name(c) {
            Some("thead" | "tbody" | "tfoot") => groups.push(
                dom.children(c)
                    .iter()
                    .copied()
                    .filter(|&r| dom.name(r) == Some("tr"))
                    .collect(),
            ),
            Some("tr") => match groups.last_mut() {
                Some(g)
                    if g.last()
                        .is_some_and(|&l| dom.node(l).and_then(|n| n.parent) == Some(table)) =>
                {
                    g.push(c)
                }
                _ => groups.push(vec![c]),
            },
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut row_base = 0u32;
    for group in groups {
        // Columns taken in each row of the group by cells from rows above:
        // (first column, end column) ranges.
        let mut taken: Vec<Vec<(u32, u32)>> = vec![Vec::new(); group.len()];
        for (ri, &tr) in group.iter().enumerate() {
            let mut cells = Vec::new();
            let mut col = 0u32;
            for &td in dom.children(tr) {
                if !matches!(dom.name(td), Some("td" | "th")) {
                    continue;
                }
                col = first_free(&taken[ri], col);
                let colspan = span_attr(dom.attr(td, "colspan")).clamp(1, MAX_COLSPAN);
                let left = (group.len() - ri) as u32;
                let rowspan = match span_attr(dom.attr(td, "rowspan")) {
                    0 => left,
                    n => n.min(MAX_ROWSPAN).min(left),
                };
                for r in ri + 1..ri + rowspan as usize {
                    if let Some(t) = taken.get_mut(r) {
                        t.push((col, col.saturating_add(colspan)));
                    }
                }
                cells.push(Placed {
                    node: td,
                    row: row_base + ri as u32,
                    col,
                    span: (rowspan, colspan),
                });
                col = col.saturating_add(colspan);
            }
            out.push((tr, cells));
        }
        row_base += group.len() as u32;
    }
    out
}

/// The first column at or after `col` that no cell from above covers.
fn first_free(taken: &[(u32, u32)], mut col: u32) -> u32 {
    loop {
        match taken.iter().find(|(a, b)| *a <= col && col < *b) {
            Some(&(_, end)) => col = end,
            None => return col,
        }
    }
}

/// A span attribute's value: the digits it starts with (`2`, ` 3px` →
/// 3); 1 where there are none (0 only where it says 0).
fn span_attr(v: Option<&str>) -> u32 {
    let Some(v) = v else { return 1 };
    let digits: String = v.trim().chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return 1;
    }
    digits.parse::<u32>().unwrap_or(u32::MAX)
}

/// `(row, col)` (0-based) as a spreadsheet-style address: (2, 1) → `B3`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        letters.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row as u64 + 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::super::dom;
    use super::*;

    /// (row, column, span) of each placed cell, row by row.
    type Grid = Vec<Vec<(u32, u32, (u32, u32))>>;

    fn grid(html: &str) -> Grid {
        let d = dom::parse(html, 10_000);
        let t = (0..d.nodes.len()).find(|&i| d.name(i) == Some("table")).unwrap();
        place(&d, t)
            .into_iter()
            .map(|(_, cells)| cells.into_iter().map(|p| (p.row, p.col, p.span)).collect())
            .collect()
    }

    #[test]
    fn rowspan_label_column() {
        let g = grid(
            "<table><tr><th rowspan=3>計画</th><td>めざす状態</td><td>戦略</td></tr>\
             <tr><td colspan=2>アウトカム</td></tr><tr><td>a</td><td>b</td></tr></table>",
        );
        assert_eq!(g[0], [(0, 0, (3, 1)), (0, 1, (1, 1)), (0, 2, (1, 1))]);
        assert_eq!(g[1], [(1, 1, (1, 2))]);
        assert_eq!(g[2], [(2, 1, (1, 1)), (2, 2, (1, 1))]);
    }

    #[test]
    fn spans_in_the_middle_and_rowspan_zero() {
        let g = grid(
            "<table><tbody><tr><td>a</td><td rowspan=2 colspan=2>b</td><td>c</td></tr>\
             <tr><td>d</td><td>e</td></tr></tbody><tbody><tr><td rowspan=0>f</td><td>g</td></tr><tr><td>h</td></tr></tbody></table>",
        );
        assert_eq!(g[1], [(1, 0, (1, 1)), (1, 3, (1, 1))]);
        // rowspan=0 runs to the end of its row group, not beyond.
        assert_eq!(g[2], [(2, 0, (2, 1)), (2, 1, (1, 1))]);
        assert_eq!(g[3], [(3, 1, (1, 1))]);
    }

    #[test]
    fn hostile_spans_are_capped() {
        let g = grid(
            r#"<table><tr><td rowspan="99999999" colspan="99999999">x</td><td>y</td></tr><tr><td>z</td></tr></table>"#,
        );
        assert_eq!(g[0][0].2, (2, MAX_COLSPAN));
        assert_eq!(g[0][1].1, MAX_COLSPAN);
        assert_eq!(g[1][0].1, MAX_COLSPAN);
    }

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(2, 1), "B3");
        assert_eq!(a1(9, 26), "AA10");
    }
}
