//! Building a lab's design step by step.

use super::{Lab, LabTrace, Start};
use crate::model::Design;

/// The design before any step.
pub fn start_design(lab: &Lab) -> Result<Design, String> {
    match &lab.start {
        Start::Empty { region } => {
            let mut d = Design::new(format!("lab {}: {}", lab.number, lab.name), region.clone());
            d.description = lab.summary.en.clone();
            Ok(d)
        }
        Start::Example(name) => crate::assets::example(name)
            .ok_or_else(|| format!("lab {} starts from example '{name}', which does not exist", lab.name)),
    }
}

/// Apply the edits of one step.
pub fn apply_step(lab: &Lab, index: usize, design: &mut Design) -> Result<(), String> {
    let step = lab.steps.get(index).ok_or_else(|| format!("lab {} has no step {}", lab.name, index + 1))?;
    for (k, op) in step.ops.iter().enumerate() {
        design.apply(op).map_err(|e| format!("lab {} step {} edit {}: {e}", lab.name, index + 1, k + 1))?;
    }
    Ok(())
}

/// The design after steps `0..=index` (every step's edits applied, including the solutions of
/// "try it yourself" steps).
pub fn design_after(lab: &Lab, index: usize) -> Result<Design, String> {
    let mut d = start_design(lab)?;
    for i in 0..=index.min(lab.steps.len().saturating_sub(1)) {
        apply_step(lab, i, &mut d)?;
    }
    Ok(d)
}

/// Replace `@regional-dns:EP` and `@zonal-dns:EP:AZ` with the endpoint's names (E5).
pub fn expand_target(design: &Design, text: &str) -> Result<String, String> {
    let Some(rest) = text.strip_prefix('@') else { return Ok(text.to_string()) };
    let mut parts = rest.splitn(3, ':');
    let kind = parts.next().unwrap_or_default();
    let ep_key = parts.next().ok_or_else(|| format!("'{text}' names no endpoint"))?;
    let r = design.resolve(ep_key)?;
    let ep = design.endpoint(r.id()).ok_or_else(|| format!("'{ep_key}' is not an endpoint"))?;
    let region = design.vpc(&ep.vpc).map(|v| v.region.clone()).unwrap_or_else(|| design.default_region.clone());
    match kind {
        "regional-dns" => Ok(ep.regional_dns_name(&region)),
        "zonal-dns" => {
            let az = parts.next().ok_or_else(|| format!("'{text}' names no zone"))?;
            Ok(ep.zonal_dns_name(&region, az))
        }
        other => Err(format!("'@{other}' is not a lab placeholder (use @regional-dns or @zonal-dns)")),
    }
}

/// A trace's arguments with placeholders expanded.
pub fn expanded(design: &Design, t: &LabTrace) -> Result<(String, String), String> {
    Ok((expand_target(design, &t.from)?, expand_target(design, &t.to)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lab_parses_and_every_step_applies() {
        let labs = crate::labs::all().unwrap();
        assert_eq!(labs.len(), 11);
        for (i, lab) in labs.iter().enumerate() {
            assert_eq!(lab.number as usize, i + 1, "{}", lab.name);
            assert!(!lab.steps.is_empty());
            let d = design_after(lab, lab.steps.len() - 1).unwrap_or_else(|e| panic!("{e}"));
            let errors: Vec<_> = crate::sim::checks::check_design(&d)
                .into_iter()
                .filter(|f| f.severity == crate::sim::checks::Severity::Error)
                .collect();
            assert!(errors.is_empty(), "lab {} ends with errors: {errors:#?}", lab.name);
            for s in &lab.steps {
                assert!(!s.narration.en.is_empty() && !s.narration.ko.is_empty(), "{}: {}", lab.name, s.title.en);
                for t in &s.traces {
                    assert!(t.expect == "delivered" || t.expect == "dropped", "{}: {}", lab.name, t.expect);
                }
            }
        }
    }

    #[test]
    fn placeholders_expand_to_endpoint_names() {
        let lab = crate::labs::by_name("interface-endpoint").unwrap();
        let d = design_after(&lab, 1).unwrap();
        let name = expand_target(&d, "@zonal-dns:jhCfnEndpoint:ap-northeast-2a").unwrap();
        assert!(name.ends_with("-ap-northeast-2a.cloudformation.ap-northeast-2.vpce.amazonaws.com"), "{name}");
        assert!(expand_target(&d, "@bogus:x").is_err());
    }
}
