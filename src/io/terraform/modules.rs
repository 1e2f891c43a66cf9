//! Finding the modules a configuration calls: local paths (`./modules/vpc`, `../../`), and
//! registry or git modules that `terraform init` downloaded (listed in
//! `.terraform/modules/modules.json`). A module that is not on disk is reported and its
//! resources skipped; a module that calls itself, directly or not, is an error.

use super::error::{Sources, TfError};
use super::limits::Limits;
use super::parse::{read_module, Module};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every module of a configuration, parsed once per directory.
#[derive(Debug, Default)]
pub struct Config {
    /// The root module is first.
    pub modules: Vec<Module>,
    pub sources: Sources,
    /// (module, call index) → the called module, `None` when it is not on disk.
    children: HashMap<(usize, usize), Option<usize>>,
    /// Calls whose module is not on disk: (call path, source).
    pub missing: Vec<(String, String)>,
}

impl Config {
    /// The module a call of `module` resolves to.
    pub fn child(&self, module: usize, call: usize) -> Option<usize> {
        self.children.get(&(module, call)).copied().flatten()
    }
}

/// `modules.json`: module key (`vpc`, `vpc.endpoints`) → directory.
fn downloaded(root: &Path) -> HashMap<String, PathBuf> {
    let path = root.join(".terraform").join("modules").join("modules.json");
    let Ok(bytes) = crate::io::input::read_at_most(&path, 16 * 1024 * 1024) else { return HashMap::new() };
    let Ok(text) = String::from_utf8(bytes) else { return HashMap::new() };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { return HashMap::new() };
    let mut out = HashMap::new();
    for m in json.get("Modules").and_then(|m| m.as_array()).into_iter().flatten() {
        let (Some(k), Some(d)) = (m.get("Key").and_then(|x| x.as_str()), m.get("Dir").and_then(|x| x.as_str())) else {
            continue;
        };
        if !k.is_empty() {
            out.insert(k.to_string(), root.join(d));
        }
    }
    out
}

fn is_local(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// Read a root module and every module it calls.
pub fn load(root: &Path, limits: &Limits) -> Result<Config, Box<(Config, TfError)>> {
    let mut cfg = Config::default();
    let mut total = 0u64;
    let fetched = downloaded(root);
    let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
    match read_module(root, &mut cfg.sources, limits, &mut total) {
        Ok(m) => cfg.modules.push(m),
        Err(e) => return Err(Box::new((cfg, e))),
    }
    by_dir.insert(canonical(root), 0);
    // Depth-first over calls; `stack` holds the directories of the modules being expanded.
    let mut stack: Vec<(usize, String, Vec<PathBuf>)> = vec![(0, String::new(), vec![canonical(root)])];
    let mut visits = 0usize;
    while let Some((mi, key_prefix, path)) = stack.pop() {
        visits += 1;
        if visits > limits.max_instances {
            let pos = cfg.modules[mi].calls.first().map(|c| c.pos);
            return Err(Box::new((
                cfg,
                TfError::fatal(pos, crate::text!("more than {} module calls in all", limits.max_instances)),
            )));
        }
        if path.len() > limits.max_module_depth {
            let pos = cfg.modules[mi].calls.first().map(|c| c.pos);
            return Err(Box::new((
                cfg,
                TfError::fatal(pos, crate::text!("modules nest deeper than {} levels", limits.max_module_depth)),
            )));
        }
        for ci in 0..cfg.modules[mi].calls.len() {
            let call = cfg.modules[mi].calls[ci].clone();
            let key = format!("{key_prefix}{}", call.name);
            let dir = match fetched.get(&key) {
                Some(d) => Some(d.clone()),
                None if is_local(&call.source) => Some(cfg.modules[mi].dir.join(&call.source)),
                None => None,
            };
            let dir = dir.filter(|d| d.is_dir());
            let Some(dir) = dir else {
                cfg.missing.push((format!("module.{}", key.replace('.', ".module.")), call.source.clone()));
                cfg.children.insert((mi, ci), None);
                continue;
            };
            let canon = canonical(&dir);
            if path.contains(&canon) {
                let e = TfError::fatal(
                    Some(call.pos),
                    crate::text!(
                        "module loop: module \"{}\" (source \"{}\") calls a module it is part of",
                        call.name,
                        call.source
                    ),
                );
                return Err(Box::new((cfg, e)));
            }
            let child = match by_dir.get(&canon) {
                Some(&c) => c,
                None => {
                    match read_module(&dir, &mut cfg.sources, limits, &mut total) {
                        Ok(m) => cfg.modules.push(m),
                        Err(e) => return Err(Box::new((cfg, e))),
                    }
                    by_dir.insert(canon.clone(), cfg.modules.len() - 1);
                    cfg.modules.len() - 1
                }
            };
            cfg.children.insert((mi, ci), Some(child));
            let mut p = path.clone();
            p.push(canon);
            stack.push((child, format!("{key}."), p));
        }
    }
    Ok(cfg)
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
