//! The layers on top of the panes, as one stack: the newest is on top, has the keyboard, and is
//! drawn last. [`crate::app::keymap::layers`] reads the stack to say which key layer is live;
//! key routing, the help overlay and the status bar all ask it.

use super::lab::LabPicker;
use super::reach::Overlay;
use super::trace_view::TracePicker;
use super::{App, Popup};

/// One layer on top of the panes.
#[derive(Debug)]
pub enum Modal {
    /// The tree's filter line has the keyboard (the filter itself lives in the tree).
    Filter,
    /// A form, the add menu, the file picker or a question.
    Popup(Popup),
    /// The trace picker (from, to, protocol, port).
    TracePicker(TracePicker),
    /// The lab picker.
    LabPicker(LabPicker),
    /// The help overlay, with its scroll offset.
    Help(u16),
    /// The reachability view, the audit list or the what-if's flows: it takes the place of the
    /// panes (the status bar stays), so it is always the bottom layer and everything else opens
    /// over it.
    Reach(Overlay),
}

impl PartialEq for Modal {
    /// Layers compare by what they hold; a reach overlay holds background jobs, so two of them
    /// are never equal.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Modal::Filter, Modal::Filter) => true,
            (Modal::Popup(a), Modal::Popup(b)) => a == b,
            (Modal::TracePicker(a), Modal::TracePicker(b)) => a == b,
            (Modal::LabPicker(a), Modal::LabPicker(b)) => a == b,
            (Modal::Help(a), Modal::Help(b)) => a == b,
            _ => false,
        }
    }
}

/// The stack of layers, bottom first.
#[derive(Debug, Default, PartialEq)]
pub struct Modals(Vec<Modal>);

impl Modals {
    /// The layer on top (the one with the keyboard).
    pub fn top(&self) -> Option<&Modal> {
        self.0.last()
    }

    /// Bottom to top: the order they are drawn in.
    pub fn iter(&self) -> std::slice::Iter<'_, Modal> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether something that takes the mouse covers the panes (anything but the filter line
    /// and the reach overlay, which leaves the status bar's finding counts to click): the mouse
    /// does not reach them then.
    pub fn cover_panes(&self) -> bool {
        self.0.iter().any(|m| !matches!(m, Modal::Filter | Modal::Reach(_)))
    }

    /// The reach overlay, if open.
    pub fn reach(&self) -> Option<&Overlay> {
        self.find(|m| match m {
            Modal::Reach(x) => Some(x),
            _ => None,
        })
    }

    pub fn reach_mut(&mut self) -> Option<&mut Overlay> {
        self.find_mut(|m| match m {
            Modal::Reach(x) => Some(x),
            _ => None,
        })
    }

    /// Open `o` in the place of the open reach overlay, or at the bottom of the stack (it stands
    /// for the panes; whatever else is open stays over it).
    pub fn set_reach(&mut self, o: Overlay) {
        match self.0.iter().position(|m| matches!(m, Modal::Reach(_))) {
            Some(i) => self.0[i] = Modal::Reach(o),
            None => self.0.insert(0, Modal::Reach(o)),
        }
    }

    /// Close the reach overlay and return it.
    pub fn take_reach(&mut self) -> Option<Overlay> {
        self.take(
            |m| matches!(m, Modal::Reach(_)),
            |m| match m {
                Modal::Reach(x) => Some(x),
                _ => None,
            },
        )
    }

    fn find<T>(&self, f: impl Fn(&Modal) -> Option<&T>) -> Option<&T> {
        self.0.iter().rev().find_map(f)
    }

    fn find_mut<T>(&mut self, f: impl Fn(&mut Modal) -> Option<&mut T>) -> Option<&mut T> {
        self.0.iter_mut().rev().find_map(f)
    }

    /// Put `m` in the place of the layer `same` picks out, or on top when there is none.
    fn set(&mut self, m: Modal, same: impl Fn(&Modal) -> bool) {
        match self.0.iter().rposition(same) {
            Some(i) => self.0[i] = m,
            None => self.0.push(m),
        }
    }

    /// Remove the layer `pick` picks out and return what it held.
    fn take<T>(&mut self, pick: impl Fn(&Modal) -> bool, unwrap: impl Fn(Modal) -> Option<T>) -> Option<T> {
        let i = self.0.iter().rposition(pick)?;
        unwrap(self.0.remove(i))
    }
}

/// Accessors of one kind of layer: `get`, `get_mut`, `set` (in its place, or on top) and `take`,
/// on the stack (so a borrow of one leaves the rest of the app free) and on the app.
macro_rules! layer {
    ($variant:ident, $ty:ty, $get:ident, $get_mut:ident, $set:ident, $take:ident) => {
        impl Modals {
            layer!(@on_stack $variant, $ty, $get, $get_mut, $set, $take);
        }
        impl App {
            pub fn $get(&self) -> Option<&$ty> {
                self.modals.$get()
            }
            pub fn $get_mut(&mut self) -> Option<&mut $ty> {
                self.modals.$get_mut()
            }
            pub fn $set(&mut self, x: $ty) {
                self.modals.$set(x)
            }
            pub fn $take(&mut self) -> Option<$ty> {
                self.modals.$take()
            }
        }
    };
    (@on_stack $variant:ident, $ty:ty, $get:ident, $get_mut:ident, $set:ident, $take:ident) => {
        pub fn $get(&self) -> Option<&$ty> {
            self.find(|m| match m {
                Modal::$variant(x) => Some(x),
                _ => None,
            })
        }
        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            self.find_mut(|m| match m {
                Modal::$variant(x) => Some(x),
                _ => None,
            })
        }
        pub fn $set(&mut self, x: $ty) {
            self.set(Modal::$variant(x), |m| matches!(m, Modal::$variant(_)));
        }
        pub fn $take(&mut self) -> Option<$ty> {
            self.take(
                |m| matches!(m, Modal::$variant(_)),
                |m| match m {
                    Modal::$variant(x) => Some(x),
                    _ => None,
                },
            )
        }
    };
}

layer!(Popup, Popup, popup, popup_mut, set_popup, take_popup);
layer!(TracePicker, TracePicker, trace_picker, trace_picker_mut, set_trace_picker, take_trace_picker);
layer!(LabPicker, LabPicker, lab_picker, lab_picker_mut, set_lab_picker, take_lab_picker);
layer!(Help, u16, help, help_mut, set_help, take_help);

impl App {
    /// The layer on top of the panes, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.modals.top()
    }

    /// Close the popup, if one is open.
    pub fn close_popup(&mut self) {
        self.take_popup();
    }

    /// Close the help overlay.
    pub fn close_help(&mut self) {
        self.take_help();
    }

    /// Whether the tree's filter line has the keyboard.
    pub fn filter_editing(&self) -> bool {
        self.modals.iter().any(|m| matches!(m, Modal::Filter))
    }

    /// Give the filter line the keyboard, or take it back.
    pub fn set_filter_editing(&mut self, on: bool) {
        if on {
            self.modals.set(Modal::Filter, |m| matches!(m, Modal::Filter));
        } else {
            self.modals.take(|m| matches!(m, Modal::Filter), Some);
        }
    }
}
