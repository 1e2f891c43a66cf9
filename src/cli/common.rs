//! Pieces every subcommand shares: loading a design from any supported format, output format.

use crate::model::Design;
use clap::{Args, ValueEnum};
use std::path::Path;
use std::process::ExitCode;

/// Options for reading a design that is not in vpcraft's own format.
#[derive(Debug, Clone, Default, Args)]
pub struct DesignArgs {
    /// Region for templates and snapshots that do not say.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// A template parameter, `KEY=VALUE` (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", global = true)]
    pub params: Vec<String>,
    /// AWS's published ip-ranges.json, to use its public prefixes instead of the built-in
    /// catalog's (also `VPCRAFT_IP_RANGES`).
    #[arg(long = "ip-ranges", value_name = "FILE", global = true)]
    pub ip_ranges: Option<std::path::PathBuf>,
    /// A Terraform variable, `NAME=VALUE` (repeatable; VALUE is read as HCL when it is a
    /// literal such as `["a","b"]` or `3`, else as text).
    #[arg(long = "var", value_name = "NAME=VALUE", global = true)]
    pub vars: Vec<String>,
    /// A Terraform `.tfvars` or `.tfvars.json` file (repeatable).
    #[arg(long = "var-file", value_name = "FILE", global = true)]
    pub var_files: Vec<std::path::PathBuf>,
    /// Pin a Terraform value known only after apply, `ADDRESS.ATTRIBUTE=VALUE` (repeatable),
    /// e.g. `data.aws_availability_zones.available.names=["eu-west-1a","eu-west-1b"]`.
    #[arg(long = "assume", value_name = "ADDRESS.ATTRIBUTE=VALUE", global = true)]
    pub assumes: Vec<String>,
    /// `--var` and `--var-file` in the order given on the command line (Terraform's
    /// precedence: later wins); filled after parsing, empty when built in code.
    #[arg(skip)]
    pub var_order: Vec<crate::io::terraform::VarInput>,
}

/// The largest `ip-ranges.json` read (AWS's is about 2 MB).
const IP_RANGES_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Install the `--ip-ranges` catalog (or `VPCRAFT_IP_RANGES`) before anything looks one up.
pub fn install_catalog(args: &DesignArgs, lang: crate::l10n::Lang) -> Result<(), String> {
    let path = args.ip_ranges.clone().or_else(|| std::env::var_os("VPCRAFT_IP_RANGES").map(std::path::PathBuf::from));
    if let Some(p) = path {
        // Bounded by the bytes read: `/dev/zero` is refused, not read forever.
        let text = crate::io::input::read_text(&p, IP_RANGES_MAX_BYTES).map_err(|e| e.render(lang))?;
        let cat = crate::model::ServiceCatalog::from_ip_ranges_text(&text, &p.display().to_string())?;
        crate::model::ServiceCatalog::install(cat);
    }
    Ok(())
}

/// Text for people or JSON for scripts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

impl DesignArgs {
    /// The `--param` values as `(name, value)` pairs; an entry without `=` is an error.
    /// Also refuses a `--region` that is no AWS region name (every loader calls this first).
    pub fn parsed_params(&self) -> Result<Vec<(String, String)>, crate::l10n::Text> {
        if let Some(r) = self.region.as_deref().filter(|r| !crate::model::is_region_name(r)) {
            return Err(crate::text!(
                "--region {r:?} is not an AWS region name (like us-east-1 or ap-northeast-2) (A5)"
            ));
        }
        self.params
            .iter()
            .map(|p| match p.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
                _ => Err(crate::text!("--param {p:?}: expected KEY=VALUE, e.g. --param VpcCidr=10.0.0.0/16")),
            })
            .collect()
    }
}

impl DesignArgs {
    /// `--var` and `--var-file` in command-line order (files first when the order is not
    /// known).
    pub fn var_inputs(&self) -> Vec<crate::io::terraform::VarInput> {
        use crate::io::terraform::VarInput;
        if !self.var_order.is_empty() {
            return self.var_order.clone();
        }
        let files = self.var_files.iter().cloned().map(VarInput::File);
        files.chain(self.vars.iter().cloned().map(VarInput::Var)).collect()
    }

