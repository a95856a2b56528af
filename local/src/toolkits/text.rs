//! `text` — "Text Utilities": a no-auth toolkit whose tools do real work on the text they are given.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::{output_schema, Category, Runner, ToolDef, ToolResult, Toolkit};
use crate::routes::files::{md5_hex, FileStore};

/// The toolkit definition.
pub fn toolkit() -> Toolkit {
    Toolkit {
        slug: "text",
        name: "Text Utilities",
        description:
            "Count, transform, search and analyse plain text locally: word counts, case conversion, \
                      e-mail extraction, word-frequency statistics and find-and-replace.",
        logo: "https://logos.composio.dev/api/text",
        categories: vec![
            Category { id: "developer-tools", name: "Developer Tools" },
            Category { id: "productivity", name: "Productivity" },
        ],
        version: "20251201_00",
        available_versions: vec!["20251201_00", "20251115_00"],
        no_auth: true,
        auth_schemes: vec![],
        listed: true,
        created_at: "2025-11-15T00:00:00.000Z",
        updated_at: "2025-12-01T00:00:00.000Z",
        tools: vec![
            word_count(),
            transform_case(),
            extract_emails(),
            summarize_stats(),
            find_replace(),
            file_stats(),
            create_file(),
        ],
    }
}

fn text_param(description: &str) -> Value {
    json!({
        "type": "string",
        "title": "Text",
        "description": description,
        "examples": ["The quick brown fox jumps over the lazy dog."],
    })
}

fn word_count() -> ToolDef {
    ToolDef {
        slug: "TEXT_WORD_COUNT",
        name: "Count words",
        description: "Counts the words, characters, lines, sentences and paragraphs in a piece of text.",
        input_parameters: json!({
            "type": "object",
            "title": "WordCountRequest",
            "description": "Request schema for `TEXT_WORD_COUNT`.",
            "properties": {"text": text_param("The text whose words should be counted.")},
            "required": ["text"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "WordCountData",
            "properties": {
                "words": {"type": "integer", "description": "Number of whitespace-separated words."},
                "characters": {"type": "integer", "description": "Number of Unicode characters, including spaces."},
                "characters_excluding_spaces": {"type": "integer", "description": "Number of non-whitespace characters."},
                "lines": {"type": "integer", "description": "Number of lines (0 for empty text)."},
                "sentences": {"type": "integer", "description": "Number of sentences (runs ending in . ! or ?)."},
                "paragraphs": {"type": "integer", "description": "Number of blocks separated by blank lines."},
            },
            "required": ["words", "characters", "characters_excluding_spaces", "lines", "sentences", "paragraphs"],
        })),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Pure(run_word_count),
    }
}

fn run_word_count(args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    Ok(json!({
        "words": text.split_whitespace().count(),
        "characters": text.chars().count(),
        "characters_excluding_spaces": text.chars().filter(|c| !c.is_whitespace()).count(),
        "lines": text.lines().count(),
        "sentences": count_sentences(text),
        "paragraphs": text.split("\n\n").filter(|p| !p.trim().is_empty()).count(),
    }))
}

fn count_sentences(text: &str) -> usize {
    let mut count = 0;
    let mut in_sentence = false;
    for c in text.chars() {
        if matches!(c, '.' | '!' | '?') {
            if in_sentence {
                count += 1;
            }
            in_sentence = false;
        } else if c.is_alphanumeric() {
            in_sentence = true;
        }
    }
    count + usize::from(in_sentence)
}

fn transform_case() -> ToolDef {
    ToolDef {
        slug: "TEXT_TRANSFORM_CASE",
        name: "Transform text case",
        description: "Converts text to upper case, lower case, title case or snake_case.",
        input_parameters: json!({
            "type": "object",
            "title": "TransformCaseRequest",
            "description": "Request schema for `TEXT_TRANSFORM_CASE`.",
            "properties": {
                "text": text_param("The text to convert."),
                "case": {
                    "type": "string",
                    "title": "Case",
                    "description": "Target case: `upper` (HELLO WORLD), `lower` (hello world), `title` (Hello World) or `snake` (hello_world).",
                    "enum": ["upper", "lower", "title", "snake"],
                    "examples": ["title"],
                },
            },
            "required": ["text", "case"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "TransformCaseData",
            "properties": {
                "result": {"type": "string", "description": "The converted text."},
                "case": {"type": "string", "description": "The case that was applied."},
            },
            "required": ["result", "case"],
        })),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Pure(run_transform_case),
    }
}

