import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Insertion surveys: their figures in « Statistiques » and its CSV")
struct InsertionSurveyStatisticsTests {
    @Test("the statistics page and CSV carry the response rate and results, by year filter and school")
    func statistics() async throws {
        try await withTestApp { app in
            let s = try await InsertionSurveyPageTests.answered(app)
            let manager = try await TestBrowser.signedIn(app, s.w.people.manager)
            let page = try await manager.get(SiteRoute.statistics.path)
            #expect(page.status == .ok)
            let text = pageText(page)
            #expect(text.contains("Insertion des titulaires (enquêtes à 6 mois et 2 ans)"))
            #expect(
                text.contains(
                    "<th scope=\"row\">À 6 mois — jury 2026</th><td>2</td><td>1 sur 2 (50 %)</td>"
                        + "<td>1 sur 1 (100 %)</td><td>1 sur 1 (100 %)</td>"))
            let other = pageText(try await manager.get(SiteRoute.statistics.path(query: ["year": "2025"])))
            #expect(other.contains("Aucune enquête d'insertion ouverte pour ces critères."))

            let csv = try await manager.get(SiteRoute.statisticsExport.path).body.string
            let table = "Enquête d'insertion à 6 mois — jury 2026"
            #expect(csv.contains("\r\n\(table);Réponses / envoyées;;;;;;1;2;50,0\r\n"))
            #expect(csv.contains("\r\n\(table);Contrat : CDI;;;;;;1;1;100,0\r\n"))
            #expect(csv.contains("\r\n\(table);Salaire : Moins de 1 500 € nets par mois;;;;;;0;1;0,0\r\n"))

            // Another school's coordinator: none of these holders in their statistics.
            let coordinator = try await TestBrowser.signedIn(app, s.w.people.otherCoordinator)
            let theirs = pageText(try await coordinator.get(SiteRoute.statistics.path))
            #expect(theirs.contains("Aucune enquête d'insertion ouverte pour ces critères."))
            #expect(!(try await coordinator.get(SiteRoute.statisticsExport.path)).body.string.contains(table))
        }
    }
}
