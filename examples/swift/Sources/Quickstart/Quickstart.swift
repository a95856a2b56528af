// Quickstart: a session and its tools for a model, a tool execution, then a
// connection through the connect page, a tool run on it, a trigger, and
// the signed webhook it fires, received here and verified.
//
// Against composio-local by default (started here); set COMPOSIO_API_KEY
// and COMPOSIO_BASE_URL to use another backend (the connection/webhook part
// then needs a publicly reachable webhook URL and is skipped).
import ComposioRS
import ComposioRSLocal
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct QuickstartError: Error, CustomStringConvertible {
    let description: String
}

// MARK: - A one-request-at-a-time webhook receiver (plain sockets)

struct Delivery: Sendable {
    var headers: [String: String]
    var body: String
}

/// Listens on 127.0.0.1 and hands each POST to `deliveries`.
final class WebhookReceiver: @unchecked Sendable {
    let port: UInt16
    let deliveries: AsyncStream<Delivery>
    private let fd: Int32

    init() throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        self.fd = fd
        guard fd >= 0 else { throw QuickstartError(description: "socket() failed") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, 8) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else { throw QuickstartError(description: "could not listen on 127.0.0.1") }
        port = UInt16(bigEndian: addr.sin_port)
        let (stream, continuation) = AsyncStream<Delivery>.makeStream()
        deliveries = stream
        let listener = fd
        Thread.detachNewThread {
            while true {
                let conn = accept(listener, nil, nil)
                if conn < 0 { break }
                if let d = WebhookReceiver.serve(conn) { continuation.yield(d) }
                close(conn)
            }
            continuation.finish()
        }
    }

    /// Reads one HTTP request (headers + Content-Length body), answers 200.
    private static func serve(_ conn: Int32) -> Delivery? {
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Int?
        var contentLength = 0
        var headers: [String: String] = [:]
        while true {
            let n = read(conn, &buf, buf.count)
            if n <= 0 { return nil }
            data.append(contentsOf: buf[0..<n])
            if headerEnd == nil, let r = find(data, [13, 10, 13, 10]) {
                headerEnd = r + 4
                let head = String(decoding: data[0..<r], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let name = line[..<colon].lowercased()
                    headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                contentLength = Int(headers["content-length"] ?? "0") ?? 0
            }
            if let h = headerEnd, data.count >= h + contentLength {
                let reply = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                _ = reply.withCString { write(conn, $0, strlen($0)) }
                return Delivery(headers: headers, body: String(decoding: data[h..<(h + contentLength)], as: UTF8.self))
            }
        }
    }

    private static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    func stop() { _ = shutdown(fd, Int32(SHUT_RDWR)) }
}

// MARK: - The quickstart

/// Posts the connect page's form (what the user does in a browser).
func submitConnectPage(_ url: String, apiKey: String) async throws {
    guard let u = URL(string: url) else { throw QuickstartError(description: "bad connect link \(url)") }
    var request = URLRequest(url: u)
    request.httpMethod = "POST"
    request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "content-type")
    request.httpBody = Data("api_key=\(apiKey)".utf8)
    let (_, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard (200..<400).contains(status) else { throw QuickstartError(description: "connect page answered \(status)") }
}

func toolsAndExecution(_ composio: Composio) async throws {
    let session = try await composio.create(userId: "demo_user", config: SessionConfig(toolkits: .enable(["text"])))
    print("session \(session.sessionId) (MCP at \(try session.mcp.url))")
    let tools = try await session.tools(provider: .openAi)
    print("\(tools.count) tools for the model:")
    for t in tools { print("  - \(t["function"]?["name"]?.stringValue ?? "?")") }

    let result = try await composio.tools.execute(
        "TEXT_TRANSFORM_CASE", arguments: ["text": "Hello from composio-rs", "case": "snake"], userId: "demo_user")
    print("TEXT_TRANSFORM_CASE -> \(result.data)")
}

func connectionTriggerAndWebhook(_ composio: Composio) async throws {
    // 1. The app asks for a connection; the user opens the link and types
    //    their API key on the page (done here with an HTTP POST).
    let session = try await composio.create(userId: "demo_user", config: SessionConfig(toolkits: .enable(["notes"])))
    let request = try await session.authorize(toolkit: "notes")
    guard let link = request.redirectURL else { throw QuickstartError(description: "no connect link") }
    print("connect link: \(link)")
    try await submitConnectPage(link, apiKey: "demo-notes-key")
    let account = try await request.waitForConnection(timeout: 30)
    print("connected account \(account["id"]?.stringValue ?? "?") is \(account["status"]?.stringValue ?? "?")")

    let first = try await session.execute(
        toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "Hello", "content": "First note from Swift"])
    print("NOTES_CREATE_NOTE -> \(first.data)")

    // 2. A local endpoint receives webhooks; Composio signs each delivery.
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    let subscription = try await composio.webhookSubscriptions.create(url: "http://127.0.0.1:\(receiver.port)/webhook")
    guard let secret = subscription["secret"]?.stringValue else {
        throw QuickstartError(description: "the webhook subscription has no secret")
    }

    // 3. A trigger on the account; creating a note fires it.
    let triggerId = try await composio.triggers.create("NOTES_NOTE_CREATED", userId: "demo_user")
    print("trigger \(triggerId) listening")
    _ = try await session.execute(
        toolSlug: "NOTES_CREATE_NOTE", arguments: ["title": "Launch", "content": "Ship composio-rs"])

    // 4. The delivery arrives and is verified with the subscription's secret.
    var iterator = receiver.deliveries.makeAsyncIterator()
    guard let delivery = await iterator.next() else { throw QuickstartError(description: "no webhook arrived") }
    let event = try Triggers.verifyWebhook(headers: delivery.headers, payload: delivery.body, secret: secret)
    print(
        "verified \(event.version) webhook: \(event.payload["triggerSlug"]?.stringValue ?? "?") for "
            + "\(event.payload["userId"]?.stringValue ?? "?") -> \(event.payload["payload"] ?? .null)")
    try await composio.triggers.delete(triggerId)
    if let id = subscription["id"]?.stringValue { try await composio.webhookSubscriptions.delete(id) }
}

@main
struct Quickstart {
    static func main() async {
        let env = ProcessInfo.processInfo.environment
        var local: LocalComposio?
        do {
            let composio: Composio
            if env["COMPOSIO_API_KEY"] != nil, env["COMPOSIO_BASE_URL"] != nil {
                composio = try Composio(toolkitVersions: ["text": "20251201_00", "notes": "20251201_00"])
                print("using \(composio.baseURL)")
            } else {
                let backend = try LocalComposio(binary: env["COMPOSIO_LOCAL_BIN"] ?? "composio-local")
                local = backend
                composio = try Composio(
                    apiKey: backend.apiKey, baseURL: backend.baseURL,
                    toolkitVersions: ["text": "20251201_00", "notes": "20251201_00"])
                print("composio-local running at \(backend.baseURL)")
            }
            try await toolsAndExecution(composio)
            if local != nil { try await connectionTriggerAndWebhook(composio) }
            local?.stop()
            print("done")
        } catch {
            local?.stop()
            FileHandle.standardError.write(Data("quickstart failed: \(error)\n".utf8))
            exit(1)
        }
    }
}
