//! The one tokio runtime of the process, and the bridges from Rust futures
//! to Python (blocking with the GIL released, or an asyncio awaitable).
//!
//! Why it looks like this:
//! * One lazily built multi-thread runtime serves every client in the
//!   process (the architecture rule: each binding owns one runtime).
//! * It is **fork-aware**: the runtime remembers the pid that built it. A
//!   forked child (where the runtime's worker threads do not exist) sees a
//!   different pid, leaks the parent's runtime on purpose (dropping it would
//!   wait for threads that are gone) and builds a fresh one. The check is a
//!   `getpid` and a mutex per call, so no `pthread_atfork` hook (and no
//!   `unsafe`) is needed. A lock copied into the child while held would
//!   deadlock it, so the runtime slot (and the client's state in
//!   `client.rs`) is only locked by threads holding the GIL, which
//!   `os.fork()` holds too: tasks the asyncio bridge spawns from the
//!   runtime's own threads use the current runtime handle instead.
//! * Sync calls run `py.detach(|| runtime.block_on(fut))`: the GIL is
//!   released while the engine works, so Python callbacks (modifiers, custom
//!   tools) can take it from the blocking pool. A sync call made from a
//!   thread that is already inside the runtime (a custom tool calling
//!   `composio.tools.execute`) runs on a scoped helper thread instead of
//!   nesting `block_on` (which would panic).
//! * Async calls go through pyo3-async-runtimes' generic bridge with this
//!   runtime; no thread per call, and the GIL is never held across an await.
//! * Every future is wrapped in `catch_unwind`: a panic becomes
//!   `Error::Internal` (Python `ComposioError` with code `INTERNAL_ERROR`),
//!   never a `PanicException`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use composio_core::Error;
use futures::FutureExt;
use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::Runtime as TokioRuntime;

use crate::errors::to_pyerr;

struct Slot {
    pid: u32,
    runtime: Arc<TokioRuntime>,
}

static RUNTIME: Mutex<Option<Slot>> = Mutex::new(None);

/// The name of every thread of the runtime (workers and blocking pool).
const THREAD_NAME: &str = "composio-rs";

/// The current runtime's handle when called on one of our runtime's
/// threads (never another library's runtime), without locking the slot.
fn own_runtime_handle() -> Option<tokio::runtime::Handle> {
    if std::thread::current().name() != Some(THREAD_NAME) {
        return None;
    }
    tokio::runtime::Handle::try_current().ok()
}

fn build() -> PyResult<Arc<TokioRuntime>> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(THREAD_NAME)
        .build()
        .map(Arc::new)
        .map_err(|e| to_pyerr_plain(Error::internal(format!("could not start the tokio runtime: {e}"))))
}

fn to_pyerr_plain(e: Error) -> PyErr {
    Python::attach(|py| to_pyerr(py, e))
}

/// The process runtime, rebuilt in a forked child.
pub fn runtime() -> PyResult<Arc<TokioRuntime>> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = slot.as_ref() {
        if s.pid == pid {
            return Ok(s.runtime.clone());
        }
    }
    if let Some(old) = slot.take() {
        // The parent's runtime: its threads do not exist in this process.
        // Dropping it would block on them, so it is leaked deliberately.
        std::mem::forget(old.runtime);
    }
    let rt = build()?;
    *slot = Some(Slot { pid, runtime: rt.clone() });
    Ok(rt)
}

/// Wraps a future so that a panic inside it becomes `Error::Internal`.
pub async fn guarded<T, F>(fut: F) -> composio_core::Result<T>
where
    F: Future<Output = composio_core::Result<T>>,
{
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(r) => r,
        Err(panic) => Err(Error::internal(format!("panic in the engine: {}", panic_message(&*panic)))),
    }
}

