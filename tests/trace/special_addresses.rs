//! Addresses the internet does not route never count as delivered (I4, X1).

use vpcraft::sim::{trace, TraceRequest};

fn verdict(from: &str, to: &str) -> (String, Option<&'static str>) {
    let d = vpcraft::assets::example("custom-vpc").unwrap();
    let req = TraceRequest::parse(&d, from, to, "tcp", Some(80), None).unwrap();
    let r = trace(&d, &req);
    (r.verdict.to_string(), r.code.map(|c| c.as_str()))
}

#[test]
fn i4_non_unicast_destinations_do_not_leave_through_the_igw() {
    for dst in ["127.0.0.1", "224.0.0.1", "255.255.255.255", "0.0.0.0", "240.1.2.3"] {
        let (v, code) = verdict("my-pub-ec2", dst);
        assert_eq!(v, "dropped", "{dst}");
        assert_eq!(code, Some("NO_POSSIBLE_DESTINATION"), "{dst}");
    }
    assert_eq!(verdict("my-pub-ec2", "60.1.1.1").0, "delivered");
}

#[test]
fn x1_i4_the_internet_does_not_reach_private_or_link_local_addresses() {
    for dst in ["169.254.169.254", "192.168.1.1", "100.64.0.1"] {
        let (v, _) = verdict("internet", dst);
        assert_eq!(v, "dropped", "{dst}");
    }
}
