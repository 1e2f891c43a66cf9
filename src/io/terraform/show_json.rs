//! `terraform show -json` of a saved plan (`planned_values`) or of a state (`values`): the
//! resource instances with their values, exact where Terraform knew them. In a plan, values
//! known only after apply are marked in `resource_changes[].change.after_unknown`; references
//! between resources are recovered from `configuration` (`aws_vpc.main.id` becomes that VPC's
//! placeholder id), and what cannot be recovered stays unknown.

use super::graph::Instance;
use super::resources;
use super::value::{Value, RESOURCE_MARK};
use crate::io::report::ImportReport;
use serde_json::Value as J;
use std::collections::{BTreeMap, HashMap};

/// The instances of a plan or state, its region, and a report to continue.
pub fn instances(
    json: &J,
    region: Option<String>,
    source: &str,
) -> Result<(Vec<Instance>, String, ImportReport), crate::l10n::Text> {
    let mut report = ImportReport::new(source);
    let (root, plan) = match (json.pointer("/planned_values/root_module"), json.pointer("/values/root_module")) {
        (Some(r), _) => (r, true),
        (None, Some(r)) => (r, false),
        (None, None) => {
            if json.get("format_version").is_some() {
                // An empty state has no values at all.
                return Ok((Vec::new(), region.unwrap_or_else(|| crate::io::ASSUMED_REGION.into()), report));
            }
            return Err(crate::text!(
                "neither a plan (planned_values) nor a state (values): not `terraform show -json` output"
            ));
        }
    };
    let mut raw = Vec::new();
    collect(root, &mut raw, 0)?;
    let region = region
        .or_else(|| {
            json.pointer("/configuration/provider_config/aws/expressions/region/constant_value")
                .and_then(J::as_str)
                .map(str::to_string)
        })
        .or_else(|| raw.iter().find_map(|r| region_of(&r.values)))
        .unwrap_or_else(|| {
            let region = crate::io::ASSUMED_REGION;
            report.warn("", "region", crate::text!("neither the plan/state nor --region says: {region} assumed"));
            region.into()
        });
    let unknown: HashMap<&str, &J> = json
        .get("resource_changes")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get("address")?.as_str()?, c.pointer("/change/after_unknown")?)))
        .collect();
    let mut config: HashMap<String, &J> = HashMap::new();
    let mut outputs: HashMap<String, &J> = HashMap::new();
    if let Some(m) = json.pointer("/configuration/root_module") {
        config_resources(m, "", &mut config, &mut outputs, 0);
    }
    // Ids first, so references can point at them.
    let mut ids: HashMap<String, Value> = HashMap::new();
    for r in &raw {
        let id = match r.values.get("id").and_then(J::as_str) {
            Some(i) => Value::str(i),
            None => computed_id(r, &region),
        };
        ids.insert(r.address.clone(), id);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut left_unknown = 0;
    for (k, r) in raw.iter().enumerate() {
        let mut obj: BTreeMap<String, Value> = match Value::from_json(&r.values) {
            Value::Map(m) => (*m).clone(),
            _ => BTreeMap::new(),
        };
        if plan {
            if let Some(mask) = unknown.get(r.address.as_str()) {
                let exprs = config.get(&config_key(&r.address)).copied();
                let cx = Refs { ids: &ids, raw: &raw, outputs: &outputs };
                left_unknown += fill(&mut obj, mask, exprs, r, &cx);
            }
        }
        obj.insert(RESOURCE_MARK.into(), Value::str(&r.address));
        if !r.data {
            for (key, v) in resources::computed(&r.ty, &r.address, &obj, &region) {
                obj.entry(key).or_insert(v);
            }
        }
        out.push(Instance {
            address: r.address.clone(),
            ty: r.ty.clone(),
            data: r.data,
            values: Value::map(obj),
            region: region.clone(),
            place: source.to_string(),
            order: (0, 0, k),
        });
    }
    if left_unknown > 0 {
        report.info(
            "",
            "plan",
            crate::text!(
                "{left_unknown} value(s) known only after apply could not be traced to a resource and stay unknown"
            ),
        );
    }
    Ok((out, region, report))
}

