//! How the engine names things in its decisions: flows, destinations, route targets, and the
//! components at the edge of a design (internet, AWS services, on premises); and how a walk
//! becomes a [`TraceResult`].

use super::*;

/// `10.0.0.10:49152 → 60.1.1.1:80 tcp`.
pub(crate) fn flow_text(h: &Header) -> String {
    h.to_string()
}

/// `60.1.1.1:80`, or the address alone without ports.
pub(crate) fn dst_text(h: &Header) -> String {
    match h.dst_port {
        Some(p) => crate::sim::result::socket_text(h.dst, p),
        None => h.dst.to_string(),
    }
}

/// The internet host, or the AWS service, at a public address.
pub(crate) fn internet_component(ix: &TraceIndex<'_>, ip: IpAddr) -> Component {
    if let Some(c) = ix.eks_public_endpoint(ip) {
        return ix.owner_component(crate::sim::managed::Owner::Compute(c));
    }
    match ix.service_owning(ip) {
        Some(_) => service_component(ix, ip),
        None => Component::new(ComponentKind::Internet, ip.to_string(), "internet host"),
    }
}

/// The AWS service at a public address.
pub(crate) fn service_component(ix: &TraceIndex<'_>, ip: IpAddr) -> Component {
    match ix.service_owning(ip) {
        Some(s) => Component::new(ComponentKind::AwsService, s.service_name.clone(), s.dns_name.clone()),
        None => Component::new(ComponentKind::AwsService, ip.to_string(), "AWS service"),
    }
}

/// The AWS service an interface endpoint connects to.
pub(crate) fn endpoint_service_component(ix: &TraceIndex<'_>, e: usize) -> Component {
    let name = ix.endpoint_service_name(e);
    match ix.service_named(name) {
        Some(s) => Component::new(ComponentKind::AwsService, s.service_name.clone(), s.dns_name.clone()),
        None => Component::new(ComponentKind::AwsService, name.to_string(), name.to_string()),
    }
}

pub(crate) fn on_premises_component(ip: IpAddr) -> Component {
    Component::new(ComponentKind::OnPremises, ip.to_string(), "on-premises host")
}

/// Assemble the result of a forward walk and its reply.
pub(crate) fn finish(
    forward: Walk<'_, '_>,
    fwd_flow: Flow,
    reply: Option<(Walk<'_, '_>, Flow)>,
    unresolved: Option<(Disposition, Code, crate::l10n::Text)>,
) -> TraceResult {
    let mut blockers = forward.blockers;
    let mut pending = forward.pending;
    let mut fwd_hops = forward.hops;
    if let Some((disposition, code, reason)) = unresolved {
        blockers.append(&mut pending);
        return TraceResult {
            verdict: Verdict::Dropped,
            disposition,
            code: Some(code),
            reason: Some(reason.into()),
            forward: fwd_hops,
            return_path: Vec::new(),
            blockers,
            hypothetical: Vec::new(),
        };
    }
    if let Some(d) = forward.first_drop {
        fwd_hops.truncate(d.hop + 1);
        if let Some((rw, _)) = reply {
            blockers.extend(rw.blockers);
        }
        blockers.append(&mut pending);
        blockers.sort_by_key(|b| b.step);
        return TraceResult {
            verdict: Verdict::Dropped,
            disposition: d.disposition,
            code: Some(d.code),
            reason: Some(d.reason),
            forward: fwd_hops,
            return_path: Vec::new(),
            blockers,
            hypothetical: Vec::new(),
        };
    }
    let Some((fin, _)) = fwd_flow else {
        return TraceResult {
            verdict: Verdict::Dropped,
            disposition: Disposition::InsufficientInfo,
            code: Some(Code::UnknownDestination),
            reason: Some(crate::text!("the design does not say where the packet goes").into()),
            forward: fwd_hops,
            return_path: Vec::new(),
            blockers,
            hypothetical: Vec::new(),
        };
    };
    let Some((rw, _rflow)) = reply else {
        return TraceResult {
            verdict: Verdict::Delivered,
            disposition: fin.disposition(),
            code: None,
            reason: None,
            forward: fwd_hops,
            return_path: Vec::new(),
            blockers,
            hypothetical: Vec::new(),
        };
    };
    let mut ret_hops = rw.hops;
    if let Some(d) = rw.first_drop {
        ret_hops.truncate(d.hop + 1);
        blockers.extend(rw.blockers);
        blockers.append(&mut pending);
        blockers.sort_by_key(|b| b.step);
        return TraceResult {
            verdict: Verdict::Dropped,
            disposition: d.disposition,
            code: Some(d.code),
            reason: Some(d.reason),
            forward: fwd_hops,
            return_path: ret_hops,
            blockers,
            hypothetical: Vec::new(),
        };
    }
    TraceResult {
        verdict: Verdict::Delivered,
        disposition: fin.disposition(),
        code: None,
        reason: None,
        forward: fwd_hops,
        return_path: ret_hops,
        blockers,
        hypothetical: Vec::new(),
    }
}
