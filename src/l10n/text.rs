//! A sentence the domain writes in English, kept with the template it was written from, so a
//! catalogue can say it in another language: [`text!`](crate::text) takes `format!`'s syntax
//! and its English is what `format!` writes, byte for byte.

use super::{FluentArgs, FluentValue, Lang};

/// A sentence and the template it was written from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Text {
    /// The `format!` template (empty: a sentence no catalogue knows).
    pub template: &'static str,
    /// The sentence in English.
    pub english: String,
    /// Parts that are sentences made elsewhere (a refusal's reason, an import's detail), by
    /// placeholder name: another language says each through its own template ([`Text::with`]).
    pub nested: Nested,
}

/// The nested parts of a [`Text`], by placeholder name, as a chain of boxes: a sentence
/// without any (most) stays as small as a `format!` template and its string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Nested(Option<Box<(&'static str, Text, Nested)>>);

impl Nested {
    fn push(&mut self, name: &'static str, t: Text) {
        match &mut self.0 {
            Some(next) => next.2.push(name, t),
            None => self.0 = Some(Box::new((name, t, Nested::default()))),
        }
    }

    /// Each nested part: its placeholder's name and its sentence.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Text)> {
        std::iter::successors(self.0.as_deref(), |(_, _, next)| next.0.as_deref()).map(|(n, t, _)| (*n, t))
    }
}

/// `format!` that keeps its template: `text!("{} has {n} tables", name)`.
#[macro_export]
macro_rules! text {
    ($fmt:literal $($rest:tt)*) => {
        $crate::l10n::Text::new($fmt, format!($fmt $($rest)*))
    };
}

impl From<String> for Text {
    fn from(english: String) -> Text {
        Text::new("", english)
    }
}

/// A fixed sentence: its own template (a catalogue's `text-…` message, or the `ui-…` one).
impl From<&'static str> for Text {
    fn from(english: &'static str) -> Text {
        let template = if english.contains(['{', '}']) { "" } else { english };
        Text::new(template, english.to_string())
    }
}

/// The sentence in English (where a caller keeps a `String`).
impl From<Text> for String {
    fn from(t: Text) -> String {
        t.english
    }
}

/// The sentence in English, as a `&str` (what a `String` message offered).
impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.english
    }
}

/// What says itself as a sentence: an error made in one place and nested in another's sentence
/// (`text!("not made: {e}").with("e", e.as_text())`), so each language says both.
pub trait AsText {
    fn as_text(&self) -> Text;
}

impl AsText for Text {
    fn as_text(&self) -> Text {
        self.clone()
    }
}

/// A sentence no catalogue knows (said as it is).
impl AsText for String {
    fn as_text(&self) -> Text {
        Text::from(self.clone())
    }
}

/// A sentence equals the English it says (what comparing a `String` message did).
impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.english == *other
    }
}

/// In JSON a sentence is its English (every language writes the same JSON).
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english)
    }
}

/// The message id of a template: `text-` and its words (as [`super::ui_key`]).
pub fn key(template: &str) -> String {
    format!("text{}", &super::ui_key(template)[2..])
}

/// The names of a template's placeholders, in order: `{name}` (or `{name:…}`) is `name`, a
/// positional `{}` (or `{:…}`) is `p` and its index among the placeholders.
pub fn placeholders(template: &str) -> Vec<String> {
    pieces(template).1
}

/// A template's literal pieces (one more than its placeholders) and its placeholders' names.
fn pieces(template: &str) -> (Vec<String>, Vec<String>) {
    let mut lits = Vec::new();
    let mut cur = String::new();
    let mut names = Vec::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                cur.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                cur.push('}');
            }
            '{' => {
                let mut inner = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    inner.push(c);
                }
                let name = inner.split(':').next().unwrap_or_default().trim().to_string();
                let positional = name.is_empty() || name.chars().all(|c| c.is_ascii_digit());
                names.push(if positional { format!("p{}", names.len()) } else { name });
                lits.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    lits.push(cur);
    (lits, names)
}

