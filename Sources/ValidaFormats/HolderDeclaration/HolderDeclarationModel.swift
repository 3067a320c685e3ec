import Foundation
import ValidaCore

// What the holders' declaration (accrochage) to the Caisse des Dépôts is made of: the
// certifier's settings, the file's header, and one passage per holder. Schema: CDC
// "accrochage" 1.1.2 (`specs/cpf-accrochage-1.1.2.xsd`); mapping in docs/holder-declaration.md.
// Fields are plain values as the database holds them: possibly empty or missing, so that
// `HolderDeclarationValidator` can say what to complete instead of the types refusing it.

/// The certifier's settings for the Caisse des Dépôts, given once when it joins the SI CPF.
public struct HolderDeclarationSettings: Sendable, Hashable, Codable {
    /// The certifier's `idClient` at the Caisse des Dépôts (8 characters).
    public var clientID: String
    /// The depositor's `idClient` (emetteur), when a trusted third party deposits for the
    /// certifier; the certifier's own otherwise.
    public var senderClientID: String?
    /// The `idContrat` of the certifier's agreement with the Caisse (1 to 20 characters).
    public var contractID: String
    public var depositorNature: DepositorNature

    public init(
        clientID: String, senderClientID: String? = nil, contractID: String,
        depositorNature: DepositorNature = .certifier
    ) {
        self.clientID = clientID
        self.senderClientID = senderClientID
        self.contractID = contractID
        self.depositorNature = depositorNature
    }

    /// The `idClient` written in `emetteur`.
    public var effectiveSenderClientID: String { senderClientID ?? clientID }
}

/// Who deposits the file (`natureDeposant`).
public enum DepositorNature: String, Sendable, Hashable, Codable, CaseIterable {
    case certifier = "CERTIFICATEUR"
    case trustedThirdParty = "TIERS_CONFIANCE"
}

/// One file: its id and time, the certifier, and the certification it declares holders of.
public struct HolderDeclarationHeader: Sendable, Hashable {
    public var settings: HolderDeclarationSettings
    /// `idFlux`, 1 to 50 characters, unique per file deposited; see `defaultFileID`.
    public var fileID: String
    /// `horodatage`: when the file was produced, written with `timeZone`'s offset.
    public var createdAt: Date
    public var timeZone: TimeZone
    /// `type` of the certification: `RNCP` for Valida's certifications.
    public var certificationType: String
    /// `code`: the fiche's code, `RNCPnnnnn`.
    public var certificationCode: String

    public init(
        settings: HolderDeclarationSettings, fileID: String, createdAt: Date,
        timeZone: TimeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt,
        certificationType: String = "RNCP", certificationCode: String
    ) {
        self.settings = settings
        self.fileID = fileID
        self.createdAt = createdAt
        self.timeZone = timeZone
        self.certificationType = certificationType
        self.certificationCode = certificationCode
    }

    /// `VALIDA-RNCPnnnnn-YYYYMMDDhhmmss` (UTC): unique per certification and second, at most
    /// 36 characters.
    public static func defaultFileID(certificationCode: String, createdAt: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: createdAt)
        let stamp = [c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0]
            .enumerated().map { index, value in HolderDeclarationXML.padded(value, width: index == 0 ? 4 : 2) }
            .joined()
        return "VALIDA-\(certificationCode)-\(stamp)"
    }
}

/// One holder's passage of the whole certification (`passageCertification`). The schema
/// has no element for a single block: only holders of the full certification are declared.
public struct HolderPassage: Sendable, Hashable {
    /// `idTechnique`: the certifier's stable id of this passage, echoed in the Caisse's
    /// acknowledgement. Derive it with `technicalID(candidateID:deliberationID:)`.
    public var technicalID: String
    public var holder: HolderIdentity
    public var accessRoute: AccessRoute
    /// Required when `accessRoute` is `.vae` (`voieAccessVAE`, ValidaCore's `VAEKind` whose raw
    /// values are the schema's); ignored otherwise.
    public var vaeKind: VAEKind?
    /// The date the jury awarded the certification (`dateDebutValidite`).
    public var awardDate: CalendarDate
    /// First and last day of the assessments (`dateDebutExamen`, `dateFinExamen`), optional.
    public var examStartDate: CalendarDate?
    public var examEndDate: CalendarDate?
    public var examMode: ExamMode?
    /// Postal code of the main exam centre (`codePostalCentreExamen`), optional.
    public var examCentrePostalCode: String?
    /// `dateInscription` and `initiativeInscription`, optional.
    public var enrolmentDate: CalendarDate?
    public var enrolmentInitiative: EnrolmentInitiative?
    /// `urlPreuve`: a public page proving the award (the diploma's verification page), optional.
    public var proofURL: String?

