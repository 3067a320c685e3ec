import Fluent
import Vapor

/// A partner school (organisme habilité) that prepares and assesses candidates.
final class DBSchool: Model, @unchecked Sendable {
    static let schema = "schools"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "siret") var siret: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, city: String? = nil, siret: String? = nil) {
        self.id = id
        self.name = name
        self.city = city
        self.siret = siret
    }
}

/// A cohort (promotion): candidates of one school assessed in the same period, on one
/// référentiel version.
final class DBCohort: Model, @unchecked Sendable {
    static let schema = "cohorts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "school_id") var school: DBSchool
    @Parent(key: "referential_id") var referential: DBReferential
    @Field(key: "name") var name: String
    /// ISO days, `YYYY-MM-DD`: portable, and days do not shift with time zones.
    @OptionalField(key: "starts_on") var startsOn: String?
    @OptionalField(key: "ends_on") var endsOn: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(
        id: UUID? = nil, schoolID: UUID, referentialID: UUID, name: String, startsOn: String? = nil,
        endsOn: String? = nil
    ) {
        self.id = id
        self.$school.id = schoolID
        self.$referential.id = referentialID
        self.name = name
        self.startsOn = startsOn
        self.endsOn = endsOn
    }
}
