//! Terminal app performance, drawn into ratatui's `TestBackend` at 120×40, on a
//! `gen --vpcs 1000` design (about 30,000 resources):
//! - one full frame (target: under 4 ms);
//! - start-up to the first frame on the built-in example (target: under 50 ms);
//! - building the app (tree, references; the checks start on the first tick) (target: under
//!   100 ms);
//! - applying a one-field op (renaming a subnet on screen) and drawing the next frame, the
//!   findings and "used by" lists brought up to date by what the op touched (target: under
//!   16 ms, one frame);
//! - the parts of that edit alone (`edit_part_*`): the op's check and its undo snapshot, the
//!   tree's update, the findings' refresh, the what-if's copy of the design, the frame;
//! - ops that add to the end of a big collection or delete from one (a route table added and
//!   drawn; the check and undo snapshot of adding a table, of deleting an instance);
//! - rebuilding the whole tree (what a change of a VPC or of a region-wide resource costs);
//! - the tree filter's first key, which builds every VPC's section (linear in the design);
//! - one frame of the topology map (tree + map at 120×40) of the 1000-VPC design with its
//!   picture cached (target: under 4 ms), and building that picture once (scene, cell layout)
//!   for the selected VPC and for the whole design.

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use vpcraft::app::map::{MapMsg, MapPicture, Scope};
use vpcraft::app::{App, Msg};
use vpcraft::model::gen::generate;
use vpcraft::model::ops::snapshot::Snapshot;
use vpcraft::model::ops::{Op, Ref};
use vpcraft::ui::ViewState;

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn frame(app: &App, view: &mut ViewState, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| vpcraft::ui::view(f, app, view)).expect("draw");
}

