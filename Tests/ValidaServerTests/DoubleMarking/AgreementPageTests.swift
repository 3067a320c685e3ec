import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("« Accord entre évaluateurs »: kappa and met rates from the markings, for the manager")
struct AgreementPageTests {
    typealias W = DoubleMarkingWorld

    @Test("counts behind every figure, an undefined kappa said with its reason, filters, manager only")
    func page() async throws {
        try await withTestApp { app in
            let w = try await W.make(app)
            try await W.mark(
                try await TestBrowser.signedIn(app, w.claire), grid: w.grid, ["E1.1-1": "1", "E1.1-2": "1"],
                submit: true)
            // Before both are in, nothing is counted.
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let empty = try await manager.get(SiteRoute.raterAgreement.path)
            #expect(empty.status == .ok && pageText(empty).contains("0 grille(s) en double correction"))
            try await W.mark(
                try await TestBrowser.signedIn(app, w.bruno), grid: w.grid, ["E1.1-1": "1", "E1.1-2": "0"],
                submit: true)
            let page = try await manager.get(SiteRoute.raterAgreement.path)
            #expect(page.status == .ok)
            let text = pageText(page)
            #expect(text.contains("1 grille(s) en double correction"))
            // E1.1-1: both « Acquis », one pair: kappa undefined, said so, never NaN.
            #expect(text.contains("indéfini : toutes les notes sont identiques"))
            #expect(!text.contains("NaN") && !text.contains("nan"))
            #expect(text.contains("Tableau d'accord — E1.1-1") && text.contains("(n = 1)"))
            // Claire found 2 of 2 met, her partner 1 of 2.
            #expect(
                text.contains("Claire Martin</th><td>2</td><td>2</td><td>100,0 %</td><td>2</td><td>1</td><td>50,0 %"))
            let filtered = try await manager.get(
                SiteRoute.raterAgreement.path(query: ["school": UUID().uuidString, "assessment": "E1.1"]))
            #expect(pageText(filtered).contains("0 grille(s) en double correction"))
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            #expect(try await coordinator.get(SiteRoute.raterAgreement.path).status == .forbidden)
        }
    }
}
