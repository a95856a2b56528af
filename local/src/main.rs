//! The `composio-local` binary: `composio-local serve [--port N] [--data DIR] [--host ADDR]`.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use composio_local::{default_data_dir, spawn, LocalOptions};

const USAGE: &str = "\
composio-local — a Composio-compatible backend on your own machine

USAGE:
    composio-local serve [--port N] [--data DIR] [--host ADDR] [--bench-toolkits]

OPTIONS:
    --port N      port to listen on (default 9900; 0 picks a free port)
    --data DIR    data folder (default $XDG_DATA_HOME/composio-local or ~/.local/share/composio-local)
    --host ADDR   address to listen on (default 127.0.0.1)
    --bench-toolkits
                  also serve the benchmark toolkits bench50, bench500 and bench2000 (no-auth tools
                  with ~8 KB schemas, version 20251201_00; also COMPOSIO_LOCAL_BENCH_TOOLKITS=1)
    -h, --help    show this help
    -V, --version show the version

On start, the first lines of standard output are
    COMPOSIO_BASE_URL=http://127.0.0.1:PORT
    COMPOSIO_API_KEY=<the data folder's development key>
    COMPOSIO_LOCAL_DATA_DIR=<the data folder>
Set COMPOSIO_LOCAL_LOG=debug|info|warn|error for more or less logging on standard error.
COMPOSIO_LOCAL_ACCESS_TOKEN_TTL and COMPOSIO_LOCAL_LINK_TTL (seconds, default 3600) set the lifetime
of the built-in OAuth2 server's access tokens and of connect links.
Webhook deliveries are retried with exponential backoff: COMPOSIO_LOCAL_WEBHOOK_RETRY_INITIAL_MS
(default 1000), COMPOSIO_LOCAL_WEBHOOK_RETRY_MAX_MS (default 60000) and
COMPOSIO_LOCAL_WEBHOOK_MAX_ATTEMPTS (default 8). Pending deliveries survive restarts.
Stored credentials, tokens and webhook secrets are encrypted with the key in DIR/secret.key
(created with mode 0600; keep it with the data folder). SIGTERM or Ctrl-C stops the server cleanly.
";

/// Default port, the one the official SDKs' `environment="local"` points at.
const DEFAULT_PORT: u16 = 9900;

#[derive(Debug)]
struct ServeArgs {
    port: u16,
    data: Option<PathBuf>,
    host: Option<IpAddr>,
}

enum Command {
    Serve(ServeArgs),
    Help,
    Version,
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut iter = args.iter();
    match iter.next().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => return Ok(Command::Help),
        Some("-V" | "--version") => return Ok(Command::Version),
        Some("serve") => {}
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let mut serve = ServeArgs { port: DEFAULT_PORT, data: None, host: None };
    while let Some(arg) = iter.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |flag: &str| -> Result<String, String> {
            inline.clone().or_else(|| iter.next().cloned()).ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match name {
            "--port" | "-p" => {
                let v = value("--port")?;
                serve.port =
                    v.parse().map_err(|_| format!("`--port` must be a number from 0 to 65535, got `{v}`"))?;
            }
            "--data" | "-d" => serve.data = Some(PathBuf::from(value("--data")?)),
            "--host" => {
                let v = value("--host")?;
                serve.host =
                    Some(v.parse().map_err(|_| format!("`--host` must be an IP address, got `{v}`"))?);
            }
            "--bench-toolkits" => composio_local::toolkits::bench::enable(),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Command::Serve(serve))
}

fn init_logging() {
    let level = match std::env::var("COMPOSIO_LOCAL_LOG").unwrap_or_default().to_lowercase().as_str() {
        "trace" => tracing::Level::TRACE,
        "debug" => tracing::Level::DEBUG,
        "warn" | "warning" => tracing::Level::WARN,
        "error" => tracing::Level::ERROR,
        _ => tracing::Level::INFO,
    };
    use std::io::IsTerminal;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .try_init();
}

/// Resolves when SIGTERM or SIGINT (Ctrl-C) arrives. The handlers are
/// registered when this is *called*, not when it is first polled, so a stop
/// signal sent right after the ready lines are printed is never lost to the
/// default action.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                (Ok(mut term), Err(_)) => {
                    let _ = term.recv().await;
                }
                (Err(_), Ok(mut int)) => {
                    let _ = int.recv().await;
                }
                (Err(_), Err(_)) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

async fn serve(args: ServeArgs) -> Result<(), String> {
    let data_dir = match args.data {
        Some(d) => d,
        None => default_data_dir().map_err(|e| e.to_string())?,
    };
    let mut options = LocalOptions::default().with_port(args.port).with_data_dir(data_dir);
    if let Some(host) = args.host {
        options.host = host;
    }
    // Handlers first, then unblock: a stop signal that was pending while
    // blocked, or arrives at any later point, reaches the handler.
    let stop = shutdown_signal();
    unblock_stop_signals();
    let server = spawn(options).await.map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "COMPOSIO_BASE_URL={}", server.url())
        .and_then(|()| writeln!(out, "COMPOSIO_API_KEY={}", server.api_key()))
        .and_then(|()| writeln!(out, "COMPOSIO_LOCAL_DATA_DIR={}", server.data_dir().display()))
        .and_then(|()| out.flush())
        .map_err(|e| format!("writing to standard output: {e}"))?;
    drop(out);
    eprintln!(
        "composio-local is serving {} (API under /api/v3 and /api/v3.1); press Ctrl-C to stop",
        server.url()
    );
    stop.await;
    eprintln!("composio-local: shutting down");
    server.shutdown().await;
    Ok(())
}

/// A launcher may hand us SIGTERM/SIGINT blocked (Foundation's `Process` passes on the blocked mask of
/// the thread that starts it, and XCTest threads block both); a blocked signal stays pending forever,
/// so `serve` would never stop. Unblock them on this thread, which then receives them.
fn unblock_stop_signals() {
    #[cfg(unix)]
    {
        use nix::sys::signal::{pthread_sigmask, SigSet, SigmaskHow, Signal};
        let mut set = SigSet::empty();
        set.add(Signal::SIGTERM);
        set.add(Signal::SIGINT);
        if let Err(e) = pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None) {
            tracing::warn!(error = %e, "could not unblock SIGTERM/SIGINT");
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Command::Help) => {
            let _ = std::io::stdout().write_all(USAGE.as_bytes());
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            let _ = writeln!(std::io::stdout(), "composio-local {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Command::Serve(serve_args)) => {
            init_logging();
            match serve(serve_args).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("composio-local: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            eprintln!("composio-local: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