/// The text of a panic payload.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `fut` to completion with the GIL released and converts the result.
pub fn block_on<T, F, C>(py: Python<'_>, fut: F, convert: C) -> PyResult<Py<PyAny>>
where
    F: Future<Output = composio_core::Result<T>> + Send,
    T: Send,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>>,
{
    let rt = runtime()?;
    let result: composio_core::Result<T> = py.detach(|| {
        if tokio::runtime::Handle::try_current().is_ok() {
            // Already inside the runtime (a callback calling back into the
            // SDK): block on a helper thread instead of nesting block_on.
            std::thread::scope(|s| {
                s.spawn(|| rt.block_on(guarded(fut)))
                    .join()
                    .unwrap_or_else(|p| Err(Error::internal(format!("panic: {}", panic_message(&*p)))))
            })
        } else {
            rt.block_on(guarded(fut))
        }
    });
    match result {
        Ok(v) => convert(py, v),
        Err(e) => Err(to_pyerr(py, e)),
    }
}

/// Returns an asyncio awaitable for `fut`; the conversion runs with the GIL
/// briefly taken when the future completes.
pub fn awaitable<'py, T, F, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = composio_core::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    runtime()?;
    pyo3_async_runtimes::generic::future_into_py::<ComposioRuntime, _, _>(py, async move {
        let result = guarded(fut).await;
        Python::attach(|py| match result {
            Ok(v) => convert(py, v),
            Err(e) => Err(to_pyerr(py, e)),
        })
    })
}

/// Runs `fut` either blocking (sync API) or as an awaitable (async API).
pub fn run<T, F, C>(py: Python<'_>, is_async: bool, fut: F, convert: C) -> PyResult<Py<PyAny>>
where
    F: Future<Output = composio_core::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    if is_async {
        Ok(awaitable(py, fut, convert)?.unbind())
    } else {
        block_on(py, fut, convert)
    }
}

/// Runs a Python callback on the runtime's blocking pool (never on a worker
/// thread), with the GIL taken there.
pub async fn call_python<T, F>(f: F) -> composio_core::Result<T>
where
    F: FnOnce(Python<'_>) -> composio_core::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let handle = match tokio::runtime::Handle::try_current() {
        Ok(h) => h,
        Err(_) => return Python::attach(f),
    };
    match handle.spawn_blocking(move || Python::attach(f)).await {
        Ok(r) => r,
        Err(e) if e.is_panic() => Err(Error::internal(format!(
            "panic in a Python callback bridge: {}",
            panic_message(&*e.into_panic())
        ))),
        Err(e) => Err(Error::internal(format!("Python callback task failed: {e}"))),
    }
}

// ---------------------------------------------------------------------------
// pyo3-async-runtimes glue over our fork-aware runtime

tokio::task_local! {
    static TASK_LOCALS: std::cell::OnceCell<TaskLocals>;
}

/// The runtime type handed to pyo3-async-runtimes' generic bridge.
pub struct ComposioRuntime;

/// A join error of a task spawned by the bridge.
pub struct ComposioJoinError(tokio::task::JoinError);

impl JoinError for ComposioJoinError {
    fn is_panic(&self) -> bool {
        self.0.is_panic()
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        self.0.into_panic()
    }
}

type BoxJoin = Pin<Box<dyn Future<Output = Result<(), ComposioJoinError>> + Send>>;

fn spawn_on_runtime<F>(fut: F) -> BoxJoin
where
    F: Future<Output = ()> + Send + 'static,
{
    // On a runtime thread (no GIL held): spawn there without touching the
    // slot's lock (see the module docs on fork).
    if let Some(h) = own_runtime_handle() {
        let j = h.spawn(fut);
        return Box::pin(async move { j.await.map_err(ComposioJoinError) });
    }
    match runtime() {
        Ok(rt) => {
            let h = rt.spawn(fut);
            Box::pin(async move { h.await.map_err(ComposioJoinError) })
        }
        Err(_) => Box::pin(async { Ok(()) }),
    }
}

impl Runtime for ComposioRuntime {
    type JoinError = ComposioJoinError;
    type JoinHandle = BoxJoin;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        spawn_on_runtime(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        if let Some(h) = own_runtime_handle() {
            let j = h.spawn_blocking(f);
            return Box::pin(async move { j.await.map_err(ComposioJoinError) });
        }
        match runtime() {
            Ok(rt) => {
                let h = rt.spawn_blocking(f);
                Box::pin(async move { h.await.map_err(ComposioJoinError) })
            }
            Err(_) => Box::pin(async { Ok(()) }),
        }
    }
}

impl ContextExt for ComposioRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = std::cell::OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS.try_with(|c| c.get().cloned()).unwrap_or_default()
    }
}
