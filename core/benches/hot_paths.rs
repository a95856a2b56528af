//! Criterion benchmarks of the engine's hot paths: webhook verification with
//! normalisation, provider formatting, the modifier pipeline, decoding a
//! large tools list, and `tools.get` cold and warm against composio-local.
//! Run with `cargo bench -p composio-core`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

use composio_core::models::{Page, Tool, ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{DeclarativeModifier, Modifier, Modifiers};
use composio_core::providers::{format_tools, Flavor, Provider};
use composio_core::webhooks::tape::JsonTape;
use composio_core::webhooks::{
    plan_event, plan_fields, sign_webhook, verify_webhook_at, JsonView, ShallowBody, SkimBody,
    VerifyWebhookParams, WebhookVerifier,
};

fn fixture_tools() -> Vec<Tool> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/providers/tools.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A ~2 KB V3 webhook body.
fn v3_body() -> String {
    let messages: Vec<Value> = (0..12)
        .map(|i| json!({"id": format!("m{i}"), "from": "alice@example.com", "subject": format!("Quarterly report part {i}"), "labels": ["INBOX", "IMPORTANT"]}))
        .collect();
    json!({"id": "msg_2Zx", "type": "composio.trigger.message", "timestamp": "2026-11-20T10:30:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "user_1"},
        "data": {"thread_id": "t1", "messages": messages}})
    .to_string()
}

/// A ~9 KB V3 webhook body whose messages carry long texts with quotes,
/// newlines and non-ASCII characters.
fn v3_text_body() -> String {
    let line =
        "Hello \"team\",\n\tthe report (Q3) is attached: revenue {up} [see p. 4] \u{e9}t\u{e9} \u{1F600}.\n";
    let messages: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("m{i}"), "from": "alice@example.com", "body": line.repeat(12), "size": 1234 + i, "read": false}))
        .collect();
    json!({"id": "msg_2Zx", "type": "composio.trigger.message", "timestamp": "2026-11-20T10:30:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "user_1"},
        "data": {"thread_id": "t1", "messages": messages}})
    .to_string()
}

