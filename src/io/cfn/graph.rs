//! Cycle detection among resources (iterative, so deep chains cannot overflow).

/// Returns one cycle as node indices (first node not repeated), or `None`.
/// Nodes and edges are visited in order, so the answer is deterministic.
pub(crate) fn find_cycle(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;
    let mut color = vec![WHITE; edges.len()];
    for start in 0..edges.len() {
        if color[start] != WHITE {
            continue;
        }
        // (node, next edge index)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = GRAY;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match color[to] {
                    WHITE => {
                        color[to] = GRAY;
                        stack.push((to, 0));
                    }
                    GRAY => {
                        let i = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        return Some(stack[i..].iter().map(|(n, _)| *n).collect());
                    }
                    _ => {}
                }
            } else {
                color[node] = BLACK;
                stack.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles() {
        assert_eq!(find_cycle(&[vec![1], vec![2], vec![]]), None);
        assert_eq!(find_cycle(&[vec![1], vec![2], vec![0]]), Some(vec![0, 1, 2]));
        assert_eq!(find_cycle(&[vec![], vec![1]]), Some(vec![1]));
        assert_eq!(find_cycle(&[vec![1, 2], vec![2], vec![3], vec![1]]), Some(vec![1, 2, 3]));
        // A long chain does not recurse.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] }).collect();
        assert_eq!(find_cycle(&chain).map(|c| c.len()), Some(n));
    }
}
