//! MCP over streamable HTTP, exercised with a real MCP client (rmcp's streamable-HTTP client):
//! session MCP URLs (tools/list = the session's meta tools, tools/call through execute_meta /
//! execute), authentication and unknown ids, the MCP servers API (CRUD, generate, list
//! pagination, instances, validation), generated server URLs, and persistence across restarts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use common::{error_message, start, start_with, Local, TempDir};
use composio_local::LocalOptions;
use reqwest::header::{HeaderName, HeaderValue};
use rmcp::model::{CallToolRequestParams, CallToolResult, Tool};
use rmcp::service::RunningService;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};

type Client = RunningService<RoleClient, ()>;

/// Connect a real MCP client to `url`, sending `x-api-key` when given.
async fn connect(url: &str, key: Option<&str>) -> Result<Client, String> {
    let mut headers = HashMap::new();
    if let Some(k) = key {
        headers.insert(HeaderName::from_static("x-api-key"), HeaderValue::from_str(k).unwrap());
    }
    let config = StreamableHttpClientTransportConfig::with_uri(url).custom_headers(headers);
    let transport = StreamableHttpClientTransport::from_config(config);
    ().serve(transport).await.map_err(|e| format!("{e:?}"))
}

async fn session(local: &Local, body: Value) -> (String, String) {
    let (s, b) = local.post("/tool_router/session", body).await;
    assert_eq!(s, 200, "{b}");
    (b["session_id"].as_str().unwrap().to_owned(), b["mcp"]["url"].as_str().unwrap().to_owned())
}

async fn call(client: &Client, name: &str, args: Value) -> CallToolResult {
    let params =
        CallToolRequestParams::new(name.to_owned()).with_arguments(args.as_object().unwrap().clone());
    client.call_tool(params).await.unwrap_or_else(|e| panic!("tools/call {name}: {e:?}"))
}

/// The JSON text content of a tool result.
fn body_of(result: &CallToolResult) -> Value {
    assert_eq!(result.content.len(), 1, "{result:?}");
    let text = result.content[0].as_text().expect("text content").text.clone();
    let body: Value = serde_json::from_str(&text).expect("JSON text content");
    assert_eq!(result.structured_content.as_ref(), Some(&body), "structured content mirrors the text");
    body
}

fn names(tools: &[Tool]) -> Vec<String> {
    tools.iter().map(|t| t.name.to_string()).collect()
}

