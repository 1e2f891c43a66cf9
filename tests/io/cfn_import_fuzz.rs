//! Hostile evaluated templates: resources whose properties are replaced with the wrong kinds
//! of values, other resources' references, markers or nothing never panic the importer, and
//! what it returns passes validation.

use crate::common;

use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use vpcraft::io::cfn::{evaluate, EvalOptions, Template};
use vpcraft::io::cfn_import::import_template;
use vpcraft::io::export::cloudformation::to_cloudformation;

fn base() -> Template {
    let text = to_cloudformation(&common::kitchen_sink()).text;
    evaluate(&text, "k.json", &EvalOptions::new("ap-northeast-2")).unwrap()
}

fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_templates_import_to_valid_designs(muts in proptest::collection::vec((any::<usize>(), any::<usize>(), 0u8..9, any::<usize>()), 1..10)) {
        let mut t = base();
        let logical: Vec<String> = t.resources.iter().map(|r| r.logical_id.clone()).collect();
        for (res, pick, kind, with) in muts {
            let n = t.resources.len();
            let r = &mut t.resources[res % n];
            let mut ps = Vec::new();
            pointers(&r.properties, String::new(), &mut ps);
            let p = ps[pick % ps.len()].clone();
            let other = &logical[with % logical.len()];
            let replacement = match kind {
                0 => json!({ "$ref": other }),
                1 => json!({ "$getatt": [other, "DefaultSecurityGroup"] }),
                2 => json!({ "$import": "other-stack-Thing" }),
                3 => json!(other),
                4 => json!(with as i64 - 5),
                5 => Value::Null,
                6 => json!([{ "$ref": other }, "10.0.0.0/8"]),
                7 => json!("10.9.0.0/16"),
                _ => json!({ "$unresolved": { "Fn::Select": [0, []] } }),
            };
            if p.is_empty() {
                r.properties = replacement;
            } else if let Some(slot) = r.properties.pointer_mut(&p) {
                *slot = replacement;
            }
        }
        let (d, rep) = import_template(&t, "fuzz", "fuzz", "ap-northeast-2");
        if let Err(e) = vpcraft::io::native::validate(&d, "", Path::new("fuzz")) {
            panic!("imported design does not validate: {e}\n{rep}");
        }
    }
}