impl Text {
    /// A sentence written in English from `template` (see [`text!`](crate::text)).
    pub fn new(template: &'static str, english: String) -> Text {
        Text { template, english, nested: Nested::default() }
    }

    /// The same sentence with its part `name` (a `{name}` of the template, filled with
    /// `inner`'s English) said by `inner` in every language: a detail made elsewhere keeps its
    /// own template, `text!("association not made: {e}").with("e", e)`.
    pub fn with(mut self, name: &'static str, inner: impl Into<Text>) -> Text {
        self.nested.push(name, inner.into());
        self
    }

    /// The values of the placeholders, read back from the English: each ends where the next
    /// literal piece begins. When a piece occurs inside a value too ("my-vpc (vpc-1)" before
    /// " ("), the split whose values all balance their brackets is taken. `None` when the
    /// English does not follow the template.
    pub fn parts(&self) -> Option<Vec<(String, String)>> {
        let (lits, names) = pieces(self.template);
        let rest = self.english.strip_prefix(lits[0].as_str())?;
        let mut found: Option<Vec<String>> = None;
        let mut values = Vec::new();
        split(rest, &lits[1..], &mut values, &mut found, &mut 0);
        found.map(|v| names.into_iter().zip(v).collect())
    }

    /// The sentence in `lang`: the catalogue's message for its template with the same values,
    /// or the English when there is none.
    /// A sentence without a `text-…` message may be an interface text (`ui-…`, keyed by its
    /// English), as a fixed refusal ("required: …") is.
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.english.clone();
        }
        self.translated(lang).unwrap_or_else(|| super::ui(lang, &self.english))
    }

    /// The sentence in `lang` when its catalogue has the template's message (and the English
    /// follows the template); `None` otherwise.
    pub fn translated(&self, lang: Lang) -> Option<String> {
        if self.template.is_empty() {
            return None;
        }
        let parts = self.parts()?;
        let mut args = FluentArgs::new();
        for (k, v) in parts {
            let inner = self.nested.iter().find(|(n, t)| *n == k && t.english == v);
            let v = match inner {
                Some((_, t)) => t.render(lang),
                None if k.ends_with("_ui") => interface_words(lang, &v),
                None => v,
            };
            args.set(k, FluentValue::from(v));
        }
        super::message(lang, &key(self.template), &args)
    }
}

/// A part named `…_ui` is interface words (a kind, a direction: "route table", "inbound", "subnet
/// or route table"), said in `lang` as the interface says them (alternatives joined by " / ");
/// other parts are values (names, ids, addresses) and stay as written.
fn interface_words(lang: Lang, v: &str) -> String {
    v.split(" or ").map(|w| super::ui(lang, w)).collect::<Vec<_>>().join(" / ")
}

/// Split `rest` into one value before each of `lits` (the last must end it); the first split
/// with balanced brackets, else the first split, goes to `found`. At most 64 tries.
fn split(
    rest: &str,
    lits: &[String],
    values: &mut Vec<String>,
    found: &mut Option<Vec<String>>,
    tries: &mut u32,
) -> bool {
    *tries += 1;
    let Some((lit, more)) = lits.split_first() else {
        if !rest.is_empty() {
            return false;
        }
        let good = values.iter().all(|v| balanced(v));
        if good || found.is_none() {
            *found = Some(values.clone());
        }
        return good;
    };
    if more.is_empty() {
        // The last piece ends the sentence.
        let Some(end) = rest.len().checked_sub(lit.len()).filter(|&e| rest.is_char_boundary(e) && rest[e..] == **lit)
        else {
            return false;
        };
        values.push(rest[..end].to_string());
        let done = split("", more, values, found, tries);
        values.pop();
        return done;
    }
    if lit.is_empty() {
        // Two placeholders side by side: no way to tell where one ends.
        return false;
    }
    for (at, _) in rest.match_indices(lit.as_str()) {
        if *tries > 64 {
            return false;
        }
        values.push(rest[..at].to_string());
        let done = split(&rest[at + lit.len()..], more, values, found, tries);
        values.pop();
        if done {
            return true;
        }
    }
    false
}

