//! Reading one module directory: its `*.tf` (HCL, parsed by `hcl-edit`, which keeps byte
//! positions) and `*.tf.json` files, into declarations the evaluator walks. Everything is
//! bounded: file sizes, file counts, nesting (the parser's own limit), and text must be UTF-8.

use super::error::{Pos, Source, Sources, TfError, TfResult};
use super::limits::Limits;
use hcl_edit::expr::{Expression, Object, ObjectKey};
use hcl_edit::structure::{Body as HclBody, Structure};
use hcl_edit::Span;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An attribute: `name = expression`, with where the expression starts.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub expr: Expression,
    pub pos: Pos,
}

/// A block body: attributes and nested blocks, in source order.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// A nested block: `kind "label" { … }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub pos: Pos,
}

/// A `variable` declaration.
#[derive(Debug, Clone)]
pub struct Variable {
    pub name: String,
    pub default: Option<Attr>,
    pub ty: Option<Attr>,
    pub nullable: bool,
    pub pos: Pos,
}

/// A `resource` or `data` block.
#[derive(Debug, Clone)]
pub struct ResourceDecl {
    pub data: bool,
    pub ty: String,
    pub name: String,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// `provider = aws.west` as text.
    pub provider: Option<String>,
    pub body: Body,
    pub pos: Pos,
}

impl ResourceDecl {
    /// `aws_vpc.main` or `data.aws_region.current`.
    pub fn local_address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.ty, self.name)
        } else {
            format!("{}.{}", self.ty, self.name)
        }
    }
}

/// A `module` block.
#[derive(Debug, Clone)]
pub struct ModuleCall {
    pub name: String,
    pub source: String,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// `providers = { aws = aws.west }`: (name in the child, provider in the caller).
    pub providers: Vec<(String, String)>,
    pub args: Vec<Attr>,
    pub pos: Pos,
}

/// A `provider "aws"` block of interest: its alias and region.
#[derive(Debug, Clone)]
pub struct ProviderDecl {
    pub alias: Option<String>,
    pub region: Option<Attr>,
}

