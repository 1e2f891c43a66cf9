//! Names for exported resources: derived from the design's names, sanitised to what the target
//! accepts, and unique.

use std::collections::{HashMap, HashSet};

/// Keep ASCII letters and digits (and, when `extra` allows, `_`/`-`); start with a letter.
pub fn sanitize_identifier(name: &str, keep_underscore: bool, fallback: &str) -> String {
    crate::model::text::identifier(name, keep_underscore, fallback)
}

/// Unique names for resources, by resource id.
#[derive(Debug, Clone, Default)]
pub struct LogicalIds {
    by_id: HashMap<String, String>,
    used: HashSet<String>,
    /// Terraform style (`snake_case` allowed) rather than CloudFormation (alphanumeric only).
    underscores: bool,
}

impl LogicalIds {
    /// CloudFormation logical ids: `[A-Za-z0-9]+`.
    pub fn cloudformation() -> LogicalIds {
        LogicalIds::default()
    }

    /// Terraform resource names: letters, digits and `_`, starting with a letter.
    pub fn terraform() -> LogicalIds {
        LogicalIds { underscores: true, ..Default::default() }
    }

    /// Reserve a name so no resource gets it (a parameter's, say).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_ascii_lowercase());
    }

    /// The name of a resource, made on first use from its design name; `kind` is the
    /// fallback word when the name has no usable characters.
    pub fn assign(&mut self, id: &str, name: &str, kind: &str) -> String {
        if let Some(n) = self.by_id.get(id) {
            return n.clone();
        }
        let n = self.fresh(name, kind);
        self.by_id.insert(id.to_string(), n.clone());
        n
    }

    /// A unique name that belongs to no resource id (routes, associations, rules).
    pub fn fresh(&mut self, name: &str, kind: &str) -> String {
        let base = sanitize_identifier(name, self.underscores, kind);
        let mut n = base.clone();
        let mut k = 2;
        // Case-insensitively unique: CloudFormation treats ids case-sensitively, but people
        // and file systems do not, and a name that differs only by case is a trap.
        while !self.used.insert(n.to_ascii_lowercase()) {
            n = format!("{base}{}{k}", if self.underscores { "_" } else { "" });
            k += 1;
        }
        n
    }

    /// The name assigned to a resource id, if any.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_and_unique() {
        let mut ids = LogicalIds::cloudformation();
        assert_eq!(ids.assign("vpc-1", "jhVPC", "Vpc"), "jhVPC");
        assert_eq!(ids.assign("vpc-1", "other", "Vpc"), "jhVPC", "stable per id");
        assert_eq!(ids.assign("sg-1", "web-sg", "Sg"), "websg");
        assert_eq!(ids.assign("sg-2", "websg", "Sg"), "websg2");
        assert_eq!(ids.assign("sg-3", "JHvpc", "Sg"), "JHvpc2", "unique ignoring case");
        assert_eq!(ids.assign("x", "10 net", "Subnet"), "Subnet10net");
        assert_eq!(ids.assign("y", "!!!", "Subnet"), "Subnet");
        let mut tf = LogicalIds::terraform();
        assert_eq!(tf.assign("a", "Public subnet-A", "subnet"), "Public_subnet_A");
        assert_eq!(tf.assign("b", "1st", "subnet"), "subnet_1st");
    }
}