#[tokio::test]
async fn session_mcp_lists_meta_tools_and_calls_through_execute() {
    let local = start().await;
    let (id, url) = session(&local, json!({"user_id": "alice", "toolkits": ["text"]})).await;
    assert_eq!(url, format!("{}/tool_router/{id}/mcp", local.server.url()));

    let client = connect(&url, Some(local.server.api_key())).await.expect("initialize");
    let info = client.peer_info().expect("server info");
    assert_eq!(info.server_info.as_ref().map(|s| s.name.as_str()), Some("composio-local"));
    assert!(info.capabilities.tools.is_some(), "tools capability advertised");

    // tools/list is exactly GET …/tools, with the same input schemas.
    let tools = client.list_all_tools().await.expect("tools/list");
    let (s, rest) = local.get(&format!("/tool_router/session/{id}/tools")).await;
    assert_eq!(s, 200);
    let rest_items = rest["items"].as_array().unwrap();
    let rest_slugs: Vec<String> = rest_items.iter().map(|t| t["slug"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names(&tools), rest_slugs);
    for name in [
        "COMPOSIO_SEARCH_TOOLS",
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        "COMPOSIO_MANAGE_CONNECTIONS",
        "COMPOSIO_GET_TOOL_SCHEMAS",
    ] {
        assert!(rest_slugs.iter().any(|s| s == name), "{name} in {rest_slugs:?}");
    }
    for (tool, item) in tools.iter().zip(rest_items) {
        assert_eq!(
            Value::Object(tool.input_schema.as_ref().clone()),
            item["input_parameters"],
            "{}",
            tool.name
        );
        assert_eq!(tool.description.as_deref(), item["description"].as_str());
    }

    // A meta tool: search finds the word counter.
    let found = call(
        &client,
        "COMPOSIO_SEARCH_TOOLS",
        json!({"queries": [{"use_case": "count the words in a text"}]}),
    )
    .await;
    assert_eq!(found.is_error, Some(false), "{found:?}");
    let body = body_of(&found);
    assert!(body["log_id"].as_str().unwrap().starts_with("log_"), "{body}");
    assert_eq!(body["successful"], true);
    let primary = body["data"]["results"][0]["primary_tool_slugs"].as_array().unwrap();
    assert!(primary.iter().any(|s| s == "TEXT_WORD_COUNT"), "{body}");
    assert_eq!(body["data"]["router_session_id"], id.as_str());

    // A real tool through the multi-execute meta tool.
    let multi = call(
        &client,
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        json!({"tools": [{"tool_slug": "TEXT_WORD_COUNT", "arguments": {"text": "one two three"}}]}),
    )
    .await;
    assert_eq!(multi.is_error, Some(false), "{multi:?}");
    assert_eq!(body_of(&multi)["data"]["results"][0]["response"]["data"]["words"], 3);

    // A regular tool slug runs through …/execute.
    let direct = call(&client, "TEXT_WORD_COUNT", json!({"text": "four five"})).await;
    assert_eq!(direct.is_error, Some(false), "{direct:?}");
    assert_eq!(body_of(&direct)["data"]["words"], 2);

    // Failures are tool results with isError and the reason.
    let bad = call(&client, "TEXT_WORD_COUNT", json!({})).await;
    assert_eq!(bad.is_error, Some(true));
    let err = body_of(&bad)["error"].as_str().unwrap().to_owned();
    assert!(err.contains("TEXT_WORD_COUNT") && err.contains("text"), "{err}");
    let (_, b) = local
        .post(
            &format!("/tool_router/session/{id}/execute"),
            json!({"tool_slug": "TEXT_WORD_COUNT", "arguments": {}}),
        )
        .await;
    assert_eq!(b["error"].as_str().unwrap(), err, "same code path as REST execute");

    // Session rules apply: the notes toolkit is not enabled in this session.
    let denied = call(&client, "NOTES_LIST_NOTES", json!({})).await;
    assert_eq!(denied.is_error, Some(true));
    assert!(body_of(&denied)["error"].as_str().unwrap().contains("not enabled"), "{denied:?}");

    // Workbench meta tools are not available here.
    let unavailable = call(&client, "COMPOSIO_REMOTE_WORKBENCH", json!({})).await;
    assert_eq!(unavailable.is_error, Some(true));
    assert!(body_of(&unavailable)["error"].as_str().unwrap().contains("not available in composio-local"));

    client.cancel().await.unwrap();
}

#[tokio::test]
async fn session_without_manage_connections_offers_fewer_tools() {
    let local = start().await;
    let (_, url) = session(&local, json!({"user_id": "u", "manage_connections": false})).await;
    let client = connect(&url, Some(local.server.api_key())).await.unwrap();
    let tools = names(&client.list_all_tools().await.unwrap());
    assert!(!tools.iter().any(|t| t == "COMPOSIO_MANAGE_CONNECTIONS"), "{tools:?}");
    let r = call(&client, "COMPOSIO_MANAGE_CONNECTIONS", json!({"toolkits": ["notes"]})).await;
    assert_eq!(r.is_error, Some(true));
    assert!(body_of(&r)["error"].as_str().unwrap().contains("manage_connections"));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn session_mcp_needs_the_key_and_a_known_session() {
    let local = start().await;
    let (id, url) = session(&local, json!({"user_id": "alice"})).await;

    // The MCP client fails to initialise without the right key.
    let wrong = connect(&url, Some("ak_local_wrong")).await.expect_err("wrong key refused");
    assert!(wrong.contains("401") || wrong.to_lowercase().contains("unauthorized"), "{wrong}");
    connect(&url, None).await.expect_err("missing key refused");
    let missing_url = format!("{}/tool_router/trs_doesnotexist/mcp", local.server.url());
    let unknown =
        connect(&missing_url, Some(local.server.api_key())).await.expect_err("unknown session refused");
    assert!(unknown.contains("404") || unknown.contains("trs_doesnotexist"), "{unknown}");

    // The HTTP answers are API errors naming the problem.
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}});
    let post = |u: String, key: Option<&str>| {
        let mut r = local.http.post(u).header("accept", "application/json, text/event-stream").json(&init);
        if let Some(k) = key {
            r = r.header("x-api-key", k);
        }
        r.send()
    };
    let resp = post(url.clone(), Some("nope")).await.unwrap();
    assert_eq!(resp.status(), 401);
    let body: Value = resp.json().await.unwrap();
    assert!(error_message(&body, 401).contains("x-api-key"), "{body}");
    let resp = post(url.clone(), None).await.unwrap();
    assert_eq!(resp.status(), 401);
    let resp = post(missing_url, Some(local.server.api_key())).await.unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert!(error_message(&body, 404).contains("trs_doesnotexist"), "{body}");

    // With the key, a raw initialize gets a JSON-RPC answer.
    let resp = post(url, Some(local.server.api_key())).await.unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(text.contains("\"serverInfo\"") && text.contains("composio-local"), "{text}");
    let _ = id;
}

