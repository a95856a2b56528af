//! Auth, prefixes, tools, toolkits and error envelopes against an in-process server.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_and_wrong_api_key_get_401_envelopes() {
    let local = start().await;
    let url = local.url("/api/v3", "/tools");

    let resp = local.http.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let rid = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = resp.json().await.unwrap();
    let msg = error_message(&body, 401);
    assert!(msg.contains("Missing API key") && msg.contains("x-api-key"), "{msg}");
    assert_eq!(body["error"]["request_id"], rid.as_str());
    assert_eq!(body["error"]["code"], 1001);
    assert!(body["error"]["suggested_fix"].as_str().unwrap().contains("x-api-key"));

    let resp = local
        .http
        .get(&url)
        .header("x-api-key", "ak_wrong")
        .header("x-request-id", "my-req-1")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()["x-request-id"], "my-req-1");
    let body: Value = resp.json().await.unwrap();
    let msg = error_message(&body, 401);
    assert!(msg.contains("Invalid API key"), "{msg}");
    assert_eq!(body["error"]["request_id"], "my-req-1");
    assert_eq!(body["error"]["code"], 1002);
    // The key is never echoed.
    assert!(!body.to_string().contains(local.server.api_key()));
    assert!(!body.to_string().contains("ak_wrong"));

    // Wrong key on the v3.1 prefix and on an unknown endpoint: still 401.
    let resp = local.http.get(local.url("/api/v3.1", "/nope")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_endpoint_is_served_under_both_prefixes() {
    let local = start().await;
    for prefix in ["/api/v3", "/api/v3.1"] {
        let (s, b) = local.call_prefix(prefix, reqwest::Method::GET, "/tools?limit=2", None).await;
        assert_eq!(s, 200, "{prefix}: {b}");
        assert_eq!(b["items"].as_array().unwrap().len(), 2);
        let (s, b) = local.call_prefix(prefix, reqwest::Method::GET, "/tools/TEXT_WORD_COUNT", None).await;
        assert_eq!((s.as_u16(), b["slug"].as_str()), (200, Some("TEXT_WORD_COUNT")));
        let (s, b) = local
            .call_prefix(
                prefix,
                reqwest::Method::POST,
                "/tools/execute/TEXT_WORD_COUNT",
                Some(json!({"arguments":{"text":"a b"}})),
            )
            .await;
        assert_eq!((s.as_u16(), &b["data"]["words"]), (200, &json!(2)));
        let (s, _) = local.call_prefix(prefix, reqwest::Method::GET, "/toolkits", None).await;
        assert_eq!(s, 200);
        let (s, _) = local.call_prefix(prefix, reqwest::Method::GET, "/toolkits/text", None).await;
        assert_eq!(s, 200);
        let (s, _) = local.call_prefix(prefix, reqwest::Method::GET, "/toolkits/categories", None).await;
        assert_eq!(s, 200);
        let (s, b) = local
            .call_prefix(prefix, reqwest::Method::POST, "/tool_router/session", Some(json!({"user_id":"u1"})))
            .await;
        assert_eq!(s, 200, "{b}");
        let id = b["session_id"].as_str().unwrap().to_owned();
        for path in [format!("/tool_router/session/{id}"), format!("/tool_router/session/{id}/tools")] {
            let (s, b) = local.call_prefix(prefix, reqwest::Method::GET, &path, None).await;
            assert_eq!(s, 200, "{path}: {b}");
        }
        let (s, _) = local
            .call_prefix(
                prefix,
                reqwest::Method::POST,
                &format!("/tool_router/session/{id}/execute"),
                Some(json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"x"}})),
            )
            .await;
        assert_eq!(s, 200);
        let (s, _) = local
            .call_prefix(
                prefix,
                reqwest::Method::POST,
                &format!("/tool_router/session/{id}/execute_meta"),
                Some(json!({"slug":"COMPOSIO_SEARCH_TOOLS","arguments":{"queries":[{"use_case":"count words"}]}})),
            )
            .await;
        assert_eq!(s, 200);
    }
}

