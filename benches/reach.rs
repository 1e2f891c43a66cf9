//! Whole-network answers on a generated 1000-VPC design (6,000 subnets): the full subnet ×
//! (subnets + internet + services) matrix for one port (36 M pairs), with a pass over every
//! cell; the audit; the diff of two such designs; and the matrix's update after one edit.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};
use vpcraft::model::gen::generate;
use vpcraft::sim::reach::{compute, ReachOptions};

const VPCS: usize = 1000;

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
    let mut g = c.benchmark_group("reach");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("matrix_1000_vpcs_one_port", |b| {
        b.iter(|| {
            let m = compute(black_box(&d), black_box(&o)).expect("matrix");
            black_box(m.counts(0))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