fn tui(c: &mut Criterion) {
    let design = generate(1000, 1);
    let mut app = App::new(design.clone(), None);
    // The whole design checked once (on another thread at start-up); edits follow from there.
    app.wait_for_checks();
    assert!(!app.checker.pending());
    let mut view = ViewState::default();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("backend");
    frame(&app, &mut view, &mut terminal);

    let mut g = c.benchmark_group("tui");
    g.bench_function("frame_120x40_1000_vpcs", |b| b.iter(|| frame(&app, &mut view, &mut terminal)));
    g.bench_function("startup_to_first_frame_builtin_example", |b| {
        b.iter(|| {
            let app = App::new(vpcraft::assets::default_example(), None);
            let mut t = Terminal::new(TestBackend::new(120, 40)).expect("backend");
            frame(&app, &mut ViewState::default(), &mut t);
            black_box(t);
        })
    });

    // A subnet on screen: its VPC's part of the tree is built and shown.
    let subnet = app.design.subnets[600].id.clone();
    assert!(app.select_resource(&subnet));
    let mut n = 0u64;
    g.bench_function("apply_one_field_op_and_redraw_1000_vpcs", |b| {
        b.iter(|| {
            n += 1;
            let op = Op::UpdateSubnet {
                subnet: Ref::id(subnet.clone()),
                name: Some(format!("renamed-{n}")),
                cidr: None,
                public_ip_on_launch: None,
                route_table: None,
            };
            app.apply("rename", vec![op]).expect("rename");
            debug_assert!(!app.checker.pending());
            frame(&app, &mut view, &mut terminal);
        })
    });
    // The parts of that edit, each alone, on the same app (issue 11: each proportional to what
    // the op touched): what the undo step keeps, the tree's update, the findings' refresh (the
    // checks of what it touched), and the UI thread's part of the what-if (a copy of the
    // design handed to its thread; `WhatIf::changed`, off in benchmarks so no matrix runs).
    let touched = vec![subnet.clone()];
    let rename = Op::UpdateSubnet {
        subnet: Ref::id(subnet.clone()),
        name: Some("renamed-part".into()),
        cidr: None,
        public_ip_on_launch: None,
        route_table: None,
    };
    g.bench_function("edit_part_prepare_and_undo_snapshot_1000_vpcs", |b| {
        b.iter(|| {
            let p = app.design.prepare(&rename).expect("prepares");
            black_box(Snapshot::take(&app.design, p.touches()))
        })
    });
    g.bench_function("edit_part_tree_update_1000_vpcs", |b| b.iter(|| app.tree.update(&app.design, &touched)));
    g.bench_function("edit_part_findings_refresh_1000_vpcs", |b| b.iter(|| app.derived.refresh(&app.design, &touched)));
    g.bench_function("edit_part_whatif_design_copy_1000_vpcs", |b| {
        b.iter(|| black_box(std::sync::Arc::new(app.design.clone())))
    });
    g.bench_function("edit_part_frame_subnet_selected_1000_vpcs", |b| b.iter(|| frame(&app, &mut view, &mut terminal)));
    // The findings' refresh after that edit on a design with many findings (every group
    // without outbound rules, every other interface without groups: about 5,500 notes).
    let mut noisy = design.clone();
    for g in &mut noisy.security_groups {
        g.egress.clear();
    }
    for e in noisy.network_interfaces.iter_mut().step_by(2) {
        e.security_groups.clear();
    }
    let mut noisy = App::new(noisy, None);
    noisy.wait_for_checks();
    assert!(noisy.derived.findings.len() > 5000);
    g.bench_function("edit_part_findings_refresh_1000_vpcs_5500_findings", |b| {
        b.iter(|| noisy.derived.refresh(&noisy.design, &touched))
    });
    drop(noisy);
    // Ops that write a few rows of a big collection or add to its end (issue 11: the undo
    // step keeps those, not the whole list): a route table added (to a different VPC each
    // time, so no VPC grows), and the check and undo snapshot of adding one and of deleting
    // an instance (cascading to its interfaces).
    let add_table = |vpc: &str, name: String| Op::AddRouteTable {
        vpc: Ref::id(vpc),
        name,
        subnets: vec![],
        main: false,
        gateways: vec![],
        propagating_vgws: vec![],
    };
    let mut k = 0usize;
    g.bench_function("apply_add_route_table_and_redraw_1000_vpcs", |b| {
        b.iter(|| {
            k += 1;
            let vpc = app.design.vpcs[(k * 7) % app.design.vpcs.len()].id.clone();
            app.apply("add table", vec![add_table(&vpc, format!("added-{k}"))]).expect("add table");
            frame(&app, &mut view, &mut terminal);
        })
    });
    let add = add_table(&app.design.vpcs[600].id, "added-part".into());
    g.bench_function("edit_part_prepare_and_undo_snapshot_add_route_table_1000_vpcs", |b| {
        b.iter(|| {
            let p = app.design.prepare(&add).expect("prepares");
            black_box(Snapshot::take(&app.design, p.touches()))
        })
    });
    let delete = Op::Delete { resource: Ref::id(app.design.instances[600].id.clone()), cascade: true };
    g.bench_function("edit_part_prepare_and_undo_snapshot_delete_instance_1000_vpcs", |b| {
        b.iter(|| {
            let p = app.design.prepare(&delete).expect("prepares");
            black_box(Snapshot::take(&app.design, p.touches()))
        })
    });
    // The map beside the tree, its picture built once the app knows where the map is.
    let mut mapped = App::new(design.clone(), None);
    let mut mview = ViewState::default();
    vpcraft::app::update(&mut mapped, Msg::Map(MapMsg::Toggle));
    frame(&mapped, &mut mview, &mut terminal);
    vpcraft::app::update(&mut mapped, Msg::Viewport(mview.viewport()));
    assert!(vpcraft::app::map::picture(&mapped).is_some(), "the map's picture is cached");
    g.bench_function("map_frame_120x40_1000_vpcs_cached", |b| b.iter(|| frame(&mapped, &mut mview, &mut terminal)));
    g.sample_size(10);
    let scope = vpcraft::app::map::scope(&mapped);
    let width = vpcraft::app::map::canvas_rect(&mapped).map_or(80, |r| r.width);
    g.bench_function("map_picture_build_1000_vpcs", |b| {
        b.iter(|| black_box(MapPicture::build(&mapped.design, &scope, width, None, vpcraft::l10n::Lang::En)))
    });
    g.bench_function("map_picture_build_1000_vpcs_whole_design", |b| {
        b.iter(|| black_box(MapPicture::build(&mapped.design, &Scope::All, width, None, vpcraft::l10n::Lang::En)))
    });
    g.bench_function("app_new_1000_vpcs", |b| b.iter(|| black_box(App::new(design.clone(), None))));
    g.bench_function("tree_rebuild_1000_vpcs", |b| b.iter(|| app.rebuild_tree()));
    g.bench_function("tree_filter_first_key_1000_vpcs", |b| {
        b.iter_batched(
            || App::new(design.clone(), None),
            |mut fresh| {
                fresh.tree.set_filter(&fresh.design, "subnet-0500".to_string());
                black_box(fresh)
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, tui);
criterion_main!(benches);
