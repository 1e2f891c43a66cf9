//! vpcraft: design AWS VPC networks and trace packets through them.
//!
//! Dependencies point one way: `ui -> app -> sim -> net -> model`, `io -> model`,
//! `diagram -> {sim, model}`.
//! The domain modules (`model`, `net`, `sim`, `io`) know nothing about terminals.

pub mod app;
pub mod assets;
pub mod cli;
pub mod diagram;
pub mod io;
pub mod l10n;
pub mod labs;
pub mod model;
pub mod net;
pub mod rules;
pub mod sim;
pub mod tui;
pub mod ui;
