//! Quickstart: a session and its tools in OpenAI format, a search and a
//! model's tool call executed, a direct execution at a pinned version, then
//! a connection through the connect page, a trigger on it, and the signed
//! webhook it fires, received and verified.
//!
//! Runs against an embedded composio-local by default:
//! `cargo run -p composio-examples --bin quickstart`.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use composio_core::models::{AuthorizeOptions, ToolExecuteParams, WebhookVersion};
use composio_core::modifiers::Modifiers;
use composio_core::providers::{format_tools, HandleToolCallsOptions};
use composio_core::triggers::TriggerCreateParams;
use composio_core::webhooks::verify_webhook_headers;
use composio_core::{Composio, Flavor, Provider, SessionConfig};
use serde_json::{json, Map, Value};
use tokio::sync::mpsc;

type Demo = Result<(), Box<dyn std::error::Error>>;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

#[allow(clippy::print_stdout)]
#[tokio::main]
async fn main() -> Demo {
    let backend = composio_examples::connect().await?;
    let composio = &backend.composio;
    match &backend.local {
        Some(local) => println!("composio-local running at {}", local.url()),
        None => println!("using {}", composio.config().base_url),
    }
    tools_and_tool_calls(composio).await?;
    if backend.local.is_some() {
        connection_trigger_and_webhook(composio).await?;
    }
    if let Some(local) = backend.local {
        local.shutdown().await;
    }
    Ok(())
}

/// A session, its tools for the model, a search, a tool call and a direct
/// execution.
#[allow(clippy::print_stdout)]
async fn tools_and_tool_calls(composio: &Composio) -> Demo {
    let session =
        composio.create_session("demo_user", SessionConfig::new().toolkits(vec!["text".to_string()])).await?;
    println!("session {} (MCP at {})", session.session_id, session.mcp.url);

    let tools = session.tools(&Modifiers::new()).await?;
    let openai_tools = format_tools(&Provider::OpenAI, &tools, Flavor::TypeScript);
    println!("{} tools for the model:", openai_tools.len());
    for t in &openai_tools {
        println!("  - {}", t["function"]["name"].as_str().unwrap_or_default());
    }

    // The model searches for a tool...
    let search = session
        .execute_meta(
            "COMPOSIO_SEARCH_TOOLS",
            obj(json!({"queries": [{"use_case": "count the words in a paragraph"}]})),
            &Modifiers::new(),
        )
        .await?;
    println!("search suggests: {}", search.data["results"][0]["primary_tool_slugs"]);

    // ...and calls it; the SDK executes the call and formats the result.
    let completion = json!({"choices": [{"message": {"role": "assistant", "tool_calls": [{
        "id": "call_1", "type": "function",
        "function": {"name": "TEXT_WORD_COUNT", "arguments": "{\"text\": \"Composio gives agents tools.\"}"}
    }]}}]});
    let messages = composio
        .handle_tool_calls(
            "demo_user",
            &Provider::OpenAI,
            &completion,
            Flavor::TypeScript,
            HandleToolCallsOptions::default(),
            &Modifiers::new(),
        )
        .await?;
    println!("tool message for the model: {}", messages[0]);

    // A direct execution at the pinned toolkit version.
    let result = composio
        .tools()
        .execute(
            "TEXT_TRANSFORM_CASE",
            ToolExecuteParams::new(
                "demo_user",
                obj(json!({"text": "Hello from composio-rs", "case": "snake"})),
            ),
            &Modifiers::new(),
        )
        .await?;
    println!("TEXT_TRANSFORM_CASE -> {}", result.data);
    Ok(())
}

/// Connects the user's notes account through the connect page, creates a
/// trigger on it, and receives the signed webhook a new note fires.
#[allow(clippy::print_stdout)]
async fn connection_trigger_and_webhook(composio: &Composio) -> Demo {
    // 1. The app asks for a connection; the user opens the link...
    let session = composio
        .create_session("demo_user", SessionConfig::new().toolkits(vec!["notes".to_string()]))
        .await?;
    let request = session.authorize("notes", AuthorizeOptions::default()).await?;
    let link = request.redirect_url.clone().unwrap_or_default();
    println!("connect link: {link}");
    // ...and types their API key on the page (done here by posting the form).
    reqwest::Client::new().post(&link).form(&[("api_key", "demo-notes-key")]).send().await?;
    let account = request.wait_for_connection(Duration::from_secs(30)).await?;
    println!("connected account {} is {}", account.id, account.status);

    // 2. A local endpoint receives webhooks; Composio signs each delivery.
    let (tx, mut rx) = mpsc::channel::<(HeaderMap, Bytes)>(4);
    let app = axum::Router::new().route(
        "/webhook",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((headers, body)).await;
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/webhook", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let subscription = composio
        .webhook_subscriptions()
        .create(&endpoint, vec!["composio.trigger.message".into()], Some(WebhookVersion::V3))
        .await?;
    let secret = subscription.secret.as_ref().map(|s| s.expose().to_owned()).unwrap_or_default();

    // 3. A trigger on the account; creating a note fires it.
    let trigger =
        composio.triggers().create("NOTES_NOTE_CREATED", TriggerCreateParams::for_user("demo_user")).await?;
    println!("trigger {} listening", trigger.trigger_id);
    session
        .execute("NOTES_CREATE_NOTE", Some(obj(json!({"title": "Launch", "content": "Ship composio-rs"}))))
        .await?;

    // 4. The delivery arrives and is verified with the subscription's secret.
    let (headers, body) =
        tokio::time::timeout(Duration::from_secs(30), rx.recv()).await?.ok_or("no webhook")?;
    let pairs =
        headers.iter().filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())));
    let event = verify_webhook_headers(pairs, std::str::from_utf8(&body)?, &secret, 300)?;
    println!(
        "verified {} webhook: {} for {} -> {}",
        event.version.as_str(),
        event.payload.trigger_slug,
        event.payload.user_id,
        event.payload.payload
    );
    Ok(())
}
