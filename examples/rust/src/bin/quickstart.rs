//! Quickstart: a session, its tools in OpenAI format, a search, a model's
//! tool call executed, a direct execution, and a signed webhook verified.
//!
//! Runs against an embedded composio-local by default:
//! `cargo run -p composio-examples --bin quickstart`.

use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::Modifiers;
use composio_core::providers::{format_tools, HandleToolCallsOptions};
use composio_core::webhooks::{sign_webhook, verify_webhook, VerifyWebhookParams};
use composio_core::{Flavor, Provider, SessionConfig};
use serde_json::json;

#[allow(clippy::print_stdout)]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let backend = composio_examples::connect().await?;
    let composio = &backend.composio;
    match &backend.local {
        Some(local) => println!("composio-local running at {}", local.url()),
        None => println!("using {}", composio.config().base_url),
    }

    // 1. A session for one user, limited to the text toolkit.
    let session =
        composio.create_session("demo_user", SessionConfig::new().toolkits(vec!["text".to_string()])).await?;
    println!("session {} (MCP at {})", session.session_id, session.mcp.url);

    // 2. Its tools, in the OpenAI chat-completions format.
    let tools = session.tools(&Modifiers::new()).await?;
    let openai_tools = format_tools(&Provider::OpenAI, &tools, Flavor::TypeScript);
    println!("{} tools for the model:", openai_tools.len());
    for t in &openai_tools {
        println!("  - {}", t["function"]["name"].as_str().unwrap_or_default());
    }

    // 3. The model searches for a tool...
    let search = session
        .execute_meta(
            "COMPOSIO_SEARCH_TOOLS",
            json!({"queries": [{"use_case": "count the words in a paragraph"}]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            &Modifiers::new(),
        )
        .await?;
    println!("search suggests: {}", search.data["results"][0]["primary_tool_slugs"]);

    // 4. ...and calls it; the SDK executes the tool call and formats the result.
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

    // 5. A direct execution at a pinned toolkit version.
    let result = composio
        .tools()
        .execute(
            "TEXT_TRANSFORM_CASE",
            ToolExecuteParams::new(
                "demo_user",
                json!({"text": "Hello from composio-rs", "case": "snake"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            ),
            &Modifiers::new(),
        )
        .await?;
    println!("TEXT_TRANSFORM_CASE -> {}", result.data);

    // 6. A webhook delivery: sign it as Composio does, then verify and normalise it.
    let body =
        json!({"id": "msg_demo", "type": "composio.trigger.message", "timestamp": "2026-11-20T12:00:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GITHUB_COMMIT_EVENT", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "demo_user"},
        "data": {"message": "Fix typo"}})
        .to_string();
    let secret = "whsec_demo_secret";
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs().to_string();
    let signature = sign_webhook("msg_demo", &now, &body, secret);
    let event = verify_webhook(&VerifyWebhookParams::new("msg_demo", &body, &signature, &now, secret))?;
    println!(
        "verified {} webhook: {} for {} -> {}",
        event.version.as_str(),
        event.payload.trigger_slug,
        event.payload.user_id,
        event.payload.payload
    );

    if let Some(local) = backend.local {
        local.shutdown().await;
    }
    Ok(())
}
