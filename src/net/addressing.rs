//! AWS's addressing rules for VPC and subnet CIDRs (A1–A5), each written once: forms, edit
//! operations, the planner and the design checks all call these.

use super::cidr::{classify, contains, link_local, net, overlaps, AddressClass, Rfc1918Range};
use super::error::{CidrError, CidrRole, CidrWarning, FamilyRestriction};
use ipnet::Ipv4Net;

/// Checks a primary VPC CIDR (A1, A3, A4). Returns warnings for allowed-but-discouraged blocks.
///
/// The block is canonicalised first, as AWS does (A1).
pub fn check_vpc_cidr(cidr: Ipv4Net) -> Result<Vec<CidrWarning>, CidrError> {
    let cidr = cidr.trunc();
    check_cidr_size(cidr, CidrRole::VpcCidr)?;
    check_not_link_local(cidr)?;
    Ok(address_warnings(cidr))
}

/// Checks a secondary IPv4 CIDR for a VPC whose CIDRs are `existing`, primary first (A2, A3, A4).
///
/// Refuses blocks outside /16–/28, overlapping an existing CIDR (the error names it), link-local,
/// under one of AWS's family restrictions, or beyond the hard quota of 50. Route destinations are
/// checked separately by [`check_secondary_cidr_routes`].
pub fn check_secondary_cidr(existing: &[Ipv4Net], new: Ipv4Net) -> Result<Vec<CidrWarning>, CidrError> {
    let new = new.trunc();
    let primary = existing.first().ok_or(CidrError::NoPrimaryCidr)?.trunc();
    check_cidr_size(new, CidrRole::SecondaryCidr)?;
    check_not_link_local(new)?;
    if let Some(clash) = existing.iter().find(|e| overlaps(**e, new)) {
        return Err(CidrError::OverlapsVpcCidr { cidr: new, existing: clash.trunc() });
    }
    if let Some(reason) = family_restriction(existing, primary, new) {
        return Err(CidrError::FamilyRestricted { cidr: new, primary, reason });
    }
    let quota = check_cidr_quota(existing.len().saturating_add(1))?;
    let mut warnings = address_warnings(new);
    warnings.extend(quota);
    Ok(warnings)
}

/// A2: a VPC holds at most 50 IPv4 CIDRs, 5 without a quota increase. `count` is how many it
/// would hold; above 5 is a warning, above 50 an error.
pub fn check_cidr_quota(count: usize) -> Result<Option<CidrWarning>, CidrError> {
    if count > 50 {
        return Err(CidrError::QuotaExceeded { count });
    }
    Ok((count > 5).then_some(CidrWarning::AboveDefaultQuota { count }))
}

/// A2: a new secondary CIDR must not be equal to or larger than (i.e. cover) any destination of a
/// route in the VPC's route tables. Pass the non-local destinations.
pub fn check_secondary_cidr_routes(route_destinations: &[Ipv4Net], new: Ipv4Net) -> Result<(), CidrError> {
    let new = new.trunc();
    match route_destinations.iter().find(|d| contains(new, **d)) {
        Some(route) => Err(CidrError::CoversRoute { cidr: new, route: route.trunc() }),
        None => Ok(()),
    }
}

/// Checks a new subnet against its VPC's CIDRs and existing subnets (A5).
///
/// The subnet must be /16–/28, inside a single VPC CIDR (or equal to it), and overlap no
/// existing subnet; the error names the subnet it overlaps.
pub fn check_subnet_cidr(vpc_cidrs: &[Ipv4Net], existing_subnets: &[Ipv4Net], new: Ipv4Net) -> Result<(), CidrError> {
    let new = new.trunc();
    check_cidr_size(new, CidrRole::Subnet)?;
    if !vpc_cidrs.iter().any(|v| contains(*v, new)) {
        if vpc_cidrs.iter().any(|v| overlaps(*v, new)) {
            return Err(CidrError::SpansVpcCidrs { subnet: new });
        }
        return Err(CidrError::OutsideVpc { subnet: new, vpc_cidrs: vpc_cidrs.iter().map(|v| v.trunc()).collect() });
    }
    match existing_subnets.iter().find(|s| overlaps(**s, new)) {
        Some(existing) => Err(CidrError::OverlapsSubnet { subnet: new, existing: existing.trunc() }),
        None => Ok(()),
    }
}

/// A1, A2, A5: a VPC CIDR, secondary CIDR or subnet is /16–/28 (host bits ignored).
pub fn check_cidr_size(cidr: Ipv4Net, role: CidrRole) -> Result<(), CidrError> {
    let range = super::AddressFamily::Ipv4.vpc_prefix_range();
    if cidr.prefix_len() < *range.start() {
        Err(CidrError::TooLarge { cidr, role })
    } else if cidr.prefix_len() > *range.end() {
        Err(CidrError::TooSmall { cidr, role })
    } else {
        Ok(())
    }
}

