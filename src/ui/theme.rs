//! Themes: RON files in `themes/` embedded in the binary, plus a user file that overrides only the
//! fields it sets.
//!
//! A theme file is a [`ThemeFile`]: every field optional (`#[serde(default)]`), colours written as
//! names (`light-blue`), 0–255 indexes or `#rrggbb`. The built-in themes are complete files; the
//! user's `<config_dir>/theme.ron` is applied on top of whichever built-in theme is active, so it
//! can change one colour and keep the rest, and it survives switching themes at run time.

use ratatui::style::{Color, Modifier, Style};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::str::FromStr;

/// The built-in themes, in the order the theme key cycles through them: (name, RON text).
pub const BUILTIN: &[(&str, &str)] = crate::assets::THEMES;

macro_rules! theme_fields {
    ($( $(#[doc = $doc:literal])* $field:ident = $default:expr, )*) => {
        /// Resolved colours the views draw with.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Theme {
            /// The built-in theme this one starts from.
            pub name: String,
            $( $(#[doc = $doc])* pub $field: Color, )*
        }

        /// A theme file: every field optional, so a file sets only what it wants to change.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default, deny_unknown_fields)]
        pub struct ThemeFile {
            /// For the user file: the built-in theme to start from (`dark`, `light`,
            /// `high-contrast`).
            pub name: Option<String>,
            $( pub $field: Option<String>, )*
        }

        impl Theme {
            /// The hard-coded fallback under every theme: used only for fields a built-in file
            /// fails to set, so a broken file still draws.
            pub fn fallback() -> Theme {
                Theme { name: "dark".into(), $( $field: $default, )* }
            }

            /// Apply the fields a file sets. Returns one message per colour that did not parse
            /// (those fields keep their previous value).
            pub fn apply(&mut self, file: &ThemeFile) -> Vec<String> {
                let mut errors = Vec::new();
                $(
                    if let Some(text) = &file.$field {
                        match Color::from_str(text.trim()) {
                            Ok(c) => self.$field = c,
                            Err(_) => errors.push(format!(
                                "{}: '{}' is not a colour (use a name, 0-255, or #rrggbb)",
                                stringify!($field), text
                            )),
                        }
                    }
                )*
                errors
            }
        }
    };
}

theme_fields! {
    /// Background of the whole screen.
    bg = Color::Reset,
    /// Ordinary text.
    fg = Color::Gray,
    /// Secondary text: ids, hints.
    muted = Color::DarkGray,
    /// Highlights: the selected pane's title, the cursor.
    accent = Color::LightCyan,
    border = Color::DarkGray,
    border_focused = Color::LightCyan,
    title = Color::White,
    selection_bg = Color::Blue,
    selection_fg = Color::White,
    error = Color::LightRed,
    warning = Color::Yellow,
    info = Color::LightBlue,
    ok = Color::LightGreen,
    status_bg = Color::Black,
    status_fg = Color::Gray,
    /// Key names in hints and help.
    key = Color::LightYellow,
    popup_bg = Color::Black,
    popup_border = Color::LightCyan,
    input_bg = Color::DarkGray,
    input_fg = Color::White,
    /// Tree labels by kind.
    region = Color::LightMagenta,
    vpc = Color::LightCyan,
    subnet = Color::LightGreen,
    group = Color::Gray,
    resource = Color::White,
}

/// Parse a theme file. RON's `implicit_some` lets users write `bg: "black"` for an optional
/// field instead of `bg: Some("black")`.
pub fn parse_file(text: &str) -> Result<ThemeFile, String> {
    let opts = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    opts.from_str::<ThemeFile>(text)
        .map_err(|e| format!("line {}, column {}: {}", e.position.line, e.position.col, e.code))
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::builtin("dark")
    }
}

impl Theme {
    /// Names of the built-in themes.
    pub fn names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// A built-in theme by name (the dark one for an unknown name).
    pub fn builtin(name: &str) -> Theme {
        let (n, text) = BUILTIN.iter().find(|(n, _)| *n == name).copied().unwrap_or(BUILTIN[0]);
        let mut t = Theme::fallback();
        t.name = n.to_string();
        if let Ok(file) = parse_file(text) {
            let _ = t.apply(&file);
        }
        t
    }

    /// A built-in theme with the user's overrides on top. Returns the theme and any problems
    /// with the user file, for the status bar.
    pub fn with_user(name: &str, user: Option<&ThemeFile>) -> (Theme, Vec<String>) {
        let mut t = Theme::builtin(name);
        let errors = user.map(|u| t.apply(u)).unwrap_or_default();
        (t, errors)
    }

    /// The next built-in theme after this one.
    pub fn next_name(&self) -> &'static str {
        let i = BUILTIN.iter().position(|(n, _)| *n == self.name).unwrap_or(0);
        BUILTIN[(i + 1) % BUILTIN.len()].0
    }

    pub fn text(&self) -> Style {
        Style::new().fg(self.fg).bg(self.bg)
    }
    pub fn muted(&self) -> Style {
        Style::new().fg(self.muted)
    }
    pub fn key(&self) -> Style {
        Style::new().fg(self.key).add_modifier(Modifier::BOLD)
    }
    pub fn selection(&self) -> Style {
        Style::new().fg(self.selection_fg).bg(self.selection_bg).add_modifier(Modifier::BOLD)
    }
    pub fn border(&self, focused: bool) -> Style {
        Style::new().fg(if focused { self.border_focused } else { self.border })
    }
    pub fn title(&self, focused: bool) -> Style {
        let s = Style::new().fg(if focused { self.accent } else { self.title });
        if focused {
            s.add_modifier(Modifier::BOLD)
        } else {
            s
        }
    }
    pub fn status(&self) -> Style {
        Style::new().fg(self.status_fg).bg(self.status_bg)
    }
    pub fn popup(&self) -> Style {
        Style::new().fg(self.fg).bg(self.popup_bg)
    }
    pub fn input(&self) -> Style {
        Style::new().fg(self.input_fg).bg(self.input_bg)
    }
    pub fn error(&self) -> Style {
        Style::new().fg(self.error)
    }
    pub fn warning(&self) -> Style {
        Style::new().fg(self.warning)
    }
}

/// The user's theme file, `<config_dir>/theme.ron`, if there is one. `Err` carries a message
/// naming the file and the position of the problem.
pub fn load_user_file(config_dir: Option<&Path>) -> Result<Option<ThemeFile>, String> {
    let Some(dir) = config_dir else { return Ok(None) };
    let path = dir.join("theme.ron");
    if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return Ok(None);
    }
    // Bounded: a theme is a few kilobytes, and `/dev/zero` must not be read forever.
    let text = crate::io::input::read_text(&path, 1024 * 1024).map_err(|e| e.to_string())?;
    parse_file(&text).map(Some).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_completely() {
        for (name, text) in BUILTIN {
            let file = parse_file(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut t = Theme::fallback();
            assert!(t.apply(&file).is_empty(), "{name} has a bad colour");
            let full = ron::ser::to_string(&file).unwrap();
            assert!(!full.contains("None"), "{name} leaves a field unset: {full}");
        }
    }

    #[test]
    fn user_file_overrides_only_what_it_sets() {
        let user = parse_file("(error: \"#ff0000\")").unwrap();
        let (t, errs) = Theme::with_user("light", Some(&user));
        assert!(errs.is_empty());
        assert_eq!(t.error, Color::Rgb(255, 0, 0));
        assert_eq!(t.bg, Theme::builtin("light").bg);
    }

    #[test]
    fn bad_colour_and_unknown_field_are_reported() {
        let user = parse_file("(error: \"nope\")").unwrap();
        let (t, errs) = Theme::with_user("dark", Some(&user));
        assert_eq!(errs.len(), 1);
        assert_eq!(t.error, Theme::builtin("dark").error);
        assert!(parse_file("(bgg: \"red\")").is_err());
    }
}
