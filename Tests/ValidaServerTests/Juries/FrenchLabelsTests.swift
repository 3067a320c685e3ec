import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// No raw value reaches a person: the log's payloads, ratings and candidates' birth dates
/// read in French.
@Suite("French labels and messages on the pages")
struct FrenchLabelsTests {
    @Test("a decision's history entry names its scope, outcome and date in French")
    func decisionDetail() {
        let payload = AuditLog.canonicalJSON([
            "candidate": "x", "jury": "y", "scope": "block:BC01", "outcome": "validated", "decided-on": "2026-07-03",
            "corrects": UUID().uuidString,
        ])
        #expect(
            HistoryPage.detail(payload)
                == "corrige : une décision antérieure ; date : 03/07/2026 ; décision : Validé ; objet : bloc BC01")
        #expect(
            HistoryPage.detail(AuditLog.canonicalJSON(["scope": "requirement:TP", "outcome": "not-validated"]))
                == "décision : Non validé ; objet : épreuve TP")
        #expect(
            HistoryPage.detail(AuditLog.canonicalJSON(["scope": "certification:", "outcome": "deferred"]))
                == "décision : Ajourné ; objet : certification")
    }

    @Test("a rating in the history reads as the scale's level, with the member it is for")
    func ratingDetail() {
        let scale = Scale(
            id: "four", label: "Quatre niveaux",
            kind: .levels(
                [
                    .init(id: "n", label: "Non atteint"), .init(id: "p", label: "Partiellement"),
                    .init(id: "a", label: "Atteint"),
                ],
                metFrom: "a"))
        let member = UUID(uuidString: "0A0B0C0D-0000-4000-8000-000000000001")!
        let payload = AuditLog.canonicalJSON([
            "|E1.1-1": "niveau 2 — très clair", "\(member.uuidString)|E1.1-2": "niveau 0", "revision": "3",
        ])
        #expect(
            HistoryPage.detail(payload, scale: scale, members: [member.uuidString: "Hugo Bernard"])
                == "critère E1.1-2 (Hugo Bernard) : Non atteint ; révision : 3 ; critère E1.1-1 : Atteint — très clair")
    }

    @Test("documents name their holder by the same rule, with the birth name when another name is in use")
    func holderName() {
        let identity = CandidateIdentity(
            birthName: "Michel", usualName: "André", firstNames: "Camille",
            birthDate: CalendarDate(year: 1987, month: 12, day: 21)!,
            birthPlace: "Lyon", sex: .female, email: "camille@example.fr", accessRoute: .initialTraining)
        let candidate = DBCandidate(schoolID: UUID(), cohortID: UUID(), referentialID: UUID(), identity: identity)
        #expect(DocumentIssuing.holder(candidate).name == "Camille André (nom de naissance : Michel)")
        candidate.usualName = nil
        #expect(DocumentIssuing.holder(candidate).name == "Camille Michel")
    }

    @Test("the candidate form refuses a birth date in the future and names a day that does not exist")
    func birthDates() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.coordinator)
            let path = SiteRoute.cohortNewCandidate(w.cohort.id).path
            try await browser.get(path)
            let before = try await w.candidateCount(app)
            var fields = RosterCandidatePagesTests.good
            let next = DateInput.today.year + 1
            fields["birthDate"] = "14/07/\(next)"
            let future = try await browser.post(path, fields)
            #expect(future.status == .unprocessableEntity)
            #expect(
                rosterText(future).contains(
                    "Date de naissance : le 14/07/\(next) est dans le futur : une date de naissance est passée."))
            fields["birthDate"] = "30/02/2001"
            let nonexistent = try await browser.post(path, fields)
            #expect(
                rosterText(nonexistent).contains(
                    "Date de naissance : la date « 30/02/2001 » n'existe pas : février 2001 n'a que 28 jours."))
            #expect(try await w.candidateCount(app) == before)
        }
    }
}
