import Foundation
import Testing
import ValidaProcess

/// A real SMTP server for the tests: Tests/Mail/smtp_sink.py (aiosmtpd) on a loopback port,
/// writing each accepted message to a directory. Missing python3 or aiosmtpd skips the tests
/// that need it, unless CI is set (then they fail and say why).
final class SMTPSink: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = repository.appendingPathComponent("Tests/Mail/smtp_sink.py").path

    /// Whether `python3 -c "import aiosmtpd"` works here.
    static let available: Bool = (try? run(["python3", "-c", "import aiosmtpd"]).status) == 0
    static var required: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }
    static let missing =
        "python3 with aiosmtpd is needed (pip install -r Tests/requirements.txt); skipped outside CI, required when CI is set"

    let directory: URL
    let port: Int
    private let process: ChildProcess

    init(port: Int, arguments: [String] = []) throws {
        guard Self.available else { throw SinkError(Self.missing) }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("valida-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.port = port
        let output = directory.appendingPathComponent("sink.out").path
        let errors = directory.appendingPathComponent("sink.err").path
        process = try ChildProcess.start(
            "python3", [Self.script, "--port", String(port), "--dir", directory.path] + arguments, output: output,
            errors: errors)
        // Waits for « READY »: the controller listens once it prints it.
        let deadline = Date().addingTimeInterval(20)
        while !String(decoding: FileManager.default.contents(atPath: output) ?? Data(), as: UTF8.self)
            .contains("READY")
        {
            if !process.isRunning || Date() > deadline {
                process.terminate()
                let log = String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self)
                throw SinkError("the SMTP sink did not start on port \(port): \(log.suffix(500))")
            }
            usleep(50_000)
        }
    }

    /// SIGTERM, then SIGKILL if the server is still there after ten seconds.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(100_000) }
        process.terminate(SIGKILL)
        process.wait()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The messages received so far, in order: raw bytes as text, and the envelope as JSON.
    func messages() throws -> [(raw: String, envelope: [String: Any])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let raw = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let json = try Data(
                contentsOf: directory.appendingPathComponent(name.replacingOccurrences(of: ".eml", with: ".json")))
            return (raw, try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:])
        }
    }

    /// Parses a received message with Python's `email` package, an independent MIME reader:
    /// its From, To and Subject decoded, and its plain-text and HTML bodies.
    func parsed(_ index: Int) throws -> [String: String] {
        let path = directory.appendingPathComponent(String(format: "%03d.eml", index + 1)).path
        let code = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            print(json.dumps({'from': str(m['from']), 'to': str(m['to']), 'subject': str(m['subject']),
                'date': str(m['date']), 'message_id': str(m['message-id']),
                'text': m.get_body(('plain',)).get_content(), 'html': m.get_body(('html',)).get_content(),
                'defects': str(m.defects)}))
            """
        let result = try Self.run(["python3", "-c", code, path])
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: String]
        return object ?? [:]
    }

    /// A self-signed certificate for `localhost` and 127.0.0.1, made with openssl: (cert, key).
    static func certificate() throws -> (cert: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("valida-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let result = try run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        guard result.status == 0 else { throw SinkError("openssl req failed: \(result.output)") }
        return (cert, key)
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ChildProcess.run(arguments[0], Array(arguments.dropFirst()))
        return (result.status, result.text)
    }

    struct SinkError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
