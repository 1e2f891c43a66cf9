//! Bringing a copy of a design level with the design, copying only what differs: the terminal
//! app's copies for the background after an edit, and the reachability matrix's design with
//! its hypothetical interfaces after an edit (a full copy of a 1000-VPC design takes tens of
//! milliseconds; a comparison a few, an update by the ids an edit touched microseconds).

use super::{Design, Id};
use std::collections::HashSet;

/// Make `dst` equal to `src`, copying only what differs.
pub fn sync(dst: &mut Design, src: &Design) {
    sync_lists(dst, src, None);
}

/// Make `dst` equal to `src` when they differ only in the resources with these ids and in the
/// design's own fields (name, features, accounts, regions …, compared whole: they are few).
pub fn sync_ids(dst: &mut Design, src: &Design, ids: &HashSet<Id>) {
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    sync_lists(dst, src, Some(&ids));
}

/// [`sync_ids`] with the ids as a list.
pub fn sync_listed(dst: &mut Design, src: &Design, ids: &[&str]) {
    sync_lists(dst, src, Some(ids));
}

/// Make `dst` equal to `src`: each resource list compared whole (`ids`: `None`), or only at the
/// resources with these ids ([`by_id`]); the design's own fields compared whole.
fn sync_lists(dst: &mut Design, src: &Design, ids: Option<&[&str]>) {
    // Every field is named (no `..`): a field added to `Design` must be added here.
    let Design {
        format_version,
        name,
        description,
        default_region,
        features,
        accounts,
        regions,
        vpcs,
        subnets,
        route_tables,
        internet_gateways,
        egress_only_internet_gateways,
        nat_gateways,
        elastic_ips,
        instances,
        network_interfaces,
        security_groups,
        network_acls,
        peerings,
        prefix_lists,
        endpoints,
        endpoint_services,
        load_balancers,
        target_groups,
        transit_gateways,
        tgw_attachments,
        tgw_route_tables,
        vpn_gateways,
        customer_gateways,
        vpn_connections,
        databases,
        db_subnet_groups,
        compute_services,
        network_firewalls,
        firewall_policies,
        firewall_rule_groups,
        tag_names,
    } = dst;
    fn one<T: Clone + PartialEq>(dst: &mut T, src: &T) {
        if dst != src {
            dst.clone_from(src);
        }
    }
    one(format_version, &src.format_version);
    one(name, &src.name);
    one(description, &src.description);
    one(default_region, &src.default_region);
    one(features, &src.features);
    one(tag_names, &src.tag_names);
    list(accounts, &src.accounts);
    list(regions, &src.regions);
    // Every resource list, beside the destructuring above that names every field.
    macro_rules! lists {
        ($($f:ident),* $(,)?) => {
            $(match ids {
                Some(ids) => by_id($f, &src.$f, ids, |x| x.id.as_str()),
                None => list($f, &src.$f),
            })*
        };
    }
    lists!(
        vpcs,
        subnets,
        route_tables,
        internet_gateways,
        egress_only_internet_gateways,
        nat_gateways,
        elastic_ips,
        instances,
        network_interfaces,
        security_groups,
        network_acls,
        peerings,
        prefix_lists,
        endpoints,
        endpoint_services,
        load_balancers,
        target_groups,
        transit_gateways,
        tgw_attachments,
        tgw_route_tables,
        vpn_gateways,
        customer_gateways,
        vpn_connections,
        databases,
        db_subnet_groups,
        compute_services,
        network_firewalls,
        firewall_policies,
        firewall_rule_groups,
    );
}

/// Make a resource list equal to another that differs from it only in the elements with these
/// ids: those are copied where they stand; an element added, removed or moved makes the whole
/// list compared ([`list`]).
fn by_id<T: Clone + PartialEq>(dst: &mut Vec<T>, src: &[T], ids: &[&str], id: impl Fn(&T) -> &str) {
    if dst.len() != src.len() {
        return list(dst, src);
    }
    for want in ids {
        for (i, s) in src.iter().enumerate().filter(|(_, s)| id(s) == *want) {
            if id(&dst[i]) != *want {
                return list(dst, src);
            }
            if dst[i] != *s {
                dst[i].clone_from(s);
            }
        }
        // Gone from `src` but still in `dst` at the same length: something else moved in.
        if dst.iter().any(|d| id(d) == *want) && !src.iter().any(|s| id(s) == *want) {
            return list(dst, src);
        }
    }
}

/// Make a list equal to another: the common start and end are kept, the part between is
/// updated in place (same length) or replaced (an element added or removed).
pub fn list<T: Clone + PartialEq>(dst: &mut Vec<T>, src: &[T]) {
    let start = dst.iter().zip(src).take_while(|(a, b)| a == b).count();
    let end = dst[start..].iter().rev().zip(src[start..].iter().rev()).take_while(|(a, b)| a == b).count();
    let (d_mid, s_mid) = (dst.len() - end, src.len() - end);
    if d_mid - start == s_mid - start {
        for (a, b) in dst[start..d_mid].iter_mut().zip(&src[start..s_mid]) {
            if a != b {
                a.clone_from(b);
            }
        }
    } else {
        dst.splice(start..d_mid, src[start..s_mid].iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_brought_level_whatever_was_added_removed_or_changed() {
        let cases: [(&[u32], &[u32]); 8] = [
            (&[1, 2, 3], &[1, 2, 3]),
            (&[1, 2, 3], &[1, 9, 3]),
            (&[1, 2, 3], &[1, 2, 2, 3]),
            (&[1, 2, 2, 3], &[1, 2, 3]),
            (&[], &[4, 5]),
            (&[4, 5], &[]),
            (&[1, 1, 1], &[1, 1]),
            (&[1, 2, 3, 4], &[4, 3, 2, 1]),
        ];
        for (a, b) in cases {
            let mut d = a.to_vec();
            list(&mut d, b);
            assert_eq!(d, b, "{a:?} → {b:?}");
        }
    }
}