/// One module directory, parsed.
#[derive(Debug, Clone, Default)]
pub struct Module {
    pub dir: PathBuf,
    pub variables: Vec<Variable>,
    pub locals: HashMap<String, Attr>,
    pub outputs: HashMap<String, Attr>,
    pub resources: Vec<ResourceDecl>,
    pub calls: Vec<ModuleCall>,
    pub providers: Vec<ProviderDecl>,
    /// Files read and ignored (overrides), for the report.
    pub ignored: Vec<String>,
    /// (data source?, type, name) → its place in `resources`, so a duplicate and a reference
    /// are found without a scan of every declaration (issue 17, H4: our own export is one
    /// block per resource, and a scan per block made reading it quadratic).
    pub resource_index: HashMap<(bool, String, String), usize>,
    /// Variable and module-call names already declared, for the same reason.
    names: HashSet<(&'static str, String)>,
}

impl Module {
    /// The declaration of a resource (`data` false) or data source (`data` true).
    pub fn resource(&self, data: bool, ty: &str, name: &str) -> Option<usize> {
        // A borrowed key would need a second map type; the owned one is built per lookup.
        self.resource_index.get(&(data, ty.to_string(), name.to_string())).copied()
    }
}

/// Meta-arguments of resources and modules that are not resource attributes.
const META_ATTRS: &[&str] = &["count", "for_each", "provider", "depends_on", "providers"];
/// Blocks Terraform reads and vpcraft ignores without a word.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection", "timeouts", "precondition", "postcondition"];

fn pos_of(file: u32, span: Option<std::ops::Range<usize>>) -> Pos {
    Pos { file, offset: span.map_or(0, |r| r.start as u32) }
}

/// Read a text file within the limits: size, UTF-8.
pub fn read_text(path: &Path, sources: &mut Sources, limits: &Limits, total: &mut u64) -> TfResult<(u32, String)> {
    let meta = std::fs::metadata(path)
        .map_err(|e| TfError::fatal(None, crate::text!("{}: cannot read: {e}", path.display())))?;
    let id = sources.add(Source::without_lines(path));
    let at = Some(Pos { file: id, offset: 0 });
    // Errors about the whole file point at its start.
    sources.files[id as usize] = Source::new(path, "");
    if meta.len() > limits.max_file_bytes {
        let most = super::limits::size_text(limits.max_file_bytes);
        let msg = crate::text!("the file is {} bytes; vpcraft reads Terraform files of at most {most}", meta.len())
            .with("most", most.clone());
        return Err(TfError::fatal(at, msg));
    }
    *total += meta.len();
    if *total > limits.max_total_bytes {
        return Err(TfError::fatal(
            at,
            crate::text!("the configuration is larger than {} bytes in all; not read further", limits.max_total_bytes),
        ));
    }
    // Bounded by the bytes read, not the size the file reports (issue 17, H1).
    let bytes = crate::io::input::read_at_most(path, limits.max_file_bytes).map_err(|e| TfError::fatal(at, e))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let bad = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = String::from_utf8_lossy(&bytes[..bad]).to_string();
            sources.files[id as usize] = Source::new(path, &valid);
            return Err(TfError::fatal(
                Some(Pos { file: id, offset: bad as u32 }),
                crate::text!("the file is not UTF-8 text (Terraform reads only UTF-8)"),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    sources.files[id as usize] = if path.extension().is_some_and(|e| e == "json") {
        Source::without_lines(path)
    } else {
        Source::new(path, &text)
    };
    Ok((id, text))
}

/// The configuration files of a directory, in name order.
pub fn config_files(dir: &Path, limits: &Limits) -> TfResult<Vec<PathBuf>> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| TfError::fatal(None, crate::text!("{}: cannot read the folder: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".tf") || n.ends_with(".tf.json"))
        })
        .collect();
    files.sort();
    if files.len() > limits.max_files {
        return Err(TfError::fatal(
            None,
            crate::text!(
                "{}: {} configuration files; vpcraft reads at most {}",
                dir.display(),
                files.len(),
                limits.max_files
            ),
        ));
    }
    Ok(files)
}

/// Parse every configuration file of a module directory.
pub fn read_module(dir: &Path, sources: &mut Sources, limits: &Limits, total: &mut u64) -> TfResult<Module> {
    let mut m = Module { dir: dir.to_path_buf(), ..Default::default() };
    for path in config_files(dir, limits)? {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let stem = name.trim_end_matches(".json").trim_end_matches(".tf");
        if stem == "override" || stem.ends_with("_override") {
            m.ignored.push(name);
            continue;
        }
        let (id, text) = read_text(&path, sources, limits, total)?;
        let body = if name.ends_with(".json") { json_body(&text, id)? } else { hcl_body(&text, id)? };
        collect(&mut m, body)?;
    }
    Ok(m)
}

/// Parse HCL text into a body.
pub fn hcl_body(text: &str, file: u32) -> TfResult<Body> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        TfError::fatal(
            Some(Pos { file, offset: loc.offset() as u32 }),
            crate::text!("HCL syntax error: {}", e.message()),
        )
    })?;
    Ok(convert_body(body, file))
}

fn convert_body(body: HclBody, file: u32) -> Body {
    let mut out = Body::default();
    for s in body.into_iter() {
        match s {
            Structure::Attribute(a) => {
                let pos = pos_of(file, a.value.span());
                out.attrs.push(Attr { name: a.key.as_str().to_string(), expr: a.value, pos });
            }
            Structure::Block(b) => {
                let pos = pos_of(file, b.ident.span());
                out.blocks.push(Block {
                    kind: b.ident.as_str().to_string(),
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    body: convert_body(b.body, file),
                    pos,
                });
            }
        }
    }
    out
}

