import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// The statistics from the database: the deliberation tests' scenario counted by hand, the
/// page's scoping (a coordinator never sees another school's figures), escaping, the CSV.
@Suite("Statistics: the query, the page's scoping, the CSV")
struct StatisticsServerTests {
    static let hostile = "\"><iframe src=file:///etc/passwd>"

    /// The deliberation tests' closed jury (Léa certified in full; Hugo and Inès deferred,
    /// nothing rated), Hugo granted extra time, and the other school — named `hostile` — with
    /// one candidate certified by a closed jury of 2025.
    static func world(_ app: Application) async throws -> (DeliberationTests.World, DBSchool, DBCandidate) {
        let w = try await HolderDeclarationExportTests.closed(app)
        let other = try #require(try await DBSchool.query(on: app.db).filter(\.$name == "Autre École").first())
        other.name = hostile
        try await other.save(on: app.db)
        let cohort = DBCohort(schoolID: other.id!, referentialID: w.f.referential.id!, name: "Promotion 2025")
        try await cohort.create(on: app.db)
        let zoe = DBCandidate(
            schoolID: other.id!, cohortID: cohort.id!, referentialID: w.f.referential.id!,
            identity: CandidateIdentity(
                birthName: "Zéphyr", firstNames: "Zoé", birthDate: CalendarDate(year: 1990, month: 5, day: 5)!,
                birthPlace: "Brest", birthPlaceINSEE: "29019", sex: .female, email: "zoe@example.fr",
                accessRoute: .continuingEducation))
        try await zoe.create(on: app.db)
        let jury = DBJury(
            kind: .deliberation, name: "Jury de Brest", place: "Brest",
            meetsOn: CalendarDate(year: 2025, month: 6, day: 30)!)
        jury.status = .closed
        try await jury.create(on: app.db)
        for scope in [DecisionScope.block("BC01"), .certification] {
            try await DBDecision(
                candidateID: zoe.id!, juryID: jury.id!,
                decision: Decision(
                    id: UUID().uuidString, scope: scope, outcome: .validated, decidedBy: "Paule Présidente",
                    decidedOn: CalendarDate(year: 2025, month: 6, day: 30)!),
                decidedBy: w.president.id!
            ).create(on: app.db)
        }
        let accommodation = DBAccommodation()
        accommodation.$candidate.id = w.f.candidates[1].id!
        accommodation.kinds = StoredSet([.extraTime])
        accommodation.extraTimePercent = 33
        accommodation.assessments = StoredSet([AssessmentRef(rawValue: "TP")])
        accommodation.reason = "Dyslexie"
        accommodation.status = .granted
        accommodation.requestedBy = w.people.coordinator.id!
        accommodation.requestedAt = Date()
        try await accommodation.create(on: app.db)
        return (w, other, zoe)
    }

