//! v3.1 endpoints of `@composio/core` 0.21: session attach (custom tools on an existing
//! session), saved session configs, inbound webhook endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start};
use reqwest::Method;
use serde_json::{json, Value};

fn tool(slug: &str) -> Value {
    json!({"slug": slug, "name": "Weather", "description": "Gets the weather",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}})
}

#[tokio::test]
async fn attach_adds_custom_tools_to_an_existing_session_and_replaces_earlier_ones() {
    let local = start().await;
    let (s, created) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u1", "experimental": {"assistive_prompt_config": {"user_timezone": "Europe/Paris"}}}),
        )
        .await;
    assert_eq!(s, 200, "{created}");
    let id = created["session_id"].as_str().unwrap().to_owned();
    assert!(created["experimental"].get("custom_tools").is_none_or(|t| *t == json!([])), "{created}");

    let body = json!({"experimental": {
        "custom_tools": [tool("get_weather")],
        "custom_toolkits": [{"slug": "crm", "name": "CRM", "description": "Contacts", "tools": [tool("find_contact")]}],
    }});
    let (s, attached) = local
        .call_prefix("/api/v3.1", Method::POST, &format!("/tool_router/session/{id}/attach"), Some(body))
        .await;
    assert_eq!(s, 200, "{attached}");
    assert_eq!(attached["session_id"], id.as_str());
    assert_eq!(attached["config"]["user_id"], "u1");
    let exp = &attached["experimental"];
    assert_eq!(exp["custom_tools"][0]["slug"], "LOCAL_GET_WEATHER");
    assert_eq!(exp["custom_tools"][0]["original_slug"], "get_weather");
    assert_eq!(exp["custom_toolkits"][0]["tools"][0]["slug"], "LOCAL_CRM_FIND_CONTACT");
    assert!(exp["assistive_prompt"].as_str().unwrap().contains("Europe/Paris"), "time zone kept: {exp}");

    // Stored: a later GET shows them.
    let (_, got) = local.get(&format!("/tool_router/session/{id}")).await;
    assert_eq!(got["experimental"], *exp);

    // A second attach replaces the definitions.
    let (s, again) = local
        .post(
            &format!("/tool_router/session/{id}/attach"),
            json!({"experimental": {"custom_tools": [tool("other")]}}),
        )
        .await;
    assert_eq!(s, 200, "{again}");
    let slugs: Vec<&str> = again["experimental"]["custom_tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["LOCAL_OTHER"]);
    assert_eq!(again["experimental"]["custom_toolkits"], json!([]));

    // No `experimental`: unchanged.
    let (s, same) = local.post(&format!("/tool_router/session/{id}/attach"), json!({})).await;
    assert_eq!(s, 200);
    assert_eq!(same["experimental"], again["experimental"]);

    // Errors name the problem.
    let (s, b) = local.post("/tool_router/session/trs_missing/attach", json!({})).await;
    assert!(error_message(&b, 404).contains("trs_missing"), "{s} {b}");
    for (bad, needle) in [
        (json!({"experimental": {"custom_tools": [tool("x"), tool("X")]}}), "duplicate custom tool slug"),
        (
            json!({"experimental": {"custom_tools": [{"slug": "x", "name": "n", "description": "d"}]}}),
            "input_schema",
        ),
        (json!({"experimental": {"user_timezone": "x"}}), "experimental.user_timezone"),
        (json!({"custom_tools": []}), "`custom_tools`"),
        (json!({"experimental": []}), "must be an object"),
    ] {
        let (s, b) = local.post(&format!("/tool_router/session/{id}/attach"), bad.clone()).await;
        assert!(error_message(&b, 400).contains(needle), "{bad}: {s} {b}");
    }
    // A failed attach changed nothing.
    let (_, got) = local.get(&format!("/tool_router/session/{id}")).await;
    assert_eq!(got["experimental"], again["experimental"]);
}