struct Raw {
    address: String,
    ty: String,
    data: bool,
    values: J,
}

fn collect(module: &J, out: &mut Vec<Raw>, depth: usize) -> Result<(), crate::l10n::Text> {
    if depth > 64 {
        return Err(crate::text!("modules nest deeper than 64 levels"));
    }
    for r in module.get("resources").and_then(J::as_array).into_iter().flatten() {
        let (Some(address), Some(ty)) = (r.get("address").and_then(J::as_str), r.get("type").and_then(J::as_str))
        else {
            continue;
        };
        out.push(Raw {
            address: address.to_string(),
            ty: ty.to_string(),
            data: r.get("mode").and_then(J::as_str) == Some("data"),
            values: r.get("values").cloned().unwrap_or(J::Null),
        });
    }
    for c in module.get("child_modules").and_then(J::as_array).into_iter().flatten() {
        collect(c, out, depth + 1)?;
    }
    Ok(())
}

/// The region an ARN or zone in the values names.
fn region_of(values: &J) -> Option<String> {
    if let Some(arn) = values.get("arn").and_then(J::as_str) {
        if let Some(r) = arn.split(':').nth(3).filter(|r| !r.is_empty()) {
            return Some(r.to_string());
        }
    }
    let az = values.get("availability_zone").and_then(J::as_str)?;
    Some(az.trim_end_matches(|c: char| c.is_ascii_lowercase()).to_string()).filter(|r| !r.is_empty())
}

fn computed_id(r: &Raw, region: &str) -> Value {
    let obj: BTreeMap<String, Value> = match Value::from_json(&r.values) {
        Value::Map(m) => (*m).clone(),
        _ => BTreeMap::new(),
    };
    resources::computed(&r.ty, &r.address, &obj, region)
        .into_iter()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .unwrap_or_else(|| Value::unknown(format!("{}.id", r.address)))
}

/// `module.a[0].aws_x.y["k"]` → `module.a.aws_x.y` (how `configuration` names it).
fn config_key(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn config_resources<'j>(
    m: &'j J,
    prefix: &str,
    out: &mut HashMap<String, &'j J>,
    outputs: &mut HashMap<String, &'j J>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    if let Some(o) = m.get("outputs") {
        outputs.insert(prefix.to_string(), o);
    }
    for r in m.get("resources").and_then(J::as_array).into_iter().flatten() {
        if let (Some(a), Some(e)) = (r.get("address").and_then(J::as_str), r.get("expressions")) {
            out.insert(format!("{prefix}{a}"), e);
        }
    }
    for (name, call) in m.get("module_calls").and_then(J::as_object).into_iter().flatten() {
        if let Some(child) = call.get("module") {
            config_resources(child, &format!("{prefix}module.{name}."), out, outputs, depth + 1);
        }
    }
}

/// The instance index of an address (`[0]`, `["a"]`), as text.
fn index_of(address: &str) -> Option<&str> {
    let end = address.strip_suffix(']')?;
    let start = end.rfind('[')?;
    Some(&end[start + 1..])
}

/// The module prefix of an address (`module.vpc.`).
fn module_prefix(address: &str) -> &str {
    let key = config_key(address);
    let parts = key.matches('.').count();
    // `module.x.` pairs before `type.name`.
    let mut cut = 0;
    let mut dots = 0;
    for (i, c) in address.char_indices() {
        if c == '.' {
            dots += 1;
            if dots == parts - 1 {
                cut = i + 1;
            }
        }
    }
    if parts >= 3 && address.starts_with("module.") {
        &address[..cut]
    } else {
        ""
    }
}

/// What references resolve against.
struct Refs<'a, 'j> {
    ids: &'a HashMap<String, Value>,
    raw: &'a [Raw],
    /// Module prefix (`module.net.`) → its outputs in `configuration`.
    outputs: &'a HashMap<String, &'j J>,
}

