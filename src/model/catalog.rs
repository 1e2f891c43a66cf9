//! The catalog of AWS services per region: DNS names, endpoint kinds, public prefixes (G1, E4).
//!
//! A compact catalog is built in. AWS's published `ip-ranges.json` can be loaded on top of it to
//! replace the public prefixes with the full, current list.

use ipnet::{Ipv4Net, Ipv6Net};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

/// A catalog installed for the whole process (see [`ServiceCatalog::install`]).
static INSTALLED: OnceLock<ServiceCatalog> = OnceLock::new();

/// One AWS service in one region.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceEntry {
    pub region: String,
    /// The short name, e.g. `s3`, `ecr.dkr`.
    pub short: String,
    /// `com.amazonaws.<region>.<short>`.
    pub service_name: String,
    /// The default (regional) DNS name, e.g. `s3.ap-northeast-2.amazonaws.com`.
    pub dns_name: String,
    /// Whether a gateway endpoint exists for it (S3 and DynamoDB, G1).
    pub gateway_endpoint: bool,
    /// Whether an interface endpoint exists for it.
    pub interface_endpoint: bool,
    /// The AWS-managed prefix list of a gateway service (G1).
    pub prefix_list_id: Option<String>,
    /// Public IPv4 prefixes the service answers on.
    pub prefixes: Vec<Ipv4Net>,
    /// Public IPv6 prefixes the service answers on (its dual-stack endpoint).
    pub ipv6_prefixes: Vec<Ipv6Net>,
    /// The dual-stack name, which resolves to both an A and an AAAA record (e.g.
    /// `s3.dualstack.ap-northeast-2.amazonaws.com`); the regional name answers A only.
    pub dualstack_dns_name: Option<String>,
}

impl ServiceEntry {
    /// The address the service's public DNS name resolves to (deterministic: the tenth
    /// address of its first prefix), used when no endpoint captures the name (E4).
    pub fn public_ip(&self) -> Option<Ipv4Addr> {
        let p = self.prefixes.first()?;
        let base = u32::from(p.network());
        let offset = if p.prefix_len() >= 30 { 1 } else { 10 };
        Some(Ipv4Addr::from(base.saturating_add(offset)))
    }

    /// The address the service's dual-stack name's AAAA record gives (deterministic: the
    /// tenth address of its first IPv6 prefix).
    pub fn public_ipv6(&self) -> Option<Ipv6Addr> {
        let p = self.ipv6_prefixes.first()?;
        Some(Ipv6Addr::from(u128::from(p.network()).saturating_add(10)))
    }

    /// Whether a DNS name belongs to this service (the regional name, or a wildcard-style name
    /// under it such as `<acct>.dkr.ecr.<region>.amazonaws.com`), or to its dual-stack name.
    pub fn matches_dns(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let under = |n: &str| name == n || name.ends_with(&format!(".{n}"));
        under(&self.dns_name) || self.dualstack_dns_name.as_deref().is_some_and(under)
    }

    /// Whether `name` is (or is under) the dual-stack name, which has an AAAA record.
    pub fn is_dualstack_name(&self, name: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.dualstack_dns_name.as_deref().is_some_and(|n| name == n || name.ends_with(&format!(".{n}")))
    }
}

/// Services per region.
#[derive(Debug, Clone, Default)]
pub struct ServiceCatalog {
    entries: Vec<ServiceEntry>,
    /// Region → availability zone names.
    azs: BTreeMap<String, Vec<String>>,
    /// Where the prefixes came from, for people.
    pub source: String,
    /// Entries by service name, prefix-list id and (region, short name), built on first use.
    lookup: OnceLock<Lookup>,
}

/// Positions of entries by what they are looked up by (the first entry wins).
#[derive(Debug, Clone, Default)]
struct Lookup {
    by_name: std::collections::HashMap<String, usize>,
    by_prefix_list: std::collections::HashMap<String, usize>,
    by_region_short: std::collections::HashMap<(String, String), usize>,
}

