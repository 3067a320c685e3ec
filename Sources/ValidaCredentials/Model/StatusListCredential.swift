import Foundation

/// W3C Bitstring Status List v1.0 `BitstringStatusListCredential`: the published list whose
/// bit number `statusListIndex` says whether a credential is revoked. Signed as a VC-JWT by
/// the same issuer, so nobody else can revoke or un-revoke.
public struct BitstringStatusListCredential: Sendable, Hashable, Codable, VerifiableCredentialDocument {
    public static let contexts = ["https://www.w3.org/ns/credentials/v2"]
    public static let types = ["VerifiableCredential", "BitstringStatusListCredential"]

    public var context: [String]
    /// The URL the list is published at: the `statusListCredential` of every entry.
    public var id: String
    public var type: [String]
    public var issuer: Profile
    public var validFrom: Date
    /// When the list should be fetched again; verifiers may cache it until then.
    public var validUntil: Date?
    public var credentialSubject: BitstringStatusListSubject

    public init(id: String, issuer: Profile, validFrom: Date, validUntil: Date? = nil, list: BitstringStatusList) {
        self.context = Self.contexts
        self.id = id
        self.type = Self.types
        self.issuer = issuer
        self.validFrom = CredentialDates.whole(validFrom)
        self.validUntil = validUntil.map(CredentialDates.whole)
        self.credentialSubject = BitstringStatusListSubject(
            id: "\(id)#list", statusPurpose: list.statusPurpose, encodedList: list.encoded())
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
    public var statusEntries: [BitstringStatusListEntry] { [] }

    /// The decoded list.
    public func list() throws -> BitstringStatusList {
        try BitstringStatusList(
            encodedList: credentialSubject.encodedList, statusPurpose: credentialSubject.statusPurpose)
    }

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, credentialSubject
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        context = try c.decode([String].self, forKey: .context)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decodeTypes(forKey: .type)
        issuer = try c.decode(Profile.self, forKey: .issuer)
        validFrom = try c.decodeDate(forKey: .validFrom)
        validUntil = try c.decodeDateIfPresent(forKey: .validUntil)
        credentialSubject = try c.decode(BitstringStatusListSubject.self, forKey: .credentialSubject)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(context, forKey: .context)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(issuer, forKey: .issuer)
        try c.encodeDate(validFrom, forKey: .validFrom)
        try c.encodeDateIfPresent(validUntil, forKey: .validUntil)
        try c.encode(credentialSubject, forKey: .credentialSubject)
    }
}

public struct BitstringStatusListSubject: Sendable, Hashable, Codable {
    public var id: String?
    public var type: String
    public var statusPurpose: String
    /// Multibase base64url (`u` prefix, no padding) of the GZIP-compressed bitstring.
    public var encodedList: String

    public init(id: String?, statusPurpose: String, encodedList: String) {
        self.id = id
        self.type = "BitstringStatusList"
        self.statusPurpose = statusPurpose
        self.encodedList = encodedList
    }
}