    @Test("the deliberation scenario counted by hand: outcomes, dimensions, blocks, accommodations")
    func scenario() async throws {
        try await withTestApp { app in
            let (w, other, _) = try await Self.world(app)
            let data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
            let school = w.f.school.id!.uuidString
            let report = Statistics.report(data.records, funnel: data.funnel)
            #expect(
                report.totals
                    == StatisticsCounts(registered: 4, assessed: 0, certified: 2, partial: 0, notCertified: 2))
            #expect(
                report.byYear[2026]
                    == StatisticsCounts(registered: 3, assessed: 0, certified: 1, partial: 0, notCertified: 2))
            #expect(report.byYear[2025]?.certified == 1)
            #expect(report.byRoute[.apprenticeship]?.registered == 3)
            #expect(report.byRoute[.continuingEducation]?.certified == 1)
            #expect(report.bySchool[school]?.notCertified == 2)
            #expect(report.bySchool[other.id!.uuidString]?.registered == 1)
            #expect(report.bySex[.female]?.registered == 3)
            #expect(
                report.bySex[.male]
                    == StatisticsCounts(registered: 1, assessed: 0, certified: 0, partial: 0, notCertified: 1))
            // Léa's BC01 (validated), Zoé's BC01 (validated); Hugo's and Inès's are deferred: not counted.
            #expect(report.blocks["BC01"] == StatisticsRate(successes: 2, total: 2))
            #expect(report.accommodations.candidates == 1)
            #expect(report.accommodations.byKind[.extraTime] == 1)
            #expect(data.schools[other.id!.uuidString] == Self.hostile)

            // A coordinator's load reads their school only.
            let own = try await StatisticsQuery.load(school: w.f.school.id!, referentials: app.referentials, on: app.db)
            #expect(Set(own.records.map(\.school)) == [school])
            #expect(own.schools.keys.sorted() == [school])
        }
    }

    @Test("a correction replaces the decision it corrects; an open deliberation counts for nothing")
    func corrections() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await DeliberationTests.settings(app)
            let lea = w.f.candidates[0].id!
            for scope in [DecisionScope.block("BC01"), .requirement("TP"), .certification] {
                try await Deliberating.record(
                    .init(scope: scope, outcome: .validated, justification: "Dossier examiné par le jury"),
                    candidate: lea, juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            }
            _ = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            let open = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
            #expect(open.records.isEmpty)
            _ = try await Deliberating.close(
                juryID: w.juryID, actor: w.president, referentials: app.referentials,
                settings: try await AppSettings.load(on: app.db), on: app.db)
            let certification = try #require(
                try await DBDecision.query(on: app.db).filter(\.$candidate.$id == lea)
                    .filter(\.$scopeKind == .certification).first())
            try await Deliberating.correct(
                decisionID: certification.id!, outcome: .notValidated, reason: "Erreur de saisie", juryID: w.juryID,
                actor: w.president, referentials: app.referentials, settings: try await AppSettings.load(on: app.db),
                on: app.db)
            let data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
            let report = Statistics.report(data.records)
            // Léa keeps BC01: partial now.
            #expect(
                report.totals == StatisticsCounts(registered: 3, assessed: 0, certified: 0, partial: 1, notCertified: 2)
            )
        }
    }

    @Test("the page: the manager sees every school (escaped), a coordinator only theirs, others are refused")
    func scoping() async throws {
        try await withTestApp { app in
            let (w, other, _) = try await Self.world(app)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let page = try await manager.get(SiteRoute.statistics.path)
            #expect(page.status == .ok)
            let raw = page.body.string
            #expect(!raw.contains("<iframe"))
            // Escaped in text (`<`, `>`) and in attributes (`"` too): no element is injected.
            #expect(raw.contains("\"&gt;&lt;iframe src=file:///etc/passwd&gt;</th>"))
            #expect(raw.contains("<title>\"&gt;&lt;iframe src=file:///etc/passwd&gt;</title>"))
            #expect(raw.contains("<svg"))
            #expect(pageText(page).contains("École de l'Exemple"))
            #expect(pageText(page).contains("Apprentissage"))
            let filtered = pageText(try await manager.get(SiteRoute.statistics.path(query: ["year": "2025"])))
            #expect(filtered.contains("Formation continue"))
            #expect(!filtered.contains("Apprentissage</th>"))
            let bad = pageText(try await manager.get(SiteRoute.statistics.path(query: ["year": "deux mille"])))
            #expect(bad.contains("Année : un nombre à quatre chiffres, par exemple 2026 (reçu « deux mille »)."))

            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let own = try await coordinator.get(SiteRoute.statistics.path)
            #expect(own.status == .ok)
            #expect(!own.body.string.contains("iframe"))
            #expect(!pageText(own).contains("Formation continue</th>"))
            #expect(pageText(own).contains("École : École de l'Exemple"))
            let otherSchool = ["school": other.id!.uuidString]
            for route in [SiteRoute.statistics, .statisticsExport, .statisticsPeople] {
                let refused = try await coordinator.get(route.path(query: otherSchool))
                #expect(refused.status == .forbidden)
                #expect(pageText(refused).contains("cette ressource appartient à une autre école"))
            }
            let people = pageText(
                try await coordinator.get(SiteRoute.statisticsPeople.path(query: ["measure": "registered"])))
            #expect(people.contains("Martin Léa") || people.contains("Léa Martin"))
            #expect(!people.contains("Zoé"))
            let all = pageText(try await manager.get(SiteRoute.statisticsPeople.path(query: ["measure": "certified"])))
            #expect(all.contains("Zoé"))
            #expect(all.contains("Léa"))
            #expect(!all.contains("Hugo"))
            let block = pageText(
                try await manager.get(
                    SiteRoute.statisticsPeople.path(
                        query: ["measure": "block-validated", "block": "BC01"].merging(otherSchool) { a, _ in a })))
            #expect(block.contains("Zoé") && !block.contains("Léa"))
            #expect(
                try await manager.get(SiteRoute.statisticsPeople.path(query: ["measure": "tout"])).status == .badRequest
            )

            for user in [w.people.jury, w.f.evaluator, w.people.lea] {
                let browser = try await TestBrowser.signedIn(app, user)
                #expect(try await browser.get(SiteRoute.statistics.path).status == .forbidden)
                #expect(try await browser.get(SiteRoute.statisticsPeople.path).status == .forbidden)
            }
        }
    }

    @Test("the CSV opens in French Excel: BOM, semicolons, decimal comma; scoped like the page")
    func csv() async throws {
        try await withTestApp { app in
            let (w, _, _) = try await Self.world(app)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let response = try await manager.get(SiteRoute.statisticsExport.path)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let bytes = Array(response.body.readableBytesView)
            #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            let text = try #require(String(data: Data(bytes.dropFirst(3)), encoding: .utf8))
            let lines = text.components(separatedBy: "\r\n")
            #expect(lines[0] == StatisticsExport.csvHeader.joined(separator: ";"))
            // 2 certified of 4: 50,0 %; the 2026 jury: 1 of 3, 33,3 %.
            #expect(lines.contains("Ensemble;Tous;4;0;2;0;2;2;4;50,0"))
            #expect(lines.contains("Année;2026;3;0;1;0;2;1;3;33,3"))
            #expect(lines.contains("Bloc;BC01 — \(try Self.blockTitle(app, w));;;;;;2;2;100,0"))
            #expect(lines.contains("Aménagements;Temps majoré;;;;;;;1;"))
            // The hostile school name is quoted where it must be, and a formula never starts a cell.
            #expect(lines.contains { $0.hasPrefix("École;\"\"\"><iframe") })
            let document = try CSVDocument(data: Data(bytes))
            #expect(document.separator == ";")

            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let own = try await coordinator.get(SiteRoute.statisticsExport.path)
            #expect(!own.body.string.contains("iframe"))
            #expect(own.body.string.contains("Ensemble;Tous;3;0;1;0;2;1;3;33,3"))
        }
    }

    @Test("VAE juries count like deliberations, by route VAE; the funnel follows each request")
    func vae() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            var requests: [DBVAERequest] = []
            let statuses: [VAEStatus] = [.draft, .rejected, .admissible, .juryDecided, .juryDecided]
            for (i, status) in statuses.enumerated() {
                let candidate = DBCandidate(
                    schoolID: f.school.id!, cohortID: f.cohort.id!, referentialID: f.referential.id!,
                    identity: CandidateIdentity(
                        birthName: "Vae\(i)", firstNames: "Camille",
                        birthDate: CalendarDate(year: 1985, month: 1, day: 1)!,
                        birthPlace: "Lyon", birthPlaceINSEE: "69123", sex: i % 2 == 0 ? .female : .male,
                        email: "vae\(i)@example.fr", accessRoute: .vae))
                try await candidate.create(on: app.db)
                let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: false, blocks: ["BC01"])
                request.status = status
                request.submittedAt = status == .draft ? nil : Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
                try await request.create(on: app.db)
                requests.append(request)
            }
            // The first decided request's jury validates BC01, the second's does not.
            for (request, outcome) in zip(requests.suffix(2), [DecisionOutcome.validated, .notValidated]) {
                let jury = DBJury(
                    kind: .vae, name: "Jury VAE", place: "Lyon", meetsOn: CalendarDate(year: 2026, month: 3, day: 2)!)
                jury.status = .closed
                try await jury.create(on: app.db)
                request.$jury.id = jury.id
                try await request.save(on: app.db)
                try await DBDecision(
                    candidateID: request.$candidate.id, juryID: jury.id!,
                    decision: Decision(
                        id: UUID().uuidString, scope: .block("BC01"), source: .vae, outcome: outcome,
                        justification: "Preuves examinées", decidedBy: "Paule Présidente",
                        decidedOn: CalendarDate(year: 2026, month: 3, day: 2)!),
                    decidedBy: people.manager.id!
                ).create(on: app.db)
            }
            let data = try await StatisticsQuery.load(school: nil, referentials: app.referentials, on: app.db)
            let report = Statistics.report(data.records, funnel: data.funnel)
            #expect(
                report.totals == StatisticsCounts(registered: 2, assessed: 2, certified: 0, partial: 1, notCertified: 1)
            )
            #expect(report.byRoute[.vae]?.registered == 2)
            #expect(report.byYear[2026]?.partial == 1)
            #expect(report.vaeFunnel == VAEFunnel(requests: 4, admissible: 3, jury: 2, full: 0, partial: 1, none: 1))
            #expect(data.records.allSatisfy { $0.isVAEJury })
            let other = Statistics.report(
                data.records, funnel: data.funnel, filter: .init(accessRoute: .apprenticeship))
            #expect(other.vaeFunnel == VAEFunnel())
        }
    }

    static func blockTitle(_ app: Application, _ w: DeliberationTests.World) throws -> String {
        let loaded = ReferentialYAML.load(yaml: try ServerFixture.exampleYAML(), file: "exemple.yaml")
        return try #require(loaded.referential?.blocks.first { $0.id == "BC01" }?.title)
    }
}
