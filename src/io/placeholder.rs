//! Deterministic stand-ins for addresses AWS assigns at launch (private IPs of interfaces, NAT
//! gateways, endpoint interfaces and load balancer nodes; auto-assigned public IPs and EIPs).
//! Imports mark every value made here `placeholder: true`.

use crate::model::Design;
use std::collections::HashSet;
use std::net::Ipv4Addr;

/// Documentation ranges (RFC 5737): obviously made up, yet outside RFC 1918 and RFC 6598, so the
/// trace engine treats them as public addresses (I4).
const PUBLIC_POOLS: [[u8; 3]; 3] = [[203, 0, 113], [198, 51, 100], [192, 0, 2]];

/// Hands out addresses nobody in the design uses yet.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    used: HashSet<Ipv4Addr>,
    next_public: usize,
    /// Where each subnet is in the design (found once per interface: kept linear).
    subnets: crate::io::index::Positions,
}

impl Placeholders {
    /// Start from the addresses a design already uses.
    pub fn for_design(d: &Design) -> Placeholders {
        let mut p = Placeholders::default();
        p.note_design(d);
        p
    }

    /// Remember every address a design uses, so nothing handed out collides with it.
    pub fn note_design(&mut self, d: &Design) {
        for e in &d.network_interfaces {
            self.used.extend(e.private_ips.iter().copied());
            self.used.extend(e.public_ip);
        }
        for n in &d.nat_gateways {
            self.used.extend(n.private_ip);
        }
        for e in &d.elastic_ips {
            self.used.insert(e.public_ip);
        }
        for ep in &d.endpoints {
            self.used.extend(ep.interfaces.iter().map(|i| i.ip));
        }
        for lb in &d.load_balancers {
            for n in &lb.nodes {
                self.used.insert(n.private_ip);
                self.used.extend(n.public_ip);
            }
        }
        for s in d.services() {
            for i in s.interfaces() {
                self.used.insert(i.ip);
                self.used.extend(i.public_ip);
            }
        }
    }

    /// Mark an address as taken.
    pub fn note(&mut self, ip: Ipv4Addr) {
        self.used.insert(ip);
    }

    /// The next free private address of a subnet, from its base + 10 upward (the first four
    /// and the last are reserved, A6). `None` when the subnet is full or unknown.
    pub fn private_ip(&mut self, d: &Design, subnet: &str) -> Option<Ipv4Addr> {
        let at = self.subnets.find(&d.subnets, subnet, |s| s.id.as_str())?;
        let net = d.subnets[at].cidr?;
        let base = u32::from(net.network());
        let last = u32::from(net.broadcast());
        let from = |k: u32| base.saturating_add(k).min(last);
        let ip = (from(10)..last).chain(from(4)..from(10)).map(Ipv4Addr::from).find(|ip| !self.used.contains(ip))?;
        self.used.insert(ip);
        Some(ip)
    }

    /// The next free made-up public address.
    pub fn public_ip(&mut self) -> Ipv4Addr {
        let slots = PUBLIC_POOLS.len() * 244;
        for _ in 0..slots {
            let k = self.next_public % slots;
            self.next_public += 1;
            let [a, b, c] = PUBLIC_POOLS[k / 244];
            let ip = Ipv4Addr::new(a, b, c, 10 + (k % 244) as u8);
            if self.used.insert(ip) {
                return ip;
            }
        }
        // Every pool address is taken: reuse rather than fail (only a huge import gets here).
        let [a, b, c] = PUBLIC_POOLS[0];
        Ipv4Addr::new(a, b, c, 10 + (self.next_public % 244) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::builder::DesignBuilder;

    #[test]
    fn private_ips_start_at_ten_and_skip_used_ones() {
        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("v", "10.0.0.0/16");
        let s = b.subnet(&v, "s", "10.0.1.0/24", "a");
        b.instance(&s, "i", "10.0.1.11", &[]);
        let d = b.build();
        let mut p = Placeholders::for_design(&d);
        assert_eq!(p.private_ip(&d, &s), Some("10.0.1.10".parse().unwrap()));
        assert_eq!(p.private_ip(&d, &s), Some("10.0.1.12".parse().unwrap()));
        assert_eq!(p.private_ip(&d, "subnet-nope"), None);
        let a = p.public_ip();
        assert_ne!(a, p.public_ip());
        assert_eq!(a, "203.0.113.10".parse::<Ipv4Addr>().unwrap());
    }
}