    public init(
        technicalID: String, holder: HolderIdentity, accessRoute: AccessRoute, vaeKind: VAEKind? = nil,
        awardDate: CalendarDate, examStartDate: CalendarDate? = nil, examEndDate: CalendarDate? = nil,
        examMode: ExamMode? = nil, examCentrePostalCode: String? = nil,
        enrolmentDate: CalendarDate? = nil, enrolmentInitiative: EnrolmentInitiative? = nil,
        proofURL: String? = nil
    ) {
        self.technicalID = technicalID
        self.holder = holder
        self.accessRoute = accessRoute
        self.vaeKind = vaeKind
        self.awardDate = awardDate
        self.examStartDate = examStartDate
        self.examEndDate = examEndDate
        self.examMode = examMode
        self.examCentrePostalCode = examCentrePostalCode
        self.enrolmentDate = enrolmentDate
        self.enrolmentInitiative = enrolmentInitiative
        self.proofURL = proofURL
    }

    /// The stable `idTechnique` of a candidate's award: `<candidate id>:<deliberation id>`.
    /// Both ids never change and a candidate is awarded the certification in at most one
    /// deliberation, so re-sending the passage (after a correction of the decision, or a
    /// rejected deposit) replaces it at the Caisse instead of declaring a second one.
    public static func technicalID(candidateID: String, deliberationID: String) -> String {
        "\(candidateID):\(deliberationID)"
    }
}

/// Who the holder is, as the civil register states it (`titulaire`).
public struct HolderIdentity: Sendable, Hashable {
    /// `nomNaissance`: the family name on the birth certificate.
    public var birthName: String
    /// `nomUsage`, written as nil when absent or blank.
    public var usualName: String?
    /// `prenom1` … `prenom3`, in the order of the birth certificate; the schema has room for
    /// three, further ones are not declared.
    public var firstNames: [String]
    public var sex: Sex?
    public var birthDate: CalendarDate?
    public var birthPlace: BirthPlace?

    public init(
        birthName: String, usualName: String? = nil, firstNames: [String], sex: Sex?,
        birthDate: CalendarDate?, birthPlace: BirthPlace?
    ) {
        self.birthName = birthName
        self.usualName = usualName
        self.firstNames = firstNames
        self.sex = sex
        self.birthDate = birthDate
        self.birthPlace = birthPlace
    }

    /// From a candidate's identity: first names split at commas (or at spaces when there is
    /// no comma); birth place from the INSEE code when known, else `birthPlace` must be given.
    public init(candidate: CandidateIdentity, birthPlace: BirthPlace? = nil) {
        let separator: Character = candidate.firstNames.contains(",") ? "," : " "
        let names = candidate.firstNames.split(separator: separator).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let place =
            birthPlace
            ?? candidate.birthPlaceINSEE.map {
                BirthPlace.inseeCode($0, communeName: candidate.birthPlace.isEmpty ? nil : candidate.birthPlace)
            }
        self.init(
            birthName: candidate.birthName, usualName: candidate.usualName, firstNames: names,
            sex: candidate.sex, birthDate: candidate.birthDate, birthPlace: place)
    }
}

/// Where the holder was born (`codeCommuneNaissance` and the commune and country labels).
public enum BirthPlace: Sendable, Hashable {
    /// Born in France, commune known by its INSEE code (5 characters, `2A`/`2B` for Corsica);
    /// the name is optional.
    case inseeCode(String, communeName: String?)
    /// Born in France, commune known by postal code (5 digits) and name.
    case postalCode(String, communeName: String)
    /// Born abroad: ISO 3166-1 alpha-3 country code (`BEL`), country name, city optional.
    case abroad(countryCode: String, countryName: String, cityName: String?)
}

/// How the exam was taken (`modalitePassageExamen`).
public enum ExamMode: String, Sendable, Hashable, Codable, CaseIterable {
    case remote = "A_DISTANCE"
    case inPerson = "EN_PRESENTIEL"
    case mixed = "MIXTE"
}

/// Who took the initiative of the enrolment (`initiativeInscription`).
public enum EnrolmentInitiative: String, Sendable, Hashable, Codable, CaseIterable {
    case holder = "CERTIFIE"
    case trainingProvider = "OF"
    case employmentService = "POLE_EMPLOI"
    case employer = "EMPLOYEUR"
    case other = "AUTRE"
}

extension AccessRoute {
    /// The schema's `modaliteAcces`.
    public var holderDeclarationCode: String {
        switch self {
        case .initialTraining: "FORMATION_INITIALE_HORS_APPRENTISSAGE"
        case .apprenticeship: "FORMATION_INITIALE_APPRENTISSAGE"
        case .professionalizationContract: "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
        case .continuingEducation: "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"
        case .vae: "VAE"
        }
    }
}
