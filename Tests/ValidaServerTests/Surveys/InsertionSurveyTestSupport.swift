import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A closed deliberation of 3 July 2026 with two holders: Léa Martin certified in full,
/// Hugo Bernard by one block (BC01) only; Inès Petit holds nothing.
struct SurveyWorld {
    let w: DeliberationTests.World
    var lea: DBCandidate { w.f.candidates[0] }
    var hugo: DBCandidate { w.f.candidates[1] }
    var ines: DBCandidate { w.f.candidates[2] }

    static let base = "https://valida.example.fr"

    /// Noon in Paris on `iso`, the clock the tests run the sending at.
    static func day(_ iso: String, plusDays days: Double = 0) -> Date {
        let date = CalendarDate(iso: iso)!
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour) = (date.year, date.month, date.day, 12)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        return calendar.date(from: components)!.addingTimeInterval(days * 86_400)
    }

    static func make(_ app: Application) async throws -> SurveyWorld {
        let w = try await DeliberationTests.world(app)
        try await DeliberationTests.settings(app)
        let store = app.referentials
        func record(_ candidate: DBCandidate, _ scope: DecisionScope, _ outcome: DecisionOutcome) async throws {
            try await Deliberating.record(
                .init(scope: scope, outcome: outcome, justification: "Dossier examiné par le jury"),
                candidate: candidate.id!, juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
        }
        for scope in [DecisionScope.block("BC01"), .requirement("TP"), .certification] {
            try await record(w.f.candidates[0], scope, .validated)
        }
        try await record(w.f.candidates[1], .block("BC01"), .validated)
        try await record(w.f.candidates[1], .certification, .notValidated)
        _ = try await Deliberating.adoptComputed(juryID: w.juryID, actor: w.president, referentials: store, on: app.db)
        _ = try await Deliberating.close(
            juryID: w.juryID, actor: w.president, referentials: store, settings: try await AppSettings.load(on: app.db),
            on: app.db)
        return SurveyWorld(w: w)
    }

    /// The survey mails in the outbox, oldest first.
    static func mails(_ app: Application) async throws -> [DBOutboxMessage] {
        try await DBOutboxMessage.query(on: app.db).filter(\.$kind == .insertionSurvey).sort(\.$createdAt).all()
    }

    /// The personal link's path in a mail's text, and its token.
    static func link(in mail: DBOutboxMessage) throws -> (path: String, token: String) {
        let prefix = base + SiteRoute.survey("x").path.dropLast()
        let start = try #require(mail.textBody.range(of: prefix))
        let token = String(
            mail.textBody[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        return (SiteRoute.survey(token).path, token)
    }

    static func survey(_ app: Application, _ candidate: DBCandidate, _ wave: SurveyWave = .sixMonths) async throws
        -> DBInsertionSurvey
    {
        try #require(
            try await DBInsertionSurvey.query(on: app.db).filter(\.$candidate.$id == candidate.id!)
                .filter(\.$wave == wave).first())
    }

    static let answer: [String: String] = [
        "emploi": "oui", "intitule": "Chargée d'études", "domaine": "oui", "contrat": "cdi",
        "salaire": "2000-2500",
    ]
}
