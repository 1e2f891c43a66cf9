//! Issue 16: what a newcomer tripped on when walking the app in tmux after the items landed.

use crate::harness::{app_on, render};

/// After "VPC and more" the tree shows the new VPC's subnets (its node and zones open), not a
/// closed VPC the newcomer must open twice to find where to add an instance.
#[test]
fn vpc_and_more_leaves_the_new_subnets_in_view() {
    let mut a = app_on(vpcraft::model::Design::new("seed", "ap-northeast-2"));
    crate::newcomer::seed_000_with_vpc_and_more(&mut a);
    assert!(a.popup().is_none(), "applied: {:?}", a.popup());
    let screen = render(&a, 140, 45);
    for s in ["my-pub-2a  10.39.0.0/20 · public", "my-pvt-2d  10.39.112.0/20 · private"] {
        assert!(screen.contains(s), "the tree shows {s}:\n{screen}");
    }
}
