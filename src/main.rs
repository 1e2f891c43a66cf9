//! The `vpcraft` binary: parse the command line and dispatch. No subcommand opens the TUI.

fn main() -> std::process::ExitCode {
    vpcraft::cli::run()
}
