//! Many short lists in two allocations.

/// Short lists of indices (one per interface: its security groups), kept end to end: a
/// what-if indexes thousands of interfaces after every edit, and a list each would be as many
/// allocations to make and free. `lists[i]` is the `i`-th list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Lists {
    items: Vec<usize>,
    /// Where each list ends in `items`.
    ends: Vec<usize>,
}

impl Lists {
    pub fn with_capacity(lists: usize) -> Lists {
        Lists { items: Vec::with_capacity(lists), ends: Vec::with_capacity(lists) }
    }

    /// Add a list at the end.
    pub fn push(&mut self, list: impl IntoIterator<Item = usize>) {
        self.items.extend(list);
        self.ends.push(self.items.len());
    }
}

impl std::ops::Index<usize> for Lists {
    type Output = [usize];
    fn index(&self, i: usize) -> &[usize] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.items[start..self.ends[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_come_back_as_pushed() {
        let mut l = Lists::with_capacity(3);
        l.push([3, 1]);
        l.push([]);
        l.push([7]);
        assert_eq!((&l[0], &l[1], &l[2]), (&[3, 1][..], &[][..], &[7][..]));
    }
}
