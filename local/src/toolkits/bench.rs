//! Benchmark toolkits (off by default): `bench50`, `bench500` and `bench2000`, with 50, 500 and
//! 2,000 no-auth tools whose input schemas are realistic in size and shape (about 8 KB each:
//! nested objects, enums, arrays of objects, long descriptions). Every tool echoes a small
//! object, so executing one is cheap.
//!
//! Enable them with `composio-local serve --bench-toolkits` or the environment variable
//! `COMPOSIO_LOCAL_BENCH_TOOLKITS=1` (read once, when the registry is first built).

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{json, Map, Value};

use super::{output_schema, Category, Runner, ToolDef, ToolResult, Toolkit};

/// The benchmark toolkits' sizes (tools per toolkit); the slugs are `bench<N>`.
pub const SIZES: [usize; 3] = [50, 500, 2000];

/// The version every benchmark toolkit has (pin it in clients).
pub const VERSION: &str = "20251201_00";

/// Environment variable that turns the benchmark toolkits on (`1`, `true` or `yes`).
pub const ENV_VAR: &str = "COMPOSIO_LOCAL_BENCH_TOOLKITS";

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Turns the benchmark toolkits on for this process. Must be called before the registry is
/// first used (the binary does it while parsing its arguments).
pub fn enable() {
    ENABLED.store(true, Ordering::SeqCst);
}

/// Whether the benchmark toolkits are on ([`enable`] was called, or [`ENV_VAR`] is set).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::SeqCst)
        || std::env::var(ENV_VAR)
            .map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
            .unwrap_or(false)
}

/// The benchmark toolkits, one per entry of [`SIZES`].
pub fn toolkits() -> Vec<Toolkit> {
    SIZES.iter().map(|&n| toolkit(n)).collect()
}

/// Strings of generated toolkits live as long as the process (built once, with the registry).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn toolkit(n: usize) -> Toolkit {
    let slug = leak(format!("bench{n}"));
    Toolkit {
        slug,
        name: leak(format!("Benchmark {n}")),
        description: leak(format!(
            "A synthetic toolkit of {n} tools with realistic schemas, for measuring SDK overhead."
        )),
        logo: leak(format!("https://logos.composio.dev/api/{slug}")),
        categories: vec![Category { id: "developer-tools", name: "Developer Tools" }],
        version: VERSION,
        available_versions: vec![VERSION],
        no_auth: true,
        auth_schemes: vec![],
        listed: true,
        created_at: "2025-12-01T00:00:00.000Z",
        updated_at: "2025-12-01T00:00:00.000Z",
        tools: (0..n).map(|i| tool(n, i)).collect(),
    }
}

const RESOURCES: [&str; 8] =
    ["invoice", "customer", "ticket", "campaign", "repository", "calendar event", "shipment", "document"];
const VERBS: [&str; 6] = ["create", "update", "search", "archive", "export", "sync"];

fn long_text(topic: &str, i: usize) -> String {
    format!(
        "The {topic} to work with. This value is matched case-insensitively against the records \
         the connected account can see; when several records match, the most recently updated one \
         wins unless `strict_matching` is set, in which case the call fails with a descriptive \
         error instead. Leave it empty to let the service pick a sensible default (variant {i})."
    )
}

fn address(i: usize) -> Value {
    json!({
        "type": "object",
        "title": "Address",
        "description": "A postal address. All fields are free text; the service normalises them and rejects addresses it cannot geocode when `validate` is true.",
        "properties": {
            "line1": {"type": "string", "description": long_text("first address line", i), "maxLength": 200},
            "line2": {"type": "string", "description": "Second address line (apartment, suite, unit, building, floor).", "default": ""},
            "city": {"type": "string", "description": "City, district, suburb, town or village.", "examples": ["Berlin", "Lisbon"]},
            "postal_code": {"type": "string", "description": "ZIP or postal code.", "pattern": "^[A-Za-z0-9 -]{3,10}$"},
            "country": {"type": "string", "description": "Two-letter ISO 3166-1 country code.",
                        "enum": ["DE", "FR", "GB", "US", "PT", "ES", "IT", "NL", "SE", "JP"]},
            "validate": {"type": "boolean", "description": "Reject addresses that cannot be geocoded.", "default": false}
        },
        "required": ["line1", "country"]
    })
}

