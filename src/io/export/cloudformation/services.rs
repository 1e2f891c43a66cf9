//! Managed services as CloudFormation: classic load balancers (M6).

use super::{name_tag, Cfn};
use crate::model::*;
use serde_json::{json, Value};

/// `AWS::ElasticLoadBalancing::LoadBalancer`: its listeners' target groups fold back into
/// `Listeners` (port → instance port) and `Instances` (M6).
pub(super) fn classic_load_balancer(cx: &mut Cfn, lb: &LoadBalancer, logical: &str) {
    let d = cx.d;
    let subnets: Vec<Value> = lb.nodes.iter().map(|n| cx.r(&n.subnet)).collect();
    let mut p = json!({ "Subnets": subnets, "Tags": name_tag(&lb.name) });
    if lb.scheme == LoadBalancerScheme::Internal {
        p["Scheme"] = json!("internal");
    }
    if !lb.security_groups.is_empty() {
        p["SecurityGroups"] = json!(lb.security_groups.iter().map(|g| cx.r(g)).collect::<Vec<_>>());
    }
    let listeners: Vec<Value> = lb
        .listeners
        .iter()
        .map(|li| {
            let instance_port = li.target_group.as_deref().and_then(|t| d.target_group(t)).map_or(li.port, |t| t.port);
            let protocol = if li.protocol == Protocol::Udp { "UDP" } else { "TCP" };
            json!({
                "LoadBalancerPort": li.port.to_string(),
                "InstancePort": instance_port.to_string(),
                "Protocol": protocol,
            })
        })
        .collect();
    p["Listeners"] = json!(listeners);
    let instances: Vec<Value> = d.classic_instances(lb).into_iter().map(|i| cx.r(i)).collect();
    if !instances.is_empty() {
        p["Instances"] = json!(instances);
    }
    cx.add(logical, "AWS::ElasticLoadBalancing::LoadBalancer", p);
}

/// Logical ids for the managed services of the exported VPCs, after the design's resources.
pub(super) fn assign_ids(cx: &mut Cfn) {
    let d = cx.d;
    for p in ["LambdaRoleArn", "EcsTaskDefinitionArn", "EksRoleArn"] {
        cx.plan.names.reserve(p);
    }
    for s in d.services() {
        if cx.plan.in_scope(s.vpc()) {
            let word = match s {
                Service::Database(_) => "Database",
                Service::SubnetGroup(_) => "SubnetGroup",
                Service::Compute(c) => match c.kind {
                    ComputeKind::LambdaFunction => "Function",
                    ComputeKind::EcsService { .. } => "Service",
                    ComputeKind::EksCluster { .. } => "Cluster",
                },
            };
            cx.plan.names.assign(s.id(), s.name(), word);
        }
    }
}

fn refs(cx: &Cfn, ids: &[Id]) -> Value {
    json!(ids.iter().map(|i| cx.r(i)).collect::<Vec<_>>())
}

/// A parameter the template needs but the design does not hold (an IAM role, a task
/// definition), declared once.
fn parameter(cx: &mut Cfn, name: &str, description: &str) -> Value {
    if !cx.parameters.contains_key(name) {
        // Empty by default: the stack fails to create until it is given.
        cx.parameters.insert(name.into(), json!({ "Type": "String", "Default": "", "Description": description }));
        cx.note(format!("the design holds no {description}: pass it as parameter {name}"));
    }
    json!({ "Ref": name })
}

/// Every managed service of the exported VPCs: subnet groups, databases, compute (M1–M9).
pub(super) fn export(cx: &mut Cfn) {
    let d = cx.d;
    for g in &d.db_subnet_groups {
        let Some(logical) = cx.plan.name(&g.id).map(str::to_string) else { continue };
        let description = if g.description.is_empty() { g.name.clone() } else { g.description.clone() };
        let subnets = refs(cx, &g.subnets);
        let (ty, p) = match g.service {
            DatabaseService::ElastiCache => {
                ("AWS::ElastiCache::SubnetGroup", json!({ "Description": description, "SubnetIds": subnets }))
            }
            DatabaseService::Redshift => {
                ("AWS::Redshift::ClusterSubnetGroup", json!({ "Description": description, "SubnetIds": subnets }))
            }
            DatabaseService::Neptune => (
                "AWS::Neptune::DBSubnetGroup",
                json!({ "DBSubnetGroupDescription": description, "SubnetIds": subnets }),
            ),
            DatabaseService::DocumentDb => {
                ("AWS::DocDB::DBSubnetGroup", json!({ "DBSubnetGroupDescription": description, "SubnetIds": subnets }))
            }
            _ => ("AWS::RDS::DBSubnetGroup", json!({ "DBSubnetGroupDescription": description, "SubnetIds": subnets })),
        };
        cx.add(&logical, ty, p);
    }
    for db in &d.databases {
        database(cx, db);
    }
    for c in &d.compute_services {
        compute(cx, c);
    }
}

