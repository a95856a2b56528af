//! Automatic upload of file arguments and download of file results (wire
//! contract §12). Used by [`crate::tools::Tools::execute`] (and the
//! session execute paths) and [`crate::tools::Tools::get`] only when
//! [`crate::ComposioConfig::auto_upload_download_files`] is on (or, for
//! executions, when [`crate::modifiers::Modifiers::with_auto_files`] turns
//! it on). The [`BeforeFileUpload`] hook travels with the modifiers
//! ([`crate::modifiers::Modifiers::with_before_file_upload`]).
//!
//! **Upload.** Every argument whose schema property carries
//! `"file_uploadable": true` (found through `properties`, `anyOf`, `oneOf`,
//! `allOf` and `items`) is read from a local path or an `http(s)` URL, its MD5
//! is computed, a presigned URL is requested with
//! `POST /files/upload/request {filename, mimetype, md5, tool_slug,
//! toolkit_slug}`, the bytes are `PUT` there (answers of type `new` and
//! `update`; `existing` needs no upload) and the argument is replaced by
//! `{name, mimetype, s3key}`. Null or empty values of such arguments are
//! removed. URLs are fetched without following redirects and may be at most
//! [`MAX_URL_DOWNLOAD_BYTES`] long.
//!
//! **Sensitive paths.** Local files are refused when any path component is
//! one of [`SENSITIVE_DIRECTORIES`], the file name is one of
//! [`SENSITIVE_FILE_NAMES`] (or starts with `.env.`), the path is under one
//! of [`SENSITIVE_SYSTEM_PATHS`], or it is `~/.composio/user_data.json`
//! (which holds an API key). Both the path as given and the path with
//! symlinks resolved are checked, before the file is opened.
//!
//! **Download.** The execution result `{data, error, successful}` is walked
//! against the tool's `output_parameters` (when those do not describe a
//! top-level `data` property, `data` itself is walked against them). Every
//! `file_downloadable` value that is an object with an `s3url` is fetched and
//! written to `<file_download_dir>/<toolkit>/<tool>/<name>` (default
//! directory `$COMPOSIO_CACHE_DIR/files`, else `~/.composio/files`), and the
//! value is replaced by the local path string. The TypeScript SDK's shape
//! (schema-agnostic, `{uri, file_downloaded, s3url, mimeType}`, failures
//! reported in the object) is [`download_file_results_as`] with
//! [`Flavor::TypeScript`] and [`hydrate_file_results`].
//!
//! Every failure is [`Error::File`] naming the file (paths, or URLs without
//! their query string; presigned URLs are never shown).

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::models::{Tool, ToolExecuteResponse};
use crate::providers::Flavor;
use crate::transport::ApiRequest;
use crate::Composio;

/// Largest file fetched from a URL for upload (100 MB).
pub const MAX_URL_DOWNLOAD_BYTES: u64 = 100 * 1024 * 1024;

/// Directory names that make a path sensitive wherever they appear.
pub const SENSITIVE_DIRECTORIES: &[&str] =
    &[".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure", ".password-store", ".gcloud"];

/// File names that are never uploaded (compared case-insensitively; names
/// starting with `.env.` are refused too).
pub const SENSITIVE_FILE_NAMES: &[&str] = &[
    ".env",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".pgpass",
    ".git-credentials",
    ".vault-token",
];

/// System paths (files or directory prefixes) that are never uploaded.
pub const SENSITIVE_SYSTEM_PATHS: &[&str] =
    &["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/master.passwd", "/etc/ssh"];

// ---------------------------------------------------------------------------
// JSON pointer helpers

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

