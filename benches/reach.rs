//! Whole-network answers on a generated 1000-VPC design (6,000 subnets): the full subnet ×
//! (subnets + internet + services) matrix for one port (36 M pairs), with a pass over every
//! cell; the audit; the diff of two such designs; and the matrix recomputed after one edit
//! (what the terminal app's what-if needs), and the what-if itself as the app runs it after an
//! edit: what changed, the matrix recomputed on its two ports, and the flows opened and closed.
//!
//! Take figures with `cargo bench --bench reach -- --warm-up-time 1 --measurement-time 3`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Instant;
use vpcraft::app::reach::whatif;
use vpcraft::model::gen::generate;
use vpcraft::model::{Design, RouteTarget};
use vpcraft::sim::audit::audit;
use vpcraft::sim::diff::{diff, flow_changes, resource_changes};
use vpcraft::sim::reach::{compute, Change, ReachOptions};

const VPCS: usize = 1000;

/// One edit: VPC 500's first private table loses its route to the NAT gateway.
fn edited(d: &Design) -> (Design, String) {
    let mut new = d.clone();
    let t = new
        .route_tables
        .iter_mut()
        .find(|t| t.vpc == "vpc-00500" && t.routes.iter().any(|r| matches!(r.target, RouteTarget::NatGateway(_))))
        .expect("a private table");
    t.routes.retain(|r| !matches!(r.target, RouteTarget::NatGateway(_)));
    let id = t.id.clone();
    (new, id)
}

/// What the app's what-if does after an edit: the resources that changed, the matrix of the
/// new design from the old one, and the cells whose verdict changed.
fn what_if(old: &Design, new: &Design, before: &vpcraft::sim::reach::Matrix) -> (usize, usize) {
    let change = Change::between(old, new, &resource_changes(old, new));
    let after = before.recompute(new, &whatif::options(new), &change).expect("recomputed");
    let (opened, closed) = flow_changes(before, &after);
    (opened.len(), closed.len())
}

fn bench(c: &mut Criterion) {
    let d = generate(VPCS, 42);
    let o = ReachOptions::defaults(&d);
    let t = Instant::now();
    let m = compute(&d, &o).expect("matrix");
    let first = t.elapsed();
    let (rows, cols, _) = m.shape();
    let (delivered, dropped) = m.counts(0);
    eprintln!(
        "reach on {VPCS} VPCs: {rows} × {cols} = {} cells ({delivered} delivered, {dropped} dropped) from {} traces; first run {first:?}",
        rows * cols,
        m.traced
    );
    let (new, rt) = edited(&d);
    let change = Change::of_ids(&d, &new, &[rt.as_str()]);
    let t = Instant::now();
    let m2 = m.recompute(&new, &o, &change).expect("recomputed");
    eprintln!("one edit: recomputed in {:?} with {} new traces", t.elapsed(), m2.traced);

    let wo = whatif::options(&d);
    let before = compute(&d, &wo).expect("what-if matrix");
    let t = Instant::now();
    let (opened, closed) = what_if(&d, &new, &before);
    eprintln!("what-if after one edit: {opened} opened, {closed} closed in {:?}", t.elapsed());

    let mut g = c.benchmark_group("reach");
    // Measurement and warm-up times come from the command line.
    g.sample_size(10);
    g.bench_function("matrix_1000_vpcs_one_port", |b| {
        b.iter(|| {
            let m = compute(black_box(&d), black_box(&o)).expect("matrix");
            black_box(m.counts(0))
        })
    });
    g.bench_function("recompute_after_one_edit_1000_vpcs", |b| {
        b.iter(|| black_box(m.recompute(black_box(&new), &o, &change).expect("recomputed")))
    });
    g.bench_function("whatif_after_one_edit_1000_vpcs", |b| {
        b.iter(|| black_box(what_if(black_box(&d), black_box(&new), &before)))
    });
    g.bench_function("audit_1000_vpcs", |b| b.iter(|| black_box(audit(black_box(&d)))));
    g.bench_function("diff_two_1000_vpc_designs", |b| {
        b.iter(|| {
            black_box(diff(black_box(&d), black_box(&new), |x, f| Ok(ReachOptions::defaults_for(x, f))).expect("diff"))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
