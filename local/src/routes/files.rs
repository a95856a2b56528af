//! Files (wire contract §12): `POST /files/upload/request` answers with a presigned-style upload
//! URL served by composio-local itself, `PUT` on it stores the bytes in `<data>/files/`, and
//! `GET /files/list` lists the uploaded files. Tools that take a file read it by its `s3key`;
//! tools that return a file answer `{name, mimetype, s3url}` with a download URL served here too.
//!
//! Storage and download URLs are `/local-files/{id}?expires=…&signature=…`, signed with
//! HMAC-SHA256 under the data folder's API key (so they work without `x-api-key`, like S3
//! presigned URLs) and valid for one hour. Each file is two entries in `<data>/files/`:
//! `<id>.json` (metadata) and `<id>.bin` (the bytes). `s3key`s look like `local/<id>/<filename>`.

use std::path::{Path as FsPath, PathBuf};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::errors::{codes, ApiError};
use crate::extract::{reject_unknown, required_str, JsonObject, QueryParams};
use crate::AppState;

/// Largest file accepted by the storage URL (100 MiB).
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
/// How long storage and download URLs stay valid.
pub const URL_TTL_SECS: u64 = 3600;

/// Stored metadata of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// `file_…` id.
    pub id: String,
    /// The `s3key` tools receive.
    pub key: String,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub mimetype: String,
    /// Hex MD5 of the content (announced by the upload request, checked on upload).
    pub md5: String,
    /// Tool the file was uploaded for (or produced by).
    pub tool_slug: String,
    /// Toolkit of that tool.
    pub toolkit_slug: String,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// Whether the bytes are stored.
    pub uploaded: bool,
    /// Size in bytes, once uploaded.
    pub size: u64,
}

/// The file store in the data folder, with what it needs to sign URLs.
#[derive(Clone)]
pub struct FileStore {
    dir: PathBuf,
    base_url: String,
    signing_key: Vec<u8>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore").field("dir", &self.dir).field("base_url", &self.base_url).finish()
    }
}

/// Hex encoding of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

fn valid_id(id: &str) -> bool {
    id.strip_prefix("file_")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The last path component of `name`, if usable as a file name.
fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next()?.trim();
    if last.is_empty() || last == "." || last == ".." || last.chars().any(char::is_control) {
        return None;
    }
    Some(last.chars().take(200).collect())
}

fn io_err(what: &str, e: std::io::Error) -> ApiError {
    ApiError::internal(format!("{what}: {e}"))
}

impl FileStore {
    /// The store of a running server: `<data>/files`.
    pub fn for_state(state: &AppState) -> FileStore {
        let data_dir = state.db.path().parent().map(FsPath::to_path_buf).unwrap_or_default();
        FileStore {
            dir: data_dir.join("files"),
            base_url: state.base_url.to_string(),
            signing_key: state.api_key.as_bytes().to_vec(),
        }
    }

