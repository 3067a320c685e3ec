import Fluent
import ValidaCore
import Vapor

/// A candidate, enrolled in a cohort and so on its référentiel version.
final class DBCandidate: Model, @unchecked Sendable {
    static let schema = "candidates"

    @ID(key: .id) var id: UUID?
    @Parent(key: "school_id") var school: DBSchool
    @Parent(key: "cohort_id") var cohort: DBCohort
    @Parent(key: "referential_id") var referential: DBReferential
    @Field(key: "birth_name") var birthName: String
    @OptionalField(key: "usual_name") var usualName: String?
    @Field(key: "first_names") var firstNames: String
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "birth_place") var birthPlace: String
    @OptionalField(key: "birth_place_insee") var birthPlaceINSEE: String?
    @Field(key: "sex") var sex: Sex
    @Field(key: "email") var email: String
    @Field(key: "access_route") var accessRoute: AccessRoute
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, schoolID: UUID, cohortID: UUID, referentialID: UUID, identity: CandidateIdentity) {
        self.id = id
        self.$school.id = schoolID
        self.$cohort.id = cohortID
        self.$referential.id = referentialID
        apply(identity)
    }

    func apply(_ identity: CandidateIdentity) {
        birthName = identity.birthName
        usualName = identity.usualName
        firstNames = identity.firstNames
        birthDate = identity.birthDate.iso
        birthPlace = identity.birthPlace
        birthPlaceINSEE = identity.birthPlaceINSEE
        sex = identity.sex
        email = identity.email.lowercased()
        accessRoute = identity.accessRoute
    }

    var identity: CandidateIdentity? {
        guard let date = CalendarDate(iso: birthDate) else { return nil }
        return CandidateIdentity(
            birthName: birthName, usualName: usualName, firstNames: firstNames, birthDate: date,
            birthPlace: birthPlace, birthPlaceINSEE: birthPlaceINSEE, sex: sex, email: email, accessRoute: accessRoute)
    }

    /// The one name rule (`PersonName`): shown as `displayName`, listed by `byName`.
    var name: PersonName { PersonName(birthName: birthName, usualName: usualName, firstNames: firstNames) }
    var displayName: String { name.displayName }
    var sortName: String { name.sortKey }

    /// The order of every list of candidates.
    static func byName(_ a: DBCandidate, _ b: DBCandidate) -> Bool { PersonName.areInIncreasingOrder(a.name, b.name) }
}