fn bench_webhooks(c: &mut Criterion) {
    let body = v3_body();
    let sig = sign_webhook("msg_2Zx", "1763634600", &body, "whsec_bench");
    let mut g = c.benchmark_group("webhooks");
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("verify_v3_{}b", body.len()), |b| {
        b.iter(|| {
            let params = VerifyWebhookParams::new("msg_2Zx", &body, &sig, "1763634600", "whsec_bench");
            let v = verify_webhook_at(black_box(&params), 1_763_634_610).unwrap();
            black_box(v.payload.trigger_slug.len() + v.payload.payload["messages"].as_array().unwrap().len())
        })
    });
    let verifier = WebhookVerifier::new("whsec_bench");
    g.bench_function(format!("verifier_v3_{}b", body.len()), |b| {
        b.iter(|| {
            let v =
                verifier.verify_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610).unwrap();
            black_box(v.payload.trigger_slug.len() + v.payload.payload["messages"].as_array().unwrap().len())
        })
    });
    g.bench_function(format!("verifier_event_only_v3_{}b", body.len()), |b| {
        b.iter(|| {
            let (_, e) = verifier
                .verify_event_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610)
                .unwrap();
            black_box(e.trigger_slug.len() + e.payload["messages"].as_array().unwrap().len())
        })
    });
    // The pieces: the signature check alone (HMAC-SHA256 over the raw text,
    // SHA-NI where the CPU has it), the Node path (check + shallow
    // validating parse + plan), and the Python path's engine share (plan
    // over a parsed tree, here a Value).
    g.bench_function(format!("check_only_{}b", body.len()), |b| {
        b.iter(|| verifier.check_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610).unwrap())
    });
    g.bench_function(format!("verify_plan_v3_{}b", body.len()), |b| {
        b.iter(|| {
            let plan = verifier
                .verify_plan_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610)
                .unwrap();
            black_box(plan.event.trigger_slug.len())
        })
    });
    g.bench_function(format!("verify_skim_v3_{}b", body.len()), |b| {
        b.iter(|| {
            let plan = verifier
                .verify_skim_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610)
                .unwrap();
            black_box(plan.event.trigger_slug.len())
        })
    });
    // The Node binding's path: the borrowed plan, encoded straight away.
    g.bench_function(format!("verify_skim_fields_v3_{}b", body.len()), |b| {
        b.iter(|| {
            verifier
                .verify_skim_fields_at("msg_2Zx", black_box(&body), &sig, "1763634600", 1_763_634_610, |f| {
                    black_box(f.trigger_slug.len() + f.toolkit_slug.len())
                })
                .unwrap()
        })
    });
    g.bench_function(format!("skim_{}b", body.len()), |b| {
        b.iter(|| black_box(SkimBody::parse(black_box(&body)).unwrap().root().is_object()))
    });
    // The same body pretty-printed, and a larger one with long texts full
    // of escapes (an email body): the skim's other common shapes.
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(&body).unwrap()).unwrap();
    g.bench_function(format!("skim_pretty_{}b", pretty.len()), |b| {
        b.iter(|| black_box(SkimBody::parse(black_box(&pretty)).unwrap().root().is_object()))
    });
    let text = v3_text_body();
    g.bench_function(format!("skim_text_{}b", text.len()), |b| {
        b.iter(|| black_box(SkimBody::parse(black_box(&text)).unwrap().root().is_object()))
    });
    // The Node binding's tape path: a validating parse that also writes the
    // build tape (bindings-node/lib/tape.ts builds the body from it).
    let mut tape = JsonTape::new();
    for (name, t) in [("", &body), ("pretty_", &pretty), ("text_", &text)] {
        g.bench_function(format!("tape_{name}{}b", t.len()), |b| {
            b.iter(|| {
                let object = tape.parse(black_box(t), usize::MAX).unwrap().root().is_object();
                tape.commit();
                black_box(object)
            })
        });
    }
    g.bench_function(format!("skim_plan_{}b", body.len()), |b| {
        b.iter(|| {
            let skim = SkimBody::parse(black_box(&body)).unwrap();
            black_box(plan_event(&skim.root(), Flavor::TypeScript).unwrap().event.trigger_slug.len())
        })
    });
    g.bench_function(format!("skim_plan_fields_{}b", body.len()), |b| {
        b.iter(|| {
            let skim = SkimBody::parse(black_box(&body)).unwrap();
            black_box(plan_fields(&skim.root(), Flavor::TypeScript).unwrap().trigger_slug.len())
        })
    });
    g.bench_function("verifier_cached_lookup", |b| {
        b.iter(|| {
            black_box(WebhookVerifier::cached(black_box("whsec_benchmark_secret"), 300, Flavor::TypeScript))
        })
    });
    g.bench_function(format!("shallow_parse_{}b", body.len()), |b| {
        b.iter(|| black_box(ShallowBody::parse(black_box(&body)).unwrap().root().is_object()))
    });
    let parsed: Value = serde_json::from_str(&body).unwrap();
    g.bench_function("plan_event_over_value", |b| {
        b.iter(|| {
            black_box(plan_event(&black_box(&parsed), Flavor::Python).unwrap().event.trigger_slug.len())
        })
    });
    g.bench_function("plan_fields_over_value", |b| {
        b.iter(|| black_box(plan_fields(&black_box(&parsed), Flavor::Python).unwrap().trigger_slug.len()))
    });
    g.finish();
}

/// Tools of composio-local's benchmark toolkit (realistic ~8 KB schemas), in wire form.
fn realistic_tools(n: usize) -> Vec<Value> {
    let tks = composio_local::toolkits::bench::toolkits();
    let tk = tks.iter().find(|t| t.tools.len() >= n).unwrap();
    tk.tools.iter().take(n).map(|t| composio_local::toolkits::tool_json(tk, t)).collect()
}

fn bench_providers_realistic(c: &mut Criterion) {
    let tools: Vec<Tool> =
        realistic_tools(50).into_iter().map(|v| serde_json::from_value(v).unwrap()).collect();
    let mut g = c.benchmark_group("providers_8kb");
    g.throughput(Throughput::Elements(tools.len() as u64));
    for (name, p) in [
        ("openai", Provider::OpenAI),
        ("anthropic", Provider::Anthropic { cache_tools: false }),
        ("google", Provider::Google),
    ] {
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            g.bench_function(format!("{name}_{flavor:?}_{}", tools.len()), |b| {
                b.iter(|| black_box(format_tools(&p, black_box(&tools), flavor)).len())
            });
        }
    }
    g.finish();
}

fn bench_providers(c: &mut Criterion) {
    let base = fixture_tools();
    let tools: Vec<Tool> = (0..50).flat_map(|_| base.clone()).collect();
    let mut g = c.benchmark_group("providers");
    g.throughput(Throughput::Elements(tools.len() as u64));
    for (name, p) in [
        ("openai", Provider::OpenAI),
        ("anthropic", Provider::Anthropic { cache_tools: false }),
        ("google", Provider::Google),
    ] {
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            g.bench_function(format!("{name}_{flavor:?}_{}", tools.len()), |b| {
                b.iter(|| black_box(format_tools(&p, black_box(&tools), flavor)).len())
            });
        }
    }
    g.finish();
}

