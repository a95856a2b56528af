//! Trigger types and trigger instances (wire contract §7.1, §7.2), through HTTP and through the
//! real SDK (`composio_core`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start, start_with, TempDir};
use composio_core::triggers::{TriggerCreateParams, TriggerListActiveParams, TriggerTypeListParams};
use composio_core::{Composio, ComposioConfig};
use composio_local::LocalOptions;
use serde_json::{json, Value};

#[tokio::test]
async fn trigger_types_list_get_enum_and_filters() {
    let local = start().await;
    let (s, b) = local.get("/triggers_types").await;
    assert_eq!(s, 200, "{b}");
    let slugs: Vec<&str> =
        b["items"].as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["NOTES_NOTE_CREATED", "TASKS_TASK_CREATED", "TASKS_TASK_COMPLETED"]);
    assert_eq!(b["total_items"], 3);
    let note = &b["items"][0];
    assert_eq!(note["type"], "webhook");
    assert_eq!(note["toolkit"]["slug"], "notes");
    assert_eq!(note["toolkit"]["name"], "Local Notes");
    assert_eq!(note["config"]["type"], "object");
    assert_eq!(note["config"]["properties"]["tag"]["type"], "string");
    assert_eq!(note["payload"]["properties"]["title"]["type"], "string");
    assert!(note["instructions"].is_string() && note["version"].is_string());

    let (_, b) = local.get("/triggers_types?toolkit_slugs=tasks,text&limit=1").await;
    assert_eq!(b["items"][0]["slug"], "TASKS_TASK_CREATED");
    assert_eq!(b["total_items"], 2);
    let cursor = b["next_cursor"].as_str().unwrap().to_owned();
    let (_, b) = local.get(&format!("/triggers_types?toolkit_slugs=tasks&limit=1&cursor={cursor}")).await;
    assert_eq!(b["items"][0]["slug"], "TASKS_TASK_COMPLETED");
    assert_eq!(b["next_cursor"], Value::Null);

    let (s, b) = local.get("/triggers_types?toolkit_slugs=nope").await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("nope"));

    let (s, b) = local.get("/triggers_types/tasks_task_completed").await;
    assert_eq!(s, 200);
    assert_eq!(b["slug"], "TASKS_TASK_COMPLETED");
    let (s, b) = local.get("/triggers_types/GITHUB_COMMIT_EVENT").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("GITHUB_COMMIT_EVENT"));

    let (s, b) =
        local.call_prefix("/api/v3.1", reqwest::Method::GET, "/triggers_types/list/enum", None).await;
    assert_eq!(s, 200);
    assert_eq!(b, json!(["NOTES_NOTE_CREATED", "TASKS_TASK_CREATED", "TASKS_TASK_COMPLETED"]));

    // The SDK reads the same.
    let sdk =
        Composio::new(ComposioConfig::new(local.server.api_key()).with_base_url(local.server.url())).unwrap();
    let page = sdk
        .triggers()
        .list_types(TriggerTypeListParams { toolkit_slugs: vec!["notes".into()], ..Default::default() })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].toolkit.slug, "notes");
    assert_eq!(sdk.triggers().list_enum().await.unwrap().len(), 3);
    assert_eq!(sdk.triggers().get_type("NOTES_NOTE_CREATED").await.unwrap().name, "Note created");
}

#[tokio::test]
async fn upsert_validates_account_and_config_and_updates_in_place() {
    let local = start().await;
    let notes = local.notes_account("alice").await;

    // Unknown trigger, missing/unknown account, wrong toolkit.
    let (s, b) = local.post("/trigger_instances/NOPE/upsert", json!({"connected_account_id": notes})).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("NOPE"));
    let (s, b) = local.post("/trigger_instances/NOTES_NOTE_CREATED/upsert", json!({})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("connected_account_id"));
    let (s, b) = local
        .post("/trigger_instances/NOTES_NOTE_CREATED/upsert", json!({"connected_account_id": "ca_missing"}))
        .await;
    assert_eq!(s, 404);
    assert_eq!(b["error"]["code"], 1803);
    assert!(error_message(&b, 404).contains("ca_missing"));
    let (s, b) = local
        .post("/trigger_instances/TASKS_TASK_CREATED/upsert", json!({"connected_account_id": notes}))
        .await;
    assert_eq!(s, 400);
    assert_eq!(b["error"]["code"], 1804);
    assert!(error_message(&b, 400).contains("tasks"));

    // Config is validated against the type's config schema.
    let (s, b) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connected_account_id": notes, "trigger_config": {"colour": "red"}}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("colour"), "{b}");
    let (s, b) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connected_account_id": notes, "trigger_config": {"tag": 5}}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("tag"), "{b}");
    let (s, b) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connected_account_id": notes, "toolkit_versions": "19990101_00"}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("19990101_00"));
    let (s, b) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connected_account_id": notes, "extra": 1}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("extra"));

    // Upsert: same account + slug + config → same instance; other config → new one.
    let (s, first) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connected_account_id": notes, "trigger_config": {"tag": "work"}, "toolkit_versions": {"notes": "latest"}}),
        )
        .await;
    assert_eq!(s, 200, "{first}");
    let ti = first["trigger_id"].as_str().unwrap().to_owned();
    assert!(ti.starts_with("ti_"));
    assert!(first["deprecated"]["uuid"].is_string());
    // Deprecated aliases are accepted too.
    let (_, again) = local
        .post(
            "/trigger_instances/NOTES_NOTE_CREATED/upsert",
            json!({"connectedAuthId": notes, "triggerConfig": {"tag": "work"}}),
        )
        .await;
    assert_eq!(again["trigger_id"], ti.as_str());
    let other = local.trigger("NOTES_NOTE_CREATED", &notes, json!({})).await;
    assert_ne!(other, ti);

    // An account that is not ACTIVE cannot get triggers.
    let (s, _) =
        local.patch(&format!("/connected_accounts/{notes}/status"), Some(json!({"enabled": false}))).await;
    assert_eq!(s, 200);
    let (s, b) = local
        .post("/trigger_instances/NOTES_NOTE_CREATED/upsert", json!({"connected_account_id": notes}))
        .await;
    assert_eq!(s, 400);
    assert_eq!(b["error"]["code"], 1804);
}