fn run_transform_case(args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    let case = arg_str(args, "case")?;
    let result = match case {
        "upper" => text.to_uppercase(),
        "lower" => text.to_lowercase(),
        "title" => title_case(text),
        "snake" => snake_case(text),
        other => return Err(format!("`case` must be one of upper, lower, title, snake; got `{other}`")),
    };
    Ok(json!({"result": result, "case": case}))
}

fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '\'' {
            if at_word_start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            at_word_start = false;
        } else {
            out.push(c);
            at_word_start = true;
        }
    }
    out
}

fn snake_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            // A lower→upper boundary ("camelCase") starts a new word.
            if c.is_uppercase()
                && prev.is_some_and(|p| p.is_lowercase() || p.is_numeric())
                && !out.ends_with('_')
            {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        prev = Some(c);
    }
    out.trim_end_matches('_').to_owned()
}

fn extract_emails() -> ToolDef {
    ToolDef {
        slug: "TEXT_EXTRACT_EMAILS",
        name: "Extract e-mail addresses",
        description:
            "Finds every e-mail address in a piece of text, optionally de-duplicated and lower-cased, \
                      and groups them by domain.",
        input_parameters: json!({
            "type": "object",
            "title": "ExtractEmailsRequest",
            "description": "Request schema for `TEXT_EXTRACT_EMAILS`.",
            "properties": {
                "text": {
                    "type": "string",
                    "title": "Text",
                    "description": "The text to scan for e-mail addresses.",
                    "examples": ["Write to alice@example.com or Bob <bob@example.org>."],
                },
                "unique": {
                    "type": "boolean",
                    "title": "Unique",
                    "description": "Return each address only once (compared case-insensitively).",
                    "default": true,
                },
                "lowercase": {
                    "type": "boolean",
                    "title": "Lowercase",
                    "description": "Lower-case the returned addresses.",
                    "default": false,
                },
            },
            "required": ["text"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "ExtractEmailsData",
            "properties": {
                "emails": {"type": "array", "items": {"type": "string"}, "description": "Addresses in order of appearance."},
                "count": {"type": "integer", "description": "Number of addresses returned."},
                "domains": {"type": "object", "additionalProperties": {"type": "integer"},
                            "description": "Number of returned addresses per (lower-cased) domain."},
            },
            "required": ["emails", "count", "domains"],
        })),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Pure(run_extract_emails),
    }
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Every e-mail address in `text`, in order of appearance.
pub fn find_emails(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        let local: String = chars[start..i].iter().collect::<String>().trim_start_matches('.').to_owned();
        let domain: String =
            chars[i + 1..end].iter().collect::<String>().trim_end_matches(['.', '-']).to_owned();
        let valid_domain = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .rsplit('.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if !local.is_empty() && !local.ends_with('.') && valid_domain {
            out.push(format!("{local}@{domain}"));
        }
        i = end.max(i + 1);
    }
    out
}

fn run_extract_emails(args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    let unique = args.get("unique").and_then(Value::as_bool).unwrap_or(true);
    let lowercase = args.get("lowercase").and_then(Value::as_bool).unwrap_or(false);
    let mut emails: Vec<String> = Vec::new();
    for email in find_emails(text) {
        let email = if lowercase { email.to_lowercase() } else { email };
        if unique && emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
            continue;
        }
        emails.push(email);
    }
    let mut domains = Map::new();
    for email in &emails {
        let domain = email.rsplit('@').next().unwrap_or_default().to_lowercase();
        let n = domains.get(&domain).and_then(Value::as_u64).unwrap_or(0);
        domains.insert(domain, json!(n + 1));
    }
    Ok(json!({"emails": emails, "count": emails.len(), "domains": domains}))
}

