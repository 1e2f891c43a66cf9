//! Whole-network answers on a generated 1000-VPC design (6,000 subnets): the full subnet ×
//! (subnets + internet + services) matrix for one port (36 M pairs), with a pass over every
//! cell; the audit; the diff of two such designs; and the matrix recomputed after one edit
//! (what the terminal app's what-if needs), and the what-if itself as the app runs it after an
//! edit: what changed, the matrix recomputed on its two ports, and the flows opened and closed.
//!
//! Take figures with `cargo bench --bench reach -- --warm-up-time 1 --measurement-time 3`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::net::Ipv4Addr;
use std::sync::OnceLock;
use std::time::Instant;
use vpcraft::app::reach::snapshot::Snapshots;
use vpcraft::app::reach::whatif;
use vpcraft::model::gen::generate;
use vpcraft::model::{Design, RouteTarget};
use vpcraft::sim::audit::audit;
use vpcraft::sim::diff::diff;
use vpcraft::sim::hypothetical::augment_subnets;
use vpcraft::sim::reach::{compute, Change, Matrix, ReachOptions};
use vpcraft::sim::{Hypothetical, TraceIndex};

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
fn what_if(old: &Design, new: &Design, before: &Matrix) -> (usize, usize) {
    let (_, _, opened, closed) = whatif::compare(old, new, before, None).expect("compared");
    (opened.len(), closed.len())
}

/// The inputs, built on first use: a run filtered to one benchmark builds only what it needs.
struct Inputs {
    d: OnceLock<Design>,
    edit: OnceLock<(Design, String)>,
    matrix: OnceLock<Matrix>,
    whatif_before: OnceLock<Matrix>,
}

impl Inputs {
    fn design(&self) -> &Design {
        self.d.get_or_init(|| generate(VPCS, 42))
    }
    fn edit(&self) -> &(Design, String) {
        self.edit.get_or_init(|| edited(self.design()))
    }
    fn matrix(&self) -> &Matrix {
        self.matrix.get_or_init(|| {
            let d = self.design();
            let t = Instant::now();
            let m = compute(d, &ReachOptions::defaults(d)).expect("matrix");
            let (rows, cols, _) = m.shape();
            let (delivered, dropped) = m.counts(0);
            eprintln!(
                "reach on {VPCS} VPCs: {rows} × {cols} = {} cells ({delivered} delivered, {dropped} dropped) from {} traces; first run {:?}",
                rows * cols,
                m.traced,
                t.elapsed()
            );
            m
        })
    }
    fn whatif_before(&self) -> &Matrix {
        self.whatif_before
            .get_or_init(|| compute(self.design(), &whatif::options(self.design())).expect("what-if matrix"))
    }
}