/// A3: no VPC CIDR may touch 169.254.0.0/16.
pub fn check_not_link_local(cidr: Ipv4Net) -> Result<(), CidrError> {
    if overlaps(cidr, link_local()) {
        Err(CidrError::LinkLocal { cidr })
    } else {
        Ok(())
    }
}

/// A4: what AWS allows but discourages: the Docker bridge range and non-private space.
pub fn address_warnings(cidr: Ipv4Net) -> Vec<CidrWarning> {
    let mut warnings = Vec::new();
    if overlaps(cidr, net([172, 17, 0, 0], 16)) {
        warnings.push(CidrWarning::DockerBridgeRange { cidr });
    }
    match classify(cidr) {
        AddressClass::Private(_) | AddressClass::SharedAddressSpace => {}
        class => warnings.push(CidrWarning::NotPrivate { cidr, class }),
    }
    warnings
}

/// A3: the table of `UG:vpc-cidr-blocks` ("IPv4 CIDR block association restrictions"), keyed
/// by the range the primary CIDR is in: why `new` cannot join a VPC whose primary CIDR is
/// `primary` and whose CIDRs are `existing`, if it cannot.
pub fn family_restriction(existing: &[Ipv4Net], primary: Ipv4Net, new: Ipv4Net) -> Option<FamilyRestriction> {
    let range_198_19 = net([198, 19, 0, 0], 16);
    let new_rfc1918 = match classify(new) {
        AddressClass::Private(r) => Some(r),
        _ => None,
    };
    let primary_rfc1918 = match classify(primary) {
        AddressClass::Private(r) => Some(r),
        _ => None,
    };
    let primary_in_198_19 = contains(range_198_19, primary);

    match (primary_rfc1918, new_rfc1918) {
        (Some(p), Some(n)) if p != n => return Some(FamilyRestriction::OtherRfc1918 { range: n }),
        (None, Some(n)) => return Some(FamilyRestriction::Rfc1918IntoNonRfc1918 { range: n }),
        _ => {}
    }
    if !primary_in_198_19 && overlaps(new, range_198_19) {
        return Some(FamilyRestriction::Range198_19);
    }
    if primary_rfc1918 == Some(Rfc1918Range::OneSevenTwo) && overlaps(new, net([172, 31, 0, 0], 16)) {
        return Some(FamilyRestriction::Range172_31);
    }
    if primary_rfc1918 == Some(Rfc1918Range::Ten) && overlaps(new, net([10, 0, 0, 0], 16)) {
        let ten_15 = net([10, 0, 0, 0], 15);
        if let Some(e) = existing.iter().find(|e| contains(ten_15, **e)) {
            return Some(FamilyRestriction::TenZeroSixteen { existing: e.trunc() });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    #[test]
    fn a1_vpc_size_limits() {
        assert_eq!(check_vpc_cidr(n("10.0.0.0/16")), Ok(vec![]));
        assert_eq!(check_vpc_cidr(n("10.0.0.0/28")), Ok(vec![]));
        let e = check_vpc_cidr(n("10.0.0.0/15")).expect_err("too large");
        assert_eq!(e.to_string(), "10.0.0.0/15 is too large for a VPC CIDR: the largest allowed is /16 (A1)");
        let e = check_vpc_cidr(n("10.0.0.0/29")).expect_err("too small");
        assert_eq!(e.to_string(), "10.0.0.0/29 is too small for a VPC CIDR: the smallest allowed is /28 (A1)");
        assert!(check_vpc_cidr(n("0.0.0.0/0")).is_err());
        assert!(check_vpc_cidr(n("255.255.255.255/32")).is_err());
        // host bits are cleared before checking
        assert_eq!(check_vpc_cidr(n("100.68.0.18/18")), Ok(vec![]));
    }

    #[test]
    fn a3_link_local_never() {
        let e = check_vpc_cidr(n("169.254.0.0/16")).expect_err("link-local");
        assert_eq!(e, CidrError::LinkLocal { cidr: n("169.254.0.0/16") });
        assert!(e.to_string().contains("never allows"));
    }

    #[test]
    fn a4_warnings() {
        assert_eq!(
            check_vpc_cidr(n("172.17.0.0/16")),
            Ok(vec![CidrWarning::DockerBridgeRange { cidr: n("172.17.0.0/16") }])
        );
        let w = check_vpc_cidr(n("8.8.0.0/16")).expect("allowed");
        assert_eq!(w, vec![CidrWarning::NotPrivate { cidr: n("8.8.0.0/16"), class: AddressClass::Public }]);
        assert!(w[0].to_string().contains("publicly routable"));
        assert!(w[0].to_string().contains("(A4)"));
    }

    #[test]
    fn a2_secondary_size_overlap_quota() {
        let vpc = [n("10.0.0.0/16")];
        assert_eq!(check_secondary_cidr(&vpc, n("10.2.0.0/16")), Ok(vec![]));
        assert_eq!(check_secondary_cidr(&[], n("10.2.0.0/16")), Err(CidrError::NoPrimaryCidr));
        assert!(matches!(
            check_secondary_cidr(&vpc, n("10.2.0.0/15")),
            Err(CidrError::TooLarge { role: CidrRole::SecondaryCidr, .. })
        ));
        assert!(matches!(
            check_secondary_cidr(&vpc, n("10.2.0.0/29")),
            Err(CidrError::TooSmall { role: CidrRole::SecondaryCidr, .. })
        ));
        let e = check_secondary_cidr(&vpc, n("10.0.128.0/17")).expect_err("overlap");
        assert_eq!(e.to_string(), "10.0.128.0/17 overlaps the VPC's existing CIDR 10.0.0.0/16 (A2)");
        assert!(matches!(check_secondary_cidr(&vpc, n("169.254.0.0/16")), Err(CidrError::LinkLocal { .. })));
        let five: Vec<Ipv4Net> = (0..5).map(|i| n(&format!("10.{}.0.0/16", 10 + i))).collect();
        assert_eq!(
            check_secondary_cidr(&five, n("10.50.0.0/16")),
            Ok(vec![CidrWarning::AboveDefaultQuota { count: 6 }])
        );
        let fifty: Vec<Ipv4Net> = (0..50).map(|i| n(&format!("10.{}.0.0/16", 10 + i))).collect();
        assert_eq!(check_secondary_cidr(&fifty, n("10.100.0.0/16")), Err(CidrError::QuotaExceeded { count: 51 }));
    }

    #[test]
    fn a3_family_restrictions() {
        let ten = [n("10.5.0.0/16")];
        let e = check_secondary_cidr(&ten, n("172.16.0.0/16")).expect_err("other rfc1918");
        assert_eq!(
            e,
            CidrError::FamilyRestricted {
                cidr: n("172.16.0.0/16"),
                primary: n("10.5.0.0/16"),
                reason: FamilyRestriction::OtherRfc1918 { range: Rfc1918Range::OneSevenTwo }
            }
        );
        assert!(e.to_string().ends_with("(A3)"));
        assert!(check_secondary_cidr(&ten, n("192.168.0.0/16")).is_err());
        assert!(matches!(
            check_secondary_cidr(&ten, n("198.19.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Range198_19, .. })
        ));
        // public space and 100.64/10 may be added to a 10/8 VPC
        assert!(check_secondary_cidr(&ten, n("100.64.0.0/16")).is_ok());
        assert!(check_secondary_cidr(&ten, n("8.8.0.0/16")).is_ok());

        let one72 = [n("172.20.0.0/16")];
        assert!(check_secondary_cidr(&one72, n("172.21.0.0/16")).is_ok());
        assert!(matches!(
            check_secondary_cidr(&one72, n("172.31.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Range172_31, .. })
        ));
        assert!(check_secondary_cidr(&one72, n("10.0.0.0/16")).is_err());
        assert!(check_secondary_cidr(&one72, n("192.168.0.0/16")).is_err());

        let one92 = [n("192.168.0.0/20")];
        assert!(check_secondary_cidr(&one92, n("192.168.16.0/20")).is_ok());
        assert!(check_secondary_cidr(&one92, n("10.0.0.0/16")).is_err());

        let public = [n("8.8.0.0/16")];
        assert!(matches!(
            check_secondary_cidr(&public, n("10.0.0.0/16")),
            Err(CidrError::FamilyRestricted { reason: FamilyRestriction::Rfc1918IntoNonRfc1918 { .. }, .. })
        ));
        assert!(check_secondary_cidr(&public, n("100.64.0.0/16")).is_ok());

        let bench = [n("198.19.0.0/16")];
        assert!(check_secondary_cidr(&bench, n("10.0.0.0/16")).is_err());
        assert!(check_secondary_cidr(&bench, n("100.64.0.0/16")).is_ok());

        // A VPC with a block in 10.0.0.0/15 cannot add from 10.0.0.0/16.
        let e = check_secondary_cidr(&[n("10.1.0.0/16")], n("10.0.0.0/16")).expect_err("10/15");
        assert_eq!(
            e,
            CidrError::FamilyRestricted {
                cidr: n("10.0.0.0/16"),
                primary: n("10.1.0.0/16"),
                reason: FamilyRestriction::TenZeroSixteen { existing: n("10.1.0.0/16") }
            }
        );
        assert!(check_secondary_cidr(&[n("10.2.0.0/16")], n("10.0.0.0/16")).is_ok());
    }

    #[test]
    fn a2_secondary_must_not_cover_a_route() {
        let routes = [n("10.0.0.0/24"), n("0.0.0.0/0")];
        let e = check_secondary_cidr_routes(&routes, n("10.0.0.0/16")).expect_err("covers");
        assert_eq!(e, CidrError::CoversRoute { cidr: n("10.0.0.0/16"), route: n("10.0.0.0/24") });
        assert!(check_secondary_cidr_routes(&routes, n("10.0.0.0/24")).is_err());
        assert!(check_secondary_cidr_routes(&routes, n("10.0.0.0/25")).is_ok());
        assert!(e.to_string().contains("(A2)"));
    }

    #[test]
    fn a5_subnet_rules() {
        let vpc = [n("10.0.0.0/16"), n("10.1.0.0/16")];
        let subnets = [n("10.0.0.0/24"), n("10.0.4.0/22")];
        assert_eq!(check_subnet_cidr(&vpc, &subnets, n("10.0.1.0/24")), Ok(()));
        assert_eq!(check_subnet_cidr(&vpc, &subnets, n("10.1.0.0/16")), Ok(()));
        assert!(matches!(
            check_subnet_cidr(&vpc, &subnets, n("10.0.0.0/15")),
            Err(CidrError::TooLarge { role: CidrRole::Subnet, .. })
        ));
        assert!(matches!(
            check_subnet_cidr(&vpc, &subnets, n("10.0.9.0/29")),
            Err(CidrError::TooSmall { role: CidrRole::Subnet, .. })
        ));
        let e = check_subnet_cidr(&vpc, &subnets, n("10.0.5.0/24")).expect_err("overlap");
        assert_eq!(e.to_string(), "10.0.5.0/24 overlaps the existing subnet 10.0.4.0/22 (A5)");
        let e = check_subnet_cidr(&vpc, &subnets, n("10.9.0.0/24")).expect_err("outside");
        assert_eq!(
            e.to_string(),
            "10.9.0.0/24 is outside the VPC's CIDRs (10.0.0.0/16, 10.1.0.0/16); a subnet must sit inside one of them (A5)"
        );
        let e = check_subnet_cidr(&[], &[], n("10.9.0.0/24")).expect_err("no vpc");
        assert!(e.to_string().contains("no CIDR"));
        let small = [n("10.0.0.0/24"), n("10.0.1.0/24")];
        assert_eq!(
            check_subnet_cidr(&small, &[], n("10.0.0.0/23")),
            Err(CidrError::SpansVpcCidrs { subnet: n("10.0.0.0/23") })
        );
    }

    #[test]
    fn every_error_and_warning_is_one_sentence() {
        let samples: Vec<String> = vec![
            CidrError::Empty.to_string(),
            CidrError::TooManySlashes { input: "a/b/c".into() }.to_string(),
            CidrError::Ipv6NotSupported { input: "::".into() }.to_string(),
            CidrError::NoPrimaryCidr.to_string(),
            CidrError::QuotaExceeded { count: 51 }.to_string(),
            CidrWarning::AboveDefaultQuota { count: 6 }.to_string(),
            CidrWarning::DockerBridgeRange { cidr: n("172.17.0.0/16") }.to_string(),
        ];
        for s in samples {
            assert!(!s.is_empty());
            assert!(!s.contains('\n'), "{s}");
        }
    }

    #[test]
    fn checks_at_the_edges_of_the_address_space() {
        let everything = [n("0.0.0.0/0")];
        assert!(matches!(
            check_subnet_cidr(&everything, &[], n("255.255.255.255/32")),
            Err(CidrError::TooSmall { .. })
        ));
        let top = [n("255.255.255.240/28")];
        assert_eq!(check_subnet_cidr(&top, &[], n("255.255.255.240/28")), Ok(()));
        assert!(matches!(
            check_subnet_cidr(&top, &top, n("255.255.255.240/28")),
            Err(CidrError::OverlapsSubnet { .. })
        ));
        assert!(matches!(check_secondary_cidr(&everything, n("0.0.0.0/0")), Err(CidrError::TooLarge { .. })));
        assert!(matches!(
            check_secondary_cidr(&top, n("255.255.255.224/28")),
            Ok(ref w) if w.len() == 1
        ));
        assert_eq!(check_secondary_cidr_routes(&everything, n("255.255.255.240/28")), Ok(()));
    }
}
