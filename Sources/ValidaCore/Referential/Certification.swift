/// The certification a référentiel describes, as registered at France Compétences.
///
/// Most fields are optional because a référentiel is often written before registration,
/// or transcribed from a document that does not state them; `ReferentialCheck` reports
/// each one that is unset.
public struct Certification: Sendable, Hashable, Codable {
    /// `RNCPnnnnn`, the fiche's code at France Compétences.
    public var rncpCode: String?
    /// The exact title, as it must be printed on the diploma.
    public var title: String?
    /// The level in the national framework (1 to 8; 7 is master's level).
    public var level: Int?
    public var certifiers: [Certifier]
    /// NSF codes (nomenclature des spécialités de formation), e.g. `312`.
    public var nsfCodes: [String]
    /// The date of France Compétences' registration decision.
    public var registrationDate: CalendarDate?
    /// The date the registration ends.
    public var registrationEndDate: CalendarDate?
    /// Registered by right (a state diploma) or on application to France Compétences.
    public var registrationKind: RegistrationKind?
    /// The last date the certification may still be awarded, when it is later than the
    /// registration's end (candidates already engaged finish).
    public var awardDeadline: CalendarDate?
    /// Whether the certification may be acquired in part, block by block; `nil` where the
    /// registration does not say.
    public var partialValidation: Bool?
    /// The access routes the registration lists, open or not, each with its jury's
    /// composition as registered.
    public var accessRoutes: [RegisteredAccessRoute]
    /// The RNCP codes of the certifications this one replaces …
    public var replaces: [String]
    /// … and of those that replace it.
    public var replacedBy: [String]
    /// Which blocks of other certifications correspond to this one's, as registered.
    public var blockCorrespondences: [BlockCorrespondence]

    public init(
        rncpCode: String? = nil, title: String? = nil, level: Int? = nil,
        certifiers: [Certifier] = [], nsfCodes: [String] = [],
        registrationDate: CalendarDate? = nil, registrationEndDate: CalendarDate? = nil,
        registrationKind: RegistrationKind? = nil, awardDeadline: CalendarDate? = nil,
        partialValidation: Bool? = nil, accessRoutes: [RegisteredAccessRoute] = [],
        replaces: [String] = [], replacedBy: [String] = [], blockCorrespondences: [BlockCorrespondence] = []
    ) {
        self.rncpCode = rncpCode
        self.title = title
        self.level = level
        self.certifiers = certifiers
        self.nsfCodes = nsfCodes
        self.registrationDate = registrationDate
        self.registrationEndDate = registrationEndDate
        self.registrationKind = registrationKind
        self.awardDeadline = awardDeadline
        self.partialValidation = partialValidation
        self.accessRoutes = accessRoutes
        self.replaces = replaces
        self.replacedBy = replacedBy
        self.blockCorrespondences = blockCorrespondences
    }

    /// Whether `code` has the shape of an RNCP code: `RNCP` then digits.
    public static func isValidRNCPCode(_ code: String) -> Bool {
        guard code.hasPrefix("RNCP") else { return false }
        let digits = code.dropFirst(4)
        return (1...6).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
    }
}

extension Certification {
    enum CodingKeys: String, CodingKey {
        case rncpCode, title, level, certifiers, nsfCodes, registrationDate, registrationEndDate
        case registrationKind, awardDeadline, partialValidation, accessRoutes, replaces, replacedBy
        case blockCorrespondences
    }

