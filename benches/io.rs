//! Load and save of a 1000-VPC generated design (target: under 500 ms each on 2 cores), and
//! a Terraform configuration of 1000 VPCs expressed through `count` (target: under 1 s).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;
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
}

/// 1000 VPCs through `count`, each with two subnets, a route table with an internet route and
/// a security group with a dynamic rule block: what a large account's Terraform looks like.
const TERRAFORM_1000: &str = r#"
variable "vpcs" {
  type    = number
  default = 1000
}

locals {
  azs   = ["us-east-1a", "us-east-1b"]
  ports = [22, 443]
}

resource "aws_vpc" "v" {
  count      = var.vpcs
  cidr_block = cidrsubnet("10.0.0.0/8", 14, count.index)
  tags       = { Name = format("vpc-%04d", count.index) }
}

resource "aws_subnet" "s" {
  count             = var.vpcs * length(local.azs)
  vpc_id            = aws_vpc.v[floor(count.index / 2)].id
  cidr_block        = cidrsubnet(aws_vpc.v[floor(count.index / 2)].cidr_block, 2, count.index % 2)
  availability_zone = element(local.azs, count.index)
}

resource "aws_internet_gateway" "g" {
  count  = var.vpcs
  vpc_id = aws_vpc.v[count.index].id
}

resource "aws_route_table" "r" {
  count  = var.vpcs
  vpc_id = aws_vpc.v[count.index].id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.g[count.index].id
  }
}

resource "aws_route_table_association" "a" {
  count          = length(aws_subnet.s)
  subnet_id      = aws_subnet.s[count.index].id
  route_table_id = aws_route_table.r[floor(count.index / 2)].id
}

resource "aws_security_group" "g" {
  count  = var.vpcs
  vpc_id = aws_vpc.v[count.index].id
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [aws_vpc.v[count.index].cidr_block]
    }
  }
}
"#;

fn terraform(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), TERRAFORM_1000).expect("write");
    let opts = vpcraft::io::terraform::TerraformOptions { region: Some("us-east-1".into()), ..Default::default() };
    let (d, _) = vpcraft::io::terraform::import_dir(dir.path(), &opts).expect("import");
    assert_eq!(d.vpcs.len(), 1000);
    assert_eq!(d.subnets.len(), 2000);
    let mut g = c.benchmark_group("terraform_1000_vpcs_count");
    g.sample_size(10);
    g.bench_function("evaluate_and_map", |b| {
        b.iter(|| vpcraft::io::terraform::import_dir(dir.path(), &opts).expect("import"))
    });
    g.finish();
}

criterion_group!(benches, io, terraform);
criterion_main!(benches);