#[tokio::test]
async fn list_active_filters_disable_enable_delete_and_persistence() {
    let dir = TempDir::new("triggers");
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let alice = local.notes_account("alice").await;
    let bob = local.notes_account("bob").await;
    let t1 = local.trigger("NOTES_NOTE_CREATED", &alice, json!({"tag": "home"})).await;
    let t2 = local.trigger("NOTES_NOTE_CREATED", &bob, json!({})).await;

    let (s, b) = local.get("/trigger_instances/active").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["total_items"], 2);
    let item = &b["items"][0];
    assert_eq!(item["id"], t1.as_str());
    assert_eq!(item["user_id"], "alice");
    assert_eq!(item["connected_account_id"], alice.as_str());
    assert_eq!(item["connectedAccountId"], alice.as_str());
    assert_eq!(item["trigger_name"], "NOTES_NOTE_CREATED");
    assert_eq!(item["triggerName"], "NOTES_NOTE_CREATED");
    assert_eq!(item["trigger_config"], json!({"tag": "home"}));
    assert_eq!(item["triggerConfig"], json!({"tag": "home"}));
    assert_eq!(item["disabled_at"], Value::Null);
    assert!(item["updated_at"].is_string() && item["updatedAt"].is_string());
    assert!(item["deprecated"]["createdAt"].is_string());
    assert!(item["connected_account_uuid"].is_string());

    let (_, b) = local.get("/trigger_instances/active?user_ids=bob").await;
    assert_eq!(b["items"][0]["id"], t2.as_str());
    assert_eq!(b["total_items"], 1);
    let (_, b) = local.get(&format!("/trigger_instances/active?connectedAccountIds={alice}")).await;
    assert_eq!(b["total_items"], 1);
    let (_, b) = local.get("/trigger_instances/active?trigger_names=notes_note_created&limit=1").await;
    assert_eq!(b["total_items"], 2);
    assert!(b["next_cursor"].is_string());
    let (_, b) = local.get(&format!("/trigger_instances/active?trigger_ids={t2},{t1}")).await;
    assert_eq!(b["total_items"], 2);
    let (_, b) = local.get("/trigger_instances/active?trigger_names=TASKS_TASK_CREATED").await;
    assert_eq!(b["total_items"], 0);
    let (s, b) = local.get("/trigger_instances/active?show_disabled=maybe").await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("show_disabled"));

    // Disable: hidden unless show_disabled.
    let (s, b) =
        local.patch(&format!("/trigger_instances/manage/{t1}"), Some(json!({"status": "disable"}))).await;
    assert_eq!((s.as_u16(), b), (200, json!({"status": "success"})));
    let (_, b) = local.get("/trigger_instances/active").await;
    assert_eq!(b["total_items"], 1);
    let (_, b) = local.get("/trigger_instances/active?show_disabled=true").await;
    assert_eq!(b["total_items"], 2);
    assert!(b["items"][0]["disabled_at"].is_string());
    assert_eq!(b["items"][0]["disabledAt"], b["items"][0]["disabled_at"]);
    let (s, b) =
        local.patch(&format!("/trigger_instances/manage/{t1}"), Some(json!({"status": "off"}))).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("off"));
    let (s, b) = local.patch("/trigger_instances/manage/ti_nope", Some(json!({"status": "enable"}))).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("ti_nope"));

    // State survives a restart.
    local.server.shutdown().await;
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let (_, b) = local.get("/trigger_instances/active?show_disabled=true").await;
    assert_eq!(b["total_items"], 2);

    // The SDK: list_active, enable, create with a user id, delete.
    let sdk =
        Composio::new(ComposioConfig::new(local.server.api_key()).with_base_url(local.server.url())).unwrap();
    sdk.triggers().enable(&t1).await.unwrap();
    let page = sdk.triggers().list_active(TriggerListActiveParams::default()).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.items.iter().all(|i| i.is_enabled()));
    let created = sdk
        .triggers()
        .create(
            "NOTES_NOTE_CREATED",
            TriggerCreateParams::for_user("bob")
                .with_trigger_config(json!({"tag": "x"}).as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    assert!(created.trigger_id.starts_with("ti_"));
    let deleted = sdk.triggers().delete(&created.trigger_id).await.unwrap();
    assert_eq!(deleted.trigger_id, created.trigger_id);
    let (s, _) = local.delete(&format!("/trigger_instances/manage/{}", created.trigger_id)).await;
    assert_eq!(s, 404);

    // Deleting the connected account deletes its instances.
    let (s, _) = local.delete(&format!("/connected_accounts/{bob}")).await;
    assert_eq!(s, 200);
    let (_, b) = local.get("/trigger_instances/active?show_disabled=true").await;
    assert_eq!(b["total_items"], 1);
}
