import Foundation

/// A holder's transcript: every block credential of one holder, bundled by the certifier in a
/// 1EdTech CLR 2.0 `ClrCredential` and signed as one VC-JWT.
///
/// Each block credential stays the signed VC-JWT it was issued as, embedded as a VCDM 2.0
/// `EnvelopedVerifiableCredential` (`id` = `data:application/vc+jwt,<JWT>`): a verifier checks
/// the bundle's signature, then each block's own signature and revocation, so revoking one
/// block shows in every transcript that holds it. See docs/credentials.md for why not a
/// VerifiablePresentation.
public struct ClrCredential: Sendable, Hashable, Codable, VerifiableCredentialDocument {
    public static let contexts = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    public static let types = ["VerifiableCredential", "ClrCredential"]

    public var context: [String]
    public var id: String
    public var type: [String]
    public var issuer: Profile
    public var validFrom: Date
    public var validUntil: Date?
    public var name: String
    public var description: String?
    public var credentialSubject: ClrSubject

    public init(
        id: String, issuer: Profile, validFrom: Date, validUntil: Date? = nil, name: String,
        description: String? = nil, credentialSubject: ClrSubject
    ) {
        self.context = Self.contexts
        self.id = id
        self.type = Self.types
        self.issuer = issuer
        self.validFrom = CredentialDates.whole(validFrom)
        self.validUntil = validUntil.map(CredentialDates.whole)
        self.name = name
        self.description = description
        self.credentialSubject = credentialSubject
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
    /// A transcript is not revoked as a whole: its block credentials are, one by one.
    public var statusEntries: [BitstringStatusListEntry] { [] }

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, name, description, credentialSubject
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        context = try c.decode([String].self, forKey: .context)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decodeTypes(forKey: .type)
        issuer = try c.decode(Profile.self, forKey: .issuer)
        validFrom = try c.decodeDate(forKey: .validFrom)
        validUntil = try c.decodeDateIfPresent(forKey: .validUntil)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        credentialSubject = try c.decode(ClrSubject.self, forKey: .credentialSubject)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(context, forKey: .context)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(issuer, forKey: .issuer)
        try c.encodeDate(validFrom, forKey: .validFrom)
        try c.encodeDateIfPresent(validUntil, forKey: .validUntil)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(credentialSubject, forKey: .credentialSubject)
    }
}

/// CLR 2.0 `ClrSubject`: the holder, the achievements, and the credentials that prove them.
public struct ClrSubject: Sendable, Hashable, Codable {
    public var id: String?
    public var type: [String]
    public var identifier: [IdentityObject]?
    /// The achievements of the embedded credentials, for readers that do not open them.
    public var achievement: [Achievement]?
    public var verifiableCredential: [EnvelopedVerifiableCredential]

    public init(
        id: String? = nil, identifier: [IdentityObject]? = nil, achievement: [Achievement]? = nil,
        verifiableCredential: [EnvelopedVerifiableCredential]
    ) {
        self.id = id
        self.type = ["ClrSubject"]
        self.identifier = identifier
        self.achievement = achievement
        self.verifiableCredential = verifiableCredential
    }
}

/// VCDM 2.0 `EnvelopedVerifiableCredential`: a credential secured by an enveloping proof (here
/// a VC-JWT), carried whole in a `data:` URL.
public struct EnvelopedVerifiableCredential: Sendable, Hashable, Codable {
    public static let prefix = "data:application/vc+jwt,"

    public var context: String
    public var id: String
    public var type: String

    public init(jwt: String) {
        self.context = "https://www.w3.org/ns/credentials/v2"
        self.id = Self.prefix + jwt
        self.type = "EnvelopedVerifiableCredential"
    }

    /// The compact JWT inside, when `id` is a `data:application/vc+jwt,` URL.
    public var jwt: String? {
        id.hasPrefix(Self.prefix) ? String(id.dropFirst(Self.prefix.count)) : nil
    }

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type
    }
}
