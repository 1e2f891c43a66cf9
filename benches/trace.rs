//! Trace engine speed on a generated 1000-VPC design: building the index once, then the
//! median time of one trace (request and reply) over a mix of flows.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};
use vpcraft::model::gen::generate;
use vpcraft::model::Design;
use vpcraft::sim::{TraceIndex, TraceRequest};

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const VPCS: usize = 1000;

/// A mix of flows across the design: NAT gateway to the internet, S3 through a gateway
/// endpoint, an interface endpoint by name, a peered VPC, the internet to a web server, a
/// neighbour in the same VPC.
fn requests(d: &Design) -> Vec<TraceRequest> {
    let mut out = Vec::new();
    for v in [0usize, 6, 15, 120, 333, 500, 615, 750, 864, 999] {
        let region = &d.vpcs[v].region;
        let app = format!("i-{v:05}-app00");
        let web = format!("i-{v:05}-web0");
        let peer = if v >= 5 { format!("i-{:05}-web0", v - 5) } else { web.clone() };
        let web_public =
            d.network_interfaces.iter().find(|e| e.instance.as_deref() == Some(web.as_str())).and_then(|e| e.public_ip);
        let flows: Vec<(String, String, &str, Option<u16>)> = vec![
            (app.clone(), "60.1.1.1".into(), "tcp", Some(443)),
            (app.clone(), format!("s3.{region}.amazonaws.com"), "tcp", Some(443)),
            (app.clone(), format!("sts.{region}.amazonaws.com"), "tcp", Some(443)),
            (app.clone(), peer, "tcp", Some(443)),
            (web.clone(), "internet".into(), "tcp", Some(80)),
            ("60.1.1.1".into(), web_public.map(|p| p.to_string()).unwrap_or_else(|| web.clone()), "tcp", Some(443)),
            (web.clone(), app.clone(), "tcp", Some(22)),
        ];
        for (from, to, proto, port) in flows {
            if let Ok(r) = TraceRequest::parse(d, &from, &to, proto, port, None) {
                out.push(r);
            }
        }
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench(c: &mut Criterion) {
    let d = generate(VPCS, 42);
    let reqs = requests(&d);
    assert!(reqs.len() >= 50, "only {} requests parsed", reqs.len());

    // The median of single traces, measured directly: criterion reports the mean of batches.
    let ix = TraceIndex::new(&d);
    let mut times = Vec::new();
    let mut hops = 0;
    for _ in 0..200 {
        for r in &reqs {
            let t = Instant::now();
            let res = black_box(ix.trace(black_box(r)));
            times.push(t.elapsed());
            hops += res.forward.len() + res.return_path.len();
        }
    }
    let n = times.len();
    let builds: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(TraceIndex::new(black_box(&d)));
            t.elapsed()
        })
        .collect();
    eprintln!(
        "trace on {VPCS} VPCs ({} subnets, {} instances): index {:?} (median of 5); one trace median {:?} over {n} traces of {} flows, {:.1} hops each",
        d.subnets.len(),
        d.instances.len(),
        median(builds),
        median(times),
        reqs.len(),
        hops as f64 / n as f64
    );

    let mut g = c.benchmark_group("trace");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("index_1000_vpcs", |b| b.iter(|| black_box(TraceIndex::new(black_box(&d)))));
    let mut i = 0;
    g.bench_function("one_trace_mixed_1000_vpcs", |b| {
        b.iter_batched(
            || {
                i = (i + 1) % reqs.len();
                &reqs[i]
            },
            |r| black_box(ix.trace(r)),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// The generated design with a publicly accessible PostgreSQL instance and a Lambda function
/// in every VPC (issue 19): index build, the whole design check (which traces every public
/// database from the internet) and a trace to a database by its endpoint name.
fn bench_managed(c: &mut Criterion) {
    use vpcraft::model::builder::DesignBuilder;
    use vpcraft::model::{ComputeKind, DatabaseService};
    let mut b = DesignBuilder { design: generate(VPCS, 42) };
    let vpcs: Vec<String> = b.design.vpcs.iter().map(|v| v.id.clone()).collect();
    let mut first_subnet = std::collections::HashMap::new();
    for s in &b.design.subnets {
        first_subnet.entry(s.vpc.clone()).or_insert_with(|| (s.id.clone(), s.cidr));
    }
    for (k, v) in vpcs.iter().enumerate() {
        let Some((subnet, Some(cidr))) = first_subnet.get(v).cloned() else { continue };
        let host = |n: usize| cidr.hosts().nth(n).map(|a| a.to_string());
        let (Some(db_ip), Some(fn_ip)) = (host(200), host(201)) else { continue };
        let sg = b.security_group(v, &format!("db-{k}"));
        b.allow_in_tcp(&sg, 5432, "0.0.0.0/0");
        let db = b.database(DatabaseService::Rds, &format!("db{k}"), "postgres", None, &[(&subnet, &db_ip)], &[&sg]);
        b.publicly_accessible(&db, &format!("52.{}.{}.{}", 64 + k / 65536, (k / 256) % 256, k % 256));
        b.compute(ComputeKind::LambdaFunction, &format!("fn{k}"), &[(&subnet, &fn_ip)], &[&sg]);
    }
    let d = b.design;
    let name = d.databases.get(d.databases.len() / 2).map(|x| x.endpoint.clone()).unwrap_or_default();
    let req = TraceRequest::parse(&d, "60.1.1.1", &name, "tcp", Some(5432), None).expect("request");
    let ix = TraceIndex::new(&d);
    let mut g = c.benchmark_group("managed");
    g.sample_size(10).measurement_time(Duration::from_secs(4));
    eprintln!("managed: {} databases, {} compute services", d.databases.len(), d.compute_services.len());
    g.bench_function("index_1000_vpcs_2000_services", |bch| bch.iter(|| black_box(TraceIndex::new(black_box(&d)))));
    g.bench_function("trace_to_database_by_name", |bch| bch.iter(|| black_box(ix.trace(black_box(&req)))));
    g.bench_function("check_design_1000_public_databases", |bch| {
        bch.iter(|| black_box(vpcraft::sim::checks::check_design(black_box(&d))))
    });
    g.finish();
}

criterion_group!(benches, bench, bench_managed);
criterion_main!(benches);
