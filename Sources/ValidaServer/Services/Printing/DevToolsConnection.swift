import Foundation

/// A JSON value of the DevTools protocol, Sendable (unlike `JSONSerialization`'s `Any`).
enum DevToolsValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([DevToolsValue])
    case object([String: DevToolsValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([DevToolsValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: DevToolsValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    subscript(key: String) -> DevToolsValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }
}

extension DevToolsValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(dictionaryLiteral elements: (String, DevToolsValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
    init(arrayLiteral elements: DevToolsValue...) { self = .array(elements) }
}

enum DevToolsError: Error, CustomStringConvertible {
    /// The browser exited or closed its end: everything in flight fails with this.
    case disconnected
    case timedOut(method: String, seconds: Double)
    case protocolError(method: String, message: String)
    case unexpectedReply(method: String)

    var description: String {
        switch self {
        case .disconnected: "Chromium s'est arrêté"
        case .timedOut(let method, let seconds): "Chromium n'a pas répondu à \(method) en \(seconds) s"
        case .protocolError(let method, let message): "Chromium a refusé \(method) : \(message)"
        case .unexpectedReply(let method): "réponse inattendue de Chromium à \(method)"
        }
    }
}

/// Commands and replies over a `ChromiumProcess`'s pipe: JSON messages each ended by a NUL
/// byte. A thread of its own reads; callers await their reply, each with a deadline. Every
/// request a page makes is paused by `Fetch` interception and failed here: the printed
/// document reaches nothing but itself.
final class DevToolsConnection: @unchecked Sendable {
    private struct Incoming: Decodable {
        struct Failure: Decodable { var message: String }
        var id: Int?
        var method: String?
        var sessionId: String?
        var params: DevToolsValue?
        var result: DevToolsValue?
        var error: Failure?
    }

    private struct Outgoing: Encodable {
        var id: Int
        var method: String
        var params: DevToolsValue
        var sessionId: String?
    }

    private let process: ChromiumProcess
    private let lock = NSLock()
    private var nextID = 1
    private var pending: [Int: (method: String, continuation: CheckedContinuation<DevToolsValue, any Error>)] = [:]
    private var closed = false
    private var blocked = 0
    /// Writes happen in order on one queue, never on the caller's thread (a large page
    /// fills the socket's buffer until Chromium reads it).
    private let writer = DispatchQueue(label: "valida.printer.devtools-writer")
    private let onDisconnect: @Sendable () -> Void

    init(process: ChromiumProcess, onDisconnect: @escaping @Sendable () -> Void) {
        self.process = process
        self.onDisconnect = onDisconnect
        let thread = Thread { [self] in readLoop() }
        thread.name = "valida.printer.devtools-reader"
        thread.start()
    }

    var isConnected: Bool { lock.withLock { !closed } }

    /// How many requests of printed pages were refused so far (for the logs and tests).
    var blockedRequests: Int { lock.withLock { blocked } }

    /// Sends `method` and waits for its result, at most `timeout`.
    func send(
        _ method: String, _ params: DevToolsValue = [:], session: String? = nil,
        timeout: Duration = .seconds(20)
    ) async throws -> DevToolsValue {
        let id: Int? = lock.withLock {
            if closed { return nil }
            defer { nextID += 1 }
            return nextID
        }
        guard let id else { throw DevToolsError.disconnected }
        let message: [UInt8]
        do {
            message =
                Array(try JSONEncoder().encode(Outgoing(id: id, method: method, params: params, sessionId: session)))
                + [0]
        }
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            self?.finish(id, with: .failure(DevToolsError.timedOut(method: method, seconds: seconds)))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = lock.withLock {
                if closed { return false }
                pending[id] = (method, continuation)
                return true
            }
            guard accepted else { return continuation.resume(throwing: DevToolsError.disconnected) }
            writer.async { [self] in
                if !process.write(message) { disconnect() }
            }
        }
    }

    /// Sends without waiting for the reply (answers to paused requests, closing tabs).
    func post(_ method: String, _ params: DevToolsValue, session: String? = nil) {
        let id: Int? = lock.withLock {
            if closed { return nil }
            defer { nextID += 1 }
            return nextID
        }
        guard let id,
            let data = try? JSONEncoder().encode(Outgoing(id: id, method: method, params: params, sessionId: session))
        else { return }
        let message = Array(data) + [0]
        writer.async { [self] in
            if !process.write(message) { disconnect() }
        }
    }

    private func finish(_ id: Int, with result: Result<DevToolsValue, any Error>) {
        let entry = lock.withLock { pending.removeValue(forKey: id) }
        entry?.continuation.resume(with: result)
    }

    /// Fails everything in flight; later sends fail at once.
    func disconnect() {
        let waiting: [CheckedContinuation<DevToolsValue, any Error>] = lock.withLock {
            if closed { return [] }
            closed = true
            defer { pending = [:] }
            return pending.values.map(\.continuation)
        }
        for continuation in waiting { continuation.resume(throwing: DevToolsError.disconnected) }
        onDisconnect()
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var message: [UInt8] = []
        let decoder = JSONDecoder()
        while true {
            let count = process.read(into: &buffer)
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == 0 {
                message.append(contentsOf: buffer[start..<index])
                start = index + 1
                if let incoming = try? decoder.decode(Incoming.self, from: Data(message)) { handle(incoming) }
                message.removeAll(keepingCapacity: message.capacity < 1 << 20)
            }
            message.append(contentsOf: buffer[start..<count])
        }
        disconnect()
    }

    private func handle(_ incoming: Incoming) {
        if let id = incoming.id {
            let method = lock.withLock { pending[id]?.method } ?? ""
            if let error = incoming.error {
                finish(id, with: .failure(DevToolsError.protocolError(method: method, message: error.message)))
            } else {
                finish(id, with: .success(incoming.result ?? .null))
            }
        } else if incoming.method == "Fetch.requestPaused", let request = incoming.params?["requestId"] {
            // The document was set directly into the page: any request is something it
            // tries to reach beyond itself (a file, the network): refused.
            lock.withLock { blocked += 1 }
            post(
                "Fetch.failRequest", ["requestId": request, "errorReason": "BlockedByClient"],
                session: incoming.sessionId)
        }
    }
}