    /// Everything an import needs.
    pub fn import_options(&self) -> Result<crate::io::detect::ImportOptions, crate::l10n::Text> {
        let mut terraform = crate::io::terraform::TerraformOptions::from_env();
        terraform.inputs = self.var_inputs();
        terraform.assumes = self.assumes.clone();
        for a in &self.assumes {
            crate::io::terraform::parse_assume(a)?;
        }
        Ok(crate::io::detect::ImportOptions { region: self.region.clone(), params: self.parsed_params()?, terraform })
    }

    /// Record the order of `--var` and `--var-file` from the parsed matches.
    pub fn order_from(&mut self, m: &clap::ArgMatches) {
        use crate::io::terraform::VarInput;
        let mut items: Vec<(usize, VarInput)> = Vec::new();
        if let (Some(ix), Some(vals)) = (m.indices_of("vars"), m.get_many::<String>("vars")) {
            items.extend(ix.zip(vals).map(|(i, v)| (i, VarInput::Var(v.clone()))));
        }
        if let (Some(ix), Some(vals)) = (m.indices_of("var_files"), m.get_many::<std::path::PathBuf>("var_files")) {
            items.extend(ix.zip(vals).map(|(i, v)| (i, VarInput::File(v.clone()))));
        }
        items.sort_by_key(|(i, _)| *i);
        self.var_order = items.into_iter().map(|(_, v)| v).collect();
    }
}

/// Load a design from a path in any supported format, or the name of a built-in example.
pub fn load_design(path: &Path, args: &DesignArgs) -> Result<Design, String> {
    load_design_with_report(path, args).map(|(d, _)| d)
}

/// Load a design and, for an imported format, the import's report.
pub fn load_design_with_report(
    path: &Path,
    args: &DesignArgs,
) -> Result<(Design, Option<crate::io::ImportReport>), String> {
    load_design_with_report_in(path, args, crate::l10n::Lang::En)
}

/// [`load_design`], saying why a file cannot be read in `lang`.
pub fn load_design_in(path: &Path, args: &DesignArgs, lang: crate::l10n::Lang) -> Result<Design, String> {
    load_design_with_report_in(path, args, lang).map(|(d, _)| d)
}

/// [`load_design_with_report`], saying why a file cannot be read in `lang`.
pub fn load_design_with_report_in(
    path: &Path,
    args: &DesignArgs,
    lang: crate::l10n::Lang,
) -> Result<(Design, Option<crate::io::ImportReport>), String> {
    let opts = args.import_options().map_err(|e| e.render(lang))?;
    crate::assets::open(path, &opts).map(|l| (l.design, l.report)).map_err(|e| e.render(lang))
}

/// Print an error the way every subcommand does and return the failure exit code.
pub fn fail(msg: impl std::fmt::Display) -> ExitCode {
    say(format!("vpcraft: {msg}"));
    ExitCode::from(2)
}

/// A line on standard error, with control characters escaped (names in messages come from
/// files and imported tags; issue 17, U3).
pub fn say(text: impl std::fmt::Display) {
    use std::io::Write;
    // Not `eprintln!`, which panics when standard error is a closed pipe (`2>&1 | head -c 10`):
    // a message nobody can read is dropped, and the command keeps its exit status.
    let line = format!("{}\n", crate::model::text::escape_output(&text.to_string()));
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// No subcommand: open the terminal app on a design, or on the built-in example when no path is
/// given. A `.ron` path that does not exist yet starts a new, empty design that saves there. An
/// imported format (a template, a snapshot folder) opens as a new design: saving asks where.
pub fn open_default(path: Option<&Path>, args: &DesignArgs) -> ExitCode {
    let (design, file, origin, report) = match path {
        Some(p) if !p.exists() && p.extension().is_some_and(|e| e == "ron") => {
            let name = p.file_stem().map_or_else(|| "untitled".to_string(), |s| s.to_string_lossy().to_string());
            let region = args.region.clone().unwrap_or_else(|| "ap-northeast-2".to_string());
            (Design::new(name, region), Some(p.to_path_buf()), None, None)
        }
        Some(p) if crate::io::input::is_stdin(p) => {
            return fail("the terminal app reads its keys from standard input; give it a file, not -")
        }
        Some(p) => {
            let opts = match args.import_options() {
                Ok(x) => x,
                Err(e) => return fail(e),
            };
            match crate::assets::open(p, &opts) {
                Ok(l) => match crate::io::detect::save_target(p, l.format) {
                    Some(target) => (l.design, Some(target), None, l.report),
                    None if l.format == crate::io::detect::SourceFormat::Example => (l.design, None, None, None),
                    None => (l.design, None, Some(crate::io::detect::imported_label(p)), l.report),
                },
                // `vpcraft mynet`: only a `.ron` name starts a new design; say so.
                Err(e) if !p.exists() && !p.to_string_lossy().starts_with("example:") => {
                    let mut ron = p.as_os_str().to_owned();
                    ron.push(".ron");
                    return fail(format!(
                        "{e}\n(a new design starts from a name ending in .ron: vpcraft {})",
                        Path::new(&ron).display()
                    ));
                }
                Err(e) => return fail(e),
            }
        }
        None => (crate::assets::default_example(), None, None, None),
    };
    match crate::tui::run_with(design, file, origin, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("terminal: {e}")),
    }
}

