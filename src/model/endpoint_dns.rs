//! The DNS names AWS gives an interface endpoint (E5).

use super::VpcEndpoint;

impl VpcEndpoint {
    /// The service part of the endpoint-specific names: the short name of an AWS service
    /// (`cloudformation`), or the `vpce-svc-…` id of an endpoint service.
    pub fn service_label(&self) -> String {
        let parts: Vec<&str> = self.service_name.split('.').collect();
        if self.service_name.starts_with("com.amazonaws.vpce.") {
            return parts.last().map(|s| s.to_string()).unwrap_or_default();
        }
        // com.amazonaws.<region>.<short…>
        if parts.len() > 3 && parts[0] == "com" && parts[1] == "amazonaws" {
            return parts[3..].join(".");
        }
        self.service_name.clone()
    }

    /// `vpce-<id>-<suffix>.<service>.<region>.vpce.amazonaws.com` (E5).
    pub fn regional_dns_name(&self, region: &str) -> String {
        format!("{}-{}.{}.{region}.vpce.amazonaws.com", self.id, self.dns_suffix, self.service_label())
    }

    /// `vpce-<id>-<suffix>-<az>.<service>.<region>.vpce.amazonaws.com` (E5).
    pub fn zonal_dns_name(&self, region: &str, az: &str) -> String {
        format!("{}-{}-{az}.{}.{region}.vpce.amazonaws.com", self.id, self.dns_suffix, self.service_label())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::builder::DesignBuilder;

    #[test]
    fn e5_names() {
        let mut b = DesignBuilder::new("t", "ap-northeast-2");
        let v = b.vpc("v", "10.0.0.0/16");
        let s = b.subnet(&v, "s", "10.0.1.0/24", "a");
        let e =
            b.interface_endpoint(&v, "com.amazonaws.ap-northeast-2.cloudformation", &[(&s, "10.0.1.50")], &[], true);
        let ep = b.design.endpoint(&e).unwrap();
        let r = ep.regional_dns_name("ap-northeast-2");
        assert!(r.starts_with("vpce-0001-") && r.ends_with(".cloudformation.ap-northeast-2.vpce.amazonaws.com"), "{r}");
        assert!(ep.zonal_dns_name("ap-northeast-2", "ap-northeast-2a").contains("-ap-northeast-2a.cloudformation."));
    }
}
