import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Assessment: a cohort's results by page, status and name")
struct CohortResultsFilterTests {
    typealias Filter = CohortResultsPage.Filter

    static func rows(_ count: Int) -> [CohortResultsPage.Row] {
        (0..<count).map { i in
            let status: OutcomeStatus = [.validated, .notValidated, .incomplete, .deferred][i % 4]
            return CohortResultsPage.Row(
                candidateID: UUID(), name: i == 7 ? "Éloïse Dupré" : "Candidat \(i)", blocks: [status],
                requirements: [],
                certification: status)
        }
    }

    @Test("pages of 100: the last one partial, a page past the end shows the last and says so")
    func paging() {
        let rows = Self.rows(250)
        let first = CohortResultsPage.page(rows, Filter())
        #expect(first.rows.count == 100 && first.rows.first?.name == "Candidat 0" && first.problem == nil)
        #expect(first.paging == .init(matching: 250, page: 1, pageCount: 3))
        let last = CohortResultsPage.page(rows, Filter(page: 3))
        #expect(last.rows.count == 50 && last.rows.last?.name == "Candidat 249")
        let past = CohortResultsPage.page(rows, Filter(page: 9))
        #expect(past.paging.page == 3 && past.rows.count == 50)
        #expect(past.problem == "La page 9 n'existe pas (3 pages) : la dernière est affichée.")
        let empty = CohortResultsPage.page([], Filter(page: 2))
        #expect(empty.paging == .init(matching: 0, page: 1, pageCount: 1) && empty.rows.isEmpty)
    }

    @Test("by certification status (en cours counts deferred), and by name without case nor accents")
    func narrowing() {
        let rows = Self.rows(12)
        #expect(CohortResultsPage.page(rows, Filter(status: .validated)).paging.matching == 3)
        #expect(CohortResultsPage.page(rows, Filter(status: .waiting)).paging.matching == 6)
        let named = CohortResultsPage.page(rows, Filter(name: "eloise dupre"))
        #expect(named.rows.map(\.name) == ["Éloïse Dupré"])
        #expect(CohortResultsPage.page(rows, Filter(status: .validated, name: "ÉLOÏSE")).rows.isEmpty)
        #expect(
            Filter(status: .notValidated, name: "Dupré", page: 2).query(page: 3) == [
                "statut": "non-valide", "nom": "Dupré", "page": "3",
            ])
        #expect(Filter().query(page: 1).isEmpty)
    }

    @Test("the page: filter form, counts, links that keep the filter, and unreadable parameters said")
    func page() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await AssessmentResultsPagesTests.rate(app, f)
            let jury = try await TestBrowser.signedIn(app, people.jury)
            let route = SiteRoute.cohortResults(f.cohort.id)

            let validated = pageText(try await jury.get(route.path(query: ["statut": "valide"])))
            #expect(validated.contains("Léa Martin") && !validated.contains("Hugo Bernard"))
            #expect(validated.contains("1 candidat sur 3"))
            #expect(validated.contains("<option value=\"valide\" selected=\"selected\">Certification validée</option>"))
            // Totals stay the cohort's.
            #expect(
                validated.contains("<tr><th scope=\"row\">En cours</th><td>1</td><td>2</td><td>2</td><td></td></tr>"))
            let lea = f.candidates[0].id!.uuidString
            #expect(validated.contains("candidat=\(lea)&statut=valide#detail"))

            let byName = pageText(try await jury.get(route.path(query: ["nom": "HUGO"])))
            #expect(byName.contains("Hugo Bernard") && !byName.contains("Léa Martin</a>"))

            let none = pageText(try await jury.get(route.path(query: ["nom": "personne"])))
            #expect(none.contains("Aucun candidat ne correspond à ce filtre."))
            #expect(none.contains("Afficher tous les candidats"))

            let odd = try await jury.get(route.path(query: ["statut": "\"><b>x", "page": "-2"]))
            #expect(odd.status == .ok)
            // The raw body: what was typed shows as text, never as markup.
            let raw = odd.body.string
            #expect(raw.contains("Statut « \"&gt;&lt;b&gt;x » inconnu : tous les candidats sont affichés."))
            #expect(raw.contains("Page « -2 » inconnue : la première page est affichée."))
            #expect(raw.contains("3 candidats") && !raw.contains("<b>x"))
        }
    }
}
