//! Property tests of the RON format: save then load is the identity for valid designs, and no
//! input bytes make the loader panic.

use proptest::prelude::*;
use std::path::Path;
use vpcraft::io::native;
use vpcraft::model::gen::generate;
use vpcraft::model::*;

fn design_strategy() -> impl Strategy<Value = Design> {
    (0usize..6, any::<u64>(), "\\PC{0,24}", "\\PC{0,40}", any::<bool>(), proptest::collection::vec(any::<u8>(), 0..4))
        .prop_map(|(vpcs, seed, name, description, bpa, flips)| {
            let mut d = generate(vpcs, seed);
            d.name = name;
            d.description = description;
            d.features.block_public_access = bpa;
            // Vary some states and flags so enums round-trip too.
            for (i, f) in flips.iter().enumerate() {
                if let Some(rt) = d.route_tables.get_mut(i) {
                    if let Some(r) = rt.routes.last_mut() {
                        r.state = if f % 2 == 0 { RouteState::Blackhole } else { RouteState::Active };
                    }
                }
                if let Some(e) = d.network_interfaces.get_mut(i) {
                    e.source_dest_check = f % 3 == 0;
                }
                if let Some(p) = d.peerings.get_mut(i) {
                    p.status = PeeringStatus::PendingAcceptance;
                }
            }
            d
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn save_then_load_round_trips(d in design_strategy()) {
        let text = native::to_string(&d).unwrap();
        let back = native::load_str(&text, Path::new("p.ron")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, d);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = native::load_str(&text, Path::new("r.ron"));
    }

    #[test]
    fn truncated_or_mutated_designs_never_panic(cut in 0usize..20_000, flip in any::<(usize, u8)>()) {
        let text = native::to_string(&generate(3, 1)).unwrap();
        let mut bytes = text.into_bytes();
        let cut = cut.min(bytes.len());
        bytes.truncate(cut);
        if !bytes.is_empty() {
            let i = flip.0 % bytes.len();
            bytes[i] = flip.1;
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = native::load_str(&text, Path::new("t.ron"));
    }

    /// A version-1 file goes through the migration first (io::migrate): mutated, it still
    /// never panics, and the migration tree reader never panics on any text.
    #[test]
    fn mutated_version_1_files_never_panic(cut in 0usize..20_000, flip in any::<(usize, u8)>()) {
        let v3 = native::to_string(&generate(2, 3)).unwrap();
        // Back to version 1: NAT gateways' subnet and address were plain values (v2 → v3).
        let v2: String = v3
            .lines()
            .map(|l| match l.strip_prefix("      subnet: Some(").or_else(|| l.strip_prefix("      private_ip: Some(")) {
                Some(rest) => format!("{}{}\n", &l[..l.find("Some(").unwrap()], rest.replacen("),", ",", 1)),
                None => format!("{l}\n"),
            })
            .collect();
        prop_assert!(v2.contains("      subnet: \"subnet-"));
        let v1 = v2.replacen("format_version: 3", "format_version: 1", 1).replacen(
            "      enable_dns_support: true,\n",
            "      ipv6_cidr: Some(\"2600:1f18::/56\"),\n      enable_dns_support: true,\n",
            1,
        );
        prop_assert!(v1.contains("ipv6_cidr: Some"));
        prop_assert!(native::load_str(&v1, Path::new("v1.ron")).is_ok());
        let mut bytes = v1.into_bytes();
        bytes.truncate(cut.min(bytes.len()));
        if !bytes.is_empty() {
            let i = flip.0 % bytes.len();
            bytes[i] = flip.1;
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = vpcraft::io::migrate::tree::parse(&text);
        let _ = native::load_str(&text, Path::new("v1.ron"));
    }
}

#[test]
fn deeply_nested_input_is_an_error_not_a_stack_overflow() {
    let text = format!("Design(format_version: 1, name: \"x\", vpcs: {})", "[".repeat(100_000));
    assert!(native::load_str(&text, Path::new("deep.ron")).is_err());
}

#[test]
fn invalid_utf8_file_is_positioned() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bin.ron");
    std::fs::write(&p, b"Design(\n  name: \"\xff\xfe\"").unwrap();
    let e = native::load_file(&p).unwrap_err();
    assert_eq!(e.line, Some(2));
}
