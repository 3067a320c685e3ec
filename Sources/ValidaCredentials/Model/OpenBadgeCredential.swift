import Foundation

/// An Open Badges 3.0 `OpenBadgeCredential` (1EdTech OB 3.0, on the W3C Verifiable Credentials
/// Data Model 2.0): the certifier says that a holder has achieved a block or a certification.
/// Only the properties Valida fills are modelled; see docs/credentials.md.
public struct OpenBadgeCredential: Sendable, Hashable, Codable, VerifiableCredentialDocument {
    /// VCDM 2.0 first, then the OB 3.0.3 context, in that order as the specs require.
    public static let contexts = [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    public static let types = ["VerifiableCredential", "OpenBadgeCredential"]

    public var context: [String]
    /// A URL the issuer answers at (the server's credential page).
    public var id: String
    public var type: [String]
    public var issuer: Profile
    /// Whole seconds: the JWT's `nbf` carries the same instant.
    public var validFrom: Date
    public var validUntil: Date?
    public var name: String
    public var description: String?
    public var credentialSubject: AchievementSubject
    public var credentialStatus: BitstringStatusListEntry?
    public var credentialSchema: [CredentialSchema]?

    public init(
        id: String, issuer: Profile, validFrom: Date, validUntil: Date? = nil, name: String,
        description: String? = nil, credentialSubject: AchievementSubject,
        credentialStatus: BitstringStatusListEntry? = nil,
        credentialSchema: [CredentialSchema]? = [.openBadgeCredential]
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
        self.credentialStatus = credentialStatus
        self.credentialSchema = credentialSchema
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
    public var statusEntries: [BitstringStatusListEntry] { credentialStatus.map { [$0] } ?? [] }

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, name, description
        case credentialSubject, credentialStatus, credentialSchema
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
        credentialSubject = try c.decode(AchievementSubject.self, forKey: .credentialSubject)
        credentialStatus = try c.decodeIfPresent(BitstringStatusListEntry.self, forKey: .credentialStatus)
        credentialSchema = try c.decodeIfPresent([CredentialSchema].self, forKey: .credentialSchema)
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
        try c.encodeIfPresent(credentialStatus, forKey: .credentialStatus)
        try c.encodeIfPresent(credentialSchema, forKey: .credentialSchema)
    }
}

/// The issuer: the certifier, as OB 3.0's `Profile`.
public struct Profile: Sendable, Hashable, Codable {
    /// A URL that resolves to this profile (the server publishes it), or a DID.
    public var id: String
    public var type: [String]
    public var name: String
    /// The certifier's public web site.
    public var url: String?
    public var email: String?

    public init(id: String, name: String, url: String? = nil, email: String? = nil) {
        self.id = id
        self.type = ["Profile"]
        self.name = name
        self.url = url
        self.email = email
    }
}

/// Who achieved what. Valida prefers a salted hash of the holder's e-mail address over an
/// `id`: the credential then proves the achievement to whoever knows the address, without
/// publishing it (OB 3.0 `identifier` with an `IdentityObject`).
public struct AchievementSubject: Sendable, Hashable, Codable {
    /// A DID or URL of the holder, when the holder has one (a wallet's DID).
    public var id: String?
    public var type: [String]
    public var identifier: [IdentityObject]?
    public var achievement: Achievement

    public init(id: String? = nil, identifier: [IdentityObject]? = nil, achievement: Achievement) {
        self.id = id
        self.type = ["AchievementSubject"]
        self.identifier = identifier
        self.achievement = achievement
    }
}

/// OB 3.0 `IdentityObject`: one identifier of the holder, hashed or in clear.
public struct IdentityObject: Sendable, Hashable, Codable {
    public var type: String
    /// `true` when `identityHash` is `sha256$` + the hex SHA-256 of the value followed by `salt`.
    public var hashed: Bool
    public var identityHash: String
    /// From OB 3.0's enumeration: `emailAddress`, `name`, `studentId` …
    public var identityType: String
    public var salt: String?

