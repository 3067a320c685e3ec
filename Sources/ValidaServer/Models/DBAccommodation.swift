import Fluent
import Foundation
import ValidaCore

/// A candidate's request for accommodations (aménagements d'épreuves) and the certifier's
/// decision. The reason stays here: evaluators are shown what applies, never why.
final class DBAccommodation: Model, @unchecked Sendable {
    static let schema = "accommodations"

    @ID(key: .id) var id: UUID?
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @Field(key: "kinds") var kinds: StoredSet<AccommodationKind>
    @OptionalField(key: "extra_time_percent") var extraTimePercent: Int?
    /// The assessments (référentiel ids) it applies to.
    @Field(key: "assessments") var assessments: StoredSet<AssessmentRef>
    /// Why it is asked (medical details): read by the school and the certifier only.
    @Field(key: "reason") var reason: String
    @Field(key: "status") var status: AccommodationStatus
    @Field(key: "requested_by") var requestedBy: UUID
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_by_name") var decidedByName: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}

    var core: Accommodation {
        Accommodation(
            kinds: kinds.values, extraTimePercent: extraTimePercent,
            assessments: Set(assessments.values.map(\.rawValue)),
            status: status)
    }
}

/// A référentiel assessment id in a `StoredSet` column.
struct AssessmentRef: RawRepresentable, Hashable, Sendable {
    var rawValue: String
}
