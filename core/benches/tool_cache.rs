//! Criterion benchmarks of the compressed tool cache
//! (`composio_core::tool_cache`) on composio-local's 2,000-tool benchmark
//! toolkit (~8 KB schemas): packing a list as a cold `tools.get` caches it
//! (against the list's shared dictionary, and each tool alone for
//! comparison), decoding one cached tool (what an execute with file
//! handling or a `get_tool` pays), and decoding the whole list (what the
//! first conversion of a cached list pays). Run with
//! `cargo bench -p composio-core --bench tool_cache`.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use composio_core::models::Tool;
use composio_core::tool_cache::{ListPacker, PackedTool};

/// The benchmark toolkit's 2,000 tools as compact JSON text (as sent).
fn texts() -> Vec<String> {
    let tks = composio_local::toolkits::bench::toolkits();
    let tk = tks.iter().find(|t| t.tools.len() == 2000).unwrap();
    tk.tools.iter().map(|t| composio_local::toolkits::tool_json(tk, t).to_string()).collect()
}

fn pack_list(texts: &[String]) -> Vec<PackedTool> {
    let mut packer = ListPacker::new();
    texts.iter().map(|t| packer.pack(t)).collect()
}

fn bench_tool_cache(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let packed = pack_list(&texts);
    let kept: usize = packed.iter().map(PackedTool::packed_len).sum::<usize>() + texts[0].len();
    eprintln!(
        "tool_cache: {} tools, {:.2} MB of text kept as {:.2} MB ({:.1}%)",
        texts.len(),
        bytes as f64 / 1e6,
        kept as f64 / 1e6,
        100.0 * kept as f64 / bytes as f64
    );

    let mut g = c.benchmark_group("tool_cache_2000");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("insert_all_shared_dictionary", |b| b.iter(|| pack_list(black_box(&texts)).len()));
    g.bench_function("insert_all_each_alone", |b| {
        b.iter(|| texts.iter().map(|t| PackedTool::pack(black_box(t))).map(|p| p.packed_len()).sum::<usize>())
    });
    g.bench_function("decode_all", |b| {
        b.iter(|| {
            let mut buf = Vec::new();
            packed.iter().map(|p| p.decode_with(&mut buf).unwrap().slug.len()).sum::<usize>()
        })
    });
    g.bench_function("decompress_all_text_only", |b| {
        b.iter(|| packed.iter().map(|p| p.text().unwrap().len()).sum::<usize>())
    });
    g.finish();

    let one = &packed[1234];
    let mut g = c.benchmark_group("tool_cache_one");
    g.throughput(Throughput::Bytes(one.text_len() as u64));
    g.bench_function("decode_one", |b| b.iter(|| black_box(one).decode().unwrap().slug.len()));
    g.bench_function("decompress_one_text_only", |b| b.iter(|| black_box(one).text().unwrap().len()));
    g.bench_function("parse_one_uncompressed_text", |b| {
        b.iter(|| serde_json::from_str::<Tool>(black_box(&texts[1234])).unwrap().slug.len())
    });
    g.finish();
}

criterion_group!(benches, bench_tool_cache);
criterion_main!(benches);
