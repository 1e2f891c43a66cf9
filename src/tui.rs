//! The only file that touches the real terminal: set-up and restore (mouse capture included,
//! also on error and on panic) and the event loop.
//!
//! The loop polls with a timeout so a `Tick` message arrives several times a second even when
//! nothing is pressed (autosave, status timeouts, later animations). Only key presses count;
//! a resize needs nothing but a redraw.

use crate::app::{self, keymap, App, Msg};
use crate::io::paths;
use crate::model::Design;
use crate::ui;
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::{self, stdout};
use std::path::PathBuf;
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

/// Leave raw mode and the alternate screen, and stop capturing the mouse.
pub fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}

fn init() -> io::Result<DefaultTerminal> {
    // ratatui's own hook restores raw mode and the screen; ours runs first and also releases
    // the mouse, which ratatui leaves to the app.
    let terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
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

    let mut terminal = init()?;
    let _restore = Restore;
    event_loop(&mut terminal, &mut app)
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> io::Result<()> {
    terminal.draw(|f| ui::view(f, app))?;
    let mut last_tick = Instant::now();
    while !app.should_quit {
        let tick = if app.trace_view.is_playing() { ANIM_TICK } else { TICK };
        let timeout = tick.saturating_sub(last_tick.elapsed());
        let mut redraw = false;
        if event::poll(timeout)? {
            // Handle everything already queued before drawing once.
            loop {
                if let Some(msg) = keymap::route_event(app, event::read()?) {
                    app::update(app, msg);
                    redraw = true;
                }
                if app.should_quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= tick {
            app::update(app, Msg::Tick);
            last_tick = Instant::now();
            redraw = true;
        }
        if redraw && !app.should_quit {
            terminal.draw(|f| ui::view(f, app))?;
        }
    }
    Ok(())
}
