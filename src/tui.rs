//! The only file that touches the real terminal: set-up and restore (mouse capture included,
//! also on error and on panic) and the event loop.
//!
//! The loop polls with a timeout so a `Tick` message arrives several times a second even when
//! nothing is pressed (autosave, status timeouts, later animations). Only key presses count;
//! a resize needs nothing but a redraw. SIGTERM, SIGHUP and SIGINT are noticed by the loop
//! too: the recovery file is written, the terminal restored, and the exit status is 128 + the
//! signal.

use crate::app::{self, keymap, App, Msg};
use crate::io::paths;
use crate::model::Design;
use crate::ui;
use crossterm::cursor::Show;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::{self, stdout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often `Tick` arrives.
pub const TICK: Duration = Duration::from_millis(250);

/// How often `Tick` arrives while a packet is animating (the animation is time-based; this only
/// makes it smooth at 4×).
pub const ANIM_TICK: Duration = Duration::from_millis(50);

/// Restores the terminal when dropped: on a normal return and on an early `?` return alike.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Leave raw mode and the alternate screen, stop capturing the mouse and show the cursor
/// (ratatui's restore leaves the cursor to the terminal's drop, which an exit skips).
pub fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

/// SIGTERM, SIGHUP and SIGINT (raw mode turns Ctrl-C into a key, but `kill -INT` still
/// arrives): the handler only records the signal; the loop, which wakes at least every tick,
/// writes the recovery file, restores the terminal and exits with 128 + the signal.
fn watch_signals() -> io::Result<Arc<AtomicUsize>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let caught = Arc::new(AtomicUsize::new(0));
    for sig in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register_usize(sig, Arc::clone(&caught), sig as usize)?;
    }
    Ok(caught)
}

fn init() -> io::Result<DefaultTerminal> {
    // ratatui's own hook restores raw mode and the screen; ours runs first and also releases
    // the mouse, which ratatui leaves to the app.
    let terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, Show);
        ratatui_hook(info);
    }));
    execute!(stdout(), EnableMouseCapture)?;
    Ok(terminal)
}

/// Run the terminal app on a design until the user quits. `path` is where saves go (`None`
/// for a built-in example).
pub fn run(design: Design, path: Option<PathBuf>) -> io::Result<()> {
    run_with(design, path, None)
}

/// [`run`], with a name for a design that has no path yet (`imported template.yaml`).
pub fn run_with(design: Design, path: Option<PathBuf>, origin: Option<String>) -> io::Result<()> {
    use std::io::IsTerminal;
    if !stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the terminal app needs a terminal; for scripts use a subcommand (check, plan, trace, import, export)",
        ));
    }
    let new_file = path.as_ref().filter(|p| !p.exists()).map(|p| p.display().to_string());
    let mut app = App::new(design, path);
    if let Some(o) = origin {
        app.origin = o;
    }
    app.autosave.enabled = true;
    match ui::theme::load_user_file(paths::config_dir().as_deref()) {
        Ok(Some(user)) => {
            app.user_theme = Some(user.clone());
            let name = user.name.clone().unwrap_or_else(|| "dark".into());
            app.set_theme(&name);
        }
        Ok(None) => {}
        Err(e) => app.error(format!("theme.ron ignored: {e}")),
    }
    if let Some(p) = new_file {
        app.info(format!("new design: Ctrl-S saves it to {p}"));
    }
    app::update::offer_recovery(&mut app);

    let caught = watch_signals()?;
    let mut terminal = init()?;
    let restore_guard = Restore;
    let result = event_loop(&mut terminal, &mut app, &caught);
    let sig = caught.load(Ordering::Relaxed);
    if sig != 0 {
        // Save what would be lost before anything else; then give the terminal back.
        if app.dirty() && app.allow_io {
            let _ = app::files::write_recovery(&app);
        }
        drop(restore_guard);
        std::process::exit(128 + sig as i32);
    }
    result
}

/// `event::poll`, where a signal interrupting the wait is no error.
fn poll(timeout: Duration) -> io::Result<bool> {
    match event::poll(timeout) {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, caught: &AtomicUsize) -> io::Result<()> {
    terminal.draw(|f| ui::view(f, app))?;
    if std::env::var_os("VPCRAFT_TEST_PANIC").is_some_and(|v| v == "1") {
        // For the end-to-end test of the panic hook only.
        panic!("VPCRAFT_TEST_PANIC: a deliberate panic after the first frame");
    }
    let mut last_tick = Instant::now();
    while !app.should_quit && caught.load(Ordering::Relaxed) == 0 {
        let tick = if app.trace_view.is_playing() { ANIM_TICK } else { TICK };
        let timeout = tick.saturating_sub(last_tick.elapsed());
        let mut redraw = false;
        if poll(timeout)? {
            // Handle everything already queued before drawing once.
            loop {
                if let Some(msg) = keymap::route_event(app, event::read()?) {
                    app::update(app, msg);
                    redraw = true;
                }
                if app.should_quit || !poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= tick {
            app::update(app, Msg::Tick);
            last_tick = Instant::now();
            redraw = true;
        }
        if redraw && !app.should_quit && caught.load(Ordering::Relaxed) == 0 {
            terminal.draw(|f| ui::view(f, app))?;
        }
    }
    Ok(())
}
