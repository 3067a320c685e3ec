import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A session's convocations from its page: place and instructions, the confirmation that says
/// who receives one and who has no address, the sending (audited), and the second sending
/// asked again.
@Suite("Notifications: convocations")
struct ConvocationTests {
    @Test("confirm, send, audit, and ask again before sending twice")
    func sendFromThePage() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await DeliberationTests.settings(app)
            // Hugo has neither an account nor an address: no convocation for him.
            f.candidates[1].email = ""
            try await f.candidates[1].save(on: app.db)
            let session = f.thesisSession
            let path = SiteRoute.sessionConvocations(session.id).path
            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            #expect(pageText(try await coordinator.get(SiteRoute.session(session.id).path)).contains("convocations"))

            // Place and instructions, a hostile value kept as text.
            let hostile = #"Salle "><iframe src="file:///etc/passwd">"#
            let tooLong = try await coordinator.post(
                path, ["op": "details", "place": String(repeating: "x", count: 301), "instructions": ""])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(pageText(tooLong).contains("Le lieu tient en 300 caractères au plus (il en compte 301)."))
            let saved = try await coordinator.post(
                path, ["op": "details", "place": hostile, "instructions": "Pièce d'identité ; ordinateur chargé."])
            #expect(saved.status == .seeOther)
            let confirm = try await coordinator.get(path)
            #expect(!confirm.body.string.contains("<iframe"))
            let text = pageText(confirm)
            #expect(text.contains("2 candidats recevront la convocation par courriel."))
            #expect(text.contains("Sans adresse e-mail, donc sans convocation : Hugo Bernard."))
            #expect(text.contains("Léa Martin (lea@example.fr)"))
            #expect(text.contains("Lieu : \(hostile)."))
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 0)

            let before = try await DBAuditEntry.query(on: app.db).filter(\.$action == "convocations-sent").count()
            let sent = try await coordinator.post(path, ["op": "send"])
            #expect(sent.status == .seeOther)
            let messages = try await DBOutboxMessage.query(on: app.db).sort(\.$recipientEmail).all()
            #expect(messages.map(\.recipientEmail) == ["ines@example.fr", "lea@example.fr"])
            #expect(messages.allSatisfy { $0.kind == .convocation })
            #expect(messages.map(\.$user.id) == [people.ines.id, people.lea.id])
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            let thesis = try #require(entry.referential.assessment("TP")?.title)
            #expect(messages[0].subject == "Convocation : \(thesis)")
            #expect(messages[0].textBody.contains("Bonjour Inès Petit,"))
            #expect(messages[0].textBody.contains("À prévoir et consignes : Pièce d'identité ; ordinateur chargé."))
            #expect(messages[0].textBody.contains("Lieu : \(hostile)."))
            #expect(!messages[0].htmlBody.contains("<iframe"))
            #expect(messages[0].textBody.contains("https://valida.example.fr/me"))
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "convocations-sent").all()
            #expect(audit.count == before + 1)
            #expect(audit.last?.subjectID == session.id!.uuidString)

            // Again: the page says when, and the sending asks for the box.
            let again = pageText(try await coordinator.get(path))
            #expect(again.contains("Les convocations ont déjà été envoyées le"))
            let unconfirmed = try await coordinator.post(path, ["op": "send"])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(pageText(unconfirmed).contains("cochez la case pour les envoyer à nouveau"))
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 2)
            #expect(try await coordinator.post(path, ["op": "send", "confirm": "on"]).status == .seeOther)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 4)

            // Another school's coordinator and an evaluator may not send them.
            let other = try await TestBrowser.signedIn(app, people.otherCoordinator)
            #expect(try await other.get(path).status == .forbidden)
            #expect(try await other.post(path, ["op": "send", "confirm": "on"]).status == .forbidden)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 4)
        }
    }

    @Test("a team session convokes the team's members; the creation form takes the place and instructions")
    func teamAndCreation() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let audience = try await SessionConvocations.audience(f.teamSession, on: app.db)
            #expect(audience.receiving.map(\.email) == ["bernard@example.fr", "lea@example.fr"])
            #expect(audience.withoutEmail.isEmpty)

            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            let form = pageText(try await coordinator.get(SiteRoute.cohortSessions(f.cohort.id).path))
            #expect(form.contains("Consignes et matériel à prévoir"))
            var fields = [
                "assessment": "TP", "attempt": "2", "startsOn": "01/09/2026", "endsOn": "01/09/2026",
                "place": "Campus de Lyon", "instructions": String(repeating: "x", count: 2001),
            ]
            let refused = try await coordinator.post(SiteRoute.cohortSessions(f.cohort.id).path, fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                pageText(refused).contains(
                    "Les consignes tiennent en 2000 caractères au plus (elles en comptent 2001)."))
            fields["instructions"] = "Apporter la thèse imprimée."
            let created = try await coordinator.post(SiteRoute.cohortSessions(f.cohort.id).path, fields)
            #expect(created.status == .seeOther)
            let session = try #require(
                try await DBAssessmentSession.query(on: app.db).filter(\.$attempt == 2).first())
            #expect(session.place == "Campus de Lyon")
            #expect(session.instructions == "Apporter la thèse imprimée.")
        }
    }
}