    public init(hashed: Bool, identityHash: String, identityType: String, salt: String? = nil) {
        self.type = "IdentityObject"
        self.hashed = hashed
        self.identityHash = identityHash
        self.identityType = identityType
        self.salt = salt
    }
}

/// What was achieved: a block of competencies or the whole certification.
public struct Achievement: Sendable, Hashable, Codable {
    public var id: String
    public var type: [String]
    /// From OB 3.0's `AchievementType` enumeration; see docs/credentials.md for the choice.
    public var achievementType: String?
    public var name: String
    public var description: String
    public var criteria: Criteria
    /// The code people read: the block's `RNCPnnnnnBCnn` (or its key `BC01`), or `RNCPnnnnn`.
    public var humanCode: String?
    /// The CASE items (CFItem) of the référentiel this achievement stands for.
    public var alignment: [Alignment]?
    /// BCP 47 language of the texts.
    public var inLanguage: String?

    public init(
        id: String, achievementType: String?, name: String, description: String, criteria: Criteria,
        humanCode: String? = nil, alignment: [Alignment]? = nil, inLanguage: String? = "fr"
    ) {
        self.id = id
        self.type = ["Achievement"]
        self.achievementType = achievementType
        self.name = name
        self.description = description
        self.criteria = criteria
        self.humanCode = humanCode
        self.alignment = alignment
        self.inLanguage = inLanguage
    }
}

public struct Criteria: Sendable, Hashable, Codable {
    public var id: String?
    /// Markdown: Valida writes one competency per line.
    public var narrative: String?

    public init(id: String? = nil, narrative: String?) {
        self.id = id
        self.narrative = narrative
    }
}

/// OB 3.0 `Alignment`: a link from an achievement to an item of a framework; Valida points at
/// the référentiel's CASE items.
public struct Alignment: Sendable, Hashable, Codable {
    public var type: [String]
    public var targetName: String
    public var targetUrl: String
    public var targetDescription: String?
    public var targetCode: String?
    public var targetFramework: String?
    /// `CFItem` for a CASE item.
    public var targetType: String?

    public init(
        targetName: String, targetUrl: String, targetDescription: String? = nil, targetCode: String? = nil,
        targetFramework: String? = nil, targetType: String? = "CFItem"
    ) {
        self.type = ["Alignment"]
        self.targetName = targetName
        self.targetUrl = targetUrl
        self.targetDescription = targetDescription
        self.targetCode = targetCode
        self.targetFramework = targetFramework
        self.targetType = targetType
    }
}

/// A JSON Schema the credential conforms to, as OB 3.0 names its schemas.
public struct CredentialSchema: Sendable, Hashable, Codable {
    public var id: String
    public var type: String

    public init(id: String, type: String = "1EdTechJsonSchemaValidator2019") {
        self.id = id
        self.type = type
    }

    public static let openBadgeCredential = CredentialSchema(
        id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json")
}

/// W3C Bitstring Status List v1.0 `BitstringStatusListEntry`: where to look whether this
/// credential was revoked.
public struct BitstringStatusListEntry: Sendable, Hashable, Codable {
    public var id: String?
    public var type: String
    public var statusPurpose: String
    /// A decimal string, as the spec requires.
    public var statusListIndex: String
    /// The URL of the status list credential.
    public var statusListCredential: String

    public init(statusListCredential: String, index: Int, statusPurpose: String = "revocation") {
        self.id = "\(statusListCredential)#\(index)"
        self.type = "BitstringStatusListEntry"
        self.statusPurpose = statusPurpose
        self.statusListIndex = String(index)
        self.statusListCredential = statusListCredential
    }

    /// The index as a number, when `statusListIndex` is a non-negative decimal.
    public var index: Int? {
        guard !statusListIndex.isEmpty, statusListIndex.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(statusListIndex)
    }
}

/// What the signer and the verifier need from any credential Valida issues.
public protocol VerifiableCredentialDocument: Codable, Sendable {
    var id: String { get }
    var issuerID: String { get }
    var subjectID: String? { get }
    var validFrom: Date { get }
    var validUntil: Date? { get }
    var type: [String] { get }
    /// The status entries to check for revocation.
    var statusEntries: [BitstringStatusListEntry] { get }
}
