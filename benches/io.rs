//! Load and save of a 1000-VPC generated design (target: under 500 ms each on 2 cores), and
//! both exports at 1,000 and 4,000 VPCs (the 4,000 figure at most ~5× the 1,000 one).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
use vpcraft::io::export::{export, ExportFormat};
use vpcraft::io::native;
use vpcraft::model::gen::generate;

fn io(c: &mut Criterion) {
    let design = generate(1000, 1);
    let text = native::to_string(&design).expect("serialise");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gen1000.ron");
    native::save_file(&design, &path).expect("save");

    let mut g = c.benchmark_group("design_io_1000_vpcs");
    g.sample_size(10);
    g.bench_function("load_str", |b| b.iter(|| native::load_str(&text, Path::new("gen.ron")).expect("load")));
    g.bench_function("load_file", |b| b.iter(|| native::load_file(&path).expect("load")));
    g.bench_function("save_file_atomic", |b| b.iter(|| native::save_file(&design, &path).expect("save")));
    g.bench_function("check_design", |b| b.iter(|| vpcraft::sim::checks::check_design(&design)));
    g.finish();

    let mut g = c.benchmark_group("export");
    g.sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    for vpcs in [1000usize, 4000] {
        let d = if vpcs == 1000 { design.clone() } else { generate(vpcs, 1) };
        for (name, format) in [("cloudformation", ExportFormat::CloudFormation), ("terraform", ExportFormat::Terraform)]
        {
            g.bench_function(format!("{name}_{vpcs}_vpcs"), |b| b.iter(|| export(&d, format)));
        }
    }
    g.finish();
}

criterion_group!(benches, io);
criterion_main!(benches);
