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

/// `/` after a kept filter (Enter keeps it) started from the old text: typing `my-vpc` after
/// `my-pub-2a` searched `my-pub-2amy-vpc`, matched nothing and left the tree empty. The kept
/// text is selected now: the first printable key starts a new filter, an arrow keeps it.
#[test]
fn slash_after_a_kept_filter_starts_a_new_one() {
    use crate::harness::{app, key, press, typ};
    use vpcraft::app::input::KeyCode;
    let mut a = app();
    press(&mut a, KeyCode::Char('/'));
    typ(&mut a, "my-pub-2a");
    press(&mut a, key(KeyCode::Enter));
    assert_eq!(a.tree.filter, "my-pub-2a", "Enter keeps the filter");
    press(&mut a, KeyCode::Char('/'));
    typ(&mut a, "my-vpc");
    assert_eq!(a.tree.filter, "my-vpc", "the new text replaces the kept one");
    press(&mut a, key(KeyCode::Enter));
    let vpc = a.design.vpcs.iter().find(|v| v.name == "my-vpc").expect("my-vpc").id.clone();
    assert_eq!(
        a.selected_node(),
        Some(&vpcraft::app::tree::NodeRef::Resource { kind: vpcraft::model::ResourceKind::Vpc, id: vpc })
    );
    // An arrow first: the kept text is edited, not replaced.
    press(&mut a, KeyCode::Char('/'));
    press(&mut a, key(KeyCode::End));
    typ(&mut a, "x");
    assert_eq!(a.tree.filter, "my-vpcx");
}

/// Enter on a filter that matches nothing closed it and left an empty tree with nothing
/// selected; the filter stays open now and says how to get out.
#[test]
fn enter_on_a_filter_that_matches_nothing_keeps_it_open() {
    use crate::harness::{app, key, press, status, typ};
    use vpcraft::app::input::KeyCode;
    use vpcraft::app::Modal;
    let mut a = app();
    press(&mut a, KeyCode::Char('/'));
    typ(&mut a, "no-such-thing");
    press(&mut a, key(KeyCode::Enter));
    assert!(matches!(a.modal(), Some(Modal::Filter)), "the filter line keeps the keyboard");
    assert!(status(&a).contains("Esc drops the filter"), "{}", status(&a));
    press(&mut a, key(KeyCode::Esc));
    assert!(a.modal().is_none());
    assert_eq!(a.tree.filter, "");
}
