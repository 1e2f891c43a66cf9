//! Noticing that the terminal went away (ssh drop, closed window, `tmux kill-session`) or that
//! a signal asks the app to end, and making sure the process then ends.
//!
//! crossterm 0.29's event source reads the terminal in a loop that only stops on data or
//! "would block": a read that returns 0 (end of input) or fails with EIO (the terminal is
//! gone) makes it spin forever inside `event::poll`, where no signal flag is ever looked at.
//! So the event loop never hands a wait to crossterm: it waits itself, with `poll(2)` on the
//! terminal and on a pipe that every signal writes to, and asks crossterm only for what is
//! already readable (`event::poll(0)`). A hang-up or error on the terminal ends the loop.
//!
//! The terminal can still die in the instant between our wait and crossterm's read; for that
//! (and anything else that keeps the loop from ending) a watchdog thread waits for the same
//! hang-up or signal, gives the loop [`GRACE`] to end, then swaps standard input for an empty
//! non-blocking socket so crossterm's read says "would block" and returns; only if the loop is
//! still running after another grace period does it restore what it can and exit itself.

use rustix::event::{poll, PollFd, PollFlags, Timespec};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP, SIGWINCH};
use std::io::{self, Read};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the watchdog lets the loop take to end after a hang-up or a signal, before it
/// unsticks crossterm, and again before it exits the process itself.
pub const GRACE: Duration = Duration::from_millis(700);

/// The signals that end the app.
const ENDING: [i32; 3] = [SIGTERM, SIGHUP, SIGINT];

/// Revents that mean the terminal is gone.
fn hung_up(flags: PollFlags) -> bool {
    flags.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// What ended a [`Watch::wait`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The terminal has input for crossterm.
    Input,
    /// A signal arrived (an ending one, or SIGWINCH, which crossterm turns into a resize).
    Signal,
    /// The terminal hung up or failed: end the loop.
    Gone,
    /// Nothing happened before the timeout.
    Timeout,
}

/// State shared between the loop and the watchdog.
#[derive(Default)]
struct Shared {
    /// The ending signal caught (0: none); set by the signal handler.
    caught: Arc<AtomicUsize>,
    /// The terminal hung up.
    gone: AtomicBool,
    /// The event loop has ended: the watchdog stands down.
    done: AtomicBool,
    /// SIGTSTP arrived (`kill -TSTP`): the loop gives the terminal back and stops.
    suspend: Arc<AtomicBool>,
}

/// The signal handlers, the wake-up pipe and the watchdog of one run of the app.
pub struct Watch {
    shared: Arc<Shared>,
    /// Read end: a byte arrives for each signal.
    wake: UnixStream,
}