    fn meta_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn bin_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.bin"))
    }

    fn write_meta(&self, meta: &FileMeta) -> Result<(), ApiError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_err("creating the file store", e))?;
        let text = serde_json::to_vec_pretty(meta).map_err(ApiError::internal)?;
        let tmp = self.dir.join(format!("{}.json.tmp", meta.id));
        std::fs::write(&tmp, text).map_err(|e| io_err("writing file metadata", e))?;
        std::fs::rename(&tmp, self.meta_path(&meta.id)).map_err(|e| io_err("writing file metadata", e))
    }

    /// Load a file's metadata by id.
    pub fn meta(&self, id: &str) -> Result<Option<FileMeta>, ApiError> {
        if !valid_id(id) {
            return Ok(None);
        }
        match std::fs::read(self.meta_path(id)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| ApiError::internal(format!("stored metadata of file {id} is not JSON: {e}"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("reading file metadata", e)),
        }
    }

    /// Record an upload request; the bytes come later through the signed URL.
    pub fn request(
        &self,
        filename: &str,
        mimetype: &str,
        md5: &str,
        tool_slug: &str,
        toolkit_slug: &str,
    ) -> Result<FileMeta, ApiError> {
        let id = crate::ids::new_id("file");
        let meta = FileMeta {
            key: format!("local/{id}/{filename}"),
            id,
            filename: filename.to_owned(),
            mimetype: mimetype.to_owned(),
            md5: md5.to_ascii_lowercase(),
            tool_slug: tool_slug.to_owned(),
            toolkit_slug: toolkit_slug.to_owned(),
            created_at: crate::ids::now_iso(),
            uploaded: false,
            size: 0,
        };
        self.write_meta(&meta)?;
        Ok(meta)
    }

    /// Store the bytes of a requested file.
    pub fn store(&self, meta: &mut FileMeta, bytes: &[u8]) -> Result<(), ApiError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_err("creating the file store", e))?;
        let tmp = self.dir.join(format!("{}.bin.tmp", meta.id));
        std::fs::write(&tmp, bytes).map_err(|e| io_err("writing file content", e))?;
        std::fs::rename(&tmp, self.bin_path(&meta.id)).map_err(|e| io_err("writing file content", e))?;
        meta.uploaded = true;
        meta.size = bytes.len() as u64;
        self.write_meta(meta)
    }

    /// Store a file a tool produced; returns its metadata.
    pub fn store_new(
        &self,
        filename: &str,
        mimetype: &str,
        bytes: &[u8],
        tool_slug: &str,
        toolkit_slug: &str,
    ) -> Result<FileMeta, ApiError> {
        let name = safe_name(filename)
            .ok_or_else(|| ApiError::bad_request(format!("`{filename}` is not a usable file name")))?;
        let mut meta = self.request(&name, mimetype, &md5_hex(bytes), tool_slug, toolkit_slug)?;
        self.store(&mut meta, bytes)?;
        Ok(meta)
    }

    /// The content of an uploaded file, by the `s3key` a tool received. Errors are tool-level messages.
    pub fn read_by_key(&self, key: &str) -> Result<(FileMeta, Vec<u8>), String> {
        let not_uploaded = || {
            format!(
                "file `{key}` was not uploaded to this composio-local (request an upload URL with \
                 POST /api/v3/files/upload/request and PUT the bytes there first)"
            )
        };
        let id = key.split('/').nth(1).unwrap_or_default();
        let meta = self.meta(id).map_err(|e| e.message)?.filter(|m| m.key == key).ok_or_else(not_uploaded)?;
        if !meta.uploaded {
            return Err(not_uploaded());
        }
        let bytes =
            std::fs::read(self.bin_path(&meta.id)).map_err(|e| format!("reading file `{key}`: {e}"))?;
        Ok((meta, bytes))
    }

    /// All files, oldest first.
    pub fn list(&self) -> Result<Vec<FileMeta>, ApiError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err("listing the file store", e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_err("listing the file store", e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".json") {
                if let Some(meta) = self.meta(id)? {
                    out.push(meta);
                }
            }
        }
        out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    fn signature(&self, method: &str, id: &str, expires: u64) -> String {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.signing_key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(format!("{method}\n{id}\n{expires}").as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    fn signed_url(&self, method: &str, id: &str) -> String {
        let expires = crate::ids::now_unix() + URL_TTL_SECS;
        format!(
            "{}/local-files/{id}?expires={expires}&signature={}",
            self.base_url,
            self.signature(method, id, expires)
        )
    }

    /// The presigned-style URL to `PUT` a requested file's bytes to.
    pub fn upload_url(&self, id: &str) -> String {
        self.signed_url("PUT", id)
    }

    /// A URL to `GET` a stored file (the `s3url` of tool results).
    pub fn download_url(&self, id: &str) -> String {
        self.signed_url("GET", id)
    }

    /// The `{name, mimetype, s3url}` object tools return for a stored file.
    pub fn result_object(&self, meta: &FileMeta) -> Value {
        json!({"name": meta.filename, "mimetype": meta.mimetype, "s3url": self.download_url(&meta.id)})
    }

    fn check_signature(&self, method: &str, id: &str, q: &Signed) -> Result<(), ApiError> {
        let forbidden = |m: &str| ApiError::new(StatusCode::FORBIDDEN, codes::BAD_REQUEST, m.to_owned());
        let (Some(expires), Some(sig)) = (q.expires, q.signature.as_deref()) else {
            return Err(forbidden(
                "this storage URL is not signed (query parameters `expires` and `signature` are required)",
            ));
        };
        if !crate::secrets::same_secret(&self.signature(method, id, expires), sig) {
            return Err(forbidden(&format!("the signature of this storage URL is not valid for {method}")));
        }
        if expires < crate::ids::now_unix() {
            return Err(forbidden("this storage URL has expired; request a new one"));
        }
        Ok(())
    }
}

fn file_not_found(id: &str) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, codes::FILE_NOT_FOUND, format!("File not found: no file `{id}`"))
}

