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

    public init(
        rncpCode: String? = nil, title: String? = nil, level: Int? = nil,
        certifiers: [Certifier] = [], nsfCodes: [String] = [],
        registrationDate: CalendarDate? = nil, registrationEndDate: CalendarDate? = nil
    ) {
        self.rncpCode = rncpCode
        self.title = title
        self.level = level
        self.certifiers = certifiers
        self.nsfCodes = nsfCodes
        self.registrationDate = registrationDate
        self.registrationEndDate = registrationEndDate
    }

    /// Whether `code` has the shape of an RNCP code: `RNCP` then digits.
    public static func isValidRNCPCode(_ code: String) -> Bool {
        guard code.hasPrefix("RNCP") else { return false }
        let digits = code.dropFirst(4)
        return (1...6).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
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