/// Whether every bracket in `s` is closed in order.
fn balanced(s: &str) -> bool {
    let mut stack = Vec::new();
    for c in s.chars() {
        let open = match c {
            '(' | '[' | '{' => {
                stack.push(c);
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        if stack.pop() != Some(open) {
            return false;
        }
    }
    stack.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_format_and_parts_come_back() {
        let n = 3;
        let t = crate::text!("{} has {n} main route tables; {} {{x}}", "vpc-1 (a, b)", "end");
        assert_eq!(t.english, format!("{} has {n} main route tables; {} {{x}}", "vpc-1 (a, b)", "end"));
        assert_eq!(placeholders(t.template), ["p0", "n", "p2"]);
        let parts = t.parts().expect("parts");
        assert_eq!(parts[0], ("p0".to_string(), "vpc-1 (a, b)".to_string()));
        assert_eq!(parts[1], ("n".to_string(), "3".to_string()));
        assert_eq!(parts[2], ("p2".to_string(), "end".to_string()));
        assert_eq!(t.render(Lang::En), t.english);
        // Not in the catalogue: English.
        assert_eq!(t.render(Lang::Ko), t.english);
        assert_eq!(key("{} has {n} main route tables"), "text-has-n-main-route-tables");
        // A piece inside a value: the split that balances the brackets.
        let t = crate::text!(
            "{} ({}) is not inside any CIDR of {} ({})",
            "web (subnet-1)",
            "10.9.0.0/24",
            "v (vpc-1)",
            "10.0.0.0/16"
        );
        let v: Vec<String> = t.parts().expect("parts").into_iter().map(|(_, v)| v).collect();
        assert_eq!(v, ["web (subnet-1)", "10.9.0.0/24", "v (vpc-1)", "10.0.0.0/16"]);
    }

    /// A refusal whose reason is made elsewhere says the reason in Korean too (issue 16 item
    /// 9): the CIDR family restriction inside an A3 refusal, an IPv6 parse error inside an
    /// import's report line; English is as before.
    #[test]
    fn a_nested_detail_is_said_in_the_same_language() {
        use crate::net::{CidrError, FamilyRestriction};
        let e = CidrError::FamilyRestricted {
            cidr: "192.168.0.0/16".parse().expect("a CIDR"),
            primary: "10.0.0.0/16".parse().expect("a CIDR"),
            reason: FamilyRestriction::Range198_19,
        };
        let t = e.text();
        assert_eq!(
            t.render(Lang::En),
            "192.168.0.0/16 cannot be added to a VPC whose primary CIDR is 10.0.0.0/16: AWS reserves 198.19.0.0/16 \
             for VPCs created in it (A3)"
        );
        let ko = t.render(Lang::Ko);
        assert!(ko.contains("AWS는 198.19.0.0/16을 그 범위로 만든 VPC에만 허용합니다 (A3)"), "{ko}");
        assert!(!ko.contains("reserves"), "{ko}");
        let v6 = crate::net::ipv6::parse_ipv6_cidr("2001:db8::/129").expect_err("too long");
        // The template an importer uses (cfn_import::security), nesting the parse error.
        let e = v6.text();
        let line = crate::text!("Ipv6CidrBlock: {e}; skipped").with("e", e.clone());
        let ko = line.render(Lang::Ko);
        assert!(ko.starts_with("Ipv6CidrBlock: /129은(는) IPv6 주소보다 깁니다"), "{ko}");
        assert!(ko.ends_with("; 건너뜀"), "{ko}");
    }
}