fn describe(ptr: &[Seg]) -> String {
    let mut s = String::new();
    for seg in ptr {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn get_mut<'a>(root: &'a mut Value, ptr: &[Seg]) -> Option<&'a mut Value> {
    let mut cur = root;
    for seg in ptr {
        cur = match seg {
            Seg::Key(k) => cur.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn flag(schema: &Value, name: &str) -> bool {
    schema.get(name).and_then(Value::as_bool).unwrap_or(false)
}

/// A visitor of [`walk`]: returns `true` when the sub-schema was handled and
/// must not be descended into.
type Visitor<'a> = dyn FnMut(&Value, &Value, &[Seg]) -> Result<bool> + 'a;

/// Calls `f` on every sub-schema reached through `properties`, `anyOf`,
/// `oneOf`, `allOf` and `items` together with the matching part of `value`.
fn walk(schema: &Value, value: &Value, ptr: &mut Vec<Seg>, f: &mut Visitor<'_>) -> Result<()> {
    if !schema.is_object() {
        return Ok(());
    }
    if f(schema, value, ptr)? {
        return Ok(());
    }
    if let (Some(props), Some(obj)) = (schema.get("properties").and_then(Value::as_object), value.as_object())
    {
        for (k, sub) in props {
            if let Some(v) = obj.get(k) {
                ptr.push(Seg::Key(k.clone()));
                walk(sub, v, ptr, f)?;
                ptr.pop();
            }
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(variants) = schema.get(key).and_then(Value::as_array) {
            for variant in variants {
                walk(variant, value, ptr, f)?;
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            ptr.push(Seg::Index(i));
            walk(items, v, ptr, f)?;
            ptr.pop();
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Schema rewrite (§12.2)

/// Replaces every `file_uploadable` property (through `properties`, `anyOf`,
/// `oneOf`, `allOf` and `items`) by `{"type": "string", "format": "path",
/// "description", "title", "file_uploadable": true}` so that a model supplies
/// a local path or URL. Used by `tools.get` when automatic file handling is
/// on.
pub fn rewrite_file_schema(schema: &mut Value) {
    let Some(obj) = schema.as_object_mut() else { return };
    if obj.get("file_uploadable").and_then(Value::as_bool).unwrap_or(false) {
        let description = obj
            .get("description")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty())
            .unwrap_or("Path to file.")
            .to_string();
        let title = obj.get("title").cloned();
        let mut out = Map::new();
        out.insert("type".into(), json!("string"));
        out.insert("format".into(), json!("path"));
        out.insert("description".into(), Value::String(description));
        if let Some(t) = title {
            out.insert("title".into(), t);
        }
        out.insert("file_uploadable".into(), Value::Bool(true));
        *obj = out;
        return;
    }
    if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        for sub in props.values_mut() {
            rewrite_file_schema(sub);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(variants) = obj.get_mut(key).and_then(Value::as_array_mut) {
            for v in variants {
                rewrite_file_schema(v);
            }
        }
    }
    if let Some(items) = obj.get_mut("items") {
        rewrite_file_schema(items);
    }
}

/// Whether [`rewrite_file_schema`] would change this schema: a
/// `file_uploadable` object is reachable through `properties`, `anyOf`,
/// `oneOf`, `allOf` or `items` (the paths the rewrite follows). Lets callers
/// skip copying schemas that have no file arguments.
pub fn needs_file_rewrite(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else { return false };
    if obj.get("file_uploadable").and_then(Value::as_bool).unwrap_or(false) {
        return true;
    }
    if obj.get("properties").and_then(Value::as_object).is_some_and(|p| p.values().any(needs_file_rewrite)) {
        return true;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if obj.get(key).and_then(Value::as_array).is_some_and(|v| v.iter().any(needs_file_rewrite)) {
            return true;
        }
    }
    obj.get("items").is_some_and(needs_file_rewrite)
}

/// Whether a schema has any `file_uploadable` property.
pub fn has_file_uploadable(schema: &Value) -> bool {
    match schema {
        Value::Object(o) => {
            o.get("file_uploadable").and_then(Value::as_bool).unwrap_or(false)
                || o.values().any(has_file_uploadable)
        }
        Value::Array(a) => a.iter().any(has_file_uploadable),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Upload (§12.3)

enum UploadAction {
    Upload(Vec<Seg>, String),
    Remove(Vec<Seg>),
}

impl UploadAction {
    fn ptr(&self) -> &[Seg] {
        match self {
            UploadAction::Upload(p, _) | UploadAction::Remove(p) => p,
        }
    }
}

/// A hook called before each file argument is uploaded (the official
/// SDKs' `before_file_upload` / `beforeFileUpload` modifier).
///
/// Give it to an execution with
/// [`crate::modifiers::Modifiers::with_before_file_upload`]: the execute
/// pipeline ([`crate::tools::Tools::execute`], the client's
/// `handle_tool_calls` executor, and the session execute paths) calls it in
/// its upload stage, once per file argument, before the before-execute
/// modifiers, and only when automatic file handling is on.
///
/// Closures `Fn(path, source, tool, toolkit) -> Result<String>` implement it.
#[async_trait::async_trait]
pub trait BeforeFileUpload: Send + Sync {
    /// `path` is the argument as given (a local path or an `http(s)` URL),
    /// `source` is `"path"` or `"url"`; returns the path or URL to upload
    /// instead (possibly the same; it goes through the same checks). An
    /// error aborts the execution before anything is executed and is
    /// returned unchanged.
    async fn before_file_upload(&self, path: &str, source: &str, tool: &str, toolkit: &str)
        -> Result<String>;
}

#[async_trait::async_trait]
impl<F> BeforeFileUpload for F
where
    F: Fn(&str, &str, &str, &str) -> Result<String> + Send + Sync,
{
    async fn before_file_upload(
        &self,
        path: &str,
        source: &str,
        tool: &str,
        toolkit: &str,
    ) -> Result<String> {
        self(path, source, tool, toolkit)
    }
}

/// Uploads every argument whose schema property is `file_uploadable` and
/// replaces it with `{name, mimetype, s3key}`.
pub async fn upload_file_arguments(
    client: &Composio,
    tool: &Tool,
    arguments: &mut Map<String, Value>,
) -> Result<()> {
    upload_file_arguments_with(client, tool, arguments, None).await
}

/// [`upload_file_arguments`] with a [`BeforeFileUpload`] hook that may
/// replace each path or URL before it is read (the replacement goes
/// through the same checks).
pub async fn upload_file_arguments_with(
    client: &Composio,
    tool: &Tool,
    arguments: &mut Map<String, Value>,
    hook: Option<&dyn BeforeFileUpload>,
) -> Result<()> {
    let mut root = Value::Object(std::mem::take(arguments));
    let result = upload_in(client, tool, &mut root, hook).await;
    if let Value::Object(map) = root {
        *arguments = map;
    }
    result
}

async fn upload_in(
    client: &Composio,
    tool: &Tool,
    root: &mut Value,
    hook: Option<&dyn BeforeFileUpload>,
) -> Result<()> {
    let mut actions: Vec<UploadAction> = Vec::new();
    let mut ptr = Vec::new();
    walk(&tool.input_parameters, root, &mut ptr, &mut |schema, value, ptr| {
        if !flag(schema, "file_uploadable") {
            return Ok(false);
        }
        if actions.iter().any(|a| a.ptr() == ptr) || ptr.is_empty() {
            return Ok(true);
        }
        match value {
            Value::Null => actions.push(UploadAction::Remove(ptr.to_vec())),
            Value::String(s) if s.trim().is_empty() => actions.push(UploadAction::Remove(ptr.to_vec())),
            Value::String(s) => actions.push(UploadAction::Upload(ptr.to_vec(), s.clone())),
            // Already an uploaded-file object ({name, mimetype, s3key}).
            Value::Object(o) if o.contains_key("s3key") => {}
            other => {
                return Err(Error::File {
                    message: format!(
                        "argument {} of {} must be a local file path or an http(s) URL, got {}",
                        describe(ptr),
                        tool.slug,
                        crate::tools::value_kind(other)
                    ),
                })
            }
        }
        Ok(true)
    })?;
    for action in &actions {
        if let UploadAction::Upload(ptr, source) = action {
            let source = match hook {
                Some(h) => {
                    let kind = if is_url(source) { "url" } else { "path" };
                    let replaced = h.before_file_upload(source, kind, &tool.slug, &tool.toolkit.slug).await?;
                    if replaced.trim().is_empty() {
                        return Err(Error::File {
                            message: format!(
                                "beforeFileUpload returned an empty path for argument {} of {}",
                                describe(ptr),
                                tool.slug
                            ),
                        });
                    }
                    replaced
                }
                None => source.clone(),
            };
            let uploaded = upload_source(client, tool, &source).await?;
            if let Some(slot) = get_mut(root, ptr) {
                *slot = uploaded;
            }
        }
    }
    for action in &actions {
        if let UploadAction::Remove(ptr) = action {
            if let Some((Seg::Key(k), parent)) = ptr.split_last() {
                if let Some(obj) = get_mut(root, parent).and_then(Value::as_object_mut) {
                    obj.shift_remove(k);
                }
            }
        }
    }
    Ok(())
}

struct FileContent {
    name: String,
    mimetype: String,
    bytes: Vec<u8>,
}

#[derive(Deserialize)]
struct UploadRequestResponse {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    new_presigned_url: Option<String>,
    #[serde(default, rename = "newPresignedUrl")]
    new_presigned_url_camel: Option<String>,
    #[serde(default)]
    update_presigned_url: Option<String>,
    #[serde(default, rename = "updatePresignedUrl")]
    update_presigned_url_camel: Option<String>,
}

async fn upload_source(client: &Composio, tool: &Tool, source: &str) -> Result<Value> {
    let content = if is_url(source) {
        read_url(source).await?
    } else {
        read_local(source, &UploadPolicy::from_config(client.config())).await?
    };
    let md5 = hex(&Md5::digest(&content.bytes));
    let body = json!({
        "filename": content.name,
        "mimetype": content.mimetype,
        "md5": md5,
        "tool_slug": tool.slug,
        "toolkit_slug": tool.toolkit.slug,
    });
    let req = ApiRequest::post(["files", "upload", "request"]).json_value(body);
    let answer: UploadRequestResponse = client.transport().json(&req).await.map_err(|e| match e {
        Error::Decode { message, .. } => Error::File {
            message: format!("uploading {}: unexpected upload-request answer: {message}", content.name),
        },
        other => other,
    })?;
    let key = answer.key.clone().filter(|k| !k.is_empty()).ok_or_else(|| Error::File {
        message: format!("uploading {}: the upload request answer has no key", content.name),
    })?;
    let kind = answer.kind.clone().unwrap_or_default();
    let put_url = match kind.as_str() {
        "existing" => None,
        "update" => answer.update_presigned_url.or(answer.update_presigned_url_camel),
        _ => answer
            .new_presigned_url
            .or(answer.new_presigned_url_camel)
            .or(answer.update_presigned_url)
            .or(answer.update_presigned_url_camel),
    };
    if kind != "existing" {
        let url = put_url.ok_or_else(|| Error::File {
            message: format!("uploading {}: the upload request answer has no presigned URL", content.name),
        })?;
        put_bytes(client, &url, &content).await?;
    }
    Ok(json!({"name": content.name, "mimetype": content.mimetype, "s3key": key}))
}

async fn put_bytes(client: &Composio, url: &str, content: &FileContent) -> Result<()> {
    let response = client
        .transport()
        .http()
        .put(url)
        .header(reqwest::header::CONTENT_TYPE, content.mimetype.as_str())
        .body(content.bytes.clone())
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .map_err(|e| Error::File {
            message: format!(
                "uploading {}: request to the storage URL failed: {}",
                content.name,
                io_cause(&e)
            ),
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(Error::File {
            message: format!("uploading {}: storage answered HTTP {}", content.name, status.as_u16()),
        });
    }
    Ok(())
}

fn is_url(s: &str) -> bool {
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A URL without query and fragment, for messages.
fn display_url(url: &url::Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    u.set_fragment(None);
    let _ = u.set_password(None);
    let _ = u.set_username("");
    u.to_string()
}

fn io_cause(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut cause =
        if e.is_connect() { "could not connect".to_string() } else { "request failed".to_string() };
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    cause
}

fn no_redirect_client() -> Result<&'static reqwest::Client> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c);
    }
    let built = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::internal(format!("could not build the file download client: {e}")))?;
    Ok(CLIENT.get_or_init(|| built))
}

async fn read_url(source: &str) -> Result<FileContent> {
    let url = url::Url::parse(source.trim())
        .map_err(|e| Error::File { message: format!("{source:?} is not a valid URL: {e}") })?;
    let shown = display_url(&url);
    let mut response = no_redirect_client()?
        .get(url.clone())
        .send()
        .await
        .map_err(|e| Error::File { message: format!("fetching {shown}: {}", io_cause(&e)) })?;
    let status = response.status();
    if status.is_redirection() {
        return Err(Error::File {
            message: format!(
                "fetching {shown}: answered with redirect HTTP {} (redirects are not followed)",
                status.as_u16()
            ),
        });
    }
    if !status.is_success() {
        return Err(Error::File { message: format!("fetching {shown}: answered HTTP {}", status.as_u16()) });
    }
    let too_large = || Error::File {
        message: format!(
            "fetching {shown}: the file is larger than {} MB",
            MAX_URL_DOWNLOAD_BYTES / (1024 * 1024)
        ),
    };
    if response.content_length().is_some_and(|n| n > MAX_URL_DOWNLOAD_BYTES) {
        return Err(too_large());
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty());
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Error::File { message: format!("fetching {shown}: {}", io_cause(&e)) })?
    {
        if bytes.len() as u64 + chunk.len() as u64 > MAX_URL_DOWNLOAD_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    let from_path = url
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .map(|s| percent_decode(&s))
        .and_then(|s| safe_component(&s))
        .filter(|s| s.chars().count() <= 100);
    let mimetype = content_type
        .clone()
        .filter(|m| m != "application/octet-stream")
        .or_else(|| from_path.as_deref().and_then(mime_from_name).map(str::to_string))
        .or(content_type)
        .unwrap_or_else(|| "application/octet-stream".into());
    let name = from_path.unwrap_or_else(|| generated_name(ext_from_mime(&mimetype)));
    Ok(FileContent { name, mimetype, bytes })
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn expand_home(path: &str) -> PathBuf {
    if path == "~" {
        return home_dir().unwrap_or_else(|| PathBuf::from(path));
    }
    if let Some(rest) = path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\")) {
        if let Some(home) = home_dir() {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

/// Lexically normalised absolute path (`.` and `..` removed, no symlink
/// resolution).
fn lexical_absolute(path: &Path) -> PathBuf {
    let base = if path.is_absolute() { PathBuf::new() } else { std::env::current_dir().unwrap_or_default() };
    let mut out = PathBuf::new();
    for c in base.join(path).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Why a path must not be uploaded, if it must not.
pub fn sensitive_path_reason(path: &Path) -> Option<String> {
    let components: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    for dir in SENSITIVE_DIRECTORIES {
        if components.iter().any(|c| c == dir) {
            return Some(format!("it is inside a {dir} directory"));
        }
    }
    if let Some(name) = components.last() {
        if SENSITIVE_FILE_NAMES.contains(&name.as_str()) || name.starts_with(".env.") {
            return Some(format!("files named {name} hold credentials"));
        }
        if name == "user_data.json"
            && components.len() >= 2
            && components[components.len() - 2] == ".composio"
        {
            return Some("~/.composio/user_data.json holds an API key".into());
        }
    }
    let text = path.to_string_lossy().replace('\\', "/");
    for sys in SENSITIVE_SYSTEM_PATHS {
        if text == *sys || text.starts_with(&format!("{sys}/")) {
            return Some(format!("{sys} is a protected system path"));
        }
    }
    None
}

/// The upload rules of one client's configuration.
#[derive(Debug, Clone)]
struct UploadPolicy {
    protect: bool,
    deny_segments: Vec<String>,
    allowed_dirs: Option<Vec<PathBuf>>,
}

impl UploadPolicy {
    fn from_config(config: &crate::ComposioConfig) -> Self {
        Self {
            protect: config.sensitive_file_upload_protection,
            deny_segments: config
                .file_upload_path_deny_segments
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            allowed_dirs: config.file_upload_dirs.as_ref().map(|dirs| {
                dirs.iter()
                    .map(|d| {
                        let d = expand_home(&d.to_string_lossy());
                        std::fs::canonicalize(&d).unwrap_or_else(|_| lexical_absolute(&d))
                    })
                    .collect()
            }),
        }
    }

    /// Why `path` must not be uploaded under this policy, if it must not.
    fn refusal(&self, path: &Path) -> Option<String> {
        if !self.protect {
            return None;
        }
        if let Some(reason) = sensitive_path_reason(path) {
            return Some(reason);
        }
        path.components().find_map(|c| match c {
            Component::Normal(s) => {
                let seg = s.to_string_lossy().to_ascii_lowercase();
                self.deny_segments
                    .contains(&seg)
                    .then(|| format!("{seg} is in file_upload_path_deny_segments"))
            }
            _ => None,
        })
    }

    /// Whether `real` (a canonical path) is inside an allowed directory.
    fn allows_location(&self, real: &Path) -> bool {
        self.allowed_dirs.as_ref().is_none_or(|dirs| dirs.iter().any(|d| real.starts_with(d)))
    }
}

async fn read_local(source: &str, policy: &UploadPolicy) -> Result<FileContent> {
    let given = expand_home(source);
    let path = lexical_absolute(&given);
    let shown = given.display().to_string();
    let blocked = |reason: String| Error::File {
        message: format!("refusing to upload {shown}: {reason} (sensitive file protection)"),
    };
    if let Some(reason) = policy.refusal(&path) {
        return Err(blocked(reason));
    }
    let task_path = path.clone();
    let task_policy = policy.clone();
    let result = tokio::task::spawn_blocking(move || -> std::result::Result<(PathBuf, Vec<u8>), String> {
        let real = std::fs::canonicalize(&task_path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_string(),
            _ => format!("cannot access it: {e}"),
        })?;
        if let Some(reason) = task_policy.refusal(&real) {
            return Err(format!("\u{0}{reason}"));
        }
        if !task_policy.allows_location(&real) {
            return Err("it is not inside any directory listed in file_upload_dirs".into());
        }
        let meta = std::fs::metadata(&real).map_err(|e| format!("cannot access it: {e}"))?;
        if !meta.is_file() {
            return Err("not a regular file".into());
        }
        let bytes = std::fs::read(&real).map_err(|e| format!("cannot read it: {e}"))?;
        Ok((real, bytes))
    })
    .await
    .map_err(|e| Error::internal(format!("file read task failed: {e}")))?;
    let (real, bytes) = match result {
        Ok(v) => v,
        Err(msg) => {
            return Err(match msg.strip_prefix('\u{0}') {
                Some(reason) => blocked(format!("it resolves to a sensitive path ({reason})")),
                None => Error::File { message: format!("cannot upload {shown}: {msg}") },
            })
        }
    };
    let name = real
        .file_name()
        .or_else(|| path.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n.chars().count() <= 100)
        .unwrap_or_else(|| generated_name(real.extension().and_then(|e| e.to_str()).unwrap_or("bin")));
    let mimetype = mime_from_name(&name).unwrap_or("application/octet-stream").to_string();
    Ok(FileContent { name, mimetype, bytes })
}

// ---------------------------------------------------------------------------
// Download (§12.4)

struct Download {
    ptr: Vec<Seg>,
    s3url: String,
    name: Option<String>,
    mimetype: Option<String>,
}

/// Downloads every `file_downloadable` result value and replaces it with the
/// local path.
pub async fn download_file_results(
    client: &Composio,
    tool: &Tool,
    response: &mut ToolExecuteResponse,
) -> Result<()> {
    let schema = &tool.output_parameters;
    let wraps_data =
        schema.get("properties").and_then(Value::as_object).is_some_and(|p| p.contains_key("data"));
    let mut root = if wraps_data {
        json!({"data": std::mem::take(&mut response.data), "error": response.error, "successful": response.successful})
    } else {
        std::mem::take(&mut response.data)
    };
    let result = download_in(client, tool, &mut root).await;
    response.data =
        if wraps_data { root.get_mut("data").map(Value::take).unwrap_or(Value::Null) } else { root };
    result
}

async fn download_in(client: &Composio, tool: &Tool, root: &mut Value) -> Result<()> {
    let mut downloads: Vec<Download> = Vec::new();
    let mut ptr = Vec::new();
    walk(&tool.output_parameters, root, &mut ptr, &mut |schema, value, ptr| {
        if !flag(schema, "file_downloadable") {
            return Ok(false);
        }
        if let Some(s3url) = value.get("s3url").and_then(Value::as_str) {
            if !downloads.iter().any(|d| d.ptr == ptr) {
                downloads.push(Download {
                    ptr: ptr.to_vec(),
                    s3url: s3url.to_string(),
                    name: value.get("name").and_then(Value::as_str).map(str::to_string),
                    mimetype: value.get("mimetype").and_then(Value::as_str).map(str::to_string),
                });
            }
            return Ok(true);
        }
        Ok(false)
    })?;
    if downloads.is_empty() {
        return Ok(());
    }
    let dir = download_root(client)?
        .join(safe_component(&tool.toolkit.slug).unwrap_or_else(|| "unknown".into()))
        .join(safe_component(&tool.slug).unwrap_or_else(|| "unknown".into()));
    for d in &downloads {
        let path = download_one(client, &dir, d).await?;
        if let Some(slot) = get_mut(root, &d.ptr) {
            *slot = Value::String(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

fn download_root(client: &Composio) -> Result<PathBuf> {
    if let Some(dir) = &client.config().file_download_dir {
        return Ok(dir.clone());
    }
    if let Some(cache) = std::env::var_os("COMPOSIO_CACHE_DIR").filter(|c| !c.is_empty()) {
        return Ok(PathBuf::from(cache).join("files"));
    }
    home_dir().map(|h| h.join(".composio").join("files")).ok_or_else(|| Error::File {
        message: "no download directory: set file_download_dir, COMPOSIO_CACHE_DIR or HOME".into(),
    })
}

/// The final path component of `name`, if it is a usable file name.
fn safe_component(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next()?.trim();
    if last.is_empty() || last == "." || last == ".." || last.contains('\0') {
        return None;
    }
    Some(last.to_string())
}

/// `GET url` and writes the body to `target` (creating `dir`); failures
/// are [`Error::File`] naming `label` (a file name or a URL without query).
async fn fetch_to_file(
    client: &Composio,
    url: url::Url,
    label: &str,
    dir: &Path,
    target: &Path,
) -> Result<()> {
    let response = client
        .transport()
        .http()
        .get(url)
        .timeout(Duration::from_secs(300))
        .send()
        .await
        .map_err(|e| Error::File { message: format!("downloading {label}: {}", io_cause(&e)) })?;
    let status = response.status();
    if !status.is_success() {
        return Err(Error::File {
            message: format!("downloading {label}: storage answered HTTP {}", status.as_u16()),
        });
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| Error::File { message: format!("downloading {label}: {}", io_cause(&e)) })?;
    let (task_dir, task_target) = (dir.to_path_buf(), target.to_path_buf());
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        std::fs::create_dir_all(&task_dir)?;
        std::fs::write(&task_target, &bytes)
    })
    .await
    .map_err(|e| Error::internal(format!("file write task failed: {e}")))?
    .map_err(|e| Error::File {
        message: format!("downloading {label}: cannot write {}: {e}", target.display()),
    })
}

async fn download_one(client: &Composio, dir: &Path, d: &Download) -> Result<PathBuf> {
    let url = url::Url::parse(&d.s3url).ok();
    let from_url = url
        .as_ref()
        .and_then(|u| u.path_segments().and_then(|mut s| s.next_back().map(str::to_string)))
        .map(|s| percent_decode(&s))
        .and_then(|s| safe_component(&s));
    let name = d
        .name
        .as_deref()
        .and_then(safe_component)
        .or(from_url)
        .unwrap_or_else(|| generated_name(d.mimetype.as_deref().map(ext_from_mime).unwrap_or("bin")));
    let Some(url) = url else {
        return Err(Error::File { message: format!("downloading {name}: s3url is not a valid URL") });
    };
    let target = dir.join(&name);
    fetch_to_file(client, url, &name, dir, &target).await?;
    Ok(target)
}

// ---------------------------------------------------------------------------
// Download, TypeScript shape (§12.4, `@composio/core`)

/// Downloads file results in the shape of one official SDK.
///
/// * [`Flavor::Python`]: exactly [`download_file_results`] (the value is
///   replaced by the local path string; a failed download is an error).
/// * [`Flavor::TypeScript`]: [`hydrate_file_results`] over `response.data`
///   (schema-agnostic; every `{s3url, ...}` object becomes
///   `{uri, file_downloaded, s3url, mimeType}`; never fails).
pub async fn download_file_results_as(
    client: &Composio,
    tool: &Tool,
    response: &mut ToolExecuteResponse,
    flavor: Flavor,
) -> Result<()> {
    match flavor {
        Flavor::Python => download_file_results(client, tool, response).await,
        Flavor::TypeScript => {
            let data = std::mem::take(&mut response.data);
            response.data = hydrate_file_results(client, &tool.slug, data).await;
            Ok(())
        }
    }
}

/// The TypeScript SDK's download step: every object anywhere in `value`
/// that has a string `s3url` is downloaded (concurrently) to
/// `<dir>/<toolSlug>_<ms><id>.<ext>` (see [`download_file_ts`]) and
/// replaced by `{"uri": <path>, "file_downloaded": true, "s3url",
/// "mimeType"}`; a download that fails gives `{"uri": "",
/// "file_downloaded": false, "s3url", "mimeType"}` instead of an error.
/// `mimeType` is the object's `mimetype`, else
/// `application/octet-stream`. Objects with an `s3url` are not descended
/// into.
pub async fn hydrate_file_results(client: &Composio, tool_slug: &str, mut value: Value) -> Value {
    let mut found: Vec<(Vec<Seg>, String, String)> = Vec::new();
    collect_s3_objects(&value, &mut Vec::new(), &mut found);
    if found.is_empty() {
        return value;
    }
    let results = futures::future::join_all(
        found.iter().map(|(_, url, mime)| download_file_ts(client, tool_slug, url, mime)),
    )
    .await;
    for ((ptr, url, mime), result) in found.into_iter().zip(results) {
        let replacement = match result {
            Ok(path) => json!({
                "uri": path.to_string_lossy(), "file_downloaded": true, "s3url": url, "mimeType": mime
            }),
            Err(_) => json!({"uri": "", "file_downloaded": false, "s3url": url, "mimeType": mime}),
        };
        if let Some(slot) = get_mut(&mut value, &ptr) {
            *slot = replacement;
        }
    }
    value
}

fn collect_s3_objects(value: &Value, ptr: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, String, String)>) {
    match value {
        Value::Object(m) => {
            if let Some(url) = m.get("s3url").and_then(Value::as_str) {
                let mime = m
                    .get("mimetype")
                    .and_then(Value::as_str)
                    .unwrap_or("application/octet-stream")
                    .to_string();
                out.push((ptr.clone(), url.to_string(), mime));
                return;
            }
            for (k, v) in m {
                ptr.push(Seg::Key(k.clone()));
                collect_s3_objects(v, ptr, out);
                ptr.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                ptr.push(Seg::Index(i));
                collect_s3_objects(v, ptr, out);
                ptr.pop();
            }
        }
        _ => {}
    }
}

/// Where the TypeScript shape saves downloads: `file_download_dir`, else
/// `~/.composio/files` (the TypeScript SDK does not read
/// `COMPOSIO_CACHE_DIR`).
pub fn ts_download_dir(client: &Composio) -> Result<PathBuf> {
    if let Some(dir) = &client.config().file_download_dir {
        return Ok(dir.clone());
    }
    home_dir()
        .map(|h| h.join(".composio").join("files"))
        .ok_or_else(|| Error::File { message: "no download directory: set file_download_dir or HOME".into() })
}

/// Downloads one file the TypeScript SDK's way (`composio.files.download`
/// and automatic downloads): `GET s3url` and save the body as
/// `<ts_download_dir>/<toolSlug>_<ms><shortid>.<ext from mimetype>`.
/// Returns the path. Failures are [`Error::File`] without the URL's query.
pub async fn download_file_ts(
    client: &Composio,
    tool_slug: &str,
    s3url: &str,
    mimetype: &str,
) -> Result<PathBuf> {
    let url = url::Url::parse(s3url)
        .map_err(|_| Error::File { message: "downloading a file: s3url is not a valid URL".into() })?;
    let shown = display_url(&url);
    let dir = ts_download_dir(client)?;
    let target = dir.join(ts_file_name(tool_slug, ts_ext_from_mime(mimetype).as_str()));
    fetch_to_file(client, url, &shown, &dir, &target).await?;
    Ok(target)
}

/// `<toolSlug>_<ms><shortid>.<ext>`; the slug keeps only `[A-Za-z0-9_-]`
/// (anything else becomes `_`) so the name stays one path component.
fn ts_file_name(tool_slug: &str, ext: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let slug: String = tool_slug
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .collect();
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    // Random part plus a process-wide counter: unique within a millisecond.
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let id = format!("{}{n:x}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    format!("{slug}_{ms}{id}.{ext}")
}

/// The TypeScript SDK's `getExtensionFromMimeType`: a known type's
/// extension, else the subtype (for `a/b+c`: `b` when it is `svg`, `atom`
/// or `rss`, else `c`), else `txt`.
fn ts_ext_from_mime(mime: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("text/plain", "txt"),
        ("text/html", "html"),
        ("text/css", "css"),
        ("text/javascript", "js"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("application/pdf", "pdf"),
        ("application/zip", "zip"),
        ("application/x-zip-compressed", "zip"),
        ("application/gzip", "gz"),
        ("application/octet-stream", "bin"),
        ("application/x-tar", "tar"),
        ("application/msword", "doc"),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("application/vnd.ms-excel", "xls"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("application/vnd.ms-powerpoint", "ppt"),
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        ("image/jpeg", "jpg"),
        ("image/jpg", "jpg"),
        ("image/png", "png"),
        ("image/gif", "gif"),
        ("image/svg+xml", "svg"),
        ("image/webp", "webp"),
        ("image/bmp", "bmp"),
        ("image/tiff", "tiff"),
        ("audio/mpeg", "mp3"),
        ("audio/wav", "wav"),
        ("audio/ogg", "ogg"),
        ("video/mp4", "mp4"),
        ("video/mpeg", "mpeg"),
        ("video/quicktime", "mov"),
        ("video/x-msvideo", "avi"),
        ("video/webm", "webm"),
    ];
    let clean = mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if let Some((_, e)) = KNOWN.iter().find(|(m, _)| *m == clean) {
        return (*e).to_string();
    }
    let ext = match clean.split_once('/') {
        Some((_, sub)) if !sub.contains('/') => match sub.split_once('+') {
            Some((prefix, _)) if ["svg", "atom", "rss"].contains(&prefix) => prefix.to_string(),
            Some(_) => sub.rsplit('+').next().unwrap_or("").to_string(),
            None if sub.is_empty() => "txt".to_string(),
            None => sub.to_string(),
        },
        _ => "txt".to_string(),
    };
    // Keep the name a single, harmless path component.
    if ext.is_empty() || !ext.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')) {
        "bin".to_string()
    } else {
        ext
    }
}

// ---------------------------------------------------------------------------
// Names and MIME types

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `file_<YYYYmmdd_HHMMSS>_<8 hex>.<ext>` (UTC).
fn generated_name(ext: &str) -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..8];
    format!("file_{y:04}{m:02}{d:02}_{:02}{:02}{:02}_{suffix}.{ext}", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MIME_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("svg", "image/svg+xml"),
    ("bmp", "image/bmp"),
    ("ico", "image/x-icon"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("css", "text/css"),
    ("js", "text/javascript"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("yaml", "application/yaml"),
    ("yml", "application/yaml"),
    ("zip", "application/zip"),
    ("gz", "application/gzip"),
    ("tar", "application/x-tar"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
    ("ogg", "audio/ogg"),
    ("mp4", "video/mp4"),
    ("mov", "video/quicktime"),
    ("webm", "video/webm"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
];

fn mime_from_name(name: &str) -> Option<&'static str> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    MIME_TYPES.iter().find(|(e, _)| *e == ext).map(|(_, m)| *m)
}

fn ext_from_mime(mime: &str) -> &'static str {
    MIME_TYPES.iter().find(|(_, m)| m.eq_ignore_ascii_case(mime)).map(|(e, _)| *e).unwrap_or("bin")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn needs_file_rewrite_matches_what_the_rewrite_changes() {
        let cases = [
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"type": "object", "properties": {"f": {"type": "object", "file_uploadable": true}}}),
            json!({"type": "object", "properties": {"l": {"type": "array", "items": {"file_uploadable": true}}}}),
            json!({"anyOf": [{"type": "null"}, {"file_uploadable": true, "title": "T"}]}),
            json!({"allOf": [{"properties": {"x": {"oneOf": [{"file_uploadable": true}]}}}]}),
            // Not on a path the rewrite follows, or not true: unchanged.
            json!({"type": "object", "examples": [{"file_uploadable": true}]}),
            json!({"type": "object", "properties": {"f": {"file_uploadable": false}}}),
            json!({"file_downloadable": true}),
            json!("file_uploadable"),
        ];
        for schema in cases {
            let mut rewritten = schema.clone();
            rewrite_file_schema(&mut rewritten);
            assert_eq!(needs_file_rewrite(&schema), rewritten != schema, "{schema}");
        }
    }

    #[test]
    fn sensitive_paths_are_recognised() {
        for p in [
            "/home/u/.ssh/config",
            "/home/u/.aws/credentials",
            "/srv/app/.env",
            "/srv/app/.env.local",
            "/home/u/keys/id_rsa",
            "/etc/shadow",
            "/etc/ssh/sshd_config",
            "/home/u/.composio/user_data.json",
        ] {
            assert!(sensitive_path_reason(Path::new(p)).is_some(), "{p}");
        }
        for p in ["/home/u/report.pdf", "/home/u/id_rsa.pub", "/etc/hosts", "/srv/env/file.txt"] {
            assert!(sensitive_path_reason(Path::new(p)).is_none(), "{p}");
        }
    }

    #[test]
    fn schema_rewrite_recurses() {
        let mut s = json!({"type": "object", "properties": {
            "file": {"type": "object", "title": "File", "file_uploadable": true},
            "nested": {"anyOf": [{"type": "object", "properties": {"f": {"file_uploadable": true, "description": "Doc"}}}]},
            "list": {"type": "array", "items": {"file_uploadable": true}}
        }});
        rewrite_file_schema(&mut s);
        assert_eq!(
            s["properties"]["file"],
            json!({"type": "string", "format": "path", "description": "Path to file.", "title": "File", "file_uploadable": true})
        );
        assert_eq!(s["properties"]["nested"]["anyOf"][0]["properties"]["f"]["description"], "Doc");
        assert_eq!(s["properties"]["list"]["items"]["format"], "path");
    }

    #[test]
    fn ts_extensions_follow_the_typescript_sdk() {
        for (mime, ext) in [
            ("text/plain; charset=utf-8", "txt"),
            ("application/octet-stream", "bin"),
            ("image/svg+xml", "svg"),
            ("application/atom+xml", "atom"),
            ("application/ld+json", "json"),
            ("application/x-custom", "x-custom"),
            ("nonsense", "txt"),
            ("a/b/c", "txt"),
            ("image/", "txt"),
        ] {
            assert_eq!(ts_ext_from_mime(mime), ext, "{mime}");
        }
        let a = ts_file_name("GMAIL/../X", "pdf");
        let b = ts_file_name("GMAIL/../X", "pdf");
        assert!(a.starts_with("GMAIL____X_") && a.ends_with(".pdf") && !a.contains('/'), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn generated_names_and_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        let n = generated_name("pdf");
        assert!(
            n.starts_with("file_")
                && n.ends_with(".pdf")
                && n.len() == "file_20240101_000000_abcdef12.pdf".len(),
            "{n}"
        );
        assert_eq!(safe_component("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_component(".."), None);
    }
}
