import Foundation

/// A field of the holders' declaration, with the schema element it fills and its French name.
public enum HolderDeclarationField: String, Sendable, Hashable, CaseIterable {
    // The file and the certifier.
    case fileID, timestamp, senderClientID, clientID, contractID, certificationType, certificationCode
    case passages
    // One passage.
    case technicalID, accessRoute, vaeKind, awardDate, examStartDate, examEndDate
    case examCentrePostalCode, enrolmentDate, proofURL
    // The holder.
    case birthName, usualName, firstNames, sex, birthDate, birthPlace
    case birthCommuneName, birthCountryCode, birthCountryName

    /// The schema element, as a path from `flux`'s children (`passageCertification/…`).
    public var element: String {
        switch self {
        case .fileID: "idFlux"
        case .timestamp: "horodatage"
        case .senderClientID: "emetteur/idClient"
        case .clientID: "certificateur/idClient"
        case .contractID: "certificateur/idContrat"
        case .certificationType: "certification/type"
        case .certificationCode: "certification/code"
        case .passages: "passageCertifications"
        case .technicalID: "idTechnique"
        case .accessRoute: "modalitesInscription/modaliteAcces"
        case .vaeKind: "modalitesInscription/voieAccessVAE"
        case .awardDate: "dateDebutValidite"
        case .examStartDate: "dateDebutExamen"
        case .examEndDate: "dateFinExamen"
        case .examCentrePostalCode: "codePostalCentreExamen"
        case .enrolmentDate: "modalitesInscription/dateInscription"
        case .proofURL: "urlPreuve"
        case .birthName: "titulaire/nomNaissance"
        case .usualName: "titulaire/nomUsage"
        case .firstNames: "titulaire/prenom1"
        case .sex: "titulaire/sexe"
        case .birthDate: "titulaire/anneeNaissance"
        case .birthPlace: "titulaire/codeCommuneNaissance"
        case .birthCommuneName: "titulaire/libelleCommuneNaissance"
        case .birthCountryCode: "titulaire/codePaysNaissance"
        case .birthCountryName: "titulaire/libellePaysNaissance"
        }
    }

    /// The French name shown to the certification manager.
    public var label: String {
        switch self {
        case .fileID: "identifiant du fichier"
        case .timestamp: "horodatage du fichier"
        case .senderClientID: "identifiant client de l'émetteur"
        case .clientID: "identifiant client du certificateur"
        case .contractID: "identifiant de contrat du certificateur"
        case .certificationType: "type de certification"
        case .certificationCode: "code de la certification"
        case .passages: "titulaires"
        case .technicalID: "identifiant technique du passage"
        case .accessRoute: "voie d'accès"
        case .vaeKind: "type de VAE"
        case .awardDate: "date d'obtention"
        case .examStartDate: "date de début d'examen"
        case .examEndDate: "date de fin d'examen"
        case .examCentrePostalCode: "code postal du centre d'examen"
        case .enrolmentDate: "date d'inscription"
        case .proofURL: "lien de preuve"
        case .birthName: "nom de naissance"
        case .usualName: "nom d'usage"
        case .firstNames: "prénoms"
        case .sex: "sexe"
        case .birthDate: "date de naissance"
        case .birthPlace: "lieu de naissance"
        case .birthCommuneName: "commune de naissance"
        case .birthCountryCode: "code du pays de naissance"
        case .birthCountryName: "pays de naissance"
        }
    }
}

/// One thing to fix before the file can be produced: which holder (or the settings, when
/// `technicalID` is nil), which field, and what to do, in French.
public struct HolderDeclarationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The passage's `idTechnique`; nil for a problem of the settings or of the file.
    public var technicalID: String?
    /// `NOM Prénom` as far as it is known, to find the holder in Valida.
    public var holderName: String?
    public var field: HolderDeclarationField
    public var message: String

    public init(technicalID: String?, holderName: String?, field: HolderDeclarationField, message: String) {
        self.technicalID = technicalID
        self.holderName = holderName
        self.field = field
        self.message = message
    }

    /// `DUPONT Marie (c12:d3) : date de naissance (titulaire/anneeNaissance) : manquante …`
    public var description: String {
        let who: String
        switch (holderName, technicalID) {
        case (let name?, let id?): who = "\(name) (\(id))"
        case (nil, let id?): who = "passage \(id)"
        case (let name?, nil): who = name
        case (nil, nil): who = "paramètres du certificateur"
        }
        return "\(who) : \(field.label) (\(field.element)) : \(message)"
    }
}

/// Why a holders' declaration was not written.
public enum HolderDeclarationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The settings or the header are incomplete or malformed: nothing was written.
    case invalidHeader([HolderDeclarationProblem])
    /// A passage has problems: writing stopped before it, so the output is incomplete and
    /// must be discarded. Run `HolderDeclarationValidator` first to show every problem.
    case invalidPassage([HolderDeclarationProblem])
    /// The schema needs at least one passage: nothing was written.
    case noPassages

    public var problems: [HolderDeclarationProblem] {
        switch self {
        case .invalidHeader(let problems), .invalidPassage(let problems): problems
        case .noPassages:
            [
                HolderDeclarationProblem(
                    technicalID: nil, holderName: nil, field: .passages,
                    message: "aucun titulaire à déclarer : le fichier doit contenir au moins un passage")
            ]
        }
    }

    public var description: String {
        let heading =
            switch self {
            case .invalidHeader: "déclaration des titulaires impossible : paramètres à compléter"
            case .invalidPassage: "déclaration des titulaires interrompue : un passage est à corriger"
            case .noPassages: "déclaration des titulaires impossible"
            }
        return ([heading] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
