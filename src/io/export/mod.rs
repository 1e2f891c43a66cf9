//! Writing a design as infrastructure code: CloudFormation (JSON) and Terraform (HCL).
//!
//! Both exporters name resources after the design's names (sanitised, unique), refer to each
//! other by reference rather than by id, and leave out what the target creates implicitly
//! (local routes, default security group / NACL, main route table). Whatever the target
//! cannot express is listed in the export's notes (and written into the output as comments
//! or metadata).

pub mod cloudformation;
mod names;
pub mod plan;
mod scope;
pub mod terraform;

pub use names::{sanitize_identifier, LogicalIds};
pub use scope::Scope;

use crate::model::Design;

/// What to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// An AWS CloudFormation template in JSON.
    CloudFormation,
    /// Terraform configuration for the `aws` provider.
    Terraform,
}

impl ExportFormat {
    /// The file extension the format is usually saved with.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::CloudFormation => "json",
            ExportFormat::Terraform => "tf",
        }
    }
}

/// The exported text and what it could not express.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// One sentence per thing left out or simplified.
    pub notes: Vec<String>,
}

/// Export a design in a format.
pub fn export(design: &Design, format: ExportFormat) -> Export {
    match format {
        ExportFormat::CloudFormation => cloudformation::to_cloudformation(design),
        ExportFormat::Terraform => terraform::to_terraform(design),
    }
}