#[tokio::test]
async fn session_configs_list_search_archive_page_and_get() {
    let local = start().await;
    let v31 = |m: Method, p: &str, b: Option<Value>| {
        let p = p.to_owned();
        let local = &local;
        async move { local.call_prefix("/api/v3.1", m, &p, b).await }
    };
    let (s, empty) = v31(Method::GET, "/session_configs", None).await;
    assert_eq!(s, 200, "{empty}");
    assert_eq!(empty, json!({"items": [], "next_cursor": null}));

    let policy = json!({
        "toolkits": {"enable": ["notes", "tasks"]},
        "tools": {"notes": {"disable": ["NOTES_DELETE_NOTE"]}, "tasks": {"tags": {"enable": ["readOnlyHint"]}}},
        "tags": {"disable": ["destructiveHint"]},
    });
    let mut ids = Vec::new();
    for (name, archived) in
        [("Support desk", false), ("Sales", false), ("support legacy", true), ("Ops", false)]
    {
        let (s, b) = v31(
            Method::POST,
            "/session_configs",
            Some(json!({"name": name, "description": format!("{name} policy"), "config": policy, "archived": archived})),
        )
        .await;
        assert_eq!(s, 201, "{b}");
        assert!(b["id"].as_str().unwrap().starts_with("sc_"), "{b}");
        ids.push(b["id"].as_str().unwrap().to_owned());
    }
    let (s, b) = v31(Method::POST, "/session_configs", Some(json!({"name": "Sales", "config": {}}))).await;
    assert!(error_message(&b, 409).contains("Sales"), "{s} {b}");

    // Active only by default, in creation order; archived=true only archived.
    let (_, active) = v31(Method::GET, "/session_configs", None).await;
    let names: Vec<&str> =
        active["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Support desk", "Sales", "Ops"]);
    assert_eq!(
        active["items"][0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "name", "archived", "created_at", "updated_at"]
    );
    let (_, archived) = v31(Method::GET, "/session_configs?archived=true", None).await;
    assert_eq!(archived["items"][0]["name"], "support legacy");
    assert_eq!(archived["items"][0]["archived"], true);
    assert_eq!(archived["items"].as_array().unwrap().len(), 1);
    // Search is a case-insensitive substring of the name.
    let (_, found) = v31(Method::GET, "/session_configs?search=SUPPORT", None).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["name"], "Support desk");

    // Pages.
    let (_, p1) = v31(Method::GET, "/session_configs?limit=2", None).await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    let cursor = p1["next_cursor"].as_str().unwrap().to_owned();
    let (_, p2) = v31(Method::GET, &format!("/session_configs?limit=2&cursor={cursor}"), None).await;
    assert_eq!(p2["items"][0]["name"], "Ops");
    assert_eq!(p2["next_cursor"], Value::Null);

    // One config with its policy, keys kept as sent.
    let (s, one) = v31(Method::GET, &format!("/session_configs/{}", ids[0]), None).await;
    assert_eq!(s, 200, "{one}");
    assert_eq!(one["config"], policy);
    assert_eq!(one["description"], "Support desk policy");
    assert_eq!(one["archived"], false);

    // Errors.
    let (s, b) = v31(Method::GET, "/session_configs/sc_nope", None).await;
    assert!(error_message(&b, 404).contains("sc_nope"), "{s} {b}");
    let (s, b) = v31(Method::GET, "/session_configs?limit=0", None).await;
    assert!(error_message(&b, 400).contains("positive integer"), "{s} {b}");
    // Larger pages are capped at 100, not refused.
    let (s, b) = v31(Method::GET, "/session_configs?limit=500", None).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["items"].as_array().unwrap().len(), 3);
    for (bad, needle) in [
        (json!({"name": "x", "config": {"toolkits": {"enable": ["a"], "disable": ["b"]}}}), "exactly one"),
        (
            json!({"name": "x", "config": {"tools": {"notes": {"enable": "NOTES_X"}}}}),
            "config.tools.notes.enable",
        ),
        (json!({"name": "x", "config": {"tags": {"only": []}}}), "config.tags.only"),
        (json!({"name": "x"}), "`config`"),
        (json!({"name": " ", "config": {}}), "`name`"),
        (json!({"name": "x", "config": {}, "owner": "me"}), "`owner`"),
    ] {
        let (s, b) = v31(Method::POST, "/session_configs", Some(bad.clone())).await;
        assert!(error_message(&b, 400).contains(needle), "{bad}: {s} {b}");
    }
}

