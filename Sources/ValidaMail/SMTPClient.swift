import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small SMTP client (RFC 5321): one connection per message, EHLO, STARTTLS or implicit
/// TLS, AUTH PLAIN or LOGIN, MAIL FROM / RCPT TO / DATA. Errors are `SMTPError`s that say
/// whether to retry. Credentials are never logged nor put in an error.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let group: any EventLoopGroup

    public init(
        configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// Delivers `message` to its recipient; throws an `SMTPError`.
    public func send(_ message: MailMessage) async throws {
        let tls = try makeTLSContext()
        let (lines, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let configuration = self.configuration
        let implicit = configuration.security == .implicitTLS
        let hostname = Self.serverName(configuration.host)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(Int64(configuration.timeoutSeconds)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if implicit, let tls {
                            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                        }
                        try sync.addHandler(
                            IdleStateHandler(readTimeout: .seconds(Int64(configuration.timeoutSeconds))))
                        try sync.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        try sync.addHandler(
                            SMTPReplyHandler(continuation: continuation, timeoutSeconds: configuration.timeoutSeconds))
                    }
                }
                .connect(host: configuration.host, port: configuration.port).get()
        } catch {
            continuation.finish()
            throw SMTPError(
                .transient,
                "connexion à \(configuration.host):\(configuration.port) impossible : \(Self.describe(error))")
        }
        var session = SMTPSession(channel: channel, replies: lines.makeAsyncIterator(), configuration: configuration)
        do {
            try await withTaskCancellationHandler {
                try await session.run(message, tls: tls, serverName: hostname)
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            channel.close(promise: nil)
            if let error = error as? SMTPError { throw error }
            throw SMTPError(.transient, "échange avec le serveur SMTP interrompu : \(Self.describe(error))")
        }
        try? await channel.close().get()
    }

    /// The TLS settings, when this configuration may need them: the system's roots, or the `ca=` file.
    func makeTLSContext() throws -> NIOSSLContext? {
        guard configuration.security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile { tls.trustRoots = .file(file) }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(.transient, "configuration TLS impossible : \(Self.describe(error))")
        }
    }

    /// The name sent in SNI and checked against the certificate: none for an IP address.
    static func serverName(_ host: String) -> String? {
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        return isAddress ? nil : host
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? SMTPError { return error.message }
        return String(String(describing: error).prefix(300))
    }
}

/// One conversation, in the order RFC 5321 sets.
struct SMTPSession {
    let channel: any Channel
    var replies: AsyncThrowingStream<String, any Error>.Iterator
    let configuration: SMTPConfiguration
    var extensions: Set<String> = []
    var authMechanisms: Set<String> = []
    var encrypted = false

    init(
        channel: any Channel, replies: AsyncThrowingStream<String, any Error>.Iterator, configuration: SMTPConfiguration
    ) {
        self.channel = channel
        self.replies = replies
        self.configuration = configuration
        self.encrypted = configuration.security == .implicitTLS
    }

    mutating func run(_ message: MailMessage, tls: NIOSSLContext?, serverName: String?) async throws {
        try await expect(220, after: "accueil du serveur", permanentAllowed: false)
        try await hello()
        let offered = extensions.contains("STARTTLS")
        if configuration.security == .startTLSRequired, !offered {
            throw SMTPError(.transient, "le serveur ne propose pas STARTTLS, exigé par tls=starttls")
        }
        if configuration.security == .startTLSRequired || (configuration.security == .startTLSWhenOffered && offered) {
            try await command("STARTTLS", expect: 220, step: "STARTTLS", permanentAllowed: false)
            guard let tls else { throw SMTPError(.transient, "TLS indisponible") }
            try await channel.eventLoop.submit { [channel] in
                let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
            encrypted = true
            try await hello()
        }
        if let username = configuration.username {
            guard encrypted else {
                throw SMTPError(
                    .transient, "le serveur ne propose pas STARTTLS : les identifiants ne sont pas envoyés en clair")
            }
            try await authenticate(username: username, password: configuration.password ?? "")
        }
        try await command("MAIL FROM:<\(message.from.email)>", expect: 250, step: "MAIL FROM")
        try await command("RCPT TO:<\(message.to.email)>", expect: 250, 251, step: "RCPT TO <\(message.to.email)>")
        try await command("DATA", expect: 354, step: "DATA")
        try await write(MIMEEncoding.dotStuffed(message.rendered()))
        try await expect(250, after: "fin du message")
        try? await write("QUIT\r\n")
    }

    /// EHLO, or HELO for an old server that does not know EHLO.
    mutating func hello() async throws {
        try await write("EHLO \(configuration.heloName)\r\n")
        let reply = try await readReply()
        if reply.code == 250 {
            extensions = []
            authMechanisms = []
            for line in reply.lines.dropFirst() {
                let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
                guard let keyword = words.first else { continue }
                extensions.insert(keyword)
                if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
            }
            return
        }
        guard reply.code == 500 || reply.code == 502 else {
            throw SMTPError.reply(reply, after: "EHLO", permanentAllowed: false)
        }
        try await command("HELO \(configuration.heloName)", expect: 250, step: "HELO", permanentAllowed: false)
    }

    /// AUTH PLAIN when offered, else LOGIN. A refusal is transient: every message would fail the
    /// same way until the settings are fixed, and none should be given up for it.
    mutating func authenticate(username: String, password: String) async throws {
        func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
        if authMechanisms.contains("PLAIN") {
            try await command(
                "AUTH PLAIN \(base64("\0\(username)\0\(password)"))", expect: 235, step: "authentification (PLAIN)",
                permanentAllowed: false)
        } else if authMechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", expect: 334, step: "authentification (LOGIN)", permanentAllowed: false)
            try await command(
                base64(username), expect: 334, step: "authentification (LOGIN, utilisateur)", permanentAllowed: false)
            try await command(
                base64(password), expect: 235, step: "authentification (LOGIN, mot de passe)",
                permanentAllowed: false)
        } else {
            throw SMTPError(
                .transient,
                "le serveur ne propose ni AUTH PLAIN ni AUTH LOGIN (il propose : \(authMechanisms.sorted().joined(separator: " ")))"
            )
        }
    }

    /// Sends `line` and checks the reply's code. An error names the step, never the line (it may
    /// hold a credential).
    mutating func command(
        _ line: String, expect codes: Int..., step: String, permanentAllowed: Bool = true
    ) async throws {
        try await write(line + "\r\n")
        let reply = try await readReply()
        guard codes.contains(reply.code) else {
            throw SMTPError.reply(reply, after: step, permanentAllowed: permanentAllowed)
        }
    }

    mutating func expect(_ code: Int, after step: String, permanentAllowed: Bool = true) async throws {
        let reply = try await readReply()
        guard reply.code == code else { throw SMTPError.reply(reply, after: step, permanentAllowed: permanentAllowed) }
    }

    func write(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// A reply, over one line (`250 ok`) or several (`250-…` then `250 …`).
    mutating func readReply() async throws -> SMTPReply {
        var lines: [String] = []
        while true {
            guard let line = try await replies.next() else {
                throw SMTPError(.transient, "le serveur SMTP a fermé la connexion")
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                (200...599).contains(code)
            else {
                throw SMTPError(.transient, "réponse SMTP illisible : « \(line.prefix(100)) »")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { continue }
            return SMTPReply(code: code, lines: lines)
        }
    }
}