impl Watch {
    /// Install the signal handlers and start the watchdog.
    pub fn start() -> io::Result<Watch> {
        let shared = Arc::new(Shared::default());
        for sig in ENDING {
            // Registered before the pipes, so the flag is set when a reader wakes up.
            signal_hook::flag::register_usize(sig, Arc::clone(&shared.caught), sig as usize)?;
        }
        let (wake, wake_tx) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let (dog, dog_tx) = UnixStream::pair()?;
        dog.set_nonblocking(true)?;
        for sig in ENDING {
            signal_hook::low_level::pipe::register(sig, wake_tx.try_clone()?)?;
            signal_hook::low_level::pipe::register(sig, dog_tx.try_clone()?)?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&shared.suspend))?;
        signal_hook::low_level::pipe::register(SIGTSTP, wake_tx.try_clone()?)?;
        signal_hook::low_level::pipe::register(SIGWINCH, wake_tx)?;
        drop(dog_tx);
        let for_dog = Arc::clone(&shared);
        std::thread::Builder::new().name("vpcraft-watchdog".into()).spawn(move || watchdog(&for_dog, dog))?;
        Ok(Watch { shared, wake })
    }

    /// The ending signal caught so far (0: none).
    pub fn caught(&self) -> usize {
        self.shared.caught.load(Ordering::Relaxed)
    }

    /// Whether the loop must end: an ending signal, or the terminal is gone.
    pub fn stopping(&self) -> bool {
        self.caught() != 0 || self.shared.gone.load(Ordering::Relaxed)
    }

    /// Wait up to `timeout` for terminal input, a signal or a hang-up. Never reads the terminal.
    pub fn wait(&self, timeout: Duration) -> io::Result<Wake> {
        if self.stopping() {
            return Ok(Wake::Signal);
        }
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::IN), PollFd::new(&self.wake, PollFlags::IN)];
        let ts = Timespec::try_from(timeout).unwrap_or(Timespec { tv_sec: 1, tv_nsec: 0 });
        match poll(&mut fds, Some(&ts)) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => return Ok(Wake::Signal),
            Err(e) => return Err(e.into()),
        }
        let (tty, woke) = (fds[0].revents(), fds[1].revents());
        if hung_up(tty) {
            self.shared.gone.store(true, Ordering::Relaxed);
            return Ok(Wake::Gone);
        }
        if !woke.is_empty() {
            drain(&self.wake);
            return Ok(Wake::Signal);
        }
        Ok(if tty.contains(PollFlags::IN) { Wake::Input } else { Wake::Timeout })
    }

    /// Whether SIGTSTP asked the app to stop since the last call.
    pub fn take_suspend(&self) -> bool {
        self.shared.suspend.swap(false, Ordering::Relaxed)
    }

    /// The event loop has ended; what remains (recovery file, restore) is the caller's.
    pub fn loop_ended(&self) {
        self.shared.done.store(true, Ordering::Relaxed);
    }

    /// The exit status when the loop ended for a signal (128 + it) or a hang-up (129, as for
    /// SIGHUP); `None` when it ended normally.
    pub fn exit_code(&self) -> Option<i32> {
        match self.caught() {
            0 if self.shared.gone.load(Ordering::Relaxed) => Some(128 + SIGHUP),
            0 => None,
            sig => Some(128 + sig as i32),
        }
    }
}

/// Read everything waiting in a non-blocking stream.
fn drain(mut s: &UnixStream) {
    let mut buf = [0u8; 64];
    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
}

/// Wait until the loop has ended, up to `limit`.
fn wait_done(shared: &Shared, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if shared.done.load(Ordering::Relaxed) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    shared.done.load(Ordering::Relaxed)
}

fn watchdog(shared: &Shared, signals: UnixStream) {
    let caught = &shared.caught;
    // Wait for a reason: a hang-up on the terminal (asked for with no events: poll reports
    // hang-ups and errors anyway) or an ending signal.
    loop {
        if shared.done.load(Ordering::Relaxed) {
            return;
        }
        let stdin = io::stdin();
        let mut fds = [PollFd::new(&stdin, PollFlags::empty()), PollFd::new(&signals, PollFlags::IN)];
        let _ = poll(&mut fds, Some(&Timespec { tv_sec: 0, tv_nsec: 500_000_000 }));
        if hung_up(fds[0].revents()) {
            shared.gone.store(true, Ordering::Relaxed);
            break;
        }
        drain(&signals);
        if caught.load(Ordering::Relaxed) != 0 {
            break;
        }
    }
    if wait_done(shared, GRACE) {
        return;
    }
    // The loop is stuck, most likely in crossterm's read of a dead terminal: give that read an
    // empty non-blocking socket instead, which says "would block", so crossterm returns to our
    // loop and the loop sees the flag. The other end stays open (leaked) so the read never
    // sees end of input.
    if let Ok((empty, other)) = UnixStream::pair() {
        if empty.set_nonblocking(true).is_ok() && rustix::stdio::dup2_stdin(empty.as_fd()).is_ok() {
            std::mem::forget(other);
        }
    }
    if wait_done(shared, GRACE) {
        return;
    }
    // Last resort: the loop cannot end. Restore what can be restored without waiting on a
    // terminal that may never answer, then exit. The recovery file is whatever autosave wrote.
    let restorer = std::thread::spawn(super::restore);
    let start = Instant::now();
    while !restorer.is_finished() && start.elapsed() < Duration::from_millis(300) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let sig = caught.load(Ordering::Relaxed);
    std::process::exit(128 + if sig == 0 { SIGHUP } else { sig as i32 });
}
