//! The `vpcraft` binary: parse the command line and dispatch. No subcommand opens the TUI.

/// mimalloc: a what-if on a large design allocates and frees millions of small values across
/// threads, where it is a third faster than the system allocator and far steadier.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    vpcraft::cli::run()
}