fn summarize_stats() -> ToolDef {
    ToolDef {
        slug: "TEXT_SUMMARIZE_STATS",
        name: "Summarize text statistics",
        description:
            "Computes word-frequency statistics for a text: total and unique words, average word length, \
                      the longest word and the most frequent words.",
        input_parameters: json!({
            "type": "object",
            "title": "SummarizeStatsRequest",
            "description": "Request schema for `TEXT_SUMMARIZE_STATS`.",
            "properties": {
                "text": text_param("The text to analyse."),
                "options": {
                    "type": "object",
                    "title": "Options",
                    "description": "How to compute the statistics.",
                    "properties": {
                        "include_unique": {
                            "type": "boolean",
                            "title": "Include Unique",
                            "description": "Include the number of distinct words and the list of words used exactly once.",
                            "default": true,
                        },
                        "top_n": {
                            "type": "integer",
                            "title": "Top N",
                            "description": "How many of the most frequent words to return (0 for none).",
                            "default": 5,
                            "minimum": 0,
                            "maximum": 100,
                            "examples": [3],
                        },
                        "case_sensitive": {
                            "type": "boolean",
                            "title": "Case Sensitive",
                            "description": "Treat `Word` and `word` as different words.",
                            "default": false,
                        },
                        "min_word_length": {
                            "type": "integer",
                            "title": "Min Word Length",
                            "description": "Ignore words shorter than this many characters.",
                            "default": 1,
                            "minimum": 1,
                            "maximum": 50,
                        },
                    },
                    "additionalProperties": false,
                },
            },
            "required": ["text"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "SummarizeStatsData",
            "properties": {
                "total_words": {"type": "integer"},
                "unique_words": {"type": "integer", "description": "Present when `options.include_unique` is true."},
                "hapax_legomena": {"type": "array", "items": {"type": "string"},
                                   "description": "Words used exactly once (when `options.include_unique` is true)."},
                "average_word_length": {"type": "number"},
                "longest_word": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                "top_words": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"word": {"type": "string"}, "count": {"type": "integer"}}},
                    "description": "Most frequent words, most frequent first (ties alphabetical).",
                },
            },
            "required": ["total_words", "average_word_length", "longest_word", "top_words"],
        })),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Pure(run_summarize_stats),
    }
}

/// Words of `text`: runs of alphanumeric characters (inner apostrophes and hyphens kept).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|w| w.trim_matches(|c: char| c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn run_summarize_stats(args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    let empty = Map::new();
    let options = args.get("options").and_then(Value::as_object).unwrap_or(&empty);
    let include_unique = options.get("include_unique").and_then(Value::as_bool).unwrap_or(true);
    let top_n = options.get("top_n").and_then(Value::as_u64).unwrap_or(5) as usize;
    let case_sensitive = options.get("case_sensitive").and_then(Value::as_bool).unwrap_or(false);
    let min_len = options.get("min_word_length").and_then(Value::as_u64).unwrap_or(1) as usize;

    let words: Vec<String> = words(text)
        .into_iter()
        .map(|w| if case_sensitive { w } else { w.to_lowercase() })
        .filter(|w| w.chars().count() >= min_len)
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in &words {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total_chars: usize = words.iter().map(|w| w.chars().count()).sum();
    let average = if words.is_empty() {
        0.0
    } else {
        (total_chars as f64 / words.len() as f64 * 100.0).round() / 100.0
    };
    let longest = words.iter().fold(None::<&String>, |best, w| match best {
        Some(b) if b.chars().count() >= w.chars().count() => Some(b),
        _ => Some(w),
    });
    let mut data = Map::new();
    data.insert("total_words".into(), json!(words.len()));
    if include_unique {
        let mut once: Vec<&str> = ranked.iter().filter(|(_, c)| *c == 1).map(|(w, _)| *w).collect();
        once.sort_unstable();
        data.insert("unique_words".into(), json!(counts.len()));
        data.insert("hapax_legomena".into(), json!(once));
    }
    data.insert("average_word_length".into(), json!(average));
    data.insert("longest_word".into(), json!(longest));
    data.insert(
        "top_words".into(),
        Value::Array(ranked.iter().take(top_n).map(|(w, c)| json!({"word": w, "count": c})).collect()),
    );
    Ok(Value::Object(data))
}