fn bench(c: &mut Criterion) {
    let inputs =
        Inputs { d: OnceLock::new(), edit: OnceLock::new(), matrix: OnceLock::new(), whatif_before: OnceLock::new() };
    let mut g = c.benchmark_group("reach");
    // Measurement and warm-up times come from the command line.
    g.sample_size(10);
    g.bench_function("matrix_1000_vpcs_one_port", |b| {
        let d = inputs.design();
        let o = ReachOptions::defaults(d);
        b.iter(|| {
            let m = compute(black_box(d), black_box(&o)).expect("matrix");
            black_box(m.counts(0))
        })
    });
    g.bench_function("recompute_after_one_edit_1000_vpcs", |b| {
        let (d, m) = (inputs.design(), inputs.matrix());
        let (new, rt) = inputs.edit();
        let change = Change::of_ids(d, new, &[rt.as_str()]);
        let o = ReachOptions::defaults(d);
        b.iter(|| black_box(m.recompute(black_box(new), &o, &change).expect("recomputed")))
    });
    // The app recomputes each what-if from the matrix the one before gave (which hands on what
    // the next recomputation reuses: its traced flows, its design with hypothetical
    // interfaces): here the edit alternates with its undo, each what-if recomputed from the
    // last one's matrix, the chain carried from sample to sample as the app carries it from
    // edit to edit. The app has its report once the comparison ends; the matrix it replaced is
    // freed on another thread (`iter_with_large_drop`: not timed).
    let chained = |b: &mut criterion::Bencher<'_>, told: bool, chain: &mut Option<(Matrix, bool)>| {
        let (d, (new, rt)) = (inputs.design(), inputs.edit());
        let (mut last, mut flip) = chain.take().unwrap_or_else(|| (inputs.whatif_before().clone(), false));
        let touched = [rt.clone()];
        let mut state = Some(last);
        b.iter_with_large_drop(|| {
            flip = !flip;
            let (from, to) = if flip { (d, new) } else { (new, d) };
            let before = state.take().expect("a matrix");
            let ids = told.then_some(&touched[..]);
            let (after, after6, opened, closed) =
                whatif::compare_after(black_box(from), black_box(to), &before, None, ids).expect("compared");
            state = Some(after);
            (before, after6, opened, closed)
        });
        last = state.take().expect("a matrix");
        *chain = Some((last, flip));
    };
    let (mut chain, mut told_chain) = (None, None);
    g.bench_function("whatif_after_one_edit_1000_vpcs", |b| {
        let (d, before) = (inputs.design(), inputs.whatif_before());
        let (new, _) = inputs.edit();
        let t = Instant::now();
        let (opened, closed) = what_if(d, new, before);
        eprintln!("what-if after one edit: {opened} opened, {closed} closed in {:?}", t.elapsed());
        chained(b, false, &mut chain)
    });
    g.bench_function("whatif_after_one_edit_told_what_it_touched_1000_vpcs", |b| {
        // The same as the app runs it: the app knows which resources the edit touched, so the
        // change is found from them instead of by comparing the designs.
        chained(b, true, &mut told_chain)
    });
    g.bench_function("whatif_after_one_edit_from_a_used_matrix_1000_vpcs", |b| {
        // Recomputed from a copy of a matrix (not the app's way): a copy hands on its traced
        // flows but not its design with hypothetical interfaces, which is then made whole.
        let (d, before) = (inputs.design(), inputs.whatif_before());
        let (new, rt) = inputs.edit();
        let touched = [rt.clone()];
        b.iter_batched(
            || before.clone(),
            |m| {
                let r =
                    whatif::compare_after(black_box(d), black_box(new), &m, None, Some(&touched)).expect("compared");
                (m, r)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("whatif_ui_thread_copy_after_one_edit_1000_vpcs", |b| {
        // The UI thread's part of the what-if after an edit: bringing a copy of the design
        // given back by the background up to date with the resources the edit touched (the
        // edit alternates, so each update copies the one table that differs).
        let (d, (new, rt)) = (inputs.design(), inputs.edit());
        let mut copies = Snapshots::default();
        drop(copies.take(d));
        let touched = [rt.clone()];
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            copies.touched(Some(&touched));
            black_box(copies.take(if flip { new } else { d }))
        })
    });
    g.bench_function("whatif_ui_thread_copy_after_a_whole_change_1000_vpcs", |b| {
        // The same after a change the app cannot say resource by resource (undo of a whole
        // design, an import): the copy is compared with the design resource by resource.
        let (d, (new, _)) = (inputs.design(), inputs.edit());
        let mut copies = Snapshots::default();
        drop(copies.take(d));
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            copies.touched(None);
            black_box(copies.take(if flip { new } else { d }))
        })
    });
    g.bench_function("trace_index_of_augmented_1000_vpcs", |b| {
        // What a what-if indexes after each edit: the design with two hypothetical interfaces
        // per subnet (12,000 interfaces added).
        let d = inputs.design();
        let list: Vec<Hypothetical> = d
            .subnets
            .iter()
            .flat_map(|s| {
                let base = s.cidr.map_or(0, |c| u32::from(c.network()));
                [200, 201].map(|k| Hypothetical {
                    subnet: s.id.clone(),
                    ipv4: Some(Ipv4Addr::from(base + k)),
                    ipv6: None,
                    by_ipv6: false,
                    security_groups: Vec::new(),
                })
            })
            .collect();
        let aug = augment_subnets(d, &list).design;
        b.iter(|| black_box(TraceIndex::new(black_box(&aug)).design().network_interfaces.len()))
    });
    g.bench_function("design_clone_1000_vpcs", |b| {
        let d = inputs.design();
        b.iter(|| black_box(d.clone()))
    });
    g.bench_function("audit_1000_vpcs", |b| {
        let d = inputs.design();
        b.iter(|| black_box(audit(black_box(d))))
    });
    g.bench_function("diff_two_1000_vpc_designs", |b| {
        let d = inputs.design();
        let (new, _) = inputs.edit();
        b.iter(|| {
            black_box(diff(black_box(d), black_box(new), |x, f| Ok(ReachOptions::defaults_for(x, f))).expect("diff"))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