fn slugs(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn tools_list_filters() {
    let local = start().await;
    let (s, all) = local.get("/tools").await;
    assert_eq!(s, 200);
    let all_slugs = slugs(&all);
    assert_eq!(
        all_slugs,
        [
            "TEXT_WORD_COUNT",
            "TEXT_TRANSFORM_CASE",
            "TEXT_EXTRACT_EMAILS",
            "TEXT_SUMMARIZE_STATS",
            "TEXT_FIND_REPLACE",
            "TEXT_FILE_STATS",
            "TEXT_CREATE_FILE",
            "NOTES_CREATE_NOTE",
            "NOTES_LIST_NOTES",
            "NOTES_GET_NOTE",
            "NOTES_DELETE_NOTE",
            "TASKS_CREATE_TASK",
            "TASKS_LIST_TASKS",
            "TASKS_COMPLETE_TASK"
        ]
    );
    assert_eq!(all["total_items"], 14);
    assert_eq!(all["total_pages"], 1);
    assert_eq!(all["current_page"], 1);
    assert_eq!(all["next_cursor"], Value::Null);

    let (_, b) = local.get("/tools?toolkit_slug=text,TEXT&toolkit_versions=latest").await;
    assert_eq!(slugs(&b).len(), 7);
    let (_, b) = local.get("/tools?toolkit_slug=composio").await;
    assert!(slugs(&b).contains(&"COMPOSIO_SEARCH_TOOLS".to_owned()));
    let (_, b) = local.get("/tools?search=E-MAIL").await;
    assert_eq!(slugs(&b), ["TEXT_EXTRACT_EMAILS"]);
    let (_, b) = local.get("/tools?search=text_transform").await;
    assert_eq!(slugs(&b), ["TEXT_TRANSFORM_CASE"]);
    let (_, b) =
        local.get("/tools?tool_slugs=text_find_replace,TEXT_WORD_COUNT&search=nothing-matches").await;
    assert_eq!(slugs(&b), ["TEXT_FIND_REPLACE", "TEXT_WORD_COUNT"], "tool_slugs overrides other filters");
    let (_, b) = local.get("/tools?tags=readOnlyHint").await;
    assert!(!slugs(&b).contains(&"TEXT_FIND_REPLACE".to_owned()));
    assert_eq!(slugs(&b).len(), 7);
    let (_, b) = local.get("/tools?important=true").await;
    assert_eq!(slugs(&b).len(), 8);
    let (_, b) = local.get("/tools?toolkit_versions[text]=20251115_00&limit=1").await;
    assert_eq!(slugs(&b).len(), 1);

    for (query, needle) in [
        ("/tools?toolkit_slug=github", "unknown toolkit `github`"),
        ("/tools?tool_slugs=GITHUB_STAR_REPO", "unknown tool `GITHUB_STAR_REPO`"),
        ("/tools?limit=0", "`limit`"),
        ("/tools?limit=10001", "`limit`"),
        ("/tools?limit=abc", "`limit`"),
        ("/tools?cursor=%%%", "`cursor`"),
        ("/tools?toolkit_versions=v1", "`toolkit_versions`"),
        ("/tools?toolkit_versions[text]=20990101_00", "20990101_00"),
        ("/tools?important=maybe", "`important`"),
    ] {
        let (s, b) = local.get(query).await;
        assert_eq!(s, 400, "{query}: {b}");
        let msg = error_message(&b, 400);
        assert!(msg.contains(needle), "{query}: {msg}");
    }
}

#[tokio::test]
async fn tools_cursor_pagination_walks_all_pages() {
    let local = start().await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            None => "/tools?limit=2".to_owned(),
            Some(c) => format!("/tools?limit=2&cursor={c}"),
        };
        let (s, b) = local.get(&path).await;
        assert_eq!(s, 200, "{b}");
        pages += 1;
        assert_eq!(b["current_page"], pages);
        assert_eq!(b["total_pages"], 7);
        assert_eq!(b["total_items"], 14);
        seen.extend(slugs(&b));
        match b["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 7);
    let (_, all) = local.get("/tools").await;
    assert_eq!(seen, slugs(&all));
}

#[tokio::test]
async fn tool_object_has_the_wire_shape() {
    let local = start().await;
    let (s, t) = local.get("/tools/text_summarize_stats?toolkit_versions=latest").await;
    assert_eq!(s, 200);
    let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "slug",
            "name",
            "description",
            "input_parameters",
            "output_parameters",
            "toolkit",
            "version",
            "available_versions",
            "tags",
            "scopes",
            "no_auth",
            "is_deprecated",
            "status",
            "deprecated"
        ]
    );
    assert_eq!(t["slug"], "TEXT_SUMMARIZE_STATS");
    assert_eq!(t["toolkit"]["slug"], "text");
    assert_eq!(t["toolkit"]["name"], "Text Utilities");
    assert_eq!(t["version"], "20251201_00");
    assert_eq!(t["available_versions"], json!(["20251201_00", "20251115_00"]));
    assert_eq!(t["no_auth"], true);
    assert_eq!(t["is_deprecated"], false);
    assert_eq!(t["deprecated"]["displayName"], t["name"]);
    assert_eq!(t["deprecated"]["is_deprecated"], false);
    assert_eq!(t["deprecated"]["version"], "20251201_00");
    assert!(t["deprecated"]["toolkit"]["logo"].is_string());
    assert!(t["tags"].as_array().unwrap().contains(&json!("readOnlyHint")));
    let input = &t["input_parameters"];
    assert_eq!(input["type"], "object");
    assert_eq!(input["required"], json!(["text"]));
    let options = &input["properties"]["options"];
    assert_eq!(options["type"], "object");
    assert_eq!(options["properties"]["top_n"]["type"], "integer");
    assert_eq!(options["properties"]["top_n"]["default"], 5);
    assert_eq!(options["properties"]["include_unique"]["type"], "boolean");
    let (_, case) = local.get("/tools/TEXT_TRANSFORM_CASE").await;
    assert_eq!(
        case["input_parameters"]["properties"]["case"]["enum"],
        json!(["upper", "lower", "title", "snake"])
    );

    let (s, b) = local.get("/tools/GITHUB_STAR_REPO").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("GITHUB_STAR_REPO"));
    let (s, b) = local.get("/tools/TEXT_WORD_COUNT?version=19990101_00").await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("19990101_00"));
}

