//! CloudFormation template evaluation.
