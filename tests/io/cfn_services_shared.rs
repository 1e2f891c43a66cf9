//! Issue 19, "done means": the public templates of `../shared/data/cfn` that hold load
//! balancers, databases or ECS services import them and trace as their authors meant. Of the
//! shared templates, three hold such resources: `awslabs-ecs-fargate-public-vpc` (a public ALB
//! in front of Fargate services, with a dummy target group that drops traffic until a service
//! registers), `seed-001-privatelink-lab` (an NLB behind an endpoint service) and
//! `aws-samples-privatelink-nlb-alb` (an NLB in front of an ALB given by ARN, and a Lambda
//! function without `VpcConfig`, which stays outside the network as AWS runs it).

use std::path::Path;
use vpcraft::io::cfn_import::{import_file, CfnImportOptions};
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;
use vpcraft::sim::{TraceIndex, TraceRequest, TraceResult};

const DIR: &str = "../shared/data/cfn";

fn import(name: &str) -> Option<(Design, vpcraft::io::ImportReport)> {
    let params = Path::new(DIR).join("params.json");
    let Ok(text) = std::fs::read_to_string(&params) else {
        crate::common::skip_unless_ci(&format!("{DIR} not present (the shared data folder is absent)"));
        return None;
    };
    let v: serde_json::Value = serde_json::from_str(&text).expect("params.json");
    let t = &v["templates"][name];
    let params = t["params"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    let opts = CfnImportOptions { region: t["region"].as_str().map(str::to_string), params };
    Some(import_file(&Path::new(DIR).join(name), &opts).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn trace(d: &Design, from: &str, to: &str, port: u16) -> TraceResult {
    let req = TraceRequest::parse(d, from, to, "tcp", Some(port), None).unwrap_or_else(|e| panic!("{e}"));
    TraceIndex::new(d).trace(&req)
}

fn explain(r: &TraceResult) -> String {
    vpcraft::sim::render_text(r)
}

/// Every resource of a kind the issue lists is imported: the report skips none of them.
fn nothing_managed_skipped(r: &vpcraft::io::ImportReport) {
    for t in [
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::RDS::DBInstance",
        "AWS::ECS::Service",
    ] {
        assert!(!r.mentions(t), "{t} is reported: {r}");
    }
}

#[test]
fn the_fargate_public_vpc_alb_takes_internet_traffic_and_drops_it_until_a_service_registers() {
    let Some((d, r)) = import("awslabs-ecs-fargate-public-vpc.yaml") else { return };
    nothing_managed_skipped(&r);
    let lb = d.load_balancers.iter().find(|l| l.name == "PublicLoadBalancer").expect("the ALB is imported");
    assert_eq!((lb.kind, lb.scheme), (LoadBalancerKind::Application, LoadBalancerScheme::InternetFacing));
    assert_eq!(lb.nodes.len(), 2, "one node per public subnet");
    let (lb_id, lb_sg) = (lb.id.clone(), lb.security_groups.clone());
    assert_eq!(lb_sg, vec!["sg-PublicLoadBalancerSG".to_string()]);

    // "A dummy target group is used to setup the ALB to just drop traffic initially": the
    // internet reaches the load balancer through its group, and it has nowhere to send it.
    let r = trace(&d, "internet", &lb_id, 80);
    assert_eq!(r.code.map(|c| c.as_str()), Some("ELBV2_NO_TARGETS_IN_AZ"), "{}", explain(&r));
    let stop = r.forward.last().expect("hops");
    assert_eq!(stop.component.id, lb_id);
    assert!(r.forward.iter().any(|h| h.component.id == "sg-PublicLoadBalancerSG"), "{}", explain(&r));

    // A Fargate service in the public subnets, in the containers' group, with public IPs,
    // registered in the target group: what the template is the base for.
    let mut b = DesignBuilder { design: d };
    let subnets: Vec<(Id, String)> = ["PublicSubnetOne", "PublicSubnetTwo"]
        .iter()
        .map(|n| {
            let s = b.design.subnets.iter().find(|s| s.name == *n).expect("subnet");
            let base = s.cidr.map(|c| c.to_string()).unwrap_or_default();
            let ip = base.split('/').next().unwrap_or_default().rsplit_once('.').map(|(a, _)| format!("{a}.100"));
            (s.id.clone(), ip.unwrap_or_default())
        })
        .collect();
    let nics: Vec<(&str, &str)> = subnets.iter().map(|(s, a)| (s.as_str(), a.as_str())).collect();
    let kind = ComputeKind::EcsService {
        cluster: "ECSCluster".into(),
        launch_type: LaunchType::Fargate,
        assign_public_ip: true,
        desired_count: 2,
        load_balancers: vec![EcsLoadBalancer { target_group: "tg-DummyTargetGroupPublic".into(), container_port: 80 }],
    };
    let svc = b.compute(kind, "web", &nics, &["sg-FargateContainerSecurityGroup"]);
    let c = b.design.compute_services.iter_mut().find(|c| c.id == svc).expect("service");
    for (k, i) in c.interfaces.iter_mut().enumerate() {
        i.public_ip = Some(std::net::Ipv4Addr::new(203, 0, 113, 200 + k as u8));
    }
    let d = b.design;
    let r = trace(&d, "internet", &lb_id, 80);
    assert!(r.delivered(), "{}", explain(&r));
    assert_eq!(r.forward.last().map(|h| h.component.id.as_str()), Some(svc.as_str()), "{}", explain(&r));
    // "If you want to make direct requests to a container using its public IP address you'll
    // need to add a security group rule": without one, the task's own address is closed.
    let r = trace(&d, "internet", "203.0.113.200", 80);
    assert_eq!(r.code.map(|c| c.as_str()), Some("ENI_SG_RULES_MISMATCH"), "{}", explain(&r));
    // And the audit sees the load balancer exposed on its listener, not the tasks.
    let found = vpcraft::sim::audit::audit(&d);
    assert!(found.iter().any(|f| f.code == "EXPOSED_TO_INTERNET" && f.resources[0] == lb_id), "{found:#?}");
    assert!(!found.iter().any(|f| f.code.starts_with("EXPOSED_") && f.resources[0] == svc), "{found:#?}");
}

#[test]
fn the_privatelink_templates_bring_their_load_balancers() {
    // The lab: a consumer reaches the provider's web servers through the endpoint service's NLB.
    let Some((d, r)) = import("seed-001-privatelink-lab.yaml") else { return };
    nothing_managed_skipped(&r);
    assert_eq!(d.load_balancers.len(), 1);
    assert_eq!(d.load_balancers[0].kind, LoadBalancerKind::Network);
    assert!(d.load_balancers[0].listeners.iter().all(|l| l.target_group.is_some()));

    // The NLB in front of an ALB given by ARN: the NLB and its ALB-type target group import;
    // the Lambda function has no VpcConfig, so AWS runs it outside every VPC and it stays
    // reported as a resource vpcraft does not model.
    let Some((d, r)) = import("aws-samples-privatelink-nlb-alb.yaml") else { return };
    nothing_managed_skipped(&r);
    assert!(r.mentions("AWS::Lambda::Function"), "{r}");
    assert!(d.compute_services.is_empty());
    assert_eq!(d.load_balancers.iter().filter(|l| l.kind == LoadBalancerKind::Network).count(), 1);
}