fn database(cx: &mut Cfn, db: &Database) {
    let Some(logical) = cx.plan.name(&db.id).map(str::to_string) else { return };
    let group = db.subnet_group.as_deref().map(|g| cx.r(g)).unwrap_or(Value::Null);
    let sgs = refs(cx, &db.security_groups);
    let port = db.port.map(|p| json!(p));
    let engine = db.engine().to_string();
    let members = db.interfaces.len().max(1);
    let mut p = match db.service {
        DatabaseService::Rds => json!({
            "DBInstanceIdentifier": db.name, "Engine": engine, "DBInstanceClass": "db.t3.micro",
            "AllocatedStorage": "20", "MasterUsername": "admin", "ManageMasterUserPassword": true,
            "PubliclyAccessible": db.publicly_accessible, "MultiAZ": db.multi_az,
            "DBSubnetGroupName": group, "VPCSecurityGroups": sgs,
        }),
        DatabaseService::Aurora | DatabaseService::Neptune | DatabaseService::DocumentDb => {
            let mut p = json!({
                "DBClusterIdentifier": db.name, "DBSubnetGroupName": group, "VpcSecurityGroupIds": sgs,
            });
            if db.service != DatabaseService::Neptune {
                p["Engine"] = json!(engine);
                p["MasterUsername"] = json!("admin");
                if db.service == DatabaseService::Aurora {
                    p["ManageMasterUserPassword"] = json!(true);
                }
            }
            p
        }
        DatabaseService::ElastiCache if engine == "memcached" => json!({
            "ClusterName": db.name, "Engine": engine, "CacheNodeType": "cache.t3.micro",
            "NumCacheNodes": members, "CacheSubnetGroupName": group, "VpcSecurityGroupIds": sgs,
        }),
        DatabaseService::ElastiCache => json!({
            "ReplicationGroupId": db.name, "ReplicationGroupDescription": db.name, "Engine": engine,
            "CacheNodeType": "cache.t3.micro", "NumCacheClusters": members,
            "CacheSubnetGroupName": group, "SecurityGroupIds": sgs,
        }),
        DatabaseService::Redshift => json!({
            "ClusterIdentifier": db.name, "ClusterType": "single-node", "NodeType": "ra3.large", "DBName": "dev",
            "MasterUsername": "admin", "ManageMasterPassword": true, "PubliclyAccessible": db.publicly_accessible,
            "ClusterSubnetGroupName": group, "VpcSecurityGroupIds": sgs,
        }),
        DatabaseService::OpenSearch => json!({
            "DomainName": super::super::sanitize_identifier(&db.name, true, "domain").to_ascii_lowercase(),
            "VPCOptions": { "SubnetIds": refs(cx, &db.subnets), "SecurityGroupIds": sgs },
        }),
    };
    if let (Some(port), Some(o)) = (port, p.as_object_mut()) {
        if db.service != DatabaseService::OpenSearch {
            o.insert("Port".into(), port);
        }
    }
    if let Some(o) = p.as_object_mut() {
        o.retain(|_, v| !v.is_null());
    }
    let ty = match db.service {
        DatabaseService::Rds => "AWS::RDS::DBInstance",
        DatabaseService::Aurora => "AWS::RDS::DBCluster",
        DatabaseService::Neptune => "AWS::Neptune::DBCluster",
        DatabaseService::DocumentDb => "AWS::DocDB::DBCluster",
        DatabaseService::ElastiCache if engine == "memcached" => "AWS::ElastiCache::CacheCluster",
        DatabaseService::ElastiCache => "AWS::ElastiCache::ReplicationGroup",
        DatabaseService::Redshift => "AWS::Redshift::Cluster",
        DatabaseService::OpenSearch => "AWS::OpenSearchService::Domain",
    };
    cx.add(&logical, ty, p);
    // A cluster's interfaces are its DB instances (M1), each in the zone of its interface.
    let member = match db.service {
        DatabaseService::Aurora => Some("AWS::RDS::DBInstance"),
        DatabaseService::Neptune => Some("AWS::Neptune::DBInstance"),
        DatabaseService::DocumentDb => Some("AWS::DocDB::DBInstance"),
        _ => None,
    };
    if let Some(ty) = member {
        for (k, i) in db.interfaces.iter().enumerate() {
            let l =
                cx.plan.names.assign(&format!("{}#{k}", db.id), &format!("{}Instance{}", logical, k + 1), "Instance");
            let mut p = json!({
                "DBClusterIdentifier": { "Ref": logical }, "DBInstanceClass": "db.r6g.large",
            });
            if db.service == DatabaseService::Aurora {
                p["Engine"] = json!(engine);
                p["PubliclyAccessible"] = json!(db.publicly_accessible);
            }
            if let Some(s) = cx.d.subnet(&i.subnet) {
                p["AvailabilityZone"] = json!(s.az);
            }
            cx.add(&l, ty, p);
        }
    }
}

