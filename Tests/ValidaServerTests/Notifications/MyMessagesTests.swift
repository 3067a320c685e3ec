import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// « Mes messages »: a user sees and opens only the messages addressed to them, as plain text.
@Suite("Notifications: « Mes messages »")
struct MyMessagesTests {
    static func message(
        _ subject: String, to email: String, user: UUID?, html: String = "<p>corps</p>", text: String = "Bonjour,",
        status: MailStatus = .pending, at: Date = Date()
    ) -> DBOutboxMessage {
        let row = DBOutboxMessage(
            OutgoingMail(
                kind: .convocation, recipientEmail: email, recipientName: "X", userID: user, subject: subject,
                text: text, html: html), now: at)
        row.status = status
        return row
    }

    @Test("the list holds the user's messages by account or by address, newest first; another's is refused")
    func scoping() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let hostile = #"Yanis"><iframe src="file:///etc/passwd">"#
            let byAccount = Self.message(
                "Convocation : étude de cas", to: "autre-adresse@example.fr", user: people.lea.id,
                html: #"<p><iframe src="file:///etc/passwd"></iframe></p>"#, text: "Bonjour \(hostile),\nLigne 2",
                status: .sent)
            try await byAccount.create(on: app.db)
            // Sent to her address before her account existed.
            let byAddress = Self.message("Résultats publiés", to: "LEA@example.fr", user: nil)
            try await byAddress.create(on: app.db)
            let others = Self.message("Message d'Inès", to: "ines@example.fr", user: people.ines.id)
            try await others.create(on: app.db)

            let lea = try await TestBrowser.signedIn(app, people.lea)
            let list = try await lea.get(SiteRoute.myMessages.path)
            #expect(list.status == .ok)
            let text = pageText(list)
            #expect(text.contains("Convocation : étude de cas"))
            #expect(text.contains("Résultats publiés"))
            #expect(!text.contains("Message d'Inès"))
            #expect(text.contains("envoyé") && text.contains("en attente"))
            #expect(text.contains("2 messages"))

            let opened = try await lea.get(SiteRoute.myMessage(byAccount.id).path)
            #expect(opened.status == .ok)
            let raw = opened.body.string
            #expect(!raw.contains("<iframe"))
            #expect(raw.contains("&lt;iframe"))
            #expect(pageText(opened).contains("Bonjour \(hostile),"))
            #expect(try await lea.get(SiteRoute.myMessage(byAddress.id).path).status == .ok)

            // Inès's message, for Léa: as if it did not exist.
            let refused = try await lea.get(SiteRoute.myMessage(others.id).path)
            #expect(refused.status == .notFound)
            #expect(!refused.body.string.contains("Message d'Inès"))
            #expect(try await lea.get(SiteRoute.myMessage(UUID()).path).status == .notFound)
            #expect(try await lea.get("/me/messages/pas-un-identifiant").status == .notFound)

            // And Inès sees hers only.
            let ines = try await TestBrowser.signedIn(app, people.ines)
            let hers = pageText(try await ines.get(SiteRoute.myMessages.path))
            #expect(hers.contains("Message d'Inès") && !hers.contains("Résultats publiés"))
            #expect(try await ines.get(SiteRoute.myMessage(byAccount.id).path).status == .notFound)
        }
    }

    @Test("the list is paged, newest first")
    func paging() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            for n in 1...30 {
                let row = Self.message("Message n° \(n) ;", to: "lea@example.fr", user: people.lea.id)
                try await row.create(on: app.db)
                // Written a minute apart: the creation timestamp is set by Fluent, so set it after.
                try await DBOutboxMessage.query(on: app.db).filter(\.$id == row.id!)
                    .set(\.$createdAt, to: start.addingTimeInterval(Double(n) * 60)).update()
            }
            let lea = try await TestBrowser.signedIn(app, people.lea)
            let first = pageText(try await lea.get(SiteRoute.myMessages.path))
            #expect(first.contains("30 messages"))
            #expect(first.contains("Message n° 30 ;") && first.contains("Message n° 6 ;"))
            #expect(!first.contains("Message n° 5 ;"))
            #expect(first.range(of: "Message n° 30 ;")!.lowerBound < first.range(of: "Message n° 29 ;")!.lowerBound)
            let second = pageText(try await lea.get(SiteRoute.myMessages.path(query: ["page": "2"])))
            #expect(second.contains("Message n° 5 ;") && second.contains("Message n° 1 ;"))
            #expect(!second.contains("Message n° 6 ;"))
            #expect(second.contains("Page 2 sur 2"))
        }
    }
}
