//! Trace engine speed on a generated 1000-VPC design: building the index once, then the
//! median time of one trace (request and reply) over a mix of flows.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};
use vpcraft::model::gen::generate;
use vpcraft::model::Design;
use vpcraft::sim::{TraceIndex, TraceRequest};

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

criterion_group!(benches, bench);
criterion_main!(benches);