fn compute(cx: &mut Cfn, c: &ComputeService) {
    let Some(logical) = cx.plan.name(&c.id).map(str::to_string) else { return };
    let subnets = refs(cx, &c.subnets);
    let sgs = refs(cx, &c.security_groups);
    match &c.kind {
        ComputeKind::LambdaFunction => {
            let role = parameter(cx, "LambdaRoleArn", "the execution role of the Lambda functions");
            let p = json!({
                "FunctionName": c.name, "Runtime": "python3.12", "Handler": "index.handler", "Role": role,
                "Code": { "ZipFile": "def handler(event, context):\n    return None\n" },
                "VpcConfig": { "SubnetIds": subnets, "SecurityGroupIds": sgs },
            });
            cx.add(&logical, "AWS::Lambda::Function", p);
        }
        ComputeKind::EcsService { cluster, launch_type, assign_public_ip, desired_count, load_balancers } => {
            let task = parameter(cx, "EcsTaskDefinitionArn", "the task definition the ECS services run");
            let lbs: Vec<Value> = load_balancers
                .iter()
                .map(|l| json!({ "ContainerName": "app", "ContainerPort": l.container_port, "TargetGroupArn": cx.r(&l.target_group) }))
                .collect();
            let mut p = json!({
                "ServiceName": c.name,
                "Cluster": if cluster.is_empty() { "default" } else { cluster.as_str() },
                "LaunchType": if *launch_type == LaunchType::Ec2 { "EC2" } else { "FARGATE" },
                "DesiredCount": desired_count, "TaskDefinition": task,
                "NetworkConfiguration": { "AwsvpcConfiguration": {
                    "AssignPublicIp": if *assign_public_ip { "ENABLED" } else { "DISABLED" },
                    "Subnets": subnets, "SecurityGroups": sgs,
                } },
            });
            if !lbs.is_empty() {
                p["LoadBalancers"] = json!(lbs);
            }
            cx.add(&logical, "AWS::ECS::Service", p);
        }
        ComputeKind::EksCluster { endpoint_public_access, endpoint_private_access, public_access_cidrs, .. } => {
            let role = parameter(cx, "EksRoleArn", "the service role of the EKS clusters");
            let mut vc = json!({
                "SubnetIds": subnets, "SecurityGroupIds": sgs,
                "EndpointPublicAccess": endpoint_public_access, "EndpointPrivateAccess": endpoint_private_access,
            });
            if !public_access_cidrs.is_empty() {
                vc["PublicAccessCidrs"] = json!(public_access_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>());
            }
            cx.add(&logical, "AWS::EKS::Cluster", json!({ "Name": c.name, "RoleArn": role, "ResourcesVpcConfig": vc }));
        }
    }
}
