import Foundation
import ValidaCore

/// What the server decides for one credential: its URLs, issuer, holder, dates, status entry.
public struct IssuanceDetails: Sendable {
    /// The credential's own URL (where the server shows and verifies it).
    public var credentialID: String
    /// The achievement's URL: one per block (or per certification) and référentiel version,
    /// shared by every holder's credential.
    public var achievementID: String
    public var issuer: Profile
    public var holder: Holder
    public var validFrom: Date
    /// Blocks are acquired for life: usually nil.
    public var validUntil: Date?
    public var status: BitstringStatusListEntry?
    public var alignments: AlignmentTargets
    /// Overrides the default (`Certificate` for a block, `Diploma` for the certification).
    public var achievementType: String?

    public init(
        credentialID: String, achievementID: String, issuer: Profile, holder: Holder, validFrom: Date,
        validUntil: Date? = nil, status: BitstringStatusListEntry? = nil, alignments: AlignmentTargets = .none,
        achievementType: String? = nil
    ) {
        self.credentialID = credentialID
        self.achievementID = achievementID
        self.issuer = issuer
        self.holder = holder
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.status = status
        self.alignments = alignments
        self.achievementType = achievementType
    }
}

/// A credential and the VC-JWT that secures it, as the server stores them.
public struct IssuedCredential: Sendable, Hashable {
    public var credential: OpenBadgeCredential
    public var jwt: String

    public init(credential: OpenBadgeCredential, jwt: String) {
        self.credential = credential
        self.jwt = jwt
    }
}

/// Builds Open Badges 3.0 credentials from the référentiel: one per validated block, one for
/// the whole certification, and a CLR transcript of a holder's blocks. Texts are French: they
/// are what wallets show.
public enum OpenBadgeBuilder {
    /// OB 3.0 `AchievementType`s Valida uses (docs/credentials.md says why).
    public static let blockAchievementType = "Certificate"
    public static let certificationAchievementType = "Diploma"

    /// The credential for one block of `referential`, named by its key (`BC02`).
    public static func blockCredential(
        referential: Referential, blockID: String, details: IssuanceDetails
    ) throws -> OpenBadgeCredential {
        guard let block = referential.blocks.first(where: { $0.id == blockID }) else {
            let known = referential.blocks.map(\.id).joined(separator: ", ")
            throw CredentialError(
                field: "blockID", message: "aucun bloc « \(blockID) » dans le référentiel (blocs : \(known))")
        }
        let code = block.code ?? block.id
        let narrative = block.competencies.map { "\($0.id) — \($0.text)" }.joined(separator: "\n")
        guard !narrative.isEmpty else {
            throw CredentialError(
                field: "blocks[\(block.id)].competencies", message: "bloc sans compétence : rien à attester")
        }
        var alignment: [Alignment] = []
        if let url = details.alignments.url(block.id) {
            alignment.append(
                Alignment(
                    targetName: block.title, targetUrl: url, targetCode: code,
                    targetFramework: details.alignments.framework))
        }
        for competency in block.competencies {
            guard let url = details.alignments.url(competency.id) else { continue }
            alignment.append(
                Alignment(
                    targetName: competency.id, targetUrl: url, targetDescription: competency.text,
                    targetCode: competency.id, targetFramework: details.alignments.framework))
        }
        let achievement = Achievement(
            id: details.achievementID,
            achievementType: details.achievementType ?? blockAchievementType,
            name: block.title,
            description: "Bloc de compétences \(code) de \(certificationPhrase(referential)), "
                + "validé par le jury du certificateur. Acquis à vie.",
            criteria: Criteria(narrative: narrative),
            humanCode: code,
            alignment: alignment.isEmpty ? nil : alignment)
        return try credential(
            name: "Bloc de compétences \(code) — \(block.title)", achievement: achievement, details: details)
    }

    /// The credential for the whole certification.
    public static func certificationCredential(referential: Referential, details: IssuanceDetails) throws
        -> OpenBadgeCredential
    {
        guard !referential.blocks.isEmpty else {
            throw CredentialError(field: "blocks", message: "référentiel sans bloc : rien à attester")
        }
        let certification = referential.certification
        let title = certification.title ?? "Certification professionnelle"
        let narrative = referential.blocks.map { "\($0.code ?? $0.id) — \($0.title)" }.joined(separator: "\n")
        let alignment: [Alignment] = referential.blocks.compactMap { block in
            details.alignments.url(block.id).map {
                Alignment(
                    targetName: block.title, targetUrl: $0, targetCode: block.code ?? block.id,
                    targetFramework: details.alignments.framework)
            }
        }
        var description = "Certification professionnelle"
        if let code = certification.rncpCode { description += " enregistrée au RNCP sous le code \(code)" }
        if let level = certification.level { description += ", niveau \(level)" }
        description += ", délivrée par le jury du certificateur : tous ses blocs de compétences sont validés."
        let achievement = Achievement(
            id: details.achievementID,
            achievementType: details.achievementType ?? certificationAchievementType,
            name: title, description: description, criteria: Criteria(narrative: narrative),
            humanCode: certification.rncpCode, alignment: alignment.isEmpty ? nil : alignment)
        return try credential(name: title, achievement: achievement, details: details)
    }

