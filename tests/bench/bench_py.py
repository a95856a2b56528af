"""One measure of the side-by-side benchmark, for one Python SDK.

Run by tests/bench/run.sh inside the SDK's throwaway venv:

    python bench_py.py <sdk> <measure> [args...]

<sdk> is ``ours`` (composio_rs) or ``official`` (composio). Prints one JSON
object on standard output. The server's URL and key come from
COMPOSIO_BENCH_URL / COMPOSIO_BENCH_KEY.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import json
import os
import resource
import sys

URL = os.environ["COMPOSIO_BENCH_URL"]
KEY = os.environ["COMPOSIO_BENCH_KEY"]
VERSION = "20251201_00"
VERSIONS = {
    "text": VERSION,
    "bench50": VERSION,
    "bench500": VERSION,
    "bench2000": VERSION,
}
EXEC_SLUG = "TEXT_WORD_COUNT"
EXEC_ARGS = {"text": "hello benchmark world"}


def peak_rss_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def client(sdk: str):  # type: ignore[no-untyped-def]
    if sdk == "ours":
        from composio_rs import Composio

        return Composio(
            api_key=KEY, base_url=URL, toolkit_versions=VERSIONS, allow_tracking=False
        )
    from composio import Composio  # type: ignore[no-redef]

    return Composio(
        api_key=KEY, base_url=URL, toolkit_versions=VERSIONS, allow_tracking=False
    )


def pct(values: list, p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100.0 * (len(s) - 1)))]


def startup(sdk: str) -> dict:
    c = client(sdk)
    wall = time.perf_counter() - T0
    del c
    return {"wall_ms": wall * 1000.0, "peak_rss_mb": peak_rss_kb() / 1024.0}


def tools_get(sdk: str, n: int, reps: int) -> dict:
    c = client(sdk)
    before = rss_kb()
    peak_before = peak_rss_kb()
    first = c.tools.get(user_id="default", toolkits=[f"bench{n}"], limit=n)
    if len(first) != n:
        raise SystemExit(f"tools.get returned {len(first)} tools, expected {n}")
    times = []
    kept = first
    for _ in range(reps):
        t = time.perf_counter()
        kept = c.tools.get(user_id="default", toolkits=[f"bench{n}"], limit=n)
        times.append(time.perf_counter() - t)
    # Make sure the result is real data (OpenAI format).
    fn = kept[0]["function"] if isinstance(kept[0], dict) else kept[0].function
    assert fn["name"].startswith(f"BENCH{n}_"), fn["name"]
    added = (rss_kb() - before) / 1024.0
    peak_added = (peak_rss_kb() - peak_before) / 1024.0
    # The same reading after a second of idling with the result still held
    # (no collection forced): memory the runtime has freed but not yet
    # handed back by the last call is gone by then.
    time.sleep(1.0)
    return {
        "tools": n,
        "warm_ms": [x * 1000.0 for x in times],
        "rss_added_mb": added,
        "peak_rss_added_mb": peak_added,
        "rss_added_settled_mb": (rss_kb() - before) / 1024.0,
        "kept": len(kept),
    }


def raw_execute_fn():  # type: ignore[no-untyped-def]
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(URL)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    body = json.dumps(
        {"arguments": EXEC_ARGS, "user_id": "default", "version": VERSION}
    ).encode()
    headers = {"x-api-key": KEY, "content-type": "application/json"}
    path = (u.path.rstrip("/")) + f"/api/v3.1/tools/execute/{EXEC_SLUG}"

    def go() -> None:
        conn.request("POST", path, body=body, headers=headers)
        r = conn.getresponse()
        data = json.loads(r.read())
        if r.status != 200 or not data.get("successful"):
            raise SystemExit(f"raw execute failed: {r.status} {data}")

    return go


def sdk_execute_fn(sdk: str):  # type: ignore[no-untyped-def]
    c = client(sdk)

    def go() -> None:
        r = c.tools.execute(EXEC_SLUG, dict(EXEC_ARGS), user_id="default")
        ok = r["successful"] if isinstance(r, dict) else r.successful
        if not ok:
            raise SystemExit(f"execute failed: {r}")

    return go


def execute_seq(sdk: str, n: int) -> dict:
    out = {}
    for name, fn in (("raw", raw_execute_fn()), ("sdk", sdk_execute_fn(sdk))):
        for _ in range(min(50, n)):
            fn()
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        out[name] = {"p50_us": pct(times, 50) * 1e6, "p99_us": pct(times, 99) * 1e6}
    out["overhead_p50_us"] = out["sdk"]["p50_us"] - out["raw"]["p50_us"]
    out["calls"] = n
    return out


def body_2kb(k: int = 0) -> str:
    """The ~2 KB V3 body; variant `k > 0` has the same shape with other
    values (ids, addresses, subjects, thread), as deliveries of one trigger
    have."""
    messages = [
        {
            "id": f"m{i}",
            "from": "alice@example.com",
            "subject": f"Quarterly report part {i}",
            "labels": ["INBOX", "IMPORTANT"],
        }
        if k == 0
        else {
            "id": f"m{k}_{i}",
            "from": f"user{(k * 7 + i) % 50}@example.com",
            "subject": f"Report {k}-{i}",
            "labels": ["INBOX", "IMPORTANT"],
        }
        for i in range(12)
    ]
    return json.dumps(
        {
            "id": "msg_2Zx" if k == 0 else f"msg_{k}",
            "type": "composio.trigger.message",
            "timestamp": "2026-11-20T10:30:00Z",
            "metadata": {
                "log_id": "log_1" if k == 0 else f"log_{k}",
                "trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE",
                "trigger_id": "ti_1",
                "connected_account_id": "ca_1",
                "auth_config_id": "ac_1",
                "user_id": "user_1",
            },
            "data": {"thread_id": "t1" if k == 0 else f"t{k}", "messages": messages},
        },
        separators=(",", ":"),
    )


def sign(msg_id: str, ts: str, body: str, secret: str) -> str:
    import base64
    import hashlib
    import hmac

    mac = hmac.new(
        secret.encode(), f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256
    ).digest()
    return "v1," + base64.b64encode(mac).decode()


def field(obj, name):  # type: ignore[no-untyped-def]
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def verify(sdk: str, seconds: float, distinct: int = 1) -> dict:
    """Verifications per second of one body, or of `distinct` different
    bodies in turn."""
    c = client(sdk)
    secret = "whsec_benchmark_secret"
    ts = str(int(time.time()))
    calls = []
    for k in range(1, distinct + 1) if distinct > 1 else [0]:
        body = body_2kb(k)
        msg_id = "msg_2Zx" if k == 0 else f"msg_{k}"
        kwargs = {
            "id": msg_id,
            "payload": body,
            "secret": secret,
            "signature": sign(msg_id, ts, body, secret),
            "timestamp": ts,
        }
        calls.append((kwargs, "t1" if k == 0 else f"t{k}"))
    r = c.triggers.verify_webhook(**calls[0][0])
    event = field(r, "payload")
    assert field(event, "trigger_slug") == "GMAIL_NEW_GMAIL_MESSAGE", event
    assert field(event, "payload")["thread_id"] == calls[0][1]
    n = 0
    at = 0
    end = time.perf_counter() + seconds
    start = time.perf_counter()
    while True:
        for _ in range(100):
            kwargs, thread = calls[at]
            at = at + 1 if at + 1 < len(calls) else 0
            r = c.triggers.verify_webhook(**kwargs)
            event = field(r, "payload")
            if field(event, "payload")["thread_id"] != thread:
                raise SystemExit("bad payload")
        n += 100
        if time.perf_counter() >= end:
            break
    elapsed = time.perf_counter() - start
    return {
        "per_sec": n / elapsed,
        "bytes": len(calls[0][0]["payload"]),
        "distinct": distinct,
    }


def concurrent(sdk: str, n: int, reps: int) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    c = client(sdk)

    def one(_: int) -> bool:
        r = c.tools.execute(EXEC_SLUG, dict(EXEC_ARGS), user_id="default")
        return bool(field(r, "successful"))

    walls = []
    with ThreadPoolExecutor(max_workers=n) as pool:
        assert all(pool.map(one, range(n)))  # warm: threads, connections, caches
        for _ in range(reps):
            t = time.perf_counter()
            ok = list(pool.map(one, range(n)))
            walls.append((time.perf_counter() - t) * 1000.0)
            assert all(ok)
    return {"calls": n, "wall_ms": walls}


def main() -> None:
    sdk, measure, *args = sys.argv[1:]
    if measure == "startup":
        out = startup(sdk)
    elif measure == "tools_get":
        out = tools_get(sdk, int(args[0]), int(args[1]))
    elif measure == "execute":
        out = execute_seq(sdk, int(args[0]))
    elif measure == "verify":
        out = verify(sdk, float(args[0]), int(args[1]) if len(args) > 1 else 1)
    elif measure == "concurrent":
        out = concurrent(sdk, int(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown measure {measure}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