static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Write to standard output. A reader that went away (`| head`) ends the output quietly and
/// the command keeps its exit status; any other write error (a full disk, `>/dev/full`) is a
/// failure with a message and exit status 2 — never a panic.
pub fn emit(text: &str) -> Result<(), ExitCode> {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    // Control characters from names and tags are escaped (issue 17, U3), in the output's own
    // syntax when it has one, so that JSON stays JSON.
    let text = terminal_safe(text, Syntax::Detect);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(fail(format!("cannot write the output: {e}"))),
    }
}

/// Write `text`, in `syntax`, to standard output (see [`emit`]).
pub fn emit_as(text: &str, syntax: Syntax) -> Result<(), ExitCode> {
    emit_with(|out| out.write_all(terminal_safe(text, syntax).as_bytes()))
}

/// The syntax of a text written to standard output, which decides how the characters that
/// could drive a terminal (controls, bidirectional overrides; issue 17, U3) are escaped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// JSON when the text is valid JSON, else text for people.
    Detect,
    /// HCL (Terraform): such characters only occur in quoted strings and comments, where
    /// `\uNNNN` means the same character.
    Hcl,
    /// XML (SVG, draw.io): a character reference `&#xNNNN;` means the same character.
    Xml,
}

/// `text` with every character of [`crate::model::text::needs_escape`] replaced, in a form
/// that keeps a machine-readable output valid and equal in meaning: in valid JSON (where such
/// a character can only stand inside a string) and in HCL by `\uNNNN`, in XML by a character
/// reference; in any other text by the visible escapes of `escape_output`. Newlines, tabs and
/// carriage returns are kept: in JSON they can only be whitespace between values.
pub fn terminal_safe(text: &str, syntax: Syntax) -> std::borrow::Cow<'_, str> {
    use crate::model::text::{escape_output, needs_escape};
    use std::fmt::Write;
    let risky = |c: char| !matches!(c, '\n' | '\t' | '\r') && needs_escape(c);
    if !text.chars().any(risky) {
        return std::borrow::Cow::Borrowed(text);
    }
    let json = syntax == Syntax::Detect && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    if !json && syntax == Syntax::Detect {
        return escape_output(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if !risky(c) {
            out.push(c);
            continue;
        }
        // Every escaped character lies in the Basic Multilingual Plane (controls, marks,
        // bidirectional formatting), so one `\uNNNN` is the whole character.
        let _ = match syntax {
            Syntax::Xml => write!(out, "&#x{:04x};", c as u32),
            _ => write!(out, "\\u{:04x}", c as u32),
        };
    }
    std::borrow::Cow::Owned(out)
}

/// Write to standard output through a buffer, for output too large to build first; a reader
/// that went away ends it quietly, as [`emit`] does.
pub fn emit_with(f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<(), ExitCode> {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(fail(format!("cannot write the output: {e}"))),
    }
}

/// Check an output path before writing: not a folder, and its folder exists (vpcraft does not
/// create folders it was not asked to). `-` means standard output and is not checked.
pub fn check_output_path(path: &Path) -> Result<(), crate::l10n::Text> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        return Err(crate::text!("{} is a folder; give a file name to write", path.display()));
    }
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => {
            Err(crate::text!("cannot write {}: the folder {} does not exist", path.display(), dir.display()))
        }
        _ => Ok(()),
    }
}
