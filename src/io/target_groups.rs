//! What a design file may say about `lambda` and `alb` target groups (M10, M11): the loader
//! refuses, with the place, what AWS would refuse — a target of the wrong kind (one the design
//! does not hold is another stack's, and kept), more than one,
//! an ALB in another VPC or a non-TCP alb group, and a listener that forwards to a group of a
//! type its load balancer cannot use. (A missing listener on the ALB is the trace's to say.)

use super::error::LoadError;
use crate::model::{ComputeKind, Design, LoadBalancerKind, Protocol, TargetType};
use std::path::Path;

/// The first problem, at the group's (or the load balancer's) `id:` in `text`.
pub fn validate(design: &Design, text: &str, file: &Path) -> Result<(), LoadError> {
    let at = |id: &str, message: String| {
        let (line, col) = super::native::locate_id(text, id, 1);
        Err(LoadError::at(file, line, col, message))
    };
    for tg in &design.target_groups {
        let Some(ty) = tg.target_type.filter(|t| t.kept()) else { continue };
        let (rule, what) = match ty {
            TargetType::Lambda => ("M10", "a Lambda function"),
            _ => ("M11", "an application load balancer"),
        };
        if tg.targets.len() > 1 {
            return at(
                &tg.id,
                format!(
                    "target group {} ({}) takes one target, {what}, not {} ({rule})",
                    tg.id,
                    ty.api_name(),
                    tg.targets.len()
                ),
            );
        }
        for t in &tg.targets {
            // A target the design does not hold at all is another stack's or account's (a
            // template names an ALB by ARN): kept; the trace says it cannot follow it.
            let fits = match ty {
                TargetType::Lambda => design.compute_service(&t.id).map(|c| c.kind == ComputeKind::LambdaFunction),
                _ => design.load_balancer(&t.id).map(|l| l.kind == LoadBalancerKind::Application),
            };
            let fits = fits.unwrap_or_else(|| design.find(&t.id).is_none() && design.find_service(&t.id).is_none());
            if !fits {
                return at(
                    &tg.id,
                    format!(
                        "target group {} ({}) registers '{}', which is not {what} ({rule})",
                        tg.id,
                        ty.api_name(),
                        t.id
                    ),
                );
            }
            if let Some(lb) = design.load_balancer(&t.id).filter(|l| ty == TargetType::Alb && l.vpc != tg.vpc) {
                return at(&tg.id, format!("target group {} is in {} and its load balancer {} in {}: an alb target group's load balancer is in its VPC (M11)", tg.id, tg.vpc, lb.id, lb.vpc));
            }
        }
        if ty == TargetType::Alb && tg.protocol != Protocol::Tcp {
            return at(
                &tg.id,
                format!(
                    "target group {} is an alb target group and forwards TCP only, not {} (M11)",
                    tg.id, tg.protocol
                ),
            );
        }
    }
    for lb in &design.load_balancers {
        for l in &lb.listeners {
            let Some(tg) = l.target_group.as_deref().and_then(|t| design.target_group(t)) else { continue };
            let bad = match tg.target_type {
                Some(TargetType::Lambda) if lb.kind != LoadBalancerKind::Application => {
                    "a lambda target group: only an application load balancer invokes Lambda functions (M10)"
                }
                Some(TargetType::Alb) if lb.kind != LoadBalancerKind::Network || l.protocol != Protocol::Tcp => {
                    "an alb target group: only a network load balancer's TCP listener forwards to it (M11)"
                }
                _ => continue,
            };
            return at(&lb.id, format!("load balancer {}'s listener {} forwards to {}, {bad}", lb.id, l.port, tg.id));
        }
    }
    Ok(())
}
