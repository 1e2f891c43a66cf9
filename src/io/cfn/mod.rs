//! CloudFormation template evaluation.

mod error;
mod json;
mod limits;
mod node;
mod yaml;

pub use error::{CfnError, CfnResult, ErrorKind};
pub use limits::Limits;
pub use node::Pos;