#[tokio::test]
async fn execute_runs_tools_and_reports_tool_level_failures() {
    let local = start().await;
    let (s, b) = local
        .post(
            "/tools/execute/TEXT_TRANSFORM_CASE",
            json!({"arguments":{"text":"hello big World","case":"snake"},"user_id":"u1","version":"20251201_00"}),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["data"], json!({"result":"hello_big_world","case":"snake"}));
    assert_eq!(b["successful"], true);
    assert_eq!(b["error"], Value::Null);
    assert!(b["log_id"].as_str().unwrap().starts_with("log_"));
    assert!(b.as_object().unwrap().contains_key("session_info"));

    let (_, b) = local
        .post(
            "/tools/execute/TEXT_EXTRACT_EMAILS",
            json!({"arguments":{"text":"Mail Ann@Example.com, bob@test.org and ann@example.com."}}),
        )
        .await;
    assert_eq!(b["data"]["emails"], json!(["Ann@Example.com", "bob@test.org"]));
    assert_eq!(b["data"]["domains"], json!({"example.com":1,"test.org":1}));

    let (_, b) = local
        .post(
            "/tools/execute/TEXT_SUMMARIZE_STATS",
            json!({"arguments":{"text":"b a b c b a","options":{"top_n":2,"include_unique":false}},"version":"latest"}),
        )
        .await;
    assert_eq!(b["data"]["top_words"], json!([{"word":"b","count":3},{"word":"a","count":2}]));
    assert!(b["data"].get("unique_words").is_none());

    // Tool-level validation failures: HTTP 200, successful:false, the error names the field.
    for (args, needle) in [
        (json!({}), "missing required field `text`"),
        (json!({"text": 5}), "`text` must be a string, got integer"),
        (json!({"text":"x","options":{"top_n":"3"}}), "`options.top_n` must be an integer"),
        (json!({"text":"x","options":{"top_n":500}}), "`options.top_n` must be at most 100"),
        (json!({"text":"x","colour":"red"}), "unknown field(s) `colour`"),
    ] {
        let (s, b) = local.post("/tools/execute/TEXT_SUMMARIZE_STATS", json!({"arguments": args})).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["successful"], false);
        assert_eq!(b["data"], json!({}));
        let err = b["error"].as_str().unwrap();
        assert!(err.contains(needle) && err.contains("TEXT_SUMMARIZE_STATS"), "{err}");
    }
    let (_, b) = local
        .post("/tools/execute/TEXT_TRANSFORM_CASE", json!({"arguments":{"text":"x","case":"camel"}}))
        .await;
    assert!(b["error"].as_str().unwrap().contains("`case` must be one of"), "{b}");

    // API-level failures.
    let (s, b) = local.post("/tools/execute/NOPE_TOOL", json!({"arguments":{}})).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("NOPE_TOOL"));
    let (s, b) = local.post("/tools/execute/TEXT_WORD_COUNT", json!({"arguments":[1]})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`arguments`"));
    let (s, b) =
        local.post("/tools/execute/TEXT_WORD_COUNT", json!({"arguments":{"text":"x"},"version":"1.0"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`version`"));
    let (s, b) = local
        .post(
            "/tools/execute/TEXT_WORD_COUNT",
            json!({"arguments":{"text":"x"},"connected_account_id":"ca_x1"}),
        )
        .await;
    assert_eq!(s, 404);
    assert_eq!(b["error"]["code"], 1803);
    assert!(error_message(&b, 404).contains("ca_x1"));

    let resp = local
        .http
        .post(local.url("/api/v3", "/tools/execute/TEXT_WORD_COUNT"))
        .header("x-api-key", local.server.api_key())
        .header("content-type", "application/json")
        .body("{\"arguments\": {")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let b: Value = resp.json().await.unwrap();
    assert!(error_message(&b, 400).contains("malformed JSON"));
}

#[tokio::test]
async fn toolkits_endpoints() {
    let local = start().await;
    let (s, b) = local.get("/toolkits").await;
    assert_eq!(s, 200);
    assert_eq!(b["total_items"], 3);
    let tk = &b["items"][0];
    assert_eq!(tk["slug"], "text");
    assert_eq!(tk["name"], "Text Utilities");
    assert_eq!(tk["no_auth"], true);
    assert_eq!(tk["is_local_toolkit"], false);
    assert_eq!(tk["meta"]["tools_count"], 7);
    assert_eq!(tk["meta"]["categories"][0]["id"], "developer-tools");
    assert!(tk["deprecated"]["toolkitId"].is_string());

    let (_, b) = local.get("/toolkits?category=productivity&sort_by=alphabetically").await;
    assert_eq!(b["total_items"], 3);
    assert_eq!(b["items"][0]["slug"], "notes");
    let (_, b) = local.get("/toolkits?search=github").await;
    assert_eq!(b["total_items"], 0);
    let (s, b) = local.get("/toolkits?sort_by=random").await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`sort_by`"));

    let (s, d) = local.get("/toolkits/TEXT").await;
    assert_eq!(s, 200);
    assert_eq!(d["slug"], "text");
    assert_eq!(d["enabled"], true);
    assert_eq!(d["meta"]["available_versions"], json!(["20251201_00", "20251115_00"]));
    assert_eq!(d["meta"]["version"], "20251201_00");
    assert_eq!(d["meta"]["categories"][0], json!({"slug":"developer-tools","name":"Developer Tools"}));
    assert_eq!(d["deprecated"]["rawProxyInfoByAuthSchemes"], json!([]));
    assert_eq!(d["auth_config_details"], json!([]));

    let (s, b) = local.get("/toolkits/github").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("`github`"));

    let (s, b) = local.get("/toolkits/categories").await;
    assert_eq!(s, 200);
    assert_eq!(
        b["items"],
        json!([{"id":"developer-tools","name":"Developer Tools"},{"id":"productivity","name":"Productivity"}])
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_use_the_envelope() {
    let local = start().await;
    let (s, b) = local.get("/does/not/exist").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("/api/v3/does/not/exist"));
    let (s, b) = local.call(reqwest::Method::DELETE, "/tools", None).await;
    assert_eq!(s, 405, "{b}");
    error_message(&b, 405);
    let resp = local.http.get(format!("{}/health", local.server.url())).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("x-request-id"));
}
