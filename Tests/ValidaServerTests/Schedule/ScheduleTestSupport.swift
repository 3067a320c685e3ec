import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The schedule tests' world: the accounts' world (a certifier, a coordinator of the school
/// and one of another school), and candidate accounts for Martin and Bernard.
struct ScheduleWorld {
    let accounts: AccountWorld
    let martinUser: DBUser
    let bernardUser: DBUser

    var f: ServerFixture { accounts.fixture }
    var martin: DBCandidate { f.candidates[0] }
    var bernard: DBCandidate { f.candidates[1] }
    var petit: DBCandidate { f.candidates[2] }

    /// A Monday.
    static let day = "2027-03-01"
    static let reason = "Dyslexie sévère"

    static func make(_ app: Application) async throws -> ScheduleWorld {
        let accounts = try await AccountWorld.make(app)
        let hash = try Bcrypt.hash(ServerFixture.password, cost: 4)
        let f = accounts.fixture
        let martin = DBUser(
            email: "martin.compte@valida.test", displayName: "Léa Martin", passwordHash: hash, role: .candidate,
            schoolID: f.school.id, candidateID: f.candidates[0].id)
        let bernard = DBUser(
            email: "bernard.compte@valida.test", displayName: "Hugo Bernard", passwordHash: hash, role: .candidate,
            schoolID: f.school.id, candidateID: f.candidates[1].id)
        for user in [martin, bernard] { try await user.create(on: app.db) }
        return ScheduleWorld(accounts: accounts, martinUser: martin, bernardUser: bernard)
    }

    /// An accommodation requested by the coordinator and granted by the certifier.
    @discardableResult
    func grant(
        _ candidate: DBCandidate, percent: Int, assessment: String = "TP", on app: Application
    ) async throws -> DBAccommodation {
        let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
        let input = AccommodationOperations.RequestInput(
            kinds: [AccommodationKind.extraTime.rawValue], extraTimePercent: String(percent),
            assessments: [assessment], reason: Self.reason)
        let row = try await AccommodationOperations.request(
            input, candidate: candidate, referential: entry.referential, by: accounts.coordinator, on: app.db
        ).get()
        _ = try await AccommodationOperations.decide(
            AccommodationStatus.granted.rawValue, accommodation: row, by: accounts.manager, on: app.db
        ).get()
        return row
    }

    /// The thesis session generated on `day` from 09:00, one room, 60-minute slots.
    func generateThesis(on app: Application, room: String = "B12") async throws -> [DBSlot] {
        let input = ScheduleOperations.Generation(
            day: Self.day, start: "09:00", length: "60", rooms: room)
        _ = try await ScheduleOperations.generate(input, session: f.thesisSession, by: accounts.coordinator, on: app.db)
            .get()
        return try await slots(f.thesisSession, on: app.db)
    }

    func slots(_ session: DBAssessmentSession, on db: any Database) async throws -> [DBSlot] {
        try await DBSlot.query(on: db).filter(\.$session.$id == session.requireID()).all()
            .sorted { $0.time < $1.time }
    }

    func slot(of candidate: DBCandidate, in slots: [DBSlot]) throws -> DBSlot {
        try #require(slots.first { $0.$candidate.id == candidate.id })
    }
}
