//! Comparing two matrices of the same rows and columns without looking at every cell: rows
//! share lines of cell ids, and a matrix recomputed from another interns its cells in the same
//! table, so two lines with the same ids hold the same answers. Only lines that differ, and
//! the cells answered pair by pair, are looked at cell by cell.

use super::Matrix;
use std::collections::HashMap;

impl Matrix {
    /// The cells of port `p` whose verdict differs from `old`'s port `op`, row by row, when
    /// both matrices have the same rows and columns (`None` otherwise: compare cell by cell).
    pub fn verdict_changes(&self, p: usize, old: &Matrix, op: usize) -> Option<Vec<(usize, usize)>> {
        if self.source_ids != old.source_ids || self.destination_ids != old.destination_ids {
            return None;
        }
        // Lines are by position among applicable parties: compare cell by cell otherwise.
        if !self.all_applicable() || !old.all_applicable() {
            return None;
        }
        let (g, og) = (self.grids.get(p)?, old.grids.get(op)?);
        let same_ids = self.cells.same_lineage(&old.cells);
        let delivered = |m: &Matrix, id: u32| id != u32::MAX && m.cells.get(id).delivered;
        // Per pair of lines (old, new): the columns whose verdicts differ.
        let mut pairs: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
        let differing = |ol: u32, nl: u32| -> Vec<usize> {
            let (a, b) = (&og.lines[ol as usize], &g.lines[nl as usize]);
            // Lines an edit left alone are shared by the two matrices.
            if same_ids && (std::sync::Arc::ptr_eq(a, b) || a == b) {
                return Vec::new();
            }
            a.iter()
                .zip(b.iter())
                .enumerate()
                .filter(|&(_, (&x, &y))| !(same_ids && x == y) && delivered(old, x) != delivered(self, y))
                .map(|(c, _)| c)
                .collect()
        };
        // Cells answered pair by pair, in either matrix, by row.
        let mut own: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(r, c) in g.overrides.keys().chain(og.overrides.keys()) {
            own.entry(r).or_default().push(c);
        }
        let mut out = Vec::new();
        for r in 0..self.source_ids.len() {
            let (ol, nl) = (og.row_line[r], g.row_line[r]);
            let lines = pairs.entry((ol, nl)).or_insert_with(|| differing(ol, nl));
            match own.get_mut(&(r as u32)) {
                None => out.extend(lines.iter().map(|&c| (r, c))),
                Some(cs) => {
                    cs.sort_unstable();
                    cs.dedup();
                    let lines = lines.clone();
                    out.extend(lines.into_iter().filter(|c| cs.binary_search(&(*c as u32)).is_err()).map(|c| (r, c)));
                    for &c in cs.iter() {
                        if self.delivered(p, r, c as usize) != old.delivered(op, r, c as usize) {
                            out.push((r, c as usize));
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        Some(out)
    }
}
