//! Simulation and analysis over a design: the design lint (`checks`) and the trace engine.

pub mod checks;
