//! Pictures of a 1000-VPC generated design (issue 18's target: each export under 2 s on two
//! cores): the scene, the layout in pixels and in terminal cells, and each whole export.

use criterion::{criterion_group, criterion_main, Criterion};
use vpcraft::diagram::{layout, layout_to_fit, render, DiagramFormat, Filter, Metrics, Options, Scene};
use vpcraft::model::gen::generate;

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn diagram(c: &mut Criterion) {
    let design = generate(1000, 1);
    let all = Filter::default();
    let scene = Scene::build(&design, &all).expect("scene");
    let mut g = c.benchmark_group("diagram_1000_vpcs");
    g.sample_size(10);
    g.bench_function("scene", |b| b.iter(|| Scene::build(&design, &all).expect("scene")));
    g.bench_function("layout_pixels", |b| b.iter(|| layout(&scene, &Options::pixels())));
    g.bench_function("layout_cells_160", |b| b.iter(|| layout_to_fit(&scene, Metrics::CELLS, 160)));
    for (name, format) in [
        ("export_svg", DiagramFormat::Svg),
        ("export_drawio", DiagramFormat::Drawio),
        ("export_mermaid", DiagramFormat::Mermaid),
    ] {
        g.bench_function(name, |b| b.iter(|| render(&design, format, &all, None).expect("render")));
    }
    g.finish();
}

criterion_group!(benches, diagram);
criterion_main!(benches);
