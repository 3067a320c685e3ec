/// A jury's members and the rules their composition must respect.
///
/// The rules are the certifier's obligations: a jury is never one person, it has a
/// president, and nobody judges a candidate they rated, trained or accompanied. A VAE jury
/// adds its own (see `JuryKind.vae`). Valida warns; it does not refuse, because the certifier
/// may have reasons the software does not know (a member replaced on the day), and the
/// minutes record the composition as it was.
public enum JuryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Deliberates on a cohort's results.
    case deliberation
    /// Decides on VAE requests.
    case vae
}

public enum JuryRole: String, Sendable, Hashable, Codable, CaseIterable {
    case president
    case member

    public var label: String {
        switch self {
        case .president: "Président"
        case .member: "Membre"
        }
    }
}

/// What a member brings to a jury, as the regulation asks for VAE juries.
public enum JuryQuality: String, Sendable, Hashable, Codable, CaseIterable {
    /// Qualified in the certification's field (holds it or a higher one, or teaches it).
    case qualified
    /// A practising professional of the field, outside the certifier.
    case professional
    /// Represents employers.
    case employerRepresentative = "employer-representative"
    /// Represents employees.
    case employeeRepresentative = "employee-representative"

    public var label: String {
        switch self {
        case .qualified: "qualifié pour la certification"
        case .professional: "professionnel du secteur"
        case .employerRepresentative: "représentant des employeurs"
        case .employeeRepresentative: "représentant des salariés"
        }
    }
}

public struct JuryMember: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var role: JuryRole
    public var qualities: Set<JuryQuality>

    public init(id: String, name: String, role: JuryRole, qualities: Set<JuryQuality> = []) {
        self.id = id
        self.name = name
        self.role = role
        self.qualities = qualities
    }
}

/// A rule of composition the jury does not meet.
public enum JuryFinding: Sendable, Hashable, CustomStringConvertible {
    case tooFewMembers(Int)
    case noPresident
    case severalPresidents([String])
    /// VAE: nobody qualified for the certification.
    case noQualifiedMember
    /// VAE: employers and employees are not both represented, or not equally.
    case unbalancedRepresentation(employers: Int, employees: Int)
    /// A member must abstain for a candidate: they rated, trained or accompanied them.
    case mustAbstain(member: String, candidate: String, reason: String)

    public var description: String {
        switch self {
        case .tooFewMembers(let n):
            "le jury compte \(n) membre\(n > 1 ? "s" : "") : il en faut au moins deux"
        case .noPresident: "le jury n'a pas de président"
        case .severalPresidents(let names):
            "le jury a plusieurs présidents (\(names.joined(separator: ", "))) : un seul préside"
        case .noQualifiedMember: "aucun membre n'est qualifié pour la certification"
        case .unbalancedRepresentation(let e, let s):
            "représentation déséquilibrée : \(e) représentant(s) des employeurs, \(s) des salariés"
        case .mustAbstain(let member, let candidate, let reason):
            "\(member) doit s'abstenir pour \(candidate) : \(reason)"
        }
    }

    /// Findings that concern the whole jury, not one candidate.
    public var isComposition: Bool {
        if case .mustAbstain = self { return false }
        return true
    }
}

/// Why a member may not judge a candidate.
public enum Involvement: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rated one of the candidate's grids (or their team's).
    case rated
    /// Trained the candidate, as declared on the jury.
    case trained
    /// Accompanied the candidate's VAE.
    case accompanied

    public var label: String {
        switch self {
        case .rated: "a noté ses grilles"
        case .trained: "l'a formé"
        case .accompanied: "l'a accompagné dans sa VAE"
        }
    }

    /// Said to the member themself.
    public var toMember: String {
        switch self {
        case .rated: "vous avez noté ses grilles"
        case .trained: "vous l'avez formé"
        case .accompanied: "vous l'avez accompagné dans sa VAE"
        }
    }
}

public enum JuryComposition {
    /// The composition rules `members` break, for a jury of `kind`.
    public static func check(_ members: [JuryMember], kind: JuryKind) -> [JuryFinding] {
        var findings: [JuryFinding] = []
        if members.count < 2 { findings.append(.tooFewMembers(members.count)) }
        let presidents = members.filter { $0.role == .president }
        if presidents.isEmpty { findings.append(.noPresident) }
        if presidents.count > 1 { findings.append(.severalPresidents(presidents.map(\.name))) }
        if kind == .vae {
            if !members.contains(where: { $0.qualities.contains(.qualified) }) { findings.append(.noQualifiedMember) }
            let employers = members.filter { $0.qualities.contains(.employerRepresentative) }.count
            let employees = members.filter { $0.qualities.contains(.employeeRepresentative) }.count
            if employers != employees || employers == 0 {
                findings.append(.unbalancedRepresentation(employers: employers, employees: employees))
            }
        }
        return findings
    }

    /// The members who must abstain for a candidate, with why, in member order.
    public static func abstentions(
        _ members: [JuryMember], involvement: [String: Set<Involvement>]
    ) -> [(member: JuryMember, reasons: [Involvement])] {
        members.compactMap { member in
            guard let reasons = involvement[member.id], !reasons.isEmpty else { return nil }
            return (member, Involvement.allCases.filter(reasons.contains))
        }
    }

    /// Whether enough members remain to judge a candidate once those who must abstain have.
    public static func canJudge(_ members: [JuryMember], abstaining: Set<String>) -> Bool {
        members.filter { !abstaining.contains($0.id) }.count >= 2
    }
}