/// A `.tf.json` file as a body: the top-level keys become blocks, strings are templates.
pub fn json_body(text: &str, file: u32) -> TfResult<Body> {
    let at = Some(Pos { file, offset: 0 });
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| TfError::fatal(at, crate::text!("JSON syntax error: {e}")))?;
    let obj =
        v.as_object().ok_or_else(|| TfError::fatal(at, crate::text!("a .tf.json file must hold a JSON object")))?;
    let mut out = Body::default();
    let pos = Pos { file, offset: 0 };
    for (kind, v) in obj {
        // How many labels each block type has: resource "t" "n", variable "n", locals.
        let labels = match kind.as_str() {
            "resource" | "data" => 2,
            "variable" | "output" | "module" | "provider" => 1,
            _ => 0,
        };
        json_blocks(kind, v, labels, Vec::new(), &mut out, pos)?;
    }
    Ok(out)
}

fn json_blocks(
    kind: &str,
    v: &serde_json::Value,
    labels: usize,
    have: Vec<String>,
    out: &mut Body,
    pos: Pos,
) -> TfResult<()> {
    if labels == 0 {
        // A block may be given as an array of bodies (two providers of one name).
        for b in v.as_array().map(|a| a.iter().collect()).unwrap_or_else(|| vec![v]) {
            let body = json_block_body(kind, b, pos)?;
            out.blocks.push(Block { kind: kind.to_string(), labels: have.clone(), body, pos });
        }
        return Ok(());
    }
    let obj = v.as_object().ok_or_else(|| {
        TfError::fatal(Some(pos), crate::text!("`{kind}` in JSON must be an object keyed by its labels"))
    })?;
    for (label, inner) in obj {
        let mut l = have.clone();
        l.push(label.clone());
        json_blocks(kind, inner, labels - 1, l, out, pos)?;
    }
    Ok(())
}

fn json_block_body(kind: &str, v: &serde_json::Value, pos: Pos) -> TfResult<Body> {
    let obj = v
        .as_object()
        .ok_or_else(|| TfError::fatal(Some(pos), crate::text!("a `{kind}` block in JSON must be an object")))?;
    let mut body = Body::default();
    for (k, x) in obj {
        // A variable's type is an expression written as a string.
        let expr = if kind == "variable" && k == "type" {
            x.as_str().and_then(|t| hcl_edit::parser::parse_expr(t).ok()).unwrap_or_else(|| json_expr(x))
        } else if kind == "resource" && k == "provider" || k == "depends_on" {
            Expression::from(x.as_str().unwrap_or_default())
        } else {
            json_expr(x)
        };
        body.attrs.push(Attr { name: k.clone(), expr, pos });
    }
    Ok(body)
}

/// A JSON value as an expression: strings with `${` are templates.
fn json_expr(v: &serde_json::Value) -> Expression {
    match v {
        serde_json::Value::Null => Expression::null(),
        serde_json::Value::Bool(b) => Expression::from(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Expression::from(i),
            None => Expression::from(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) if s.contains("${") || s.contains("%{") => {
            match hcl_edit::parser::parse_template(s) {
                Ok(t) => Expression::from(hcl_edit::template::StringTemplate::from(t)),
                Err(_) => Expression::from(s.as_str()),
            }
        }
        serde_json::Value::String(s) => Expression::from(s.as_str()),
        serde_json::Value::Array(a) => Expression::from(a.iter().map(json_expr).collect::<Vec<Expression>>()),
        serde_json::Value::Object(o) => {
            let obj: Object =
                o.iter().map(|(k, x)| (ObjectKey::from(Expression::from(k.as_str())), json_expr(x))).collect();
            Expression::from(obj)
        }
    }
}

/// The text of a reference expression (`aws.west`), or of a string.
pub fn reference_text(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.as_str().to_string()),
        Expression::String(s) => Some(s.as_str().to_string()),
        Expression::Traversal(t) => {
            let mut s = reference_text(&t.expr)?;
            for op in &t.operators {
                match op.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(i) => {
                        s.push('.');
                        s.push_str(i.as_str());
                    }
                    _ => return None,
                }
            }
            Some(s)
        }
        _ => None,
    }
}