    /// A CLR 2.0 transcript of `credentials`, all of the same holder, each embedded as its
    /// signed VC-JWT. `validFrom` is when the transcript is issued.
    public static func transcript(
        id: String, issuer: Profile, holder: Holder, validFrom: Date, credentials: [IssuedCredential]
    ) throws -> ClrCredential {
        try Check.identifier(id, field: "id")
        try Check.identifier(issuer.id, field: "issuer.id")
        guard !credentials.isEmpty else {
            throw CredentialError(field: "credentials", message: "aucun badge à rassembler")
        }
        let identifier = try holder.identityObjects(field: "holder")
        for (i, issued) in credentials.enumerated() {
            let subject = issued.credential.credentialSubject
            guard subject.identifier == identifier, subject.id == holder.id else {
                throw CredentialError(
                    field: "credentials[\(i)]",
                    message: "le badge « \(issued.credential.name) » est celui d'un autre titulaire (ou d'un autre sel)"
                )
            }
            guard issued.credential.issuer.id == issuer.id else {
                throw CredentialError(
                    field: "credentials[\(i)].issuer",
                    message: "émis par « \(issued.credential.issuer.id) », pas par « \(issuer.id) »")
            }
            guard issued.jwt.split(separator: ".", omittingEmptySubsequences: false).count == 3 else {
                throw CredentialError(
                    field: "credentials[\(i)].jwt",
                    message: "ce n'est pas un JWT compact (trois parties séparées par des points)")
            }
        }
        return ClrCredential(
            id: id, issuer: issuer, validFrom: validFrom,
            name: "Relevé des blocs de compétences",
            description: "Les blocs de compétences acquis par le titulaire, chacun avec son badge signé.",
            credentialSubject: ClrSubject(
                id: holder.id, identifier: identifier,
                achievement: credentials.map(\.credential.credentialSubject.achievement),
                verifiableCredential: credentials.map { EnvelopedVerifiableCredential(jwt: $0.jwt) }))
    }

    /// The status list credential to publish at `id`.
    public static func statusListCredential(
        id: String, issuer: Profile, list: BitstringStatusList, validFrom: Date, validUntil: Date? = nil
    ) throws -> BitstringStatusListCredential {
        try Check.identifier(id, field: "id")
        try Check.identifier(issuer.id, field: "issuer.id")
        try checkDates(validFrom, validUntil)
        return BitstringStatusListCredential(
            id: id, issuer: issuer, validFrom: validFrom, validUntil: validUntil, list: list)
    }

    private static func credential(name: String, achievement: Achievement, details: IssuanceDetails) throws
        -> OpenBadgeCredential
    {
        try Check.identifier(details.credentialID, field: "credentialID")
        try Check.identifier(details.achievementID, field: "achievementID")
        try Check.identifier(details.issuer.id, field: "issuer.id")
        try Check.nonEmpty(details.issuer.name, field: "issuer.name")
        if let url = details.issuer.url { try Check.identifier(url, field: "issuer.url") }
        try checkDates(details.validFrom, details.validUntil)
        if let status = details.status {
            try Check.identifier(status.statusListCredential, field: "status.statusListCredential")
            guard status.index != nil else {
                throw CredentialError(
                    field: "status.statusListIndex",
                    message: "« \(status.statusListIndex) » n'est pas un entier positif")
            }
        }
        for (i, target) in (achievement.alignment ?? []).enumerated() {
            try Check.identifier(target.targetUrl, field: "alignment[\(i)].targetUrl (\(target.targetName))")
        }
        return OpenBadgeCredential(
            id: details.credentialID, issuer: details.issuer, validFrom: details.validFrom,
            validUntil: details.validUntil,
            name: name,
            credentialSubject: AchievementSubject(
                id: details.holder.id, identifier: try details.holder.identityObjects(field: "holder"),
                achievement: achievement),
            credentialStatus: details.status)
    }

    private static func checkDates(_ validFrom: Date, _ validUntil: Date?) throws {
        if let validUntil, CredentialDates.whole(validUntil) <= CredentialDates.whole(validFrom) {
            throw CredentialError(
                field: "validUntil",
                message:
                    "\(CredentialDates.string(validUntil)) n'est pas après validFrom (\(CredentialDates.string(validFrom)))"
            )
        }
    }

    /// « la certification « Titre » (RNCP…) », with what the référentiel knows.
    private static func certificationPhrase(_ referential: Referential) -> String {
        let certification = referential.certification
        var phrase =
            certification.title.map { "la certification professionnelle « \($0) »" }
            ?? "la certification professionnelle"
        if let code = certification.rncpCode { phrase += " (\(code))" }
        return phrase + ", référentiel version \(referential.version.id)"
    }
}
