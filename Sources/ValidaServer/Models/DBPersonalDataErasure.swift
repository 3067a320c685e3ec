import Fluent
import Foundation

/// A person erased or anonymised after the retention period (RGPD): their number (the
/// « Personne effacée n° » shown in their place), whether they held a certification or a
/// block (and so what had to be kept), and the two lists the manager was shown, one line each.
final class DBPersonalDataErasure: Model, @unchecked Sendable {
    static let schema = "personal_data_erasures"

    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: Int
    @Parent(key: "candidate_id") var candidate: DBCandidate
    @Field(key: "holder") var holder: Bool
    /// The last activity the retention period ran from.
    @Field(key: "last_activity_at") var lastActivityAt: Date
    @Field(key: "erased_at") var erasedAt: Date
    /// Nil when erased from the command line.
    @OptionalField(key: "erased_by_id") var erasedByID: UUID?
    @Field(key: "erased_by_name") var erasedByName: String
    /// What was erased, one line each.
    @Field(key: "erased") var erased: String
    /// What was kept and why, one line each.
    @Field(key: "kept") var kept: String

    init() {}

    var erasedLines: [String] { erased.split(separator: "\n").map(String.init) }
    var keptLines: [String] { kept.split(separator: "\n").map(String.init) }
}
