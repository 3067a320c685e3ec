/// How a candidate comes to the certification (voie d'accès).
public enum AccessRoute: String, Sendable, Hashable, Codable, CaseIterable {
    /// formation initiale (sous statut d'élève ou d'étudiant)
    case initialTraining = "initial-training"
    /// apprentissage
    case apprenticeship
    /// contrat de professionnalisation
    case professionalizationContract = "professionalization-contract"
    /// formation continue
    case continuingEducation = "continuing-education"
    /// validation des acquis de l'expérience
    case vae

    public var label: String {
        switch self {
        case .initialTraining: "Formation initiale"
        case .apprenticeship: "Apprentissage"
        case .professionalizationContract: "Contrat de professionnalisation"
        case .continuingEducation: "Formation continue"
        case .vae: "VAE"
        }
    }
}