/// `POST /files/upload/request` — `{toolkit_slug, tool_slug, filename, mimetype, md5}` (all required).
pub async fn upload_request(
    State(state): State<AppState>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["toolkit_slug", "tool_slug", "filename", "mimetype", "md5"], "")?;
    let toolkit_slug = required_str(&body, "toolkit_slug")?;
    let tool_slug = required_str(&body, "tool_slug")?;
    let filename = required_str(&body, "filename")?;
    let mimetype = required_str(&body, "mimetype")?;
    let md5 = required_str(&body, "md5")?;
    let name = safe_name(&filename).ok_or_else(|| {
        ApiError::bad_request(format!("field `filename` must be a file name, got `{filename}`"))
    })?;
    if name != filename.trim() {
        return Err(ApiError::bad_request(format!(
            "field `filename` must be a bare file name without folders, got `{filename}`"
        )));
    }
    let (kind, sub) = mimetype.split_once('/').unwrap_or_default();
    if kind.is_empty() || sub.is_empty() || mimetype.contains(char::is_whitespace) {
        return Err(ApiError::bad_request(format!(
            "field `mimetype` must be a MIME type like `text/plain`, got `{mimetype}`"
        )));
    }
    if md5.len() != 32 || !md5.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ApiError::bad_request(format!(
            "field `md5` must be the 32-character hex MD5 of the file, got `{md5}`"
        )));
    }
    let store = FileStore::for_state(&state);
    let meta = tokio::task::spawn_blocking(move || {
        store.request(&name, &mimetype, &md5, &tool_slug, &toolkit_slug).map(|m| (m, store))
    })
    .await
    .map_err(ApiError::internal)??;
    let (meta, store) = meta;
    let url = store.upload_url(&meta.id);
    Ok(Json(json!({
        "id": meta.id,
        "key": meta.key,
        "type": "new",
        "new_presigned_url": url,
        "newPresignedUrl": url,
        "metadata": {"storage_backend": "s3"},
    })))
}

/// `GET /files/list` — `toolkit_slug`, `tool_slug`, `limit`, `cursor`.
pub async fn list(State(state): State<AppState>, query: QueryParams) -> Result<Json<Value>, ApiError> {
    crate::routes::warn_unknown_params(
        &query,
        &["toolkit_slug", "tool_slug", "limit", "cursor"],
        "GET /files/list",
    );
    let store = FileStore::for_state(&state);
    let all = tokio::task::spawn_blocking(move || store.list()).await.map_err(ApiError::internal)??;
    let toolkit = query.get("toolkit_slug").map(str::to_owned);
    let tool = query.get("tool_slug").map(str::to_owned);
    let items: Vec<Value> = all
        .into_iter()
        .filter(|m| m.uploaded)
        .filter(|m| toolkit.as_ref().is_none_or(|t| m.toolkit_slug.eq_ignore_ascii_case(t)))
        .filter(|m| tool.as_ref().is_none_or(|t| m.tool_slug.eq_ignore_ascii_case(t)))
        .map(|m| {
            json!({"toolkit_slug": m.toolkit_slug, "tool_slug": m.tool_slug, "filename": m.filename,
                   "mimetype": m.mimetype, "md5": m.md5, "key": m.key, "size": m.size, "created_at": m.created_at})
        })
        .collect();
    Ok(Json(crate::routes::paginate(items, &query, 20)?))
}

/// Query of a signed storage URL.
#[derive(Debug, Deserialize)]
pub struct Signed {
    expires: Option<u64>,
    signature: Option<String>,
}

/// `PUT /local-files/{id}?expires&signature` — store the bytes (MD5 and Content-Type must match
/// the upload request).
async fn put_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Signed>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let store = FileStore::for_state(&state);
    store.check_signature("PUT", &id, &q)?;
    let mut meta = store.meta(&id)?.ok_or_else(|| file_not_found(&id))?;
    if let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        let base = ct.split(';').next().unwrap_or_default().trim();
        if !base.eq_ignore_ascii_case(&meta.mimetype) {
            return Err(ApiError::bad_request(format!(
                "Content-Type `{base}` does not match the mimetype `{}` of the upload request",
                meta.mimetype
            )));
        }
    }
    let actual = md5_hex(&body);
    if actual != meta.md5 {
        return Err(ApiError::bad_request(format!(
            "the uploaded bytes have MD5 {actual}, but the upload request announced {}",
            meta.md5
        )));
    }
    tokio::task::spawn_blocking(move || store.store(&mut meta, &body))
        .await
        .map_err(ApiError::internal)??;
    Ok(StatusCode::OK)
}

/// `GET /local-files/{id}?expires&signature` — the stored bytes.
async fn get_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<Signed>,
) -> Result<Response, ApiError> {
    let store = FileStore::for_state(&state);
    store.check_signature("GET", &id, &q)?;
    let meta = store.meta(&id)?.filter(|m| m.uploaded).ok_or_else(|| file_not_found(&id))?;
    let key = meta.key.clone();
    let (meta, bytes) = tokio::task::spawn_blocking(move || store.read_by_key(&key))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let disposition = format!("attachment; filename=\"{}\"", meta.filename.replace(['"', '\\'], "_"));
    Ok(([(header::CONTENT_TYPE, meta.mimetype.clone()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// The storage routes (outside the API; authorised by their signature).
pub fn storage_routes() -> Router<AppState> {
    Router::new()
        .route("/local-files/{id}", get(get_file).put(put_file))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids() {
        assert_eq!(safe_name("a/b/c.txt").unwrap(), "c.txt");
        assert!(safe_name("..").is_none());
        assert!(valid_id("file_abc123"));
        assert!(!valid_id("file_../x"));
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }
}