async fn create_server(local: &Local, body: Value) -> Value {
    let (s, b) = local.post("/mcp/servers/custom", body).await;
    assert_eq!(s, 201, "{b}");
    b
}

#[tokio::test]
async fn mcp_servers_api_crud_generate_instances_and_validation() {
    let local = start().await;
    let created = create_server(
        &local,
        json!({"name": "text tools", "toolkits": ["TEXT"], "custom_tools": ["text_word_count", "TEXT_FIND_REPLACE"],
               "managed_auth_via_composio": true}),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name"], "text tools");
    assert_eq!(created["toolkits"], json!(["text"]));
    assert_eq!(created["allowed_tools"], json!(["TEXT_WORD_COUNT", "TEXT_FIND_REPLACE"]));
    assert_eq!(created["auth_config_ids"], json!([]));
    let mcp_url = format!("{}/v3/mcp/{id}", local.server.url());
    assert_eq!(created["mcp_url"], mcp_url.as_str());
    for client in ["claude", "cursor", "windsurf"] {
        let cmd = created["commands"][client].as_str().unwrap();
        assert!(cmd.contains(&mcp_url) && cmd.ends_with(&format!("--client {client}")), "{cmd}");
    }
    assert!(created["toolkit_icons"]["text"].is_string(), "{created}");
    assert_eq!(created["server_instance_count"], 0);
    assert_eq!(created["managed_auth_via_composio"], true);
    assert!(created["created_at"].is_string() && created["updated_at"].is_string());

    // Every field the OpenAPI document marks required on a server object.
    for field in [
        "id",
        "name",
        "auth_config_ids",
        "allowed_tools",
        "mcp_url",
        "toolkits",
        "toolkit_icons",
        "commands",
        "updated_at",
        "created_at",
        "server_instance_count",
        "managed_auth_via_composio",
    ] {
        assert!(created.get(field).is_some_and(|v| !v.is_null()), "missing `{field}` in {created}");
    }

    // get (both prefixes)
    let (s, got) = local.get(&format!("/mcp/{id}")).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(got["deleted"], false);
    assert_eq!(got["allowed_tools"], created["allowed_tools"]);
    let (s, got31) = local.call_prefix("/api/v3.1", reqwest::Method::GET, &format!("/mcp/{id}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(got31["id"], id.as_str());

    // POST /mcp/servers with an auth config: the toolkit comes from the auth config.
    let ac = local.managed("notes").await;
    let (s, with_ac) = local
        .post(
            "/mcp/servers",
            json!({"name": "notes-server", "auth_config_ids": [ac], "no_auth_apps": ["text"]}),
        )
        .await;
    assert_eq!(s, 201, "{with_ac}");
    assert_eq!(with_ac["toolkits"], json!(["text", "notes"]));
    assert_eq!(with_ac["auth_config_ids"], json!([ac]));
    create_server(&local, json!({"name": "third server", "toolkits": ["notes"]})).await;

    // list: page numbers, newest update first, filters
    let (s, page1) = local.get("/mcp/servers?page_no=1&limit=2").await;
    assert_eq!(s, 200, "{page1}");
    assert_eq!(page1["current_page"], 1);
    assert_eq!(page1["total_pages"], 2);
    assert_eq!(page1["items"].as_array().unwrap().len(), 2);
    assert_eq!(page1["items"][0]["name"], "third server");
    let (_, page2) = local.get("/mcp/servers?page_no=2&limit=2").await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert_eq!(page2["items"][0]["id"], id.as_str());
    let (_, asc) = local.get("/mcp/servers?order_by=created_at&order_direction=asc").await;
    assert_eq!(asc["items"][0]["id"], id.as_str());
    let (_, by_name) = local.get("/mcp/servers?name=NOTES").await;
    assert_eq!(by_name["items"].as_array().unwrap().len(), 1, "{by_name}");
    let (_, by_toolkit) = local.get("/mcp/servers?toolkits=notes,unknown").await;
    assert_eq!(by_toolkit["items"].as_array().unwrap().len(), 2);
    let (_, by_ac) = local.get(&format!("/mcp/servers?auth_config_ids={ac}")).await;
    assert_eq!(by_ac["items"][0]["name"], "notes-server");
    let (_, app) = local.get("/mcp/app/text").await;
    assert_eq!(app["items"].as_array().unwrap().len(), 2, "{app}");
    let (s, b) = local.get("/mcp/app/github").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("github"));
    let (s, b) = local.get("/mcp/servers?page_no=0").await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("page_no"));

    // update
    let (s, updated) = local
        .patch(
            &format!("/mcp/{id}"),
            Some(json!({"name": "renamed-server", "allowed_tools": ["TEXT_TRANSFORM_CASE"]})),
        )
        .await;
    assert_eq!(s, 200, "{updated}");
    assert_eq!(updated["name"], "renamed-server");
    assert_eq!(updated["allowed_tools"], json!(["TEXT_TRANSFORM_CASE"]));
    assert_eq!(updated["created_at"], created["created_at"]);
    let (_, newest) = local.get("/mcp/servers?limit=1").await;
    assert_eq!(newest["items"][0]["id"], id.as_str(), "updated server sorts first");

    // generate: URLs per user and account; users become instances
    let account = local.notes_account("alice").await;
    let (s, gen) = local
        .post(
            "/mcp/servers/generate",
            json!({"mcp_server_id": id, "user_ids": ["alice", "bob smith"], "connected_account_ids": [account],
                   "managed_auth_by_composio": true}),
        )
        .await;
    assert_eq!(s, 200, "{gen}");
    assert_eq!(gen["mcp_url"], mcp_url.as_str());
    assert_eq!(
        gen["user_ids_url"],
        json!([format!("{mcp_url}?user_id=alice"), format!("{mcp_url}?user_id=bob+smith")])
    );
    assert_eq!(gen["connected_account_urls"], json!([format!("{mcp_url}?connected_account_id={account}")]));
    let (_, got) = local.get(&format!("/mcp/{id}")).await;
    assert_eq!(got["server_instance_count"], 2);

    // instances
    let base = format!("/mcp/servers/{id}/instances");
    let (s, inst) = local.post(&base, json!({"user_id": "carol"})).await;
    assert_eq!(s, 201, "{inst}");
    assert_eq!(inst["instance_id"], "carol");
    assert_eq!(inst["mcp_server_id"], id.as_str());
    for field in ["id", "instance_id", "mcp_server_id", "created_at", "updated_at"] {
        assert!(inst[field].is_string(), "missing `{field}` in {inst}");
    }
    let (s, b) = local.post(&base, json!({"user_id": "carol"})).await;
    assert_eq!(s, 409);
    assert!(error_message(&b, 409).contains("carol"));
    let (s, list) = local.get(&format!("{base}?limit=2&order_direction=asc")).await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list["server_id"], id.as_str());
    assert_eq!(list["server_name"], "renamed-server");
    assert_eq!(list["total_pages"], 2);
    assert_eq!(list["instances"][0]["instance_id"], "alice");
    let (_, found) = local.get(&format!("{base}?search=CAR")).await;
    assert_eq!(found["instances"].as_array().unwrap().len(), 1);
    let (s, del) = local.delete(&format!("{base}/carol")).await;
    assert_eq!(s, 200, "{del}");
    assert_eq!(del["deleted_connected_accounts"], 0);
    let (s, b) = local.delete(&format!("{base}/carol")).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("carol"));

    // validation: every bad input is a 400 naming it
    let local = &local;
    let bad = |body: Value| async move {
        let (s, b) = local.post("/mcp/servers/custom", body).await;
        assert_eq!(s, 400, "{b}");
        error_message(&b, 400)
    };
    assert!(bad(json!({"name": "abc", "toolkits": ["text"]})).await.contains("4 to 30"));
    assert!(bad(json!({"name": "a".repeat(31), "toolkits": ["text"]})).await.contains("4 to 30"));
    assert!(bad(json!({"name": "bad_name!", "toolkits": ["text"]})).await.contains("`_`"));
    assert!(bad(json!({"toolkits": ["text"]})).await.contains("`name`"));
    let m = bad(json!({"name": "good name", "toolkits": ["text", "github", "slack"]})).await;
    assert!(m.contains("`github`") && m.contains("`slack`"), "{m}");
    let m = bad(json!({"name": "good name", "auth_config_ids": ["ac_nope", ac]})).await;
    assert!(m.contains("`ac_nope`") && !m.contains(&ac), "{m}");
    assert!(bad(json!({"name": "good name", "toolkits": ["text"], "allowed_tools": ["NOPE_TOOL"]}))
        .await
        .contains("`NOPE_TOOL`"));
    let m =
        bad(json!({"name": "good name", "toolkits": ["text"], "allowed_tools": ["NOTES_LIST_NOTES"]})).await;
    assert!(m.contains("NOTES_LIST_NOTES") && m.contains("notes"), "{m}");
    assert!(bad(json!({"name": "good name"})).await.contains("at least one toolkit"));
    assert!(bad(json!({"name": "good name", "toolkits": "text"})).await.contains("`toolkits`"));
    let (s, b) = local.post("/mcp/servers", json!({"name": "good name"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("auth_config_ids"));
    let (s, b) = local
        .post("/mcp/servers", json!({"name": "good name", "auth_config_ids": [], "no_auth_apps": ["notes"]}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`notes` needs authentication"));
    let (s, b) = local.patch(&format!("/mcp/{id}"), Some(json!({"name": "no"}))).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("name"));
    let (s, b) = local
        .post("/mcp/servers/generate", json!({"mcp_server_id": id, "connected_account_ids": ["ca_nope"]}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`ca_nope`"));
    let (s, b) = local.post("/mcp/servers/generate", json!({"user_ids": ["x"]})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("mcp_server_id"));

    // delete
    let (s, b) = local.delete(&format!("/mcp/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(b, json!({"id": id, "deleted": true}));
    for path in [format!("/mcp/{id}"), format!("/mcp/servers/{id}/instances")] {
        let (s, b) = local.get(&path).await;
        assert_eq!(s, 404, "{path}");
        assert!(error_message(&b, 404).contains(&id));
    }
    let (s, _) = local.delete(&format!("/mcp/{id}")).await;
    assert_eq!(s, 404);
    let (s, b) = local.post("/mcp/servers/generate", json!({"mcp_server_id": id, "user_ids": ["x"]})).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains(&id));

    // The API needs the key like every other endpoint.
    let resp = local.http.get(local.url("/api/v3", "/mcp/servers")).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}

/// A `notes` auth config and an ACTIVE account of `user` on it.
async fn notes_on(local: &Local, ac: &str, user: &str) -> String {
    let (s, b) = local
        .post(
            "/connected_accounts",
            json!({"auth_config":{"id": ac},"connection":{"user_id": user,
                "state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key":"k-123456789012"}}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn generated_server_url_lists_allowed_tools_and_runs_them_for_the_user() {
    let local = start().await;
    let ac = local.managed("notes").await;
    let alice_account = notes_on(&local, &ac, "alice").await;
    let server = create_server(
        &local,
        json!({"name": "notes for agents", "toolkits": ["notes"], "auth_config_ids": [ac],
               "allowed_tools": ["NOTES_CREATE_NOTE", "NOTES_LIST_NOTES"]}),
    )
    .await;
    let id = server["id"].as_str().unwrap();
    let (_, gen) =
        local.post("/mcp/servers/generate", json!({"mcp_server_id": id, "user_ids": ["alice", "bob"]})).await;
    let alice_url = gen["user_ids_url"][0].as_str().unwrap();
    let bob_url = gen["user_ids_url"][1].as_str().unwrap();

    // No API key needed: the server URL is the credential (as on the hosted service).
    let alice = connect(alice_url, None).await.expect("initialize");
    let tools = alice.list_all_tools().await.unwrap();
    assert_eq!(names(&tools), vec!["NOTES_CREATE_NOTE", "NOTES_LIST_NOTES"]);
    let (_, rest) = local.get("/tools/NOTES_CREATE_NOTE").await;
    assert_eq!(Value::Object(tools[0].input_schema.as_ref().clone()), rest["input_parameters"]);
    let list_annotations = tools[1].annotations.as_ref().expect("annotations");
    assert_eq!(list_annotations.read_only_hint, Some(true));

    let created = call(&alice, "NOTES_CREATE_NOTE", json!({"title": "From MCP", "content": "hello"})).await;
    assert_eq!(created.is_error, Some(false), "{created:?}");
    let body = body_of(&created);
    assert_eq!(body["data"]["note"]["title"], "From MCP");
    assert!(body["log_id"].as_str().unwrap().starts_with("log_"));
    let listed = call(&alice, "NOTES_LIST_NOTES", json!({})).await;
    assert_eq!(body_of(&listed)["data"]["total"], 1);

    // The note is alice's: the REST API sees it through her account.
    let (_, b) = local
        .exec(
            "NOTES_LIST_NOTES",
            json!({"user_id": "alice", "connected_account_id": alice_account, "arguments": {}}),
        )
        .await;
    assert_eq!(b["data"]["notes"][0]["title"], "From MCP", "{b}");

    // A tool outside the allowed list is refused.
    let refused = alice
        .call_tool(CallToolRequestParams::new("NOTES_DELETE_NOTE").with_arguments(serde_json::Map::new()))
        .await
        .expect_err("not offered");
    assert!(format!("{refused:?}").contains("NOTES_DELETE_NOTE"), "{refused:?}");
    alice.cancel().await.unwrap();

    // bob has no notes connection: an MCP error result naming the toolkit.
    let bob = connect(bob_url, None).await.unwrap();
    let r = call(&bob, "NOTES_LIST_NOTES", json!({})).await;
    assert_eq!(r.is_error, Some(true));
    let err = body_of(&r)["error"].as_str().unwrap().to_owned();
    assert!(err.contains("`notes`") && err.contains("bob"), "{err}");
    bob.cancel().await.unwrap();

    // The connected-account URL runs with that account.
    let (_, gen) = local
        .post("/mcp/servers/generate", json!({"mcp_server_id": id, "connected_account_ids": [alice_account]}))
        .await;
    let by_account = connect(gen["connected_account_urls"][0].as_str().unwrap(), None).await.unwrap();
    assert_eq!(body_of(&call(&by_account, "NOTES_LIST_NOTES", json!({})).await)["data"]["total"], 1);
    by_account.cancel().await.unwrap();

    // Without allowed tools a server offers every tool of its toolkits.
    let all = create_server(&local, json!({"name": "all text tools", "toolkits": ["text"]})).await;
    let (_, gen) =
        local.post("/mcp/servers/generate", json!({"mcp_server_id": all["id"], "user_ids": ["x"]})).await;
    let client = connect(gen["user_ids_url"][0].as_str().unwrap(), None).await.unwrap();
    let (_, text_tools) = local.get("/tools?toolkit_slug=text&limit=100").await;
    let expected: Vec<String> = text_tools["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap().to_owned())
        .collect();
    let mut got = names(&client.list_all_tools().await.unwrap());
    let mut want = expected.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let r = call(&client, "TEXT_TRANSFORM_CASE", json!({"text": "abc", "case": "upper"})).await;
    assert_eq!(r.is_error, Some(false), "{r:?}");
    client.cancel().await.unwrap();

    // Unknown servers and wrong keys are refused.
    let unknown = format!("{}/v3/mcp/00000000-0000-4000-8000-000000000000?user_id=alice", local.server.url());
    let e = connect(&unknown, None).await.expect_err("unknown server");
    assert!(e.contains("404") || e.contains("00000000"), "{e}");
    connect(alice_url, Some("ak_local_wrong")).await.expect_err("wrong key refused");
}

#[tokio::test]
async fn mcp_servers_and_session_mcp_survive_a_restart() {
    let dir = TempDir::new("mcp-restart");
    let first = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let server = create_server(
        &first,
        json!({"name": "persisted", "toolkits": ["text"], "allowed_tools": ["TEXT_WORD_COUNT"]}),
    )
    .await;
    let id = server["id"].as_str().unwrap().to_owned();
    let (s, _) = first.post(&format!("/mcp/servers/{id}/instances"), json!({"user_id": "alice"})).await;
    assert_eq!(s, 201);
    let (session_id, _) = session(&first, json!({"user_id": "alice"})).await;
    let (_, before) = first.get(&format!("/mcp/{id}")).await;
    first.server.shutdown().await;

    let second = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let (s, after) = second.get(&format!("/mcp/{id}")).await;
    assert_eq!(s, 200, "{after}");
    for field in [
        "name",
        "toolkits",
        "allowed_tools",
        "auth_config_ids",
        "created_at",
        "updated_at",
        "managed_auth_via_composio",
    ] {
        assert_eq!(after[field], before[field], "{field}");
    }
    assert_eq!(after["server_instance_count"], 1);
    let url = format!("{}?user_id=alice", after["mcp_url"].as_str().unwrap());
    assert!(url.starts_with(second.server.url()));
    let client = connect(&url, None).await.unwrap();
    assert_eq!(names(&client.list_all_tools().await.unwrap()), vec!["TEXT_WORD_COUNT"]);
    assert_eq!(body_of(&call(&client, "TEXT_WORD_COUNT", json!({"text": "a b"})).await)["data"]["words"], 2);
    client.cancel().await.unwrap();

    let (_, s) = second.get(&format!("/tool_router/session/{session_id}")).await;
    let client = connect(s["mcp"]["url"].as_str().unwrap(), Some(second.server.api_key())).await.unwrap();
    assert!(names(&client.list_all_tools().await.unwrap()).contains(&"COMPOSIO_SEARCH_TOOLS".to_owned()));
    client.cancel().await.unwrap();
    second.server.shutdown().await;
}
