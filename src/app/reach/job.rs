//! Work that runs beside the UI: one thread per job, its answer collected by polling, so a
//! large design's matrix never blocks keys.

use std::sync::mpsc::{channel, Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// A computation running on its own thread.
#[derive(Debug)]
pub struct Job<T> {
    rx: Receiver<T>,
    pub started: Instant,
    /// What it computes, for the progress line ("the matrix for tcp/22").
    pub what: String,
}

impl<T: Send + 'static> Job<T> {
    /// Start `f` on a thread.
    pub fn spawn(what: impl Into<String>, f: impl FnOnce() -> T + Send + 'static) -> Job<T> {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            // The receiver may be gone (the job was dropped): nothing to do then.
            let _ = tx.send(f());
        });
        Job { rx, started: Instant::now(), what: what.into() }
    }

    /// The answer, when it is ready. A job whose thread died (a panic) answers `Err`.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.rx.try_recv() {
            Ok(t) => Some(Ok(t)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(format!("{} stopped unexpectedly", self.what))),
        }
    }

    /// Wait for the answer (tests, and callers that cannot go on without it), at most `limit`.
    pub fn wait(&self, limit: Duration) -> Option<Result<T, String>> {
        match self.rx.recv_timeout(limit) {
            Ok(t) => Some(Ok(t)),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => None,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                Some(Err(format!("{} stopped unexpectedly", self.what)))
            }
        }
    }

    /// How long it has run, for the progress line.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
