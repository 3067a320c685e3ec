import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Personal data: the manager's pages")
struct PersonalDataPagesTests {
    static let hostile = "\"><iframe src=file:///etc/passwd>"

    @Test("without a retention period nobody is listed, and the page says to set one")
    func noPeriod() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.age(w.hugo, years: 20)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let page = try await manager.get(SiteRoute.personalData.path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains("Aucune durée de conservation n'est fixée"))
            #expect(page.body.string.contains(SiteRoute.settings.path))
            #expect(!page.body.string.contains(SiteRoute.candidatePersonalData(w.hugo.id!).path))
            let preview = try await manager.get(SiteRoute.candidatePersonalData(w.hugo.id!).path)
            #expect(pageText(preview).contains("indiquez-la (en années) dans les paramètres"))
            #expect(!preview.body.string.contains("name=\"confirm\""))
        }
    }

    @Test("the list, the preview of what is erased and kept, the confirmation, then what was kept")
    func flow() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("2")
            // Hugo: a hostile name, and nothing since his enrolment three years ago.
            let hugo = try #require(try await DBCandidate.find(w.hugo.id!, on: app.db))
            hugo.birthName = Self.hostile
            hugo.firstNames = Self.hostile
            try await hugo.save(on: app.db)
            try await w.age(w.hugo, years: 3)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)

            let list = try await manager.get(SiteRoute.personalData.path)
            #expect(list.status == .ok)
            #expect(pageText(list).contains("Durée de conservation fixée dans les paramètres : 2 ans"))
            #expect(list.body.string.contains(SiteRoute.candidatePersonalData(w.hugo.id!).path))
            // Léa and Inès were active today: not listed.
            #expect(!list.body.string.contains(SiteRoute.candidatePersonalData(w.lea.id!).path))
            #expect(!list.body.string.contains(SiteRoute.candidatePersonalData(w.ines.id!).path))
            #expect(!list.body.string.contains("<iframe"))
            #expect(pageText(list).contains(Self.hostile))

            let preview = try await manager.get(SiteRoute.candidatePersonalData(w.hugo.id!).path)
            #expect(preview.status == .ok)
            let text = pageText(preview)
            #expect(text.contains("Ce qui sera effacé"))
            #expect(text.contains("Ce qui sera conservé, et pourquoi"))
            #expect(text.contains("non : la personne sera anonymisée"))
            #expect(text.contains("Journal d'audit"))
            #expect(!preview.body.string.contains("<iframe"))
            #expect(preview.body.string.contains("name=\"confirm\" value=\"oui\""))

            // Without the confirmation nothing happens.
            let unconfirmed = try await manager.post(SiteRoute.candidatePersonalData(w.hugo.id!).path, [:])
            #expect(unconfirmed.status == .seeOther)
            #expect(try await DBCandidate.find(w.hugo.id!, on: app.db)?.birthName == Self.hostile)

            try await manager.get(SiteRoute.candidatePersonalData(w.hugo.id!).path)
            let confirmed = try await manager.post(
                SiteRoute.candidatePersonalData(w.hugo.id!).path, [Confirmation.field: Confirmation.yes])
            #expect(confirmed.status == .seeOther)
            let after = try await manager.get(SiteRoute.candidatePersonalData(w.hugo.id!).path)
            #expect(pageText(after).contains("Données effacées : la personne est désormais « Personne effacée n° 1 »"))
            #expect(pageText(after).contains("Ce qui a été conservé, et pourquoi"))
            #expect(!after.body.string.contains("name=\"confirm\""))
            #expect(try await DBCandidate.find(w.hugo.id!, on: app.db)?.birthName == "Personne effacée n° 1")
            let listed = try await manager.get(SiteRoute.personalData.path)
            #expect(pageText(listed).contains("Effacements faits"))
            #expect(pageText(listed).contains("Personne effacée n° 1"))
            #expect(!listed.body.string.contains("Voir ce qui serait effacé"))
        }
    }

    @Test("a refused erasure says why on the page and writes nothing")
    func refusedOnPage() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("10")
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            try await manager.get(SiteRoute.candidatePersonalData(w.ines.id!).path)
            let response = try await manager.post(
                SiteRoute.candidatePersonalData(w.ines.id!).path, [Confirmation.field: Confirmation.yes])
            #expect(response.status == .unprocessableEntity)
            #expect(pageText(response).contains("La durée de conservation (10 ans) court jusqu'au"))
            #expect(try await DBCandidate.find(w.ines.id!, on: app.db)?.birthName == "Petit")
        }
    }

    @Test("only the certification manager lists and erases")
    func access() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            try await w.setRetention("1")
            try await w.age(w.hugo, years: 3)
            for user in [w.people.coordinator, w.people.jury, w.people.lea] {
                let browser = try await TestBrowser.signedIn(app, user)
                #expect(try await browser.get(SiteRoute.personalData.path).status == .forbidden)
                #expect(try await browser.get(SiteRoute.candidatePersonalData(w.hugo.id!).path).status == .forbidden)
                try await browser.get(SiteRoute.home.path)
                let post = try await browser.post(
                    SiteRoute.candidatePersonalData(w.lea.id!).path, [Confirmation.field: Confirmation.yes])
                #expect(post.status == .forbidden)
            }
            #expect(try await DBPersonalDataErasure.query(on: app.db).count() == 0)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            #expect(pageText(try await manager.get(SiteRoute.home.path)).contains("Données personnelles"))
        }
    }
}
