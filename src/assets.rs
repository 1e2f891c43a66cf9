//! Built-in example designs, embedded in the binary from `assets/examples/`.

use crate::io::native;
use crate::model::Design;
use std::path::Path;

/// (name, RON text) of the built-in themes, in the order the theme key cycles through them.
pub const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.ron")),
    ("light", include_str!("../themes/light.ron")),
    ("high-contrast", include_str!("../themes/high-contrast.ron")),
];

/// (name, RON text) of every built-in example. The first is the default.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("custom-vpc", include_str!("../assets/examples/custom-vpc.ron")),
    ("endpoint-lab", include_str!("../assets/examples/endpoint-lab.ron")),
    ("privatelink-lab", include_str!("../assets/examples/privatelink-lab.ron")),
];

/// Names of the built-in examples.
pub fn example_names() -> Vec<&'static str> {
    EXAMPLES.iter().map(|(n, _)| *n).collect()
}

/// A built-in example by name.
pub fn example(name: &str) -> Option<Design> {
    let (n, text) = EXAMPLES.iter().find(|(n, _)| *n == name)?;
    native::load_str(text, Path::new(&format!("assets/examples/{n}.ron"))).ok()
}

/// Open a design from any source: `example:<name>` for a built-in example, else any file
/// format `io` reads (with the import's report and the format it was read as).
pub fn open(
    path: &Path,
    opts: &crate::io::detect::ImportOptions,
) -> Result<crate::io::detect::Loaded, crate::io::LoadError> {
    match path.to_str().and_then(|s| s.strip_prefix("example:")) {
        Some(name) => example(name)
            .map(|design| crate::io::detect::Loaded {
                design,
                report: None,
                format: crate::io::detect::SourceFormat::Example,
            })
            .ok_or_else(|| {
                crate::io::LoadError::plain(
                    path,
                    crate::text!("no built-in example named '{name}'; try one of: {}", example_names().join(", ")),
                )
            }),
        None => crate::io::detect::load(path, opts),
    }
}

/// The example the app opens with when no design is given.
pub fn default_example() -> Design {
    example(EXAMPLES[0].0).unwrap_or_else(|| Design::new("untitled", "ap-northeast-2"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_example_loads() {
        for (name, text) in super::EXAMPLES {
            let r = crate::io::native::load_str(text, std::path::Path::new(name));
            assert!(r.is_ok(), "{name}: {:?}", r.err());
        }
    }
}
