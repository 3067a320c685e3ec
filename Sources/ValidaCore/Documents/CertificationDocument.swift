import Foundation

/// What a document states, frozen when it is issued: the block attestation lists the blocks
/// a holder acquired, the diploma (parchemin) states that the whole certification is awarded.
/// The public verification page shows exactly this and nothing more, so it must not hold
/// anything the holder did not agree to make public (no birth place, no email).
public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case blockAttestation = "block-attestation"
    case diploma

    public var label: String {
        switch self {
        case .blockAttestation: "Attestation de validation de blocs de compétences"
        case .diploma: "Parchemin"
        }
    }
}

/// Whether a document still stands.
public enum DocumentStatus: String, Sendable, Hashable, Codable {
    case valid
    /// A correction of the jury's decisions replaced it with a new document.
    case corrected
    /// Withdrawn: what it states no longer holds.
    case revoked

    public var label: String {
        switch self {
        case .valid: "Valide"
        case .corrected: "Remplacé après correction"
        case .revoked: "Révoqué"
        }
    }
}

public struct CertificationDocument: Sendable, Hashable, Codable {
    public struct Holder: Sendable, Hashable, Codable {
        /// As printed: first names then birth name, and the usual name when there is one.
        public var name: String
        public var birthDate: CalendarDate

        public init(name: String, birthDate: CalendarDate) {
            self.name = name
            self.birthDate = birthDate
        }
    }

    public struct BlockLine: Sendable, Hashable, Codable {
        public var code: String
        public var title: String
        public var acquiredOn: CalendarDate
        /// « par le jury », « par la VAE », « par équivalence ».
        public var how: String

        public init(code: String, title: String, acquiredOn: CalendarDate, how: String) {
            self.code = code
            self.title = title
            self.acquiredOn = acquiredOn
            self.how = how
        }
    }

    public struct Signatory: Sendable, Hashable, Codable {
        public var name: String
        public var title: String

        public init(name: String, title: String) {
            self.name = name
            self.title = title
        }
    }

    public var kind: DocumentKind
    public var holder: Holder
    public var certifierName: String
    public var certificationTitle: String
    public var rncpCode: String?
    public var level: Int?
    public var nsfCodes: [String]
    public var registrationDate: CalendarDate?
    public var referentialVersion: String
    public var blocks: [BlockLine]
    public var deliveredOn: CalendarDate
    public var deliveredAt: String
    public var signatory: Signatory

    public init(
        kind: DocumentKind, holder: Holder, certifierName: String, certificationTitle: String, rncpCode: String?,
        level: Int?, nsfCodes: [String], registrationDate: CalendarDate?, referentialVersion: String,
        blocks: [BlockLine], deliveredOn: CalendarDate, deliveredAt: String, signatory: Signatory
    ) {
        self.kind = kind
        self.holder = holder
        self.certifierName = certifierName
        self.certificationTitle = certificationTitle
        self.rncpCode = rncpCode
        self.level = level
        self.nsfCodes = nsfCodes
        self.registrationDate = registrationDate
        self.referentialVersion = referentialVersion
        self.blocks = blocks
        self.deliveredOn = deliveredOn
        self.deliveredAt = deliveredAt
        self.signatory = signatory
    }
}

/// Who delivers documents, from the app's settings.
public struct DeliveryDetails: Sendable, Hashable {
    /// The certifier's legal name, when the référentiel does not give it.
    public var certifierName: String?
    public var place: String?
    public var signatory: CertificationDocument.Signatory?

    public init(certifierName: String? = nil, place: String? = nil, signatory: CertificationDocument.Signatory? = nil) {
        self.certifierName = certifierName
        self.place = place
        self.signatory = signatory
    }
}

/// A mention a document must carry and cannot, with where to fill it in.
public struct MissingMention: Sendable, Hashable, CustomStringConvertible {
    public var mention: String
    public var whereToFix: String

    public var description: String { "\(mention) manquant(e) : à renseigner dans \(whereToFix)" }
}

public enum DocumentPlanner {
    /// The documents a candidate's results earn: an attestation when at least one block is
    /// validated, and the diploma when the certification is. Each is built from the results
    /// as decided, or refused with the mentions it lacks (a diploma without its exact title
    /// or level is not a diploma).
    public static func documents(
        referential: Referential, results: CandidateResults, decisions: [Decision],
        holder: CertificationDocument.Holder,
        deliveredOn: CalendarDate, delivery: DeliveryDetails
    ) -> Result<[CertificationDocument], MissingMentions> {
        let validated = referential.blocks.enumerated().filter { results.blocks[$0.offset].isValidated }.map(\.element)
        guard !validated.isEmpty else { return .success([]) }
        let certification = referential.certification
        var missing: [MissingMention] = []
        let certifierName = certification.certifiers.first?.name ?? delivery.certifierName
        if certifierName == nil {
            missing.append(.init(mention: "la raison sociale du certificateur", whereToFix: "les paramètres"))
        }
        if certification.title == nil {
            missing.append(
                .init(
                    mention: "l'intitulé exact de la certification", whereToFix: "le référentiel (certification.title)")
            )
        }
        if delivery.place == nil {
            missing.append(.init(mention: "le lieu de délivrance", whereToFix: "les paramètres"))
        }
        if delivery.signatory == nil { missing.append(.init(mention: "le signataire", whereToFix: "les paramètres")) }
        let awarded = results.certification.isValidated
        if awarded {
            if certification.level == nil {
                missing.append(
                    .init(mention: "le niveau de la certification", whereToFix: "le référentiel (certification.level)"))
            }
            if certification.nsfCodes.isEmpty {
                missing.append(.init(mention: "le code NSF", whereToFix: "le référentiel (certification.nsf)"))
            }
            if certification.registrationDate == nil {
                missing.append(
                    .init(
                        mention: "la date de la décision d'enregistrement de France Compétences",
                        whereToFix: "le référentiel (certification.registration-date)"))
            }
        }
        guard missing.isEmpty, let certifierName, let title = certification.title, let place = delivery.place,
            let signatory = delivery.signatory
        else { return .failure(MissingMentions(mentions: missing)) }
        let standing = DeliberationRules.standing(decisions)
        let lines = validated.map { block in
            let decision = standing.last { $0.scope == .block(block.id) && $0.outcome == .validated }
            let how =
                switch decision?.source {
                case .vae: "par la VAE"
                case .jury: "par le jury"
                case nil: "par équivalence"
                }
            return CertificationDocument.BlockLine(
                code: block.code ?? block.id, title: block.title, acquiredOn: decision?.decidedOn ?? deliveredOn,
                how: how)
        }
        func document(_ kind: DocumentKind) -> CertificationDocument {
            CertificationDocument(
                kind: kind, holder: holder, certifierName: certifierName, certificationTitle: title,
                rncpCode: certification.rncpCode, level: certification.level, nsfCodes: certification.nsfCodes,
                registrationDate: certification.registrationDate, referentialVersion: referential.version.id,
                blocks: lines, deliveredOn: deliveredOn, deliveredAt: place, signatory: signatory)
        }
        return .success(awarded ? [document(.blockAttestation), document(.diploma)] : [document(.blockAttestation)])
    }
}

public struct MissingMentions: Error, Sendable, Hashable, CustomStringConvertible {
    public var mentions: [MissingMention]
    public var description: String { mentions.map(\.description).joined(separator: " ; ") }
}
