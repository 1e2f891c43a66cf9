//! Design checks at scale (issue 11, 17 H4): `check_design` on generated designs of 500 to
//! 8,000 VPCs must grow linearly (target under 600 ms at 4,000; past 4,096 VPCs the generator
//! reuses the /20s of 10.0.0.0/8, as separate estates do). Each case reports its throughput in VPCs per second, so a
//! linear growth reads as the same throughput at every size. Refreshing the findings after a
//! one-field edit on 1,000 VPCs must take a few milliseconds (only the VPCs the edit touched
//! are checked again, and the links scope only when the edit can change it).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;
use vpcraft::model::gen::generate;
use vpcraft::model::DesignIndex;
use vpcraft::sim::checks::{check_design, CheckState};

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn checks(c: &mut Criterion) {
    let mut g = c.benchmark_group("checks");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    for vpcs in [500usize, 1000, 2000, 4000, 8000] {
        g.throughput(Throughput::Elements(vpcs as u64));
        // The design is made only when the case runs, so a filtered run (or a profile of one
        // case) pays for no other size.
        g.bench_function(format!("check_design_{vpcs}_vpcs"), |b| {
            let d = generate(vpcs, 1);
            b.iter(|| black_box(check_design(black_box(&d))))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("checks_edit");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    g.bench_function("design_index_1000_vpcs", |b| {
        let d = generate(1000, 1);
        b.iter(|| black_box(DesignIndex::new(black_box(&d))))
    });
    g.bench_function("refresh_after_one_field_edit_1000_vpcs", |b| {
        let mut d = generate(1000, 1);
        let mut state = CheckState::new(&d);
        let subnet = d.subnets[3000].id.clone();
        let mut k = 0u32;
        b.iter(|| {
            k += 1;
            d.subnets[3000].name = format!("renamed-{k}");
            black_box(state.refresh(&d, &[&subnet]))
        })
    });
    // The same edit on a design with many findings (every group without outbound rules, every
    // other interface without groups: about 5,500 notes), where putting the findings in order
    // again costs as much as checking the VPC.
    g.bench_function("refresh_after_one_field_edit_1000_vpcs_5500_findings", |b| {
        let mut many = generate(1000, 1);
        with_many_findings(&mut many);
        let mut state = CheckState::new(&many);
        assert!(state.findings().len() > 5000);
        let subnet = many.subnets[3000].id.clone();
        let mut k = 0u32;
        b.iter(|| {
            k += 1;
            many.subnets[3000].name = format!("renamed-{k}");
            black_box(state.refresh(&many, &[&subnet]))
        })
    });
    g.finish();
}

criterion_group!(benches, checks);
criterion_main!(benches);

/// Give every VPC findings: groups without outbound rules (S4), interfaces without groups (S5).
fn with_many_findings(d: &mut vpcraft::model::Design) {
    for g in &mut d.security_groups {
        g.egress.clear();
    }
    for e in d.network_interfaces.iter_mut().step_by(2) {
        e.security_groups.clear();
    }
}
