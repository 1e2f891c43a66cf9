//! Localisation: every message the user reads comes from a catalogue per language, Fluent
//! files in `assets/l10n/` (embedded), English the source. The language is a value passed
//! along ([`Lang`]), never a UI type: the domain renders localised text (trace steps, verdicts,
//! fixes, check findings) with it and the app picks it (`K`, `LANG`). A message missing from a
//! catalogue falls back to English (a test keeps both catalogues complete).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

mod text;
pub use text::{key as text_key, placeholders, AsText, Nested, Text};

/// The English catalogue (the source).
pub const EN_FTL: &str = include_str!("../../assets/l10n/en.ftl");
/// The Korean catalogue.
pub const KO_FTL: &str = include_str!("../../assets/l10n/ko.ftl");

/// A language of the interface and of the lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// Parse `en` or `ko`.
    pub fn parse(s: &str) -> Result<Lang, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "ko" | "kr" | "korean" => Ok(Lang::Ko),
            other => Err(format!("'{other}' is not a narration language: use en or ko")),
        }
    }

    /// `en` or `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The other language.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::En => Lang::Ko,
            Lang::Ko => Lang::En,
        }
    }

    /// The language a POSIX locale names (`ko_KR.UTF-8` → Korean); English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ko")) {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The language of the environment: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang, text: &'static str) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would change the bytes of every English line.
    b.set_use_isolating(false);
    // A catalogue that does not parse keeps what did parse; the tests fail on the errors.
    let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(res, _)| res);
    let _ = b.add_resource(res);
    b
}

fn bundles() -> &'static [Bundle; 2] {
    static B: OnceLock<[Bundle; 2]> = OnceLock::new();
    B.get_or_init(|| [bundle(Lang::En, EN_FTL), bundle(Lang::Ko, KO_FTL)])
}

fn format(b: &Bundle, key: &str, args: Option<&FluentArgs>) -> Option<String> {
    let msg = b.get_message(key)?;
    let pattern = msg.value()?;
    let mut errors = Vec::new();
    Some(b.format_pattern(pattern, args, &mut errors).into_owned())
}

/// A message of `lang`'s catalogue with arguments, if it has one.
pub fn message(lang: Lang, key: &str, args: &FluentArgs) -> Option<String> {
    let [en, ko] = bundles();
    let b = if lang == Lang::Ko { ko } else { en };
    format(b, key, args.iter().next().is_some().then_some(args))
}

/// A message with arguments, in `lang` (English when the catalogue lacks it, the key when
/// neither has it).
pub fn tr_args(lang: Lang, key: &str, args: &FluentArgs) -> String {
    let [en, ko] = bundles();
    let args = args.iter().next().is_some().then_some(args);
    let first = match lang {
        Lang::En => format(en, key, args),
        Lang::Ko => format(ko, key, args).or_else(|| format(en, key, args)),
    };
    first.unwrap_or_else(|| key.to_string())
}

/// A message without arguments.
pub fn tr(lang: Lang, key: &str) -> String {
    tr_args(lang, key, &FluentArgs::new())
}

/// A message with a count (`$count`, for plural forms).
pub fn tr_n(lang: Lang, key: &str, count: usize) -> String {
    let mut a = FluentArgs::new();
    a.set("count", FluentValue::from(count));
    tr_args(lang, key, &a)
}

/// A message with named text arguments: `t(lang, "key", &[("name", &value)])`.
pub fn t(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut a = FluentArgs::new();
    for (k, v) in args {
        a.set(*k, FluentValue::from(v.to_string()));
    }
    tr_args(lang, key, &a)
}

/// The message id of an interface text written in English at its call site: `ui-` and the
/// text's words joined by `-` (gettext's way: the English is the id). Case is kept, so two
/// texts that differ only in case ("Trace" the title, "trace" the key hint) are two messages.
pub fn ui_key(english: &str) -> String {
    let mut key = String::from("ui");
    let mut dash = true;
    for c in english.chars() {
        if c.is_ascii_alphanumeric() {
            if dash {
                key.push('-');
            }
            key.push(c);
            dash = false;
        } else {
            dash = true;
        }
    }
    key
}

