import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// « Mon compte »: every person sees their own account and downloads their own data, which
/// until now only candidates could do from a page.
@Suite("Mon compte: one's account, security, messages and personal data")
struct MyAccountTests {
    @Test("an evaluator sees their account and sessions, and downloads their own archive, audited")
    func evaluator() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let evaluator = try await TestBrowser.signedIn(app, w.f.evaluator)
            let page = try await evaluator.get(SiteRoute.myAccount.path)
            #expect(page.status == .ok)
            let text = pageText(page)
            #expect(text.contains(w.f.evaluator.email) && text.contains("Évaluateur"))
            #expect(text.contains("Mes sessions d'évaluation (2)"))
            #expect(text.contains("\(w.f.teamSession.assessmentID) — \(w.f.cohort.name) — 1re session"))
            // What a person comes for is above the list of sessions, which is folded.
            let security = try #require(text.range(of: "Sécurité"))
            let sessions = try #require(text.range(of: "<details>"))
            #expect(security.lowerBound < sessions.lowerBound)
            #expect(text.contains("Double authentification</a> : non activée"))
            #expect(text.contains("Jetons d'API</a> : 0 jeton actif"))
            for route in [SiteRoute.password, .twoFactor, .apiTokens, .myMessages, .myPersonalDataExport] {
                #expect(page.body.string.contains("href=\"\(route.path)\""), "\(route.path)")
            }
            // The navigation leads here instead of listing each security page.
            #expect(page.body.string.contains("aria-current=\"page\">Mon compte"))

            let zip = try await evaluator.get(SiteRoute.myPersonalDataExport.path)
            #expect(zip.status == .ok)
            #expect(zip.headers.contentType?.description.hasPrefix("application/zip") == true)
            let json = try exportedJSON(try unzip(Data(buffer: zip.body)))
            let account = try #require(json["account"] as? [String: Any])
            #expect(account["email"] as? String == w.f.evaluator.email)
            let ratings = try #require(json["ratings"] as? [[String: Any]])
            #expect(ratings.count == 3)
            let audit = try await DBAuditEntry.query(on: app.db).filter(\.$action == "account-personal-data-exported")
                .all()
            #expect(audit.count == 1)
            #expect(audit.first?.subjectID == w.f.evaluator.id!.uuidString && audit.first?.actorID == w.f.evaluator.id)
        }
    }

    @Test("a candidate's download is their candidate's archive; nobody signed out gets either")
    func candidateAndAnonymous() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let lea = try await TestBrowser.signedIn(app, w.people.lea)
            let download = try await lea.get(SiteRoute.myPersonalDataExport.path)
            #expect(download.status == .seeOther)
            #expect(download.headers.first(name: .location) == SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
            #expect(pageText(try await lea.get(SiteRoute.myAccount.path)).contains("Vos résultats") == false)
            let anonymous = TestBrowser(app)
            for path in [SiteRoute.myAccount.path, SiteRoute.myPersonalDataExport.path] {
                let response = try await anonymous.get(path)
                #expect(
                    response.status == .seeOther && response.headers.first(name: .location)?.hasPrefix("/login") == true
                )
            }
            #expect(
                try await DBAuditEntry.query(on: app.db).filter(\.$action == "account-personal-data-exported").count()
                    == 0)
        }
    }

    @Test("a guest sees until when they are invited; a hostile name is shown as text")
    func guestEscaped() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let guest = DBUser(
                email: "invite@entreprise.fr", displayName: "\"><iframe src=file:///etc/passwd>",
                passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4), role: .juryMember)
            guest.accessUntil = "2099-06-30"
            try await guest.create(on: app.db)
            let browser = try await TestBrowser.signedIn(app, guest)
            let page = try await browser.get(SiteRoute.myAccount.path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains("invité jusqu'au 30/06/2099"))
            #expect(!page.body.string.contains("<iframe"))
            _ = f
        }
    }
}