fn bench_modifiers(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let tool = fixture_tools().remove(0);
    let mods: Modifiers = [
        Modifier::declarative(DeclarativeModifier::HideParameter { name: "milestone".into() }),
        Modifier::declarative(DeclarativeModifier::RenameParameter {
            from: "owner".into(),
            to: "account".into(),
        }),
        Modifier::declarative(DeclarativeModifier::SetDefault {
            name: "repo".into(),
            value: json!("composio"),
        }),
        Modifier::declarative(DeclarativeModifier::AppendDescription { text: "Be careful.".into() }),
        Modifier::declarative(DeclarativeModifier::KeepResultFields {
            pointers: vec!["/number".into(), "/labels/*/name".into()],
        }),
    ]
    .into_iter()
    .collect();
    let params = ToolExecuteParams {
        arguments: json!({"account": "octo", "title": "Bug", "body": "It broke"})
            .as_object()
            .cloned()
            .unwrap(),
        ..ToolExecuteParams::default()
    };
    let response = ToolExecuteResponse::success(
        json!({"number": 7, "labels": [{"name": "bug", "id": 1}], "body": "x".repeat(500)}),
    );
    let mut g = c.benchmark_group("modifiers");
    g.bench_function("schema_5_declarative", |b| {
        b.iter(|| rt.block_on(mods.apply_schema(black_box(tool.clone()))).unwrap())
    });
    g.bench_function("before_after_5_declarative", |b| {
        b.iter(|| {
            let p = rt.block_on(mods.apply_before(&tool.slug, "github", black_box(params.clone()))).unwrap();
            let r = rt.block_on(mods.apply_after(&tool.slug, "github", black_box(response.clone()))).unwrap();
            black_box((p, r))
        })
    });
    g.finish();
}

fn bench_decode(c: &mut Criterion) {
    let base = fixture_tools();
    let items: Vec<Value> = (0..2000)
        .map(|i| {
            let mut t = serde_json::to_value(&base[i % base.len()]).unwrap();
            t["slug"] = json!(format!("BENCH_TOOL_{i}"));
            t
        })
        .collect();
    let body = serde_json::to_vec(&json!({"items": items, "next_cursor": null, "total_pages": 1})).unwrap();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.sample_size(20);
    g.bench_function(format!("tools_page_2000_{}kb", body.len() / 1024), |b| {
        b.iter(|| black_box(serde_json::from_slice::<Page<Tool>>(black_box(&body)).unwrap()).items.len())
    });
    let body =
        serde_json::to_vec(&json!({"items": realistic_tools(2000), "next_cursor": null, "total_pages": 1}))
            .unwrap();
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function(format!("tools_page_2000_realistic_{}kb", body.len() / 1024), |b| {
        b.iter(|| black_box(serde_json::from_slice::<Page<Tool>>(black_box(&body)).unwrap()).items.len())
    });
    g.finish();
}

/// `tools.get` of a pinned 2,000-tool toolkit against an in-process
/// composio-local: cold (a fresh client: request, decode, cache), warm from
/// the query cache without decoding (what a binding with a kept converted
/// form pays), and warm with the tools decoded (what `get_shared` pays).
fn bench_tools_get(c: &mut Criterion) {
    use composio_core::tools::GetToolsParams;
    use composio_core::{Composio, ComposioConfig, ToolkitVersions};
    composio_local::toolkits::bench::enable();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = rt.block_on(composio_local::spawn(composio_local::LocalOptions::default())).unwrap();
    let version = composio_local::toolkits::bench::VERSION;
    let client = || {
        Composio::new(
            ComposioConfig::new(server.api_key())
                .with_base_url(server.url())
                .with_toolkit_versions(ToolkitVersions::per_toolkit([("bench2000", version)])),
        )
        .unwrap()
    };
    let params =
        GetToolsParams { toolkits: vec!["bench2000".into()], limit: Some(2000), ..Default::default() };
    let none = Modifiers::new();
    let warm = client();
    rt.block_on(warm.tools().get_list(&params, &none)).unwrap();
    let mut g = c.benchmark_group("tools_get_2000");
    g.sample_size(10);
    g.bench_function("cold_fresh_client", |b| {
        b.iter(|| rt.block_on(client().tools().get_list(&params, &none)).unwrap().len())
    });
    g.bench_function("warm_cached_list", |b| {
        b.iter(|| rt.block_on(warm.tools().get_list(&params, &none)).unwrap().len())
    });
    g.bench_function("warm_decoded", |b| {
        b.iter(|| rt.block_on(warm.tools().get_shared(&params, &none)).unwrap().len())
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_tools_get,
    bench_webhooks,
    bench_providers,
    bench_providers_realistic,
    bench_modifiers,
    bench_decode
);
criterion_main!(benches);
