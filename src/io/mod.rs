//! Import and export of designs.

pub mod cfn;