/// (region, AZ letters, S3 prefixes, DynamoDB prefixes, other AWS prefixes) from AWS's
/// `ip-ranges.json` (2022-06-12).
/// One region row: (name, AZ letters, S3, DynamoDB, other AWS prefixes).
type RegionRow =
    (&'static str, &'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

/// S3's IPv6 prefixes per region (the `ipv6_prefixes` of the same `ip-ranges.json`): what
/// `s3.dualstack.<region>.amazonaws.com` answers on.
const S3_IPV6: &[(&str, &[&str])] = &[
    ("ap-northeast-2", &["2406:daf0:2000::/40", "2406:da68:2000::/40"]),
    ("ap-northeast-1", &["2406:daf8:4000::/40", "2406:daa0:4000::/40"]),
    ("us-east-1", &["2600:1ff0:8000::/39", "2600:1f68:8000::/39"]),
    ("us-east-2", &["2600:1ff9:6000::/40", "2600:1ff0:6000::/40"]),
    ("us-west-2", &["2600:1fa0:4000::/40", "2600:1f68:4000::/40"]),
    ("eu-west-1", &["2a05:d034:8000::/40", "2a05:d078:8000::/40"]),
    ("eu-central-1", &["2a05:d070:4000::/40", "2a05:d079:4000::/40"]),
    ("ap-southeast-1", &["2406:daf9:8000::/40", "2406:daa0:8000::/40"]),
];

const REGIONS: &[RegionRow] = &[
    (
        "ap-northeast-2",
        "abcd",
        &["52.219.56.0/22", "52.219.60.0/23", "3.5.140.0/22"],
        &["52.94.6.0/24"],
        &["52.95.111.0/24", "43.249.45.0/24"],
    ),
    (
        "ap-northeast-1",
        "acd",
        &["52.219.68.0/22", "52.219.0.0/20", "3.5.152.0/21"],
        &["52.94.8.0/24"],
        &["15.221.34.0/24", "150.222.105.0/24"],
    ),
    (
        "us-east-1",
        "abcdef",
        &["52.216.0.0/15", "54.231.0.0/16", "3.5.0.0/19"],
        &["52.94.0.0/22", "52.119.224.0/21"],
        &["52.95.208.0/22", "15.230.221.0/24"],
    ),
    ("us-east-2", "abc", &["52.219.80.0/20", "3.5.128.0/22"], &["52.94.4.0/24"], &["52.95.16.0/21"]),
    (
        "us-west-2",
        "abcd",
        &["52.218.128.0/17", "52.92.128.0/17", "3.5.76.0/22"],
        &["52.94.10.0/24", "52.119.252.0/22"],
        &["52.94.76.0/22", "54.239.48.0/22"],
    ),
    (
        "eu-west-1",
        "abc",
        &["52.218.0.0/17", "52.92.0.0/17", "3.5.64.0/21"],
        &["52.94.24.0/23", "52.119.240.0/21"],
        &["99.87.32.0/22", "52.93.17.0/24"],
    ),
    ("eu-central-1", "abc", &["52.219.168.0/24", "3.5.134.0/23"], &["52.94.17.0/24"], &["52.95.248.0/24"]),
    ("ap-southeast-1", "abc", &["52.219.128.0/22", "3.5.146.0/23"], &["52.94.13.0/24"], &["52.95.242.0/24"]),
];

/// Interface-endpoint services in the built-in catalog: (short name, DNS name pattern).
/// `{r}` is the region.
const INTERFACE_SERVICES: &[(&str, &str)] = &[
    ("cloudformation", "cloudformation.{r}.amazonaws.com"),
    ("ecr.api", "api.ecr.{r}.amazonaws.com"),
    ("ecr.dkr", "dkr.ecr.{r}.amazonaws.com"),
    ("ec2", "ec2.{r}.amazonaws.com"),
    ("sts", "sts.{r}.amazonaws.com"),
    ("ssm", "ssm.{r}.amazonaws.com"),
    ("ssmmessages", "ssmmessages.{r}.amazonaws.com"),
    ("ec2messages", "ec2messages.{r}.amazonaws.com"),
    ("logs", "logs.{r}.amazonaws.com"),
    ("monitoring", "monitoring.{r}.amazonaws.com"),
    ("secretsmanager", "secretsmanager.{r}.amazonaws.com"),
    ("kms", "kms.{r}.amazonaws.com"),
    ("sqs", "sqs.{r}.amazonaws.com"),
    ("sns", "sns.{r}.amazonaws.com"),
    ("lambda", "lambda.{r}.amazonaws.com"),
    ("execute-api", "execute-api.{r}.amazonaws.com"),
    ("elasticloadbalancing", "elasticloadbalancing.{r}.amazonaws.com"),
];

/// A deterministic prefix-list id for a gateway service in a region. The Seoul S3 list keeps
/// the id AWS really uses there.
fn prefix_list_id(region: &str, short: &str) -> String {
    if region == "ap-northeast-2" && short == "s3" {
        return "pl-78a54011".to_string();
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in region.bytes().chain(b"/".iter().copied()).chain(short.bytes()) {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("pl-{h:08x}")
}

fn nets(list: &[&str]) -> Vec<Ipv4Net> {
    list.iter().filter_map(|s| s.parse().ok()).collect()
}

fn s3_ipv6(region: &str) -> Vec<Ipv6Net> {
    S3_IPV6
        .iter()
        .find(|(r, _)| *r == region)
        .map(|(_, l)| l.iter().filter_map(|s| s.parse().ok()).collect())
        .unwrap_or_default()
}

impl ServiceCatalog {
    /// The catalog in use: one installed with [`ServiceCatalog::install`] (from a user's
    /// `ip-ranges.json`), else the built-in one. Shared and built once.
    pub fn builtin() -> &'static ServiceCatalog {
        if let Some(c) = INSTALLED.get() {
            return c;
        }
        static CATALOG: OnceLock<ServiceCatalog> = OnceLock::new();
        CATALOG.get_or_init(ServiceCatalog::build_builtin)
    }

    /// Make a catalog the one every lookup uses for the rest of the process (the `--ip-ranges`
    /// option). Only the first call takes effect.
    pub fn install(catalog: ServiceCatalog) -> bool {
        INSTALLED.set(catalog).is_ok()
    }

    /// The built-in catalog with the prefixes of an `ip-ranges.json` text; `source` names it
    /// (the file is read, bounded, by the caller: `io::input`).
    pub fn from_ip_ranges_text(text: &str, source: &str) -> Result<ServiceCatalog, String> {
        let mut c = ServiceCatalog::build_builtin();
        c.load_ip_ranges(text).map_err(|e| format!("{source}: {e}"))?;
        c.source = source.to_string();
        Ok(c)
    }

    fn build_builtin() -> ServiceCatalog {
        let mut cat =
            ServiceCatalog { source: "built-in catalog (ip-ranges.json of 2022-06-12)".into(), ..Default::default() };
        for (region, letters, s3, ddb, other) in REGIONS {
            cat.azs.insert(region.to_string(), letters.chars().map(|c| format!("{region}{c}")).collect());
            for (short, prefixes) in [("s3", *s3), ("dynamodb", *ddb)] {
                cat.entries.push(ServiceEntry {
                    region: region.to_string(),
                    short: short.to_string(),
                    service_name: format!("com.amazonaws.{region}.{short}"),
                    dns_name: format!("{short}.{region}.amazonaws.com"),
                    gateway_endpoint: true,
                    interface_endpoint: short == "s3",
                    prefix_list_id: Some(prefix_list_id(region, short)),
                    prefixes: nets(prefixes),
                    ipv6_prefixes: if short == "s3" { s3_ipv6(region) } else { Vec::new() },
                    dualstack_dns_name: (short == "s3").then(|| format!("s3.dualstack.{region}.amazonaws.com")),
                });
            }
            for (short, pattern) in INTERFACE_SERVICES {
                cat.entries.push(ServiceEntry {
                    region: region.to_string(),
                    short: short.to_string(),
                    service_name: format!("com.amazonaws.{region}.{short}"),
                    dns_name: pattern.replace("{r}", region),
                    gateway_endpoint: false,
                    interface_endpoint: true,
                    prefix_list_id: None,
                    prefixes: nets(other),
                    ipv6_prefixes: Vec::new(),
                    dualstack_dns_name: None,
                });
            }
        }
        cat
    }

    /// Every entry.
    pub fn entries(&self) -> &[ServiceEntry] {
        &self.entries
    }

    /// Regions the catalog knows.
    pub fn regions(&self) -> impl Iterator<Item = &str> {
        self.azs.keys().map(String::as_str)
    }

    /// Availability zones of a region; unknown regions get `a`, `b`, `c`.
    pub fn azs(&self, region: &str) -> Vec<String> {
        self.azs
            .get(region)
            .cloned()
            .unwrap_or_else(|| ["a", "b", "c"].iter().map(|l| format!("{region}{l}")).collect())
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| {
            let mut l = Lookup::default();
            for (i, e) in self.entries.iter().enumerate() {
                l.by_name.entry(e.service_name.clone()).or_insert(i);
                if let Some(pl) = &e.prefix_list_id {
                    l.by_prefix_list.entry(pl.clone()).or_insert(i);
                }
                l.by_region_short.entry((e.region.clone(), e.short.clone())).or_insert(i);
            }
            l
        })
    }

    /// A service by region and short name (`s3`, `cloudformation`).
    pub fn service(&self, region: &str, short: &str) -> Option<&ServiceEntry> {
        self.lookup().by_region_short.get(&(region.to_string(), short.to_string())).map(|&i| &self.entries[i])
    }

    /// A service by its endpoint service name (`com.amazonaws.ap-northeast-2.s3`).
    pub fn by_service_name(&self, name: &str) -> Option<&ServiceEntry> {
        self.lookup().by_name.get(name).map(|&i| &self.entries[i])
    }

    /// The service a DNS name belongs to; the longest matching name wins.
    pub fn by_dns_name(&self, name: &str) -> Option<&ServiceEntry> {
        self.entries.iter().filter(|e| e.matches_dns(name)).max_by_key(|e| e.dns_name.len())
    }

    /// The gateway service behind an AWS prefix-list id.
    pub fn by_prefix_list(&self, pl: &str) -> Option<&ServiceEntry> {
        self.lookup().by_prefix_list.get(pl).map(|&i| &self.entries[i])
    }

    /// The service whose public prefixes hold an address (most specific prefix wins; gateway
    /// services first because their prefixes are the precise ones).
    pub fn owner_of(&self, ip: Ipv4Addr) -> Option<&ServiceEntry> {
        self.entries
            .iter()
            .filter_map(|e| {
                e.prefixes.iter().filter(|p| p.contains(&ip)).map(|p| p.prefix_len()).max().map(|len| (e, len))
            })
            .max_by_key(|(e, len)| (*len, e.gateway_endpoint))
            .map(|(e, _)| e)
    }

    /// The service whose public IPv6 prefixes hold an address (most specific prefix wins).
    pub fn owner_of_v6(&self, ip: Ipv6Addr) -> Option<&ServiceEntry> {
        self.entries
            .iter()
            .filter_map(|e| {
                e.ipv6_prefixes.iter().filter(|p| p.contains(&ip)).map(|p| p.prefix_len()).max().map(|len| (e, len))
            })
            .max_by_key(|(e, len)| (*len, e.gateway_endpoint))
            .map(|(e, _)| e)
    }

    /// Replace the public prefixes with those of AWS's `ip-ranges.json`: S3 and DynamoDB take
    /// their own service's prefixes; every other service takes the region's `AMAZON` prefixes
    /// that no more specific service claims. Regions new to the catalog are added.
    pub fn load_ip_ranges(&mut self, json: &str) -> Result<usize, String> {
        #[derive(Deserialize)]
        struct Ranges {
            prefixes: Vec<Prefix>,
            #[serde(default)]
            ipv6_prefixes: Vec<Prefix6>,
        }
        #[derive(Deserialize)]
        struct Prefix6 {
            ipv6_prefix: String,
            region: String,
            service: String,
        }
        #[derive(Deserialize)]
        struct Prefix {
            ip_prefix: String,
            region: String,
            service: String,
        }
        let ranges: Ranges = serde_json::from_str(json)
            .map_err(|e| format!("ip-ranges.json: line {}, column {}: {e}", e.line(), e.column()))?;
        let mut by: BTreeMap<(String, String), Vec<Ipv4Net>> = BTreeMap::new();
        let mut claimed: std::collections::HashSet<Ipv4Net> = std::collections::HashSet::new();
        for p in &ranges.prefixes {
            let Ok(net) = p.ip_prefix.parse::<Ipv4Net>() else { continue };
            if p.service != "AMAZON" {
                claimed.insert(net);
            }
            by.entry((p.region.clone(), p.service.clone())).or_default().push(net);
        }
        // S3's dual-stack prefixes (the only dual-stack service the catalog names).
        let mut s3_v6: BTreeMap<String, Vec<Ipv6Net>> = BTreeMap::new();
        for p in ranges.ipv6_prefixes.iter().filter(|p| p.service == "S3") {
            if let Ok(net) = p.ipv6_prefix.parse::<Ipv6Net>() {
                s3_v6.entry(p.region.clone()).or_default().push(net);
            }
        }
        let mut count = 0;
        let regions: std::collections::BTreeSet<String> =
            by.keys().map(|(r, _)| r.clone()).filter(|r| r != "GLOBAL").collect();
        for region in regions {
            if !self.azs.contains_key(&region) {
                self.azs.insert(region.clone(), ["a", "b", "c"].iter().map(|l| format!("{region}{l}")).collect());
                let template: Vec<ServiceEntry> =
                    self.entries.iter().filter(|e| e.region == "us-east-1").cloned().collect();
                for mut e in template {
                    e.service_name = format!("com.amazonaws.{region}.{}", e.short);
                    e.dns_name = e.dns_name.replace("us-east-1", &region);
                    if e.gateway_endpoint {
                        e.prefix_list_id = Some(prefix_list_id(&region, &e.short));
                    }
                    e.dualstack_dns_name = e.dualstack_dns_name.map(|n| n.replace("us-east-1", &region));
                    e.region = region.clone();
                    e.prefixes.clear();
                    e.ipv6_prefixes.clear();
                    self.entries.push(e);
                }
            }
            let amazon: Vec<Ipv4Net> = by
                .get(&(region.clone(), "AMAZON".to_string()))
                .map(|v| v.iter().filter(|n| !claimed.contains(n)).copied().collect())
                .unwrap_or_default();
            for e in self.entries.iter_mut().filter(|e| e.region == region) {
                let list = match e.short.as_str() {
                    "s3" => by.get(&(region.clone(), "S3".to_string())).cloned().unwrap_or_default(),
                    "dynamodb" => by.get(&(region.clone(), "DYNAMODB".to_string())).cloned().unwrap_or_default(),
                    _ => amazon.clone(),
                };
                if !list.is_empty() {
                    count += list.len();
                    e.prefixes = list;
                }
                if e.short == "s3" {
                    if let Some(v6) = s3_v6.get(&region) {
                        count += v6.len();
                        e.ipv6_prefixes = v6.clone();
                    }
                }
            }
        }
        self.source = "ip-ranges.json".into();
        self.lookup = OnceLock::new();
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_s3_has_gateway_endpoint_and_prefix_list() {
        let c = ServiceCatalog::builtin();
        let s3 = c.service("ap-northeast-2", "s3").unwrap();
        assert!(s3.gateway_endpoint);
        assert_eq!(s3.prefix_list_id.as_deref(), Some("pl-78a54011"));
        assert_eq!(c.by_dns_name("s3.ap-northeast-2.amazonaws.com").unwrap().short, "s3");
        let ip = s3.public_ip().unwrap();
        assert_eq!(c.owner_of(ip).unwrap().short, "s3");
    }

    #[test]
    fn cloudformation_is_interface_only() {
        let c = ServiceCatalog::builtin();
        let cf = c.by_dns_name("cloudformation.ap-northeast-2.amazonaws.com").unwrap();
        assert!(!cf.gateway_endpoint && cf.interface_endpoint);
        assert_eq!(c.by_dns_name("123456789012.dkr.ecr.ap-northeast-2.amazonaws.com").unwrap().short, "ecr.dkr");
    }

    #[test]
    fn ip_ranges_file_replaces_prefixes() {
        let path = std::path::Path::new("../shared/data/aws-ip-ranges.json");
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("skipping: ../shared/data/aws-ip-ranges.json not present");
            return;
        };
        let mut c = ServiceCatalog::builtin().clone();
        let n = c.load_ip_ranges(&text).unwrap();
        assert!(n > 1000, "loaded only {n} prefixes");
        let s3 = c.service("ap-northeast-2", "s3").unwrap();
        assert!(s3.prefixes.contains(&"3.36.167.64/28".parse().unwrap()));
        assert!(c.regions().any(|r| r == "sa-east-1"));
    }

    #[test]
    fn malformed_ip_ranges_is_an_error_not_a_panic() {
        let mut c = ServiceCatalog::default();
        assert!(c.load_ip_ranges("{\"prefixes\": [").is_err());
    }
}
