//! Forwards the engine's `tracing` events to Python's `logging`, under the
//! `composio_rs` logger.
//!
//! Cheap by design: the logger's effective level is cached in an atomic
//! (refreshed at import, whenever a client is built, and by
//! `composio_rs.set_log_level`), so events below it are filtered out by
//! `tracing` itself without touching Python. Only events at or above it
//! take the GIL, briefly, to call `logger.log(level, message)`.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Once;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Python's numeric level below which nothing is forwarded (WARNING).
static THRESHOLD: AtomicU8 = AtomicU8::new(30);
static INSTALL: Once = Once::new();
static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn py_level(l: &Level) -> u8 {
    match *l {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

struct PyLogLayer;

#[derive(Default)]
struct Msg {
    message: String,
    fields: String,
}

impl Visit for Msg {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={}", field.name(), value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={:?}", field.name(), value);
        }
    }
}

impl<S: Subscriber> Layer<S> for PyLogLayer {
    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        py_level(metadata.level()) >= THRESHOLD.load(Ordering::Relaxed)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let level = py_level(event.metadata().level());
        if level < THRESHOLD.load(Ordering::Relaxed) {
            return;
        }
        let mut msg = Msg::default();
        event.record(&mut msg);
        let text = format!("{}{} [{}]", msg.message, msg.fields, event.metadata().target());
        Python::attach(|py| {
            let logger = LOGGER.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
                Ok(py.import("logging")?.call_method1("getLogger", ("composio_rs",))?.unbind())
            });
            if let Ok(logger) = logger {
                let _ = logger.bind(py).call_method1("log", (level, text));
            }
        });
    }
}

/// Installs the forwarding layer (once per process) and sets the level.
#[pyfunction]
pub fn set_log_level(level: u8) {
    THRESHOLD.store(level.max(1), Ordering::Relaxed);
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(PyLogLayer);
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    tracing::callsite::rebuild_interest_cache();
}

/// Emits one event at a Python level (tests).
#[pyfunction]
pub fn _log_for_tests(level: u8, message: &str) {
    match level {
        40.. => tracing::error!("{message}"),
        30..=39 => tracing::warn!("{message}"),
        20..=29 => tracing::info!("{message}"),
        _ => tracing::debug!("{message}"),
    }
}
