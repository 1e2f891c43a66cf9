//! The only file that touches the real terminal: set-up and restore (mouse capture included,
//! also on error and on panic) and the event loop.
//!
//! The loop polls with a timeout so a `Tick` message arrives several times a second even when
//! nothing is pressed (autosave, status timeouts, later animations). Only key presses count;
//! a resize needs nothing but a redraw. SIGTERM, SIGHUP and SIGINT, and the terminal going
//! away (end of input, EIO, hang-up), end the loop too: the recovery file is written when there
//! are unsaved changes, the terminal restored, and the exit status is 128 + the signal (129
//! for a hang-up). The loop waits on the terminal itself and a watchdog makes sure the process
//! ends even if crossterm does not return (see [`hangup`]).

mod hangup;
mod input;

use crate::app::{self, keymap, App, Msg};
use crate::io::paths;
use crate::model::Design;
use crate::ui;
use crossterm::cursor::Show;
use crossterm::event::{self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use hangup::{Wake, Watch};
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

/// Leave raw mode and the alternate screen, stop capturing the mouse, end bracketed paste and
/// show the cursor (ratatui's restore leaves the cursor to the terminal's drop, which an exit skips).
pub fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture, Show);
    ratatui::restore();
}

/// SIGTSTP (`kill -TSTP`; Ctrl-Z is a key in raw mode): give the terminal back as a shell
/// wants it, stop, and when SIGCONT wakes the process take the terminal again and draw it all.
fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    // Here again after SIGCONT.
    crossterm::terminal::enable_raw_mode()?;
    execute!(stdout(), crossterm::terminal::EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)?;
    terminal.clear()
}

fn init() -> io::Result<DefaultTerminal> {
    // ratatui's own hook restores raw mode and the screen; ours runs first and also releases
    // the mouse, which ratatui leaves to the app.
    let terminal = ratatui::try_init()?;
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture, Show);
        ratatui_hook(info);
    }));
    execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Run the terminal app on a design until the user quits. `path` is where saves go (`None`
/// for a built-in example).
pub fn run(design: Design, path: Option<PathBuf>) -> io::Result<()> {
    run_with(design, path, None, None)
}

/// [`run`], with a name for a design that has no path yet (`imported template.yaml`) and the
/// report of the import it came from (what it could not bring over counts as findings).
pub fn run_with(
    design: Design,
    path: Option<PathBuf>,
    origin: Option<String>,
    report: Option<crate::io::ImportReport>,
) -> io::Result<()> {
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
    app.set_import_report(report.as_ref());
    app.autosave.enabled = true;
    // The interface speaks the environment's language (LC_ALL, LC_MESSAGES, LANG); K switches.
    app.set_lang(crate::l10n::Lang::from_env());
    // The first matrix, in the background: what each edit is compared with.
    app.reach.whatif.enable(&app.design, app.rev);
    // The user's theme file: the view applies it on top of whichever built-in theme the app
    // shows; it may say which one to start with.
    let mut view = ui::ViewState::default();
    match ui::theme::load_user_file(paths::config_dir().as_deref()) {
        Ok(Some(user)) => {
            if let Some(name) = user.name.clone().filter(|n| ui::theme::BUILTIN.iter().any(|(b, _)| b == n)) {
                app.theme = name;
            }
            match ui::theme::Theme::with_user(&app.theme, Some(&user)).1.first() {
                Some(e) => app.error(format!("theme.ron: {e}")),
                None => app.info(format!("theme: {}", app.theme)),
            }
            view = ui::ViewState::new(Some(user));
        }
        Ok(None) => {}
        Err(e) => app.error(format!("theme.ron ignored: {e}")),
    }
    if let Some(p) = new_file {
        app.info(format!("new design: Ctrl-S saves it to {p}"));
    }
    app::files::clean_stale_temps(&app);
    app::update::offer_recovery(&mut app);

    // SIGTERM, SIGHUP and SIGINT (raw mode turns Ctrl-C into a key, but `kill -INT` still
    // arrives) and a hang-up of the terminal end the loop.
    let watch = Watch::start()?;
    let mut terminal = init()?;
    let restore_guard = Restore;
    let result = event_loop(&mut terminal, &mut app, &mut view, &watch);
    watch.loop_ended();
    if !app.should_quit {
        // Ended by a signal, a hang-up or a terminal error, not by the user: save what would be
        // lost before anything else; then give the terminal back.
        if app.dirty() && app.allow_io {
            let _ = app::files::write_recovery(&mut app);
        }
    }
    // A recovery file being written beside the UI lands before the process ends.
    app::files::settle(&mut app);
    drop(restore_guard);
    if let Some(code) = watch.exit_code() {
        std::process::exit(code);
    }
    result
}

/// `event::poll(0)`: only asks crossterm for what is already readable, so crossterm never
/// waits on the terminal itself (see [`hangup`]). A signal interrupting it is no error.
fn ready() -> io::Result<bool> {
    match event::poll(Duration::ZERO) {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(false),
        other => other,
    }
}

/// Draw a frame, then tell the app what it showed (where the panes went) when that changed.
fn draw(terminal: &mut DefaultTerminal, app: &mut App, view: &mut ui::ViewState) -> io::Result<()> {
    terminal.draw(|f| ui::view(f, app, view))?;
    let viewport = view.viewport();
    if viewport != app.viewport {
        app::update(app, Msg::Viewport(viewport));
    }
    Ok(())
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    view: &mut ui::ViewState,
    watch: &Watch,
) -> io::Result<()> {
    draw(terminal, app, view)?;
    if std::env::var_os("VPCRAFT_TEST_PANIC").is_some_and(|v| v == "1") {
        // For the end-to-end test of the panic hook only.
        panic!("VPCRAFT_TEST_PANIC: a deliberate panic after the first frame");
    }
    let mut last_tick = Instant::now();
    while !app.should_quit && !watch.stopping() {
        let tick = if app.trace_view.is_playing() { ANIM_TICK } else { TICK };
        let timeout = tick.saturating_sub(last_tick.elapsed());
        let mut redraw = false;
        let woke = watch.wait(timeout)?;
        if woke == Wake::Gone || watch.stopping() {
            break;
        }
        if watch.take_suspend() {
            suspend(terminal)?;
            redraw = true;
        }
        // Input, a resize (SIGWINCH, which crossterm turns into an event; asked for on every
        // wake, as its handler may run a moment after ours), or nothing: handle everything
        // already queued before drawing once.
        if ready()? {
            loop {
                // `ready` said an event is queued, so this read does not touch the terminal.
                let msgs = input::event(event::read()?).map_or_else(Vec::new, |ev| keymap::route_event(app, ev));
                if !msgs.is_empty() {
                    app::update::dispatch(app, msgs);
                    redraw = true;
                }
                if app.should_quit || watch.stopping() || !ready()? {
                    break;
                }
            }
        }
        if last_tick.elapsed() >= tick {
            app::update(app, Msg::Tick);
            last_tick = Instant::now();
            redraw = true;
        }
        if redraw && !app.should_quit && !watch.stopping() {
            draw(terminal, app, view)?;
        }
    }
    Ok(())
}