#[tokio::test]
async fn webhook_endpoints_create_is_idempotent_per_pair_and_masks_secrets() {
    let local = start().await;
    let v31 = |m: Method, p: &str, b: Option<Value>| {
        let p = p.to_owned();
        let local = &local;
        async move { local.call_prefix("/api/v3.1", m, &p, b).await }
    };
    let (s, ep) =
        v31(Method::POST, "/webhook_endpoints", Some(json!({"toolkit_slug": "notes", "client_id": "app-1"})))
            .await;
    assert_eq!(s, 201, "{ep}");
    let id = ep["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("we_"), "{ep}");
    assert_eq!(ep["toolkit_slug"], "notes");
    assert_eq!(ep["client_id"], "app-1");
    assert_eq!(ep["data"], Value::Null);
    assert_eq!(ep["webhook_url"], format!("{}/webhook_ingress/{id}", local.server.url()));
    assert!(ep["created_at"].as_str().is_some());
    // Same pair: the existing endpoint, 200.
    let (s, again) =
        v31(Method::POST, "/webhook_endpoints", Some(json!({"toolkit_slug": "NOTES", "client_id": "app-1"})))
            .await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(again["id"], id.as_str());
    let (s, other) =
        v31(Method::POST, "/webhook_endpoints", Some(json!({"toolkit_slug": "tasks", "client_id": "app-1"})))
            .await;
    assert_eq!(s, 201, "{other}");

    let (_, all) = v31(Method::GET, "/webhook_endpoints", None).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["items"][0], json!({"id": id, "toolkit_slug": "notes", "client_id": "app-1"}));
    let (_, only) = v31(Method::GET, "/webhook_endpoints?toolkit_slug=tasks", None).await;
    assert_eq!(only["items"].as_array().unwrap().len(), 1);
    assert_eq!(only["items"][0]["toolkit_slug"], "tasks");

    // Replace needs every required field; the answer masks the secret.
    let path = format!("/webhook_endpoints/{id}");
    let (s, b) = v31(Method::POST, &path, Some(json!({"data": {}}))).await;
    assert!(error_message(&b, 400).contains("data.signing_secret"), "{s} {b}");
    let (s, set) =
        v31(Method::POST, &path, Some(json!({"data": {"signing_secret": "whsec_0123456789abcd"}}))).await;
    assert_eq!(s, 200, "{set}");
    assert_eq!(set["data"], json!({"signing_secret": "****abcd"}));
    assert!(!set.to_string().contains("whsec_0123"), "secret shown: {set}");
    let (_, got) = v31(Method::GET, &path, None).await;
    assert_eq!(got["data"], json!({"signing_secret": "****abcd"}));
    // Update merges (here: replaces the one field); short secrets are fully masked.
    let (s, upd) = v31(Method::PATCH, &path, Some(json!({"data": {"signing_secret": "short"}}))).await;
    assert_eq!(s, 200, "{upd}");
    assert_eq!(upd["data"], json!({"signing_secret": "****"}));

    // The ingress URL says inbound events are not processed here.
    let resp =
        reqwest::Client::new().post(ep["webhook_url"].as_str().unwrap()).body("{}").send().await.unwrap();
    assert_eq!(resp.status(), 501);
    assert!(resp.text().await.unwrap().contains("does not process inbound provider events"));

    // Errors.
    for (bad, needle) in [
        (json!({"toolkit_slug": "nope", "client_id": "a"}), "nope"),
        (json!({"toolkit_slug": "notes"}), "client_id"),
        (json!({"toolkit_slug": "notes", "client_id": ""}), "client_id"),
        (json!({"toolkit_slug": "notes", "client_id": "a", "x": 1}), "`x`"),
    ] {
        let (s, b) = v31(Method::POST, "/webhook_endpoints", Some(bad.clone())).await;
        let status = if needle == "nope" { 404 } else { 400 };
        assert!(error_message(&b, status).contains(needle), "{bad}: {s} {b}");
    }
    for (bad, needle) in [
        (json!({"data": {"unknown": "v"}}), "data.unknown"),
        (json!({"data": {"signing_secret": 5}}), "must be a string"),
        (json!({"data": {"signing_secret": ""}}), "must not be empty"),
        (json!({}), "`data`"),
    ] {
        let (s, b) = v31(Method::PATCH, &path, Some(bad.clone())).await;
        assert!(error_message(&b, 400).contains(needle), "{bad}: {s} {b}");
    }
    let (s, b) = v31(Method::GET, "/webhook_endpoints/we_nope", None).await;
    assert!(error_message(&b, 404).contains("we_nope"), "{s} {b}");
}
