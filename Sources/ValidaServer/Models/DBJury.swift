import Fluent
import ValidaCore
import Vapor

/// A jury: deliberates on the candidates of one or several cohorts (or decides on VAE
/// requests), with its members, and its deliberation's status.
final class DBJury: Model, @unchecked Sendable {
    static let schema = "juries"

    @ID(key: .id) var id: UUID?
    /// Stored as its raw value, like every enum field here: portable text columns on both
    /// databases, and a stored value outside the enum fails the read instead of defaulting.
    @Field(key: "kind") var kind: JuryKind
    @Field(key: "name") var name: String
    @Field(key: "place") var place: String
    /// ISO date of the meeting.
    @Field(key: "meets_on") var meetsOn: String
    @Field(key: "status") var status: DeliberationStatus
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalParent(key: "closed_by") var closedBy: DBUser?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Siblings(through: DBJuryCohort.self, from: \.$jury, to: \.$cohort) var cohorts: [DBCohort]
    @Children(for: \.$jury) var members: [DBJuryMember]

    init() {}

    init(id: UUID? = nil, kind: JuryKind, name: String, place: String, meetsOn: CalendarDate) {
        self.id = id
        self.kind = kind
        self.name = name
        self.place = place
        self.meetsOn = meetsOn.iso
        self.status = .open
    }

    var isClosed: Bool { status == .closed }
    var meetingDate: CalendarDate? { CalendarDate(iso: meetsOn) }
}

final class DBJuryCohort: Model, @unchecked Sendable {
    static let schema = "jury_cohorts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "jury_id") var jury: DBJury
    @Parent(key: "cohort_id") var cohort: DBCohort

    init() {}
}

/// A member of a jury: a user account (so they can sign in and decide), a role, and what
/// they bring.
final class DBJuryMember: Model, @unchecked Sendable {
    static let schema = "jury_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "jury_id") var jury: DBJury
    @Parent(key: "user_id") var user: DBUser
    @Field(key: "role") var role: JuryRole
    @Field(key: "qualities") var qualities: StoredSet<JuryQuality>

    init() {}

    init(id: UUID? = nil, juryID: UUID, userID: UUID, role: JuryRole, qualities: Set<JuryQuality> = []) {
        self.id = id
        self.$jury.id = juryID
        self.$user.id = userID
        self.role = role
        self.qualities = StoredSet(qualities)
    }
}

/// A member declared as having trained (or accompanied) a candidate: they abstain for them.
/// Having rated a candidate needs no declaration; it is read from the grids.
final class DBJuryConflict: Model, @unchecked Sendable {
    static let schema = "jury_conflicts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "jury_id") var jury: DBJury
    @Parent(key: "user_id") var user: DBUser
    @Parent(key: "candidate_id") var candidate: DBCandidate
    /// Declared ones only (`trained`, `accompanied`): having rated is read from the grids.
    @Field(key: "involvement") var involvement: Involvement

    init() {}

    init(id: UUID? = nil, juryID: UUID, userID: UUID, candidateID: UUID, involvement: Involvement) {
        self.id = id
        self.$jury.id = juryID
        self.$user.id = userID
        self.$candidate.id = candidateID
        self.involvement = involvement
    }
}