fn find_replace() -> ToolDef {
    ToolDef {
        slug: "TEXT_FIND_REPLACE",
        name: "Find and replace",
        description: "Replaces occurrences of a search string in a text and reports how many were replaced.",
        input_parameters: json!({
            "type": "object",
            "title": "FindReplaceRequest",
            "description": "Request schema for `TEXT_FIND_REPLACE`.",
            "properties": {
                "text": text_param("The text to edit."),
                "find": {"type": "string", "title": "Find", "description": "The string to search for.", "minLength": 1,
                         "examples": ["fox"]},
                "replace": {"type": "string", "title": "Replace", "description": "The replacement string (may be empty).",
                            "examples": ["cat"]},
                "case_sensitive": {"type": "boolean", "title": "Case Sensitive",
                                   "description": "Match the search string case-sensitively.", "default": true},
                "max_replacements": {"type": "integer", "title": "Max Replacements",
                                     "description": "Replace at most this many occurrences (0 = all).",
                                     "default": 0, "minimum": 0},
            },
            "required": ["text", "find", "replace"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "FindReplaceData",
            "properties": {
                "result": {"type": "string", "description": "The edited text."},
                "replacements": {"type": "integer", "description": "How many occurrences were replaced."},
            },
            "required": ["result", "replacements"],
        })),
        tags: vec!["idempotentHint"],
        scopes: vec![],
        important: false,
        run: Runner::Pure(run_find_replace),
    }
}

fn run_find_replace(args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    let find = arg_str(args, "find")?;
    let replace = arg_str(args, "replace")?;
    if find.is_empty() {
        return Err("`find` must not be empty".into());
    }
    let case_sensitive = args.get("case_sensitive").and_then(Value::as_bool).unwrap_or(true);
    let max = args.get("max_replacements").and_then(Value::as_u64).unwrap_or(0) as usize;
    let (hay, needle) = if case_sensitive {
        (text.to_owned(), find.to_owned())
    } else {
        (text.to_lowercase(), find.to_lowercase())
    };
    // Lower-casing can change byte lengths for some scripts; fall back to exact matching then.
    let (hay, needle) = if hay.len() == text.len() && needle.len() == find.len() {
        (hay, needle)
    } else {
        (text.to_owned(), find.to_owned())
    };
    let mut result = String::with_capacity(text.len());
    let mut count = 0;
    let mut pos = 0;
    while let Some(found) = hay[pos..].find(&needle) {
        if max != 0 && count == max {
            break;
        }
        let at = pos + found;
        result.push_str(&text[pos..at]);
        result.push_str(replace);
        pos = at + needle.len();
        count += 1;
    }
    result.push_str(&text[pos..]);
    Ok(json!({"result": result, "replacements": count}))
}

fn file_stats() -> ToolDef {
    ToolDef {
        slug: "TEXT_FILE_STATS",
        name: "File statistics",
        description: "Reads an uploaded text file and reports its size in bytes, lines, words, characters and MD5 checksum.",
        input_parameters: json!({
            "type": "object",
            "title": "FileStatsRequest",
            "description": "Request schema for `TEXT_FILE_STATS`.",
            "properties": {
                "file": {
                    "type": "object",
                    "title": "File",
                    "description": "The file to analyse (SDKs upload a local path or URL and pass `{name, mimetype, s3key}`).",
                    "file_uploadable": true,
                    "properties": {
                        "name": {"type": "string", "description": "File name."},
                        "mimetype": {"type": "string", "description": "MIME type."},
                        "s3key": {"type": "string", "description": "Storage key returned by the upload request."},
                    },
                    "required": ["name", "mimetype", "s3key"],
                },
            },
            "required": ["file"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "FileStatsData",
            "properties": {
                "name": {"type": "string", "description": "File name."},
                "mimetype": {"type": "string", "description": "MIME type given at upload."},
                "size": {"type": "integer", "description": "Size in bytes."},
                "lines": {"type": "integer", "description": "Number of lines (0 for an empty file)."},
                "words": {"type": "integer", "description": "Number of whitespace-separated words."},
                "characters": {"type": "integer", "description": "Number of Unicode characters (invalid UTF-8 is replaced)."},
                "md5": {"type": "string", "description": "Hex MD5 of the content."},
            },
            "required": ["name", "mimetype", "size", "lines", "words", "characters", "md5"],
        })),
        tags: vec![],
        scopes: vec![],
        important: false,
        run: Runner::Files(run_file_stats),
    }
}

