//! Regenerates the built-in example designs in `assets/examples/` from code.
//!
//! Run with `cargo run --example make_builtin_examples`. The RON files are what ships (they
//! are embedded in the binary); this program is how they were made and how to remake them
//! after a model change.

use vpcraft::io::native::save_file;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

fn custom_vpc() -> Design {
    // Seed 000: the six-step custom VPC, 10.39.0.0/16 with eight /20 subnets over four AZs.
    let mut b = DesignBuilder::new("custom-vpc", "ap-northeast-2");
    b.design.description = "A custom VPC built in the six-step order: VPC, subnets, internet gateway, route tables, network ACL, security group. Public and private /20s over AZs a-d.".into();
    let vpc = b.vpc("my-vpc", "10.39.0.0/16");
    let mut pubs = Vec::new();
    let mut pvts = Vec::new();
    for (i, az) in ["a", "b", "c", "d"].iter().enumerate() {
        pubs.push(b.subnet(&vpc, &format!("my-pub-2{az}"), &format!("10.39.{}.0/20", i * 16), az));
    }
    for (i, az) in ["a", "b", "c", "d"].iter().enumerate() {
        pvts.push(b.subnet(&vpc, &format!("my-pvt-2{az}"), &format!("10.39.{}.0/20", 64 + i * 16), az));
    }
    for s in &pubs {
        if let Some(sn) = b.design.subnets.iter_mut().find(|x| &x.id == s) {
            sn.map_public_ip_on_launch = true;
        }
    }
    let igw = b.igw(&vpc, "my-igw");
    let main = b.main_route_table(&vpc);
    if let Some(rt) = b.design.route_tables.iter_mut().find(|r| r.id == main) {
        rt.name = "my-pvt-rt".into();
    }
    let pub_rt = b.route_table(&vpc, "my-pub-rt");
    b.route(&pub_rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    for s in &pubs {
        b.associate(&pub_rt, s);
    }
    for s in &pvts {
        b.associate(&main, s);
    }
    let sg = b.security_group(&vpc, "my-web-sg");
    b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    b.allow_in_tcp(&sg, 80, "0.0.0.0/0");
    b.allow_in(
        &sg,
        SgRule {
            protocol: Protocol::Icmp,
            ports: PortSpec::Icmp { icmp_type: None, code: None },
            peer: SgPeer::Cidr("10.39.0.0/16".parse().unwrap()),
            description: "ping inside the VPC".into(),
        },
    );
    let web = b.instance(&pubs[0], "my-pub-ec2", "10.39.0.10", &[&sg]);
    b.public_ip(&web, "13.125.39.10");
    b.instance(&pvts[0], "my-pvt-ec2", "10.39.64.10", &[&sg]);
    b.build()
}

fn endpoint_lab() -> Design {
    // Seed 001, CloudFormation lab 1: names are the template's logical ids so the same
    // commands work on the native design and on the imported template.
    let mut b = DesignBuilder::new("endpoint-lab", "ap-northeast-2");
    b.design.description = "Gateway and interface endpoints: a public and a private instance in 10.10.0.0/16. The private one cannot reach S3 until a gateway endpoint is added.".into();
    let vpc = b.vpc("jhVPC", "10.10.0.0/16");
    if let Some(v) = b.design.vpcs.iter_mut().find(|v| v.id == vpc) {
        v.enable_dns_hostnames = false;
    }
    let igw = b.igw(&vpc, "jhIGW");
    let pub_rt = b.route_table(&vpc, "jhPublicRT");
    b.route(&pub_rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    let pvt_rt = b.route_table(&vpc, "jhPrivateRT");
    let pub_sn = b.subnet(&vpc, "jhPublicSN", "10.10.0.0/24", "a");
    let pvt_sn = b.subnet(&vpc, "jhPrivateSN", "10.10.1.0/24", "c");
    b.associate(&pub_rt, &pub_sn);
    b.associate(&pvt_rt, &pvt_sn);
    let sg = b.security_group(&vpc, "jhSecurityGroup");
    b.allow_in_tcp(&sg, 80, "0.0.0.0/0");
    b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    let p = b.instance(&pub_sn, "jhPublicEC2", "10.10.0.10", &[&sg]);
    b.public_ip(&p, "3.35.10.10");
    b.instance(&pvt_sn, "jhPrivateEC2", "10.10.1.10", &[&sg]);
    b.build()
}

fn privatelink_lab() -> Design {
    // Seed 001, CloudFormation lab 2: a consumer VPC reaches two web servers behind an NLB in
    // a provider VPC through an endpoint service.
    let mut b = DesignBuilder::new("privatelink-lab", "ap-northeast-2");
    b.design.description = "PrivateLink: jhVPC (10.10.0.0/16) consumes an endpoint service that jhCustomVPC (20.20.0.0/16) offers through an internet-facing NLB in front of two web servers.".into();
    let vpc = b.vpc("jhVPC", "10.10.0.0/16");
    let cvpc = b.vpc("jhCustomVPC", "20.20.0.0/16");
    let igw = b.igw(&vpc, "jhIGW");
    let cigw = b.igw(&cvpc, "jhCustomIGW");
    let rt = b.route_table(&vpc, "jhPublicRT");
    b.route(&rt, "0.0.0.0/0", RouteTarget::InternetGateway(igw));
    let crt = b.route_table(&cvpc, "jhCustomPublicRT");
    b.route(&crt, "0.0.0.0/0", RouteTarget::InternetGateway(cigw));
    let sn = b.subnet(&vpc, "jhPublicSN", "10.10.0.0/24", "a");
    let csn = b.subnet(&cvpc, "jhCustomPublicSN", "20.20.0.0/24", "a");
    b.associate(&rt, &sn);
    b.associate(&crt, &csn);
    let sg = b.security_group(&vpc, "jhWebSG");
    b.allow_in_tcp(&sg, 80, "0.0.0.0/0");
    b.allow_in_tcp(&sg, 22, "0.0.0.0/0");
    let csg = b.security_group(&cvpc, "jhCustomWebSG");
    b.allow_in_tcp(&csg, 80, "0.0.0.0/0");
    b.allow_in_tcp(&csg, 22, "0.0.0.0/0");
    let ec2 = b.instance(&sn, "jhEC2", "10.10.0.10", &[&sg]);
    b.public_ip(&ec2, "3.35.20.10");
    let w1 = b.instance(&csn, "jhCustomWeb1EC2", "20.20.0.11", &[&csg]);
    b.public_ip(&w1, "3.35.20.11");
    let w2 = b.instance(&csn, "jhCustomWeb2EC2", "20.20.0.12", &[&csg]);
    b.public_ip(&w2, "3.35.20.12");
    let d = &mut b.design;
    let tg = d.new_id(ResourceKind::TargetGroup);
    d.target_groups.push(TargetGroup {
        id: tg.clone(),
        name: "jhCustomNLBTG".into(),
        vpc: cvpc.clone(),
        protocol: Protocol::Tcp,
        port: 80,
        targets: vec![Target { id: w1, port: Some(80) }, Target { id: w2, port: Some(80) }],
        appliance: Default::default(),
        target_type: None,
    });
    let nlb = d.new_id(ResourceKind::LoadBalancer);
    d.load_balancers.push(LoadBalancer {
        id: nlb.clone(),
        name: "jhCustomNLB".into(),
        vpc: cvpc.clone(),
        kind: LoadBalancerKind::Network,
        scheme: LoadBalancerScheme::InternetFacing,
        nodes: vec![LoadBalancerNode {
            subnet: csn.clone(),
            private_ip: "20.20.0.100".parse().unwrap(),
            public_ip: Some("3.35.20.100".parse().unwrap()),
            placeholder: false,
        }],
        security_groups: Vec::new(),
        listeners: vec![Listener { port: 80, protocol: Protocol::Tcp, target_group: Some(tg) }],
        dns_name: "jhCustomNLB-0123456789.elb.ap-northeast-2.amazonaws.com".into(),
    });
    let svc = d.new_id(ResourceKind::EndpointService);
    let service_name = format!("com.amazonaws.vpce.ap-northeast-2.{svc}");
    d.endpoint_services.push(EndpointService {
        id: svc,
        name: "jhEndpointService".into(),
        service_name: service_name.clone(),
        region: "ap-northeast-2".into(),
        load_balancers: vec![nlb],
        acceptance_required: true,
        allowed_principals: Vec::new(),
    });
    let esg = b.security_group(&vpc, "jhEndpointSG");
    b.allow_in_tcp(&esg, 80, "10.10.0.0/16");
    let ep = b.interface_endpoint(&vpc, &service_name, &[(&sn, "10.10.0.50")], &[&esg], false);
    if let Some(e) = b.design.endpoints.iter_mut().find(|e| e.id == ep) {
        e.name = "jhServiceEndpoint".into();
    }
    b.build()
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    for (file, d) in [
        ("custom-vpc.ron", custom_vpc()),
        ("endpoint-lab.ron", endpoint_lab()),
        ("privatelink-lab.ron", privatelink_lab()),
    ] {
        let path = dir.join(file);
        save_file(&d, &path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = std::fs::remove_file(dir.join(format!("{file}.bak")));
        println!("wrote {}", path.display());
    }
}
