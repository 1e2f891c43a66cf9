//! Evaluates a CloudFormation template and prints the result as JSON.
//!
//! `cargo run --example cfn_eval -- template.yaml [region] [Name=Value ...]`

use std::path::Path;

use vpcraft::io::cfn::{evaluate_file, parse_param_override, EvalOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cfn_eval TEMPLATE [REGION] [Name=Value ...]");
        std::process::exit(2);
    };
    let mut opts = EvalOptions::new(args.get(1).map_or("us-east-1", String::as_str));
    for kv in args.iter().skip(2) {
        match parse_param_override(kv) {
            Ok((k, v)) => opts = opts.with_param(k, v),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(2);
            }
        }
    }
    match evaluate_file(Path::new(path), &opts) {
        Ok(t) => println!("{}", serde_json::to_string_pretty(&t).expect("serializable")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
