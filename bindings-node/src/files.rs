//! Automatic file handling with `@composio/core`'s result shape.
//!
//! Uploads use the engine ([`composio_core::files::upload_file_arguments`]).
//! Downloads follow the TypeScript SDK, which the engine's Python-shaped
//! download does not: every object anywhere in `result.data` with a string
//! `s3url` is downloaded to `<fileDownloadDir>/<toolSlug>_<ms><id>.<ext>`
//! and replaced by `{uri, file_downloaded, s3url, mimeType}`; a failed
//! download gives `{uri: "", file_downloaded: false, s3url, mimeType}`
//! instead of an error.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use composio_core::{Composio, Error as CoreError, Result as CoreResult};
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

/// Where downloads go when no `fileDownloadDir` was given.
pub fn default_download_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".composio").join("files"))
}

fn ext_from_mime(mime: &str) -> &'static str {
    let base = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match base.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "text/plain" => "txt",
        "text/markdown" => "md",
        "text/csv" => "csv",
        "text/html" => "html",
        "application/json" => "json",
        "application/zip" => "zip",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

fn short_id() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let counter = {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        N.fetch_add(1, Ordering::Relaxed)
    };
    format!("{:x}", (nanos ^ counter.wrapping_mul(2_654_435_761)) & 0xff_ffff)
}

fn safe_slug(slug: &str) -> String {
    slug.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

async fn download_one(
    client: &Composio,
    dir: &Path,
    tool_slug: &str,
    url: &str,
    mime: &str,
) -> CoreResult<PathBuf> {
    let parsed =
        url::Url::parse(url).map_err(|_| CoreError::File { message: "s3url is not a valid URL".into() })?;
    let response = client
        .transport()
        .http()
        .get(parsed)
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .map_err(|e| CoreError::File { message: format!("download failed: {e}") })?;
    if !response.status().is_success() {
        return Err(CoreError::File {
            message: format!("storage answered HTTP {}", response.status().as_u16()),
        });
    }
    let bytes =
        response.bytes().await.map_err(|e| CoreError::File { message: format!("download failed: {e}") })?;
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let name = format!("{}_{ms}{}.{}", safe_slug(tool_slug), short_id(), ext_from_mime(mime));
    let target = dir.join(name);
    let (d, t) = (dir.to_path_buf(), target.clone());
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&d)?;
        std::fs::write(&t, &bytes)
    })
    .await
    .map_err(|e| CoreError::internal(format!("file write task failed: {e}")))?
    .map_err(|e| CoreError::File { message: format!("cannot write {}: {e}", target.display()) })?;
    Ok(target)
}

/// Replaces every `{s3url}` object in `value` with the TypeScript SDK's
/// downloaded-file object.
pub fn hydrate<'a>(
    client: &'a Composio,
    dir: &'a Path,
    tool_slug: &'a str,
    value: Value,
) -> BoxFuture<'a, Value> {
    async move {
        match value {
            Value::Object(m) => {
                if let Some(url) = m.get("s3url").and_then(Value::as_str).map(str::to_string) {
                    let mime = m
                        .get("mimetype")
                        .and_then(Value::as_str)
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    return match download_one(client, dir, tool_slug, &url, &mime).await {
                        Ok(path) => json!({
                            "uri": path.to_string_lossy(), "file_downloaded": true, "s3url": url, "mimeType": mime
                        }),
                        Err(_) => json!({ "uri": "", "file_downloaded": false, "s3url": url, "mimeType": mime }),
                    };
                }
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    out.insert(k, hydrate(client, dir, tool_slug, v).await);
                }
                Value::Object(out)
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for v in items {
                    out.push(hydrate(client, dir, tool_slug, v).await);
                }
                Value::Array(out)
            }
            other => other,
        }
    }
    .boxed()
}