/// Fill the unknown values of a planned object from the configuration's references; returns
/// how many stay unknown.
fn fill(obj: &mut BTreeMap<String, Value>, mask: &J, exprs: Option<&J>, r: &Raw, cx: &Refs) -> usize {
    let mut left = 0;
    let Some(mask) = mask.as_object() else { return 0 };
    for (key, m) in mask {
        let e = exprs.and_then(|x| x.get(key));
        match m {
            J::Bool(true) => {
                let refs: Vec<&str> = e
                    .and_then(|x| x.get("references"))
                    .and_then(J::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(J::as_str)
                    .collect();
                let mut found: Vec<Value> = Vec::new();
                for x in refs {
                    for v in resolve(x, module_prefix(&r.address), index_of(&r.address), cx, 0) {
                        if !found.contains(&v) {
                            found.push(v);
                        }
                    }
                }
                let v = match found.len() {
                    // The resource's own id: a placeholder comes from its address below.
                    0 if key == "id" => continue,
                    0 => {
                        left += 1;
                        Value::unknown(format!("{}.{key}", r.address))
                    }
                    1 if !key.ends_with('s') => found[0].clone(),
                    _ => Value::list(found),
                };
                obj.insert(key.clone(), v);
            }
            J::Array(items) => {
                if let Some(Value::List(list)) = obj.get(key) {
                    let mut list = list.to_vec();
                    for (i, (x, mk)) in list.iter_mut().zip(items).enumerate() {
                        if let Value::Map(inner) = x {
                            let mut inner = (**inner).clone();
                            let sub = e.and_then(J::as_array).and_then(|a| a.get(i).or(a.first()));
                            left += fill(&mut inner, mk, sub, r, cx);
                            *x = Value::map(inner);
                        }
                    }
                    obj.insert(key.clone(), Value::list(list));
                }
            }
            _ => {}
        }
    }
    left
}

fn strip_index(s: &str) -> &str {
    s.split('[').next().unwrap_or(s)
}

/// The ids a reference stands for, from an instance in module `prefix` with instance key
/// `idx`: `aws_vpc.main.id`, `aws_subnet.a[0].id`, or a module's output (followed into the
/// module through the output's own references).
fn resolve(reference: &str, prefix: &str, idx: Option<&str>, cx: &Refs, depth: usize) -> Vec<Value> {
    if depth > 16 {
        return Vec::new();
    }
    let parts: Vec<&str> = reference.split('.').collect();
    if parts.first() == Some(&"module") {
        let (Some(name), Some(out)) = (parts.get(1), parts.get(2)) else { return Vec::new() };
        let child = format!("{prefix}module.{}.", strip_index(name));
        let refs: Vec<&str> = cx
            .outputs
            .get(&child)
            .and_then(|o| o.get(strip_index(out)))
            .and_then(|o| o.pointer("/expression/references"))
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
            .collect();
        let mut all = Vec::new();
        for r in refs {
            for v in resolve(r, &child, idx, cx, depth + 1) {
                if !all.contains(&v) {
                    all.push(v);
                }
            }
        }
        return all;
    }
    if ["var", "local", "each", "count", "path", "data", "self", "terraform"].contains(&parts[0]) || parts.len() < 2 {
        return Vec::new();
    }
    // `type.name`, `type.name[0]`, `type.name.id`, `type.name[0].id`.
    if parts.len() > 2 && !matches!(parts[2], "id" | "arn") {
        return Vec::new();
    }
    let base = format!("{}.{}", parts[0], parts[1]);
    let full = format!("{prefix}{base}");
    if let Some(v) = cx.ids.get(&full) {
        return vec![v.clone()];
    }
    let key = config_key(&full);
    let candidates: Vec<&Raw> = cx.raw.iter().filter(|x| config_key(&x.address) == key).collect();
    let pick = match candidates.as_slice() {
        [one] => Some(*one),
        many => idx.and_then(|i| many.iter().find(|x| index_of(&x.address) == Some(i)).copied()),
    };
    pick.and_then(|x| cx.ids.get(&x.address).cloned()).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_taken_apart() {
        assert_eq!(config_key("module.a[0].aws_x.y[\"k\"]"), "module.a.aws_x.y");
        assert_eq!(index_of("aws_x.y[3]"), Some("3"));
        assert_eq!(module_prefix("module.vpc.aws_subnet.a[0]"), "module.vpc.");
        assert_eq!(module_prefix("aws_subnet.a"), "");
    }
}
