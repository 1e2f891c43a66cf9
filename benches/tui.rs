//! Terminal app performance, drawn into ratatui's `TestBackend` at 120×40:
//! - one full frame with a `gen --vpcs 1000` design loaded (target: under 4 ms);
//! - start-up to the first frame on the built-in example (target: under 50 ms);
//! - one frame of the topology map (tree + map at 120×40) of the 1000-VPC design with its
//!   picture cached (target: under 4 ms), and building that picture once (scene, cell layout);
//! - building the app state (tree, references, findings) for the 1000-VPC design, and
//!   rebuilding only the tree, to show both stay linear.

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use vpcraft::app::App;
use vpcraft::model::gen::generate;

fn frame(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| vpcraft::ui::view(f, app)).expect("draw");
}

fn tui(c: &mut Criterion) {
    let design = generate(1000, 1);
    let app = App::new(design.clone(), None);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    frame(&app, &mut terminal);

    let mut g = c.benchmark_group("tui");
    g.bench_function("frame_120x40_1000_vpcs", |b| b.iter(|| frame(&app, &mut terminal)));
    g.bench_function("startup_to_first_frame_builtin_example", |b| {
        b.iter(|| {
            let app = App::new(vpcraft::assets::default_example(), None);
            let mut t = Terminal::new(TestBackend::new(120, 40)).expect("backend");
            frame(&app, &mut t);
            black_box(t);
        })
    });
    // The map beside the tree, its picture built by the update after the first frame.
    let mut mapped = App::new(design.clone(), None);
    vpcraft::app::update(&mut mapped, vpcraft::app::Msg::Map(vpcraft::app::map::MapMsg::Toggle));
    frame(&mapped, &mut terminal);
    vpcraft::app::update(&mut mapped, vpcraft::app::Msg::Tick);
    assert!(mapped.map.cache.is_some(), "the map's picture is cached");
    g.bench_function("map_frame_120x40_1000_vpcs_cached", |b| b.iter(|| frame(&mapped, &mut terminal)));
    g.sample_size(10);
    let scope = vpcraft::app::map::scope_of_selection(&mapped);
    let width = vpcraft::app::map::canvas_rect(&mapped).map_or(80, |r| r.width);
    g.bench_function("map_picture_build_1000_vpcs", |b| {
        b.iter(|| black_box(vpcraft::app::map::MapPicture::build(&mapped.design, &scope, width, None)))
    });
    let all = vpcraft::app::map::Scope::All;
    g.bench_function("map_picture_build_1000_vpcs_whole_design", |b| {
        b.iter(|| black_box(vpcraft::app::map::MapPicture::build(&mapped.design, &all, width, None)))
    });
    g.bench_function("app_new_1000_vpcs", |b| b.iter(|| black_box(App::new(design.clone(), None))));
    let mut app2 = App::new(design.clone(), None);
    g.bench_function("tree_rebuild_1000_vpcs", |b| b.iter(|| app2.rebuild_tree()));
    g.finish();
}

criterion_group!(benches, tui);
criterion_main!(benches);
