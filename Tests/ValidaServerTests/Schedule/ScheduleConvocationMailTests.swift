import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// The convocation mail gives each candidate their own slot's day, time and room; a team's
/// members their team's slot; without a slot, the session's dates only.
@Suite("Schedule: each candidate's slot in the convocation mail")
struct ScheduleConvocationMailTests {
    static func mails(_ app: Application) async throws -> [DBOutboxMessage] {
        try await DBOutboxMessage.query(on: app.db).filter(\.$kind == .convocation).all()
    }

    static func mail(to name: String, in mails: [DBOutboxMessage]) throws -> String {
        let matching = mails.filter { $0.textBody.contains("Bonjour \(name),") }
        #expect(matching.count == 1, "\(name): \(matching.count) mails")
        return try #require(matching.first).textBody
    }

    @Test("individual slots (one lengthened by extra time) and a team's slot: each mail its own time and room")
    func slotInMail() async throws {
        try await withTestApp { app in
            let w = try await ScheduleWorld.make(app)
            let entry = try await app.referentials.entry(w.f.referential.id!, on: app.db)

            // The team session before any slot: the session's dates only, no time, no room.
            _ = try await SessionConvocations.send(
                w.f.teamSession, referential: entry.referential, by: w.accounts.coordinator, on: app.db)
            let unscheduled = try await Self.mails(app)
            #expect(unscheduled.count == 2)
            #expect(unscheduled.allSatisfy { !$0.textBody.contains(", à ") && !$0.textBody.contains("(salle") })
            try await DBOutboxMessage.query(on: app.db).delete()

            try await w.grant(w.bernard, percent: 33, on: app)
            _ = try await w.generateThesis(on: app)
            _ = try await SessionConvocations.send(
                w.f.thesisSession, referential: entry.referential, by: w.accounts.coordinator, on: app.db)
            let thesis = try await Self.mails(app)
            #expect(thesis.count == 3)
            let bernard = try Self.mail(to: w.bernard.displayName, in: thesis)
            #expect(bernard.contains("mars 2027, à 9 h 00."))
            #expect(bernard.contains("(salle : B12)."))
            // Bernard's 80 minutes push Martin to 10 h 20 and Petit to 11 h 20.
            #expect(try Self.mail(to: w.martin.displayName, in: thesis).contains(", à 10 h 20."))
            #expect(try Self.mail(to: w.petit.displayName, in: thesis).contains(", à 11 h 20."))
            try await DBOutboxMessage.query(on: app.db).delete()

            // The team's slot at 14:00 by video: both members get it; Petit is not in the team session.
            _ = try await ScheduleOperations.save(
                .init(
                    subject: "team:\(w.f.team.id!)", day: ScheduleWorld.day, start: "14:00", length: "60",
                    videoLink: "https://visio.example.fr/salle-7", evaluators: [w.f.evaluator.id!.uuidString]),
                slot: nil, session: w.f.teamSession, by: w.accounts.coordinator, on: app.db
            ).get()
            _ = try await SessionConvocations.send(
                w.f.teamSession, referential: entry.referential, by: w.accounts.coordinator, on: app.db)
            let team = try await Self.mails(app)
            #expect(team.count == 2)
            for name in [w.martin.displayName, w.bernard.displayName] {
                let text = try Self.mail(to: name, in: team)
                #expect(text.contains(", à 14 h 00."))
                #expect(text.contains("(salle : visioconférence, https://visio.example.fr/salle-7)."))
            }
        }
    }
}
