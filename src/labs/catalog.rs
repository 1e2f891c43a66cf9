//! The embedded lab files.

use super::Lab;
use std::path::Path;

/// (file name, RON text) of every lab, in order.
pub const LAB_FILES: &[(&str, &str)] = &[
    ("01-custom-vpc.ron", include_str!("../../assets/labs/01-custom-vpc.ron")),
    ("02-peering.ron", include_str!("../../assets/labs/02-peering.ron")),
    ("03-s3-gateway-endpoint.ron", include_str!("../../assets/labs/03-s3-gateway-endpoint.ron")),
    ("04-interface-endpoint.ron", include_str!("../../assets/labs/04-interface-endpoint.ron")),
    ("05-privatelink.ron", include_str!("../../assets/labs/05-privatelink.ron")),
    ("06-internet.ron", include_str!("../../assets/labs/06-internet.ron")),
    ("07-nat.ron", include_str!("../../assets/labs/07-nat.ron")),
    ("08-ecr-endpoints.ron", include_str!("../../assets/labs/08-ecr-endpoints.ron")),
    ("09-transitive.ron", include_str!("../../assets/labs/09-transitive.ron")),
    ("10-dual-stack.ron", include_str!("../../assets/labs/10-dual-stack.ron")),
    ("11-hub-inspection.ron", include_str!("../../assets/labs/11-hub-inspection.ron")),
];

/// Parse one lab file, with the file name and position in errors.
pub fn parse(file: &str, text: &str) -> Result<Lab, String> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Lab>(text)
        .map_err(|e| {
            format!(
                "{}:{}:{}: {}",
                Path::new("assets/labs").join(file).display(),
                e.position.line,
                e.position.col,
                e.code
            )
        })
}

/// Every lab, in order. A lab file that does not parse is an error naming it.
pub fn all() -> Result<Vec<Lab>, String> {
    LAB_FILES.iter().map(|(f, t)| parse(f, t)).collect()
}

/// A lab by its name or number.
pub fn by_name(key: &str) -> Result<Lab, crate::l10n::Text> {
    let labs = all()?;
    let found = labs.iter().find(|l| l.name == key || l.number.to_string() == key || format!("{:02}", l.number) == key);
    match found {
        Some(l) => Ok(l.clone()),
        None => {
            let names: Vec<String> = labs.iter().map(|l| format!("{} {}", l.number, l.name)).collect();
            Err(crate::text!("no lab named '{key}'; the labs are: {}", names.join(", ")))
        }
    }
}