/// An interface text written in English at its call site, in `lang`: the catalogue's
/// `ui-…` message ([`ui_key`]), or the English when the catalogue has none.
pub fn ui(lang: Lang, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    let key = ui_key(english);
    let [_, ko] = bundles();
    format(ko, &key, None).map_or_else(|| english.to_string(), |t| keep_blanks(english, &t))
}

/// A translation with the blanks around the English (a catalogue's values lose theirs).
fn keep_blanks(english: &str, translated: &str) -> String {
    let lead = &english[..english.len() - english.trim_start().len()];
    let trail = &english[english.trim_end().len()..];
    format!("{lead}{}{trail}", translated.trim())
}

/// An interface text with parts, written in English at its call site with `{name}` where each
/// part goes: `uif(lang, "Saved {path}", &[("path", &p)])`. English is the template filled in
/// (byte for byte what a `format!` wrote); another language is the catalogue's message of the
/// same id ([`ui_key`] of the template) with `{ $name }` for each part.
pub fn uif(lang: Lang, english: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    if lang != Lang::En {
        let [_, ko] = bundles();
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, FluentValue::from(v.to_string()));
        }
        if let Some(s) = format(ko, &ui_key(english), Some(&a)) {
            return keep_blanks(english, &s);
        }
    }
    fill(english, args)
}

/// A `{name}` template filled with its parts (a name with no part stays as written).
fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if args.iter().any(|(k, _)| *k == name) => {
                if let Some((_, v)) = args.iter().find(|(k, _)| *k == name) {
                    out.push_str(&v.to_string());
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The message ids of a catalogue, and its parse errors.
pub fn catalogue_ids(text: &str) -> (Vec<String>, Vec<String>) {
    let (res, errors) = match FluentResource::try_new(text.to_string()) {
        Ok(r) => (r, Vec::new()),
        Err((r, e)) => (r, e.iter().map(|e| format!("{e:?}")).collect()),
    };
    let ids = res
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    (ids, errors)
}

#[cfg(test)]
mod coverage;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_in_both_catalogues_and_both_parse() {
        let (en, en_err) = catalogue_ids(EN_FTL);
        let (ko, ko_err) = catalogue_ids(KO_FTL);
        assert!(en_err.is_empty(), "en.ftl: {en_err:?}");
        assert!(ko_err.is_empty(), "ko.ftl: {ko_err:?}");
        let missing_ko: Vec<_> = en.iter().filter(|k| !ko.contains(k)).collect();
        let missing_en: Vec<_> = ko.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_ko.is_empty(), "not in ko.ftl: {missing_ko:?}");
        assert!(missing_en.is_empty(), "not in en.ftl (English is the source): {missing_en:?}");
        let mut sorted = en.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), en.len(), "a message id is defined twice in en.ftl");
    }

    #[test]
    fn every_ui_message_is_keyed_by_its_english() {
        let [en, _] = bundles();
        for id in catalogue_ids(EN_FTL).0.iter().filter(|k| k.starts_with("ui-")) {
            let text = format(en, id, None).unwrap_or_default();
            assert_eq!(&ui_key(&text), id, "en.ftl: {id} = {text}");
        }
        assert_eq!(ui(Lang::Ko, "no findings"), "발견 사항 없음");
        assert_eq!(ui(Lang::En, "no findings"), "no findings");
        assert_eq!(ui(Lang::Ko, "not in the catalogue"), "not in the catalogue");
    }

    #[test]
    fn plurals_and_arguments() {
        assert_eq!(tr_n(Lang::En, "lesson-hop", 1), "hop");
        assert_eq!(tr_n(Lang::En, "lesson-hop", 2), "hops");
        assert_eq!(tr_n(Lang::Ko, "lesson-hop", 2), "홉");
        assert_eq!(tr(Lang::Ko, "no-such-key"), "no-such-key");
    }

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(Lang::from_locale("ko_KR.UTF-8"), Lang::Ko);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("en_US"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
    }
}
