import Fluent
import Vapor

/// Candidates of one cohort who deliver a team assessment together.
final class DBTeam: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(key: .id) var id: UUID?
    @Parent(key: "cohort_id") var cohort: DBCohort
    @Field(key: "name") var name: String
    /// The team assessment it is formed for; nil for a team that works on all of them.
    @OptionalField(key: "assessment_id") var assessmentID: String?
    @Siblings(through: DBTeamMember.self, from: \.$team, to: \.$candidate) var members: [DBCandidate]

    init() {}

    init(id: UUID? = nil, cohortID: UUID, name: String, assessmentID: String? = nil) {
        self.id = id
        self.$cohort.id = cohortID
        self.name = name
        self.assessmentID = assessmentID
    }
}

final class DBTeamMember: Model, @unchecked Sendable {
    static let schema = "team_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: DBTeam
    @Parent(key: "candidate_id") var candidate: DBCandidate

    init() {}

    init(id: UUID? = nil, teamID: UUID, candidateID: UUID) {
        self.id = id
        self.$team.id = teamID
        self.$candidate.id = candidateID
    }
}