fn split_meta(body: Body) -> (Body, HashMap<String, Attr>) {
    let mut meta = HashMap::new();
    let mut rest = Body::default();
    for a in body.attrs {
        if META_ATTRS.contains(&a.name.as_str()) {
            meta.insert(a.name.clone(), a);
        } else {
            rest.attrs.push(a);
        }
    }
    rest.blocks = body.blocks.into_iter().filter(|b| !META_BLOCKS.contains(&b.kind.as_str())).collect();
    (rest, meta)
}

fn duplicate(what: &str, name: &str, pos: Pos) -> TfError {
    let msg = match what {
        "variable" => crate::text!("variable \"{name}\" is declared more than once in this module"),
        "local value" => crate::text!("local value \"{name}\" is declared more than once in this module"),
        "output" => crate::text!("output \"{name}\" is declared more than once in this module"),
        "module" => crate::text!("module \"{name}\" is declared more than once in this module"),
        "data" => crate::text!("data \"{name}\" is declared more than once in this module"),
        "resource" => crate::text!("resource \"{name}\" is declared more than once in this module"),
        _ => crate::text!("{what} \"{name}\" is declared more than once in this module"),
    };
    TfError::fatal(Some(pos), msg)
}

/// Sort a file's top-level blocks into the module's declarations.
fn collect(m: &mut Module, body: Body) -> TfResult<()> {
    if let Some(a) = body.attrs.first() {
        return Err(TfError::fatal(
            Some(a.pos),
            crate::text!("unexpected attribute `{}` at the top level; only blocks belong there", a.name),
        ));
    }
    for b in body.blocks {
        let label = |i: usize| b.labels.get(i).cloned().unwrap_or_default();
        let want = |n: usize| -> TfResult<()> {
            if b.labels.len() == n {
                Ok(())
            } else {
                Err(TfError::fatal(
                    Some(b.pos),
                    crate::text!("a `{}` block needs {n} label(s), it has {}", b.kind, b.labels.len()),
                ))
            }
        };
        match b.kind.as_str() {
            "variable" => {
                want(1)?;
                let name = label(0);
                if !m.names.insert(("variable", name.clone())) {
                    return Err(duplicate("variable", &name, b.pos));
                }
                let nullable =
                    !b.body.attr("nullable").is_some_and(|a| matches!(a.expr, Expression::Bool(ref x) if !**x));
                m.variables.push(Variable {
                    name,
                    default: b.body.attr("default").cloned(),
                    ty: b.body.attr("type").cloned(),
                    nullable,
                    pos: b.pos,
                });
            }
            "locals" => {
                for a in b.body.attrs {
                    if m.locals.contains_key(&a.name) {
                        return Err(duplicate("local value", &a.name, a.pos));
                    }
                    m.locals.insert(a.name.clone(), a);
                }
            }
            "output" => {
                want(1)?;
                if let Some(mut v) = b.body.attr("value").cloned() {
                    v.name = label(0);
                    if m.outputs.insert(label(0), v).is_some() {
                        return Err(duplicate("output", &label(0), b.pos));
                    }
                }
            }
            "resource" | "data" => {
                want(2)?;
                let data = b.kind == "data";
                let (ty, name, pos) = (label(0), label(1), b.pos);
                match m.resource_index.entry((data, ty.clone(), name.clone())) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        return Err(duplicate(&b.kind, &format!("{ty}.{name}"), pos));
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(m.resources.len());
                    }
                }
                let (body, mut meta) = split_meta(b.body);
                let provider = meta.get("provider").and_then(|a| reference_text(&a.expr));
                m.resources.push(ResourceDecl {
                    data,
                    ty,
                    name,
                    count: meta.remove("count"),
                    for_each: meta.remove("for_each"),
                    provider,
                    body,
                    pos,
                });
            }
            "module" => {
                want(1)?;
                let name = label(0);
                if !m.names.insert(("module", name.clone())) {
                    return Err(duplicate("module", &name, b.pos));
                }
                let (body, mut meta) = split_meta(b.body);
                let source = match body.attr("source").map(|a| &a.expr) {
                    Some(Expression::String(s)) => s.as_str().to_string(),
                    Some(_) => {
                        return Err(TfError::fatal(
                            Some(b.pos),
                            crate::text!("a module's `source` must be a literal string"),
                        ))
                    }
                    None => return Err(TfError::fatal(Some(b.pos), crate::text!("module \"{name}\" has no `source`"))),
                };
                let mut providers = Vec::new();
                if let Some(Expression::Object(o)) = meta.get("providers").map(|a| &a.expr) {
                    for (k, v) in o.iter() {
                        let key = match k {
                            ObjectKey::Ident(i) => i.as_str().to_string(),
                            ObjectKey::Expression(e) => reference_text(e).unwrap_or_default(),
                        };
                        if let Some(v) = reference_text(v.expr()) {
                            providers.push((key, v));
                        }
                    }
                }
                let args = body.attrs.into_iter().filter(|a| a.name != "source" && a.name != "version").collect();
                m.calls.push(ModuleCall {
                    name,
                    source,
                    count: meta.remove("count"),
                    for_each: meta.remove("for_each"),
                    providers,
                    args,
                    pos: b.pos,
                });
            }
            "provider" => {
                if label(0) == "aws" {
                    let alias = b.body.attr("alias").and_then(|a| reference_text(&a.expr));
                    m.providers.push(ProviderDecl { alias, region: b.body.attr("region").cloned() });
                }
            }
            // Read and ignored: settings, backends, refactoring and import blocks, checks.
            "terraform" | "moved" | "import" | "removed" | "check" => {}
            other => {
                return Err(TfError::fatal(Some(b.pos), crate::text!("unknown top-level block `{other}`")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_sorted_out() {
        let text = r#"
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
locals { n = 2 }
resource "aws_vpc" "main" {
  count      = local.n
  provider   = aws.west
  cidr_block = var.cidr
  lifecycle { prevent_destroy = true }
}
module "net" {
  source    = "./net"
  providers = { aws = aws.west }
  vpc_id    = aws_vpc.main[0].id
}
terraform {
  backend "s3" {}
}
"#;
        let mut m = Module::default();
        collect(&mut m, hcl_body(text, 0).unwrap()).unwrap();
        assert_eq!(m.variables[0].name, "cidr");
        assert!(m.locals.contains_key("n"));
        let r = &m.resources[0];
        assert!(r.count.is_some() && r.provider.as_deref() == Some("aws.west") && r.body.blocks.is_empty());
        assert_eq!(m.calls[0].providers, vec![("aws".to_string(), "aws.west".to_string())]);
        assert_eq!(m.calls[0].args.len(), 1);
        let e = hcl_body("resource \"a\" {\n  x = \n", 0).unwrap_err();
        assert!(e.message.contains("syntax"), "{e:?}");
    }

    #[test]
    fn json_configuration_reads_like_hcl() {
        let text = r#"{"resource": {"aws_vpc": {"main": {"cidr_block": "${var.cidr}", "count": 1}}},
                       "variable": {"cidr": {"type": "string", "default": "10.0.0.0/16"}}}"#;
        let mut m = Module::default();
        collect(&mut m, json_body(text, 0).unwrap()).unwrap();
        assert_eq!(m.resources[0].ty, "aws_vpc");
        assert!(m.resources[0].count.is_some());
        assert!(matches!(m.resources[0].body.attr("cidr_block").unwrap().expr, Expression::StringTemplate(_)));
    }
}