    /// Lists added after the first stored values may be absent: they decode as empty.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            rncpCode: try c.decodeIfPresent(String.self, forKey: .rncpCode),
            title: try c.decodeIfPresent(String.self, forKey: .title),
            level: try c.decodeIfPresent(Int.self, forKey: .level),
            certifiers: try c.decodeIfPresent([Certifier].self, forKey: .certifiers) ?? [],
            nsfCodes: try c.decodeIfPresent([String].self, forKey: .nsfCodes) ?? [],
            registrationDate: try c.decodeIfPresent(CalendarDate.self, forKey: .registrationDate),
            registrationEndDate: try c.decodeIfPresent(CalendarDate.self, forKey: .registrationEndDate),
            registrationKind: try c.decodeIfPresent(RegistrationKind.self, forKey: .registrationKind),
            awardDeadline: try c.decodeIfPresent(CalendarDate.self, forKey: .awardDeadline),
            partialValidation: try c.decodeIfPresent(Bool.self, forKey: .partialValidation),
            accessRoutes: try c.decodeIfPresent([RegisteredAccessRoute].self, forKey: .accessRoutes) ?? [],
            replaces: try c.decodeIfPresent([String].self, forKey: .replaces) ?? [],
            replacedBy: try c.decodeIfPresent([String].self, forKey: .replacedBy) ?? [],
            blockCorrespondences: try c.decodeIfPresent([BlockCorrespondence].self, forKey: .blockCorrespondences) ?? []
        )
    }
}

/// How the certification entered the RNCP.
public enum RegistrationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// enregistrement de droit: a diploma or title of the State
    case byRight = "by-right"
    /// enregistrement sur demande: after France Compétences' review of an application
    case onApplication = "on-application"

    public var label: String {
        switch self {
        case .byRight: "Enregistrement de droit"
        case .onApplication: "Enregistrement sur demande"
        }
    }
}

/// An access route as the registration lists it: whether candidates may come by it, and who
/// sits on its jury (free text, as registered).
public struct RegisteredAccessRoute: Sendable, Hashable, Codable {
    /// The registration's routes: `AccessRoute`'s, plus the individual application
    /// (candidature individuelle), which no candidate record holds yet.
    public enum Route: String, Sendable, Hashable, Codable, CaseIterable {
        case initialTraining = "initial-training"
        case apprenticeship
        case professionalizationContract = "professionalization-contract"
        case continuingEducation = "continuing-education"
        case individualApplication = "individual-application"
        case vae

        /// The candidate's access route, where Valida has one for it.
        public var accessRoute: AccessRoute? {
            switch self {
            case .initialTraining: .initialTraining
            case .apprenticeship: .apprenticeship
            case .professionalizationContract: .professionalizationContract
            case .continuingEducation: .continuingEducation
            case .individualApplication: nil
            case .vae: .vae
            }
        }

        public var label: String {
            accessRoute?.label ?? "Candidature individuelle"
        }
    }

    public var route: Route
    public var open: Bool
    public var juryComposition: String?

    public init(route: Route, open: Bool, juryComposition: String? = nil) {
        self.route = route
        self.open = open
        self.juryComposition = juryComposition
    }
}

/// One registered correspondence: a block of this certification and the block of another
/// certification that counts as it.
public struct BlockCorrespondence: Sendable, Hashable, Codable {
    /// This certification's block code, `RNCPnnnnnBCnn`.
    public var block: String
    /// The other certification's RNCP code.
    public var otherCertification: String
    /// The other certification's block code.
    public var otherBlock: String

    public init(block: String, otherCertification: String, otherBlock: String) {
        self.block = block
        self.otherCertification = otherCertification
        self.otherBlock = otherBlock
    }
}

/// The organisation that owns the certification.
public struct Certifier: Sendable, Hashable, Codable {
    /// The legal name, as printed on diplomas.
    public var name: String
    /// The SIRET number, 14 digits, when known.
    public var siret: String?

    public init(name: String, siret: String? = nil) {
        self.name = name
        self.siret = siret
    }
}

/// The identity of one version of a référentiel. Candidates are enrolled on one version.
public struct ReferentialVersion: Sendable, Hashable, Codable {
    public var id: String
    public var effectiveDate: CalendarDate?

    public init(id: String, effectiveDate: CalendarDate? = nil) {
        self.id = id
        self.effectiveDate = effectiveDate
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
