import Foundation

/// Where and how to send mail, read from `--smtp-url`:
/// `smtp://user:pass@host:587` (STARTTLS when the server offers it), `smtps://…:465` (TLS from
/// the first byte). Query options: `tls=starttls` (require STARTTLS), `tls=none` (never encrypt;
/// then no credentials are accepted), `ca=/path/to/ca.pem` (trust this certificate file instead of
/// the system's roots, for a private relay or tests), `timeout=SECONDS` (each reply; 30 by default),
/// `helo=NAME` (the name given in EHLO). User and password are percent-decoded.
public struct SMTPConfiguration: Sendable, Hashable, CustomStringConvertible {
    public enum Security: String, Sendable, Hashable {
        /// `smtps://`: TLS before the greeting.
        case implicitTLS
        /// `smtp://`: STARTTLS when offered, plain text otherwise (credentials then refused).
        case startTLSWhenOffered
        /// `smtp://…?tls=starttls`: no STARTTLS offered, no mail sent.
        case startTLSRequired
        /// `smtp://…?tls=none`: never encrypted.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificates to trust instead of the system's (`ca=`).
    public var trustedCertificatesFile: String?
    /// Seconds to wait for the connection and for each reply.
    public var timeoutSeconds: Int
    public var heloName: String

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        trustedCertificatesFile: String? = nil, timeoutSeconds: Int = 30, heloName: String = "localhost"
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
        self.timeoutSeconds = timeoutSeconds
        self.heloName = heloName
    }

    /// Parses an `smtp://` or `smtps://` URL; the error says what is wrong, in French.
    public init(url text: String) throws(SMTPConfigurationError) {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw SMTPConfigurationError("l'adresse est vide") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw SMTPConfigurationError("« \(Self.redacted(text)) » n'est pas une URL (attendu smtp://hôte:587)")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw SMTPConfigurationError("le schéma « \(scheme) » n'est pas smtp:// ni smtps://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SMTPConfigurationError("il manque le nom du serveur (smtp://hôte:587)")
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw SMTPConfigurationError("une URL SMTP n'a pas de chemin (« \(components.path) »)")
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw SMTPConfigurationError("le port \(port) est invalide") }
            self.port = port
        } else {
            self.port = scheme == "smtps" ? 465 : 587
        }
        security = scheme == "smtps" ? .implicitTLS : .startTLSWhenOffered
        username = nil
        password = nil
        if let user = components.percentEncodedUser { username = try Self.decoded(user, what: "l'utilisateur") }
        if let secret = components.percentEncodedPassword {
            password = try Self.decoded(secret, what: "le mot de passe")
        }
        if username?.isEmpty == true { username = nil }
        if password != nil, username == nil {
            throw SMTPConfigurationError(
                "un mot de passe est donné sans utilisateur (smtp://utilisateur:motdepasse@hôte)")
        }
        trustedCertificatesFile = nil
        timeoutSeconds = 30
        heloName = "localhost"
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "tls":
                guard scheme == "smtp" else {
                    throw SMTPConfigurationError("tls= ne s'emploie qu'avec smtp:// (smtps:// chiffre toujours)")
                }
                switch value {
                case "starttls": security = .startTLSRequired
                case "none": security = .none
                case "auto": security = .startTLSWhenOffered
                default: throw SMTPConfigurationError("tls=\(value) : valeurs possibles starttls, auto, none")
                }
            case "ca":
                guard !value.isEmpty, FileManager.default.isReadableFile(atPath: value) else {
                    throw SMTPConfigurationError("ca= : le fichier « \(value) » est introuvable ou illisible")
                }
                trustedCertificatesFile = value
            case "timeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else {
                    throw SMTPConfigurationError("timeout=\(value) : un nombre de secondes entre 1 et 600")
                }
                timeoutSeconds = seconds
            case "helo":
                guard !value.isEmpty, value.count <= 255,
                    value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 })
                else {
                    throw SMTPConfigurationError("helo=\(value) : un nom de machine sans espace")
                }
                heloName = value
            default:
                throw SMTPConfigurationError("option inconnue « \(item.name) » (options : tls, ca, timeout, helo)")
            }
        }
        if security == .none, username != nil {
            throw SMTPConfigurationError(
                "tls=none avec un utilisateur : les identifiants ne sont jamais envoyés en clair")
        }
    }

    /// The URL without its password, for logs and pages.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = username.map { "\($0)@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let mode =
            switch security {
            case .implicitTLS: "TLS"
            case .startTLSWhenOffered: "STARTTLS si proposé"
            case .startTLSRequired: "STARTTLS exigé"
            case .none: "sans chiffrement"
            }
        return "\(scheme)://\(user)\(host):\(port) (\(mode))"
    }

    private static func decoded(_ text: String, what: String) throws(SMTPConfigurationError) -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw SMTPConfigurationError("\(what) contient un encodage %XX invalide")
        }
        guard !decoded.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) else {
            throw SMTPConfigurationError("\(what) contient un caractère de contrôle")
        }
        return decoded
    }

    /// `text` with anything between `://` and `@` hidden: an unreadable URL may hold a password.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound <= at else {
            return text
        }
        return text[..<scheme.upperBound] + "***" + text[at...]
    }
}

/// Why an SMTP URL was refused, in French, without its password.
public struct SMTPConfigurationError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