fn run_file_stats(store: &FileStore, args: &Map<String, Value>) -> ToolResult {
    let file = args.get("file").and_then(Value::as_object).ok_or("missing required field `file`")?;
    let key = file.get("s3key").and_then(Value::as_str).ok_or("missing required field `file.s3key`")?;
    let (meta, bytes) = store.read_by_key(key)?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(json!({
        "name": meta.filename,
        "mimetype": meta.mimetype,
        "size": bytes.len(),
        "lines": text.lines().count(),
        "words": text.split_whitespace().count(),
        "characters": text.chars().count(),
        "md5": md5_hex(&bytes),
    }))
}

fn create_file() -> ToolDef {
    ToolDef {
        slug: "TEXT_CREATE_FILE",
        name: "Create text file",
        description: "Writes text into a new plain-text file and returns it as a downloadable file.",
        input_parameters: json!({
            "type": "object",
            "title": "CreateFileRequest",
            "description": "Request schema for `TEXT_CREATE_FILE`.",
            "properties": {
                "text": text_param("The content of the file."),
                "filename": {"type": "string", "title": "Filename", "description": "Name of the file to create.",
                             "default": "text.txt", "minLength": 1, "maxLength": 200, "examples": ["notes.txt"]},
            },
            "required": ["text"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "CreateFileData",
            "properties": {
                "file": {
                    "type": "object",
                    "title": "File",
                    "description": "The created file (`s3url` is a download URL valid for one hour).",
                    "file_downloadable": true,
                    "properties": {
                        "name": {"type": "string"},
                        "mimetype": {"type": "string"},
                        "s3url": {"type": "string", "format": "uri"},
                    },
                    "required": ["name", "mimetype", "s3url"],
                },
                "size": {"type": "integer", "description": "Size in bytes."},
            },
            "required": ["file", "size"],
        })),
        tags: vec![],
        scopes: vec![],
        important: false,
        run: Runner::Files(run_create_file),
    }
}

fn run_create_file(store: &FileStore, args: &Map<String, Value>) -> ToolResult {
    let text = arg_str(args, "text")?;
    let filename = args.get("filename").and_then(Value::as_str).unwrap_or("text.txt");
    let meta = store
        .store_new(filename, "text/plain", text.as_bytes(), "TEXT_CREATE_FILE", "text")
        .map_err(|e| e.message)?;
    Ok(json!({"file": store.result_object(&meta), "size": meta.size}))
}

fn arg_str<'a>(args: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    args.get(name).and_then(Value::as_str).ok_or_else(|| format!("missing required field `{name}`"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn args(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn counts() {
        let out = run_word_count(&args(json!({"text": "Hello world. How are you?\n\nFine!"}))).unwrap();
        assert_eq!(out["words"], 6);
        assert_eq!(out["sentences"], 3);
        assert_eq!(out["paragraphs"], 2);
        assert_eq!(out["lines"], 3);
    }

    #[test]
    fn cases() {
        assert_eq!(title_case("hello wORLD, it's me"), "Hello World, It's Me");
        assert_eq!(snake_case("Hello World helloWorld  x-y"), "hello_world_hello_world_x_y");
    }

    #[test]
    fn emails() {
        assert_eq!(
            find_emails("a: Alice.B@Example.com, <bob@mail.example.org>. bad@x, @nope.com, c@d.io."),
            vec!["Alice.B@Example.com", "bob@mail.example.org", "c@d.io"]
        );
    }

    #[test]
    fn stats() {
        let out = run_summarize_stats(&args(json!({"text": "the cat and the hat and THE bat",
            "options": {"top_n": 2, "include_unique": true}})))
        .unwrap();
        assert_eq!(out["top_words"], json!([{"word":"the","count":3},{"word":"and","count":2}]));
        assert_eq!(out["unique_words"], 5);
        assert_eq!(out["hapax_legomena"], json!(["bat", "cat", "hat"]));
    }

    #[test]
    fn replace() {
        let out = run_find_replace(&args(
            json!({"text":"Fox fox FOX","find":"fox","replace":"cat","case_sensitive":false,
            "max_replacements":2}),
        ))
        .unwrap();
        assert_eq!(out, json!({"result":"cat cat FOX","replacements":2}));
    }
}