fn input_schema(resource: &str, verb: &str, i: usize) -> Value {
    json!({
        "type": "object",
        "title": format!("{}Request", verb),
        "description": format!("Request schema to {verb} a {resource}."),
        "properties": {
            "name": {"type": "string", "title": "Name", "description": long_text(resource, i), "minLength": 1, "maxLength": 256},
            "status": {"type": "string", "title": "Status",
                       "description": format!("Lifecycle status to set on the {resource}. Transitions that the workflow does not allow are rejected."),
                       "enum": ["draft", "pending", "active", "paused", "completed", "cancelled", "archived"], "default": "draft"},
            "priority": {"type": "integer", "title": "Priority", "description": "Priority from 1 (highest) to 5 (lowest).", "minimum": 1, "maximum": 5, "default": 3},
            "amount": {"type": "number", "title": "Amount", "description": "Monetary amount in the account's currency, with up to two decimals.", "minimum": 0},
            "tags": {"type": "array", "title": "Tags", "description": "Labels to attach. Unknown labels are created on the fly unless the workspace forbids it.",
                     "items": {"type": "string", "maxLength": 64}, "maxItems": 50},
            "owner": {
                "type": "object",
                "title": "Owner",
                "description": format!("Who owns the {resource}. Give either `user_id` or `email`; when both are given they must refer to the same user."),
                "properties": {
                    "user_id": {"type": "string", "description": "The owner's user id."},
                    "email": {"type": "string", "format": "email", "description": "The owner's e-mail address."},
                    "role": {"type": "string", "enum": ["owner", "editor", "viewer", "commenter"], "default": "owner", "description": "The role to grant."},
                    "notify": {"type": "boolean", "default": true, "description": "Send the owner a notification e-mail."}
                }
            },
            "billing_address": address(i),
            "shipping_address": address(i + 1),
            "line_items": {
                "type": "array",
                "title": "Line items",
                "description": "Items attached to the record, in display order. At most 100 items are accepted per call; send several calls for more.",
                "items": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string", "description": "Stock keeping unit of the item."},
                        "quantity": {"type": "integer", "minimum": 1, "default": 1, "description": "How many units."},
                        "unit_price": {"type": "number", "minimum": 0, "description": "Price per unit."},
                        "tax_code": {"type": "string", "enum": ["standard", "reduced", "zero", "exempt"], "description": "Tax treatment of the item."},
                        "metadata": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Free-form key/value pairs."}
                    },
                    "required": ["sku", "quantity"]
                },
                "maxItems": 100
            },
            "options": {
                "type": "object",
                "title": "Options",
                "description": "Behaviour switches for this call.",
                "properties": {
                    "strict_matching": {"type": "boolean", "default": false, "description": "Fail instead of picking the most recent of several matches."},
                    "dry_run": {"type": "boolean", "default": false, "description": "Validate everything but change nothing."},
                    "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 300, "default": 30, "description": "Give up after this many seconds."},
                    "locale": {"type": "string", "enum": ["en-US", "en-GB", "de-DE", "fr-FR", "pt-PT", "ja-JP"], "default": "en-US", "description": "Locale for generated texts."},
                    "fields": {"type": "array", "items": {"type": "string"}, "description": "Only return these fields of the record (all when empty)."}
                }
            },
            "notes": {"anyOf": [{"type": "string", "maxLength": 5000}, {"type": "null"}], "default": null, "title": "Notes",
                      "description": "Free-text notes stored with the record and shown to every collaborator. Markdown is rendered in the web application but stored verbatim."}
        },
        "required": ["name", "status"],
        "additionalProperties": false
    })
}

fn tool(n: usize, i: usize) -> ToolDef {
    let resource = RESOURCES[i % RESOURCES.len()];
    let verb = VERBS[(i / RESOURCES.len()) % VERBS.len()];
    ToolDef {
        slug: leak(format!(
            "BENCH{n}_{}_{}_{i:04}",
            verb.to_uppercase(),
            resource.replace(' ', "_").to_uppercase()
        )),
        name: leak(format!("{verb} {resource} #{i}")),
        description: leak(format!(
            "{verb} a {resource} in the connected workspace. Use this tool when the user asks to {verb} \
             a {resource}; it validates every field, applies the workspace's automation rules and \
             returns the resulting record. Prefer the search tools first when the {resource} may \
             already exist, to avoid duplicates."
        )),
        input_parameters: input_schema(resource, verb, i),
        output_parameters: output_schema(json!({
            "type": "object",
            "title": "EchoData",
            "properties": {
                "ok": {"type": "boolean", "description": "Always true."},
                "received": {"type": "integer", "description": "Number of arguments received."}
            },
            "required": ["ok", "received"]
        })),
        tags: vec!["benchmark", "idempotentHint"],
        scopes: vec![],
        important: i % 10 == 0,
        run: Runner::Pure(run_echo),
    }
}

fn run_echo(args: &Map<String, Value>) -> ToolResult {
    Ok(json!({"ok": true, "received": args.len()}))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn sizes_shapes_and_schema_size() {
        let tks = toolkits();
        assert_eq!(tks.iter().map(|t| t.tools.len()).collect::<Vec<_>>(), SIZES.to_vec());
        let tool = &tks[0].tools[7];
        let len = serde_json::to_string(&super::super::tool_json(&tks[0], tool)).unwrap().len();
        assert!((6_000..12_000).contains(&len), "tool object is {len} bytes");
        let mut slugs = std::collections::HashSet::new();
        for tk in &tks {
            for t in &tk.tools {
                assert!(slugs.insert(t.slug), "duplicate {}", t.slug);
            }
        }
        assert_eq!(run_echo(&Map::new()).unwrap()["ok"], true);
    }
}
