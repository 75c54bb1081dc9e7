//! Captures everything traced while a test runs, for redaction proofs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;

/// The text a TRACE-level `fmt` subscriber wrote, without timestamps (digits in a
/// timestamp could match a short sentinel by chance).
#[derive(Clone, Default)]
pub struct Traces(Arc<Mutex<Vec<u8>>>);

impl Traces {
    /// Starts capturing everything (TRACE) on this thread until the returned guard is
    /// dropped.
    pub fn capture() -> (Self, DefaultGuard) {
        Self::capture_at(tracing::Level::TRACE)
    }

    /// Starts capturing events and spans up to `level` on this thread (INFO is payspec's
    /// own `payspec.call` span and its events, without every library's internals).
    pub fn capture_at(level: tracing::Level) -> (Self, DefaultGuard) {
        let traces = Self::default();
        let writer = traces.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            // A line per closed span, with its fields: what `payspec.call` recorded.
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .without_time()
            .finish();
        (traces, tracing::subscriber::set_default(subscriber))
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

impl Write for Traces {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
