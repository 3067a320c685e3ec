import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Results a jury can sign: what it measures its decisions against, adopting, closing,
/// dates, VAE decisions and resits — through the services the pages call.
@Suite("Juries: computed results, adopting, closing rules, dates, resits")
struct JurySemanticsTests {
    /// Paris noon on an ISO day.
    static func noon(_ iso: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris")!
        let d = CalendarDate(iso: iso)!
        return calendar.date(from: DateComponents(year: d.year, month: d.month, day: d.day, hour: 12))!
    }

    /// Hands in a thesis grid with one mark.
    static func thesis(_ app: Application, _ f: ServerFixture, _ grid: DBGrid, mark: Double) async throws {
        let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
        let thesis = try #require(entry.referential.assessment("TP"))
        let outcome = try await GridEditing.save(
            grid: grid, assessment: thesis, scale: try #require(entry.referential.scale(thesis.scale)), members: [],
            submission: .init(
                baseRevision: 0, ratings: ["TP-1": .init(value: .mark(mark))], memberRatings: [:], submit: true),
            evaluator: f.evaluator, on: app.db)
        guard case .saved = outcome else {
            Issue.record("expected saved, got \(outcome)")
            return
        }
    }

    @Test(
        "computed counts this jury's block decisions and other juries'; adopting defers pending work, in one chained batch"
    )
    func computedAndAdopted() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            let (lea, hugo, ines) = (w.f.candidates[0], w.f.candidates[1], w.f.candidates[2])
            // Léa passes her thesis, Hugo fails it (no resit open), Inès has none; nobody's team grid is rated.
            try await Self.thesis(app, w.f, w.f.thesisGrids[0], mark: 12)
            try await Self.thesis(app, w.f, w.f.thesisGrids[1], mark: 8)
            // An earlier jury, closed, validated Inès's BC01.
            let earlier = DBJury(
                kind: .deliberation, name: "Jury 2025", place: "Lyon", meetsOn: CalendarDate(iso: "2025-07-04")!)
            earlier.status = .closed
            try await earlier.create(on: app.db)
            try await DBDecision(
                candidateID: ines.id!, juryID: earlier.id,
                decision: Decision(
                    id: "", scope: .block("BC01"), outcome: .validated, justification: "Stage probant",
                    decidedBy: "Paule",
                    decidedOn: CalendarDate(iso: "2025-07-04")!), decidedBy: w.president.id!
            ).create(on: app.db)
            // This jury validates Léa's BC01, which computes as pending.
            try await Deliberating.record(
                .init(scope: .block("BC01"), outcome: .validated, justification: "Projet d'entreprise probant"),
                candidate: lea.id!, juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)

            let context = try await JuryContext.load(w.juryID, referentials: app.referentials, on: app.db)
            let matrix = try await DeliberationPage.query(context, filters: .init(), on: app.db)
            func computed(_ candidate: DBCandidate) -> [OutcomeStatus] {
                matrix.rows.first { $0.candidateID == candidate.id }!.cells.map(\.computed)
            }
            // Léa: her own BC01 decision is left out of BC01, and counts for the certification.
            #expect(computed(lea) == [.incomplete, .validated, .validated])
            #expect(computed(hugo) == [.incomplete, .notValidated, .incomplete])
            // Inès: the earlier jury's block counts.
            #expect(computed(ines) == [.validated, .incomplete, .incomplete])
            let explained = try JuryCandidatePage.query(context, candidate: lea.id!)
            #expect(explained.lines.last?.computed == .validated)

            let before = try await DBAuditEntry.query(on: app.db).count()
            let (recorded, skipped) = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            #expect(recorded == 8 && skipped.isEmpty)
            func decided(_ candidate: DBCandidate) async throws -> [String: String] {
                let rows = try await DBDecision.query(on: app.db).filter(\.$candidate.$id == candidate.id!)
                    .filter(\.$jury.$id == w.juryID).all()
                return Dictionary(
                    uniqueKeysWithValues: rows.map { ("\($0.scopeKind.rawValue):\($0.scopeCode)", $0.outcome.rawValue) }
                )
            }
            #expect(
                try await decided(lea) == [
                    "block:BC01": "validated", "requirement:TP": "validated", "certification:": "validated",
                ])
            #expect(
                try await decided(hugo) == [
                    "block:BC01": "deferred", "requirement:TP": "not-validated", "certification:": "deferred",
                ])
            #expect(
                try await decided(ines) == [
                    "block:BC01": "validated", "requirement:TP": "deferred", "certification:": "deferred",
                ])
            // The meeting (03/07/2026) is past: decisions carry its date.
            #expect(
                try await DBDecision.query(on: app.db).filter(\.$jury.$id == w.juryID).all().allSatisfy {
                    $0.decidedOn.iso == "2026-07-03"
                })

            // One audit entry per decision, chained entry by entry, the chain intact.
            let batch = try await DBAuditEntry.query(on: app.db).sort(\.$sequence).all().dropFirst(before)
            #expect(batch.count == recorded)
            #expect(batch.allSatisfy { $0.action == "decision-recorded" })
            #expect(Set(batch.map(\.subjectID)).count == recorded)
            #expect(
                zip(batch.dropFirst(), batch).allSatisfy {
                    $0.previousHash == $1.hash && $0.sequence == $1.sequence + 1
                })
            let verified = try await AuditLog.verify(on: app.db)
            #expect(verified.broken == nil)
            #expect(verified.checked == before + recorded)
            // Adopting again records nothing.
            #expect(
                try await Deliberating.adoptComputed(
                    juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db
                ).recorded == 0)
        }
    }

    @Test("adopting and closing run the same number of queries for 4 and for 24 candidates")
    func constantStatements() async throws {
        func counts(growBy extra: Int) async throws -> (adopt: Int, close: Int, decisions: Int) {
            var result = (adopt: 0, close: 0, decisions: 0)
            try await withTestApp { app in
                let w = try await DeliberationTests.world(app)
                try await DeliberationTests.settings(app)
                try await QueryCountTests.grow(w.f, by: extra, on: app.db)
                // Léa's BC01 validated: closing issues her attestation.
                try await Deliberating.record(
                    .init(scope: .block("BC01"), outcome: .validated, justification: "Projet probant"),
                    candidate: w.f.candidates[0].id!, juryID: w.juryID, actor: w.president,
                    referentials: app.referentials, on: app.db)
                // Parses the référentiel once.
                _ = try await JuryContext.load(w.juryID, referentials: app.referentials, on: app.db)
                let (adoptDB, adoptHistory) = QueryCountTests.recording(app)
                result.decisions = try await Deliberating.adoptComputed(
                    juryID: w.juryID, actor: w.president, referentials: app.referentials, on: adoptDB
                ).recorded
                let (closeDB, closeHistory) = QueryCountTests.recording(app)
                let issued = try await Deliberating.close(
                    juryID: w.juryID, actor: w.president, referentials: app.referentials,
                    settings: try await AppSettings.load(on: app.db), on: closeDB)
                #expect(issued == 1)
                #expect(try await AuditLog.verify(on: app.db).broken == nil)
                result.adopt = adoptHistory.queries.count
                result.close = closeHistory.queries.count
            }
            return result
        }
        // One grown candidate in both: rated grids make the evaluators' names read, whatever their number.
        let small = try await counts(growBy: 1)
        let large = try await counts(growBy: 21)
        #expect(large.decisions == small.decisions + 20 * 3)
        #expect(large.adopt == small.adopt, "adopting: \(small.adopt) queries for 4 candidates, \(large.adopt) for 24")
        #expect(large.close == small.close, "closing: \(small.close) queries for 4 candidates, \(large.close) for 24")
    }

    @Test("a batch of audit entries chains like entries appended one by one")
    func auditBatch() async throws {
        try await withTestApp { app in
            try await AuditLog.append(
                .init(action: "first", subjectType: "test", subjectID: "0", payload: [:]),
                actorID: nil, actorName: "test", on: app.db)
            let events = (1...2_500).map {
                AuditLog.Event(action: "batch", subjectType: "test", subjectID: String($0), payload: ["n": String($0)])
            }
            let entries = try await AuditLog.append(batch: events, actorID: nil, actorName: "test", on: app.db)
            #expect(entries.map(\.sequence) == Array(2...2_501))
            try await AuditLog.append(
                .init(action: "last", subjectType: "test", subjectID: "x", payload: [:]),
                actorID: nil, actorName: "test", on: app.db)
            let verified = try await AuditLog.verify(on: app.db)
            #expect(verified.broken == nil && verified.checked == 2_502)
            #expect(try await AuditLog.append(batch: [], actorID: nil, actorName: "test", on: app.db).isEmpty)
        }
    }

    @Test(
        "closing is refused while the composition breaks a rule, before the meeting date, or with an abstention unresolved"
    )
    func closingRefusals() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await DeliberationTests.settings(app)
            let jury = DBJury(
                kind: .deliberation, name: "Jury vide", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-03")!)
            try await jury.create(on: app.db)
            try await jury.$cohorts.attach(f.cohort, on: app.db)
            let juryID = jury.id!
            // Prepared before the meeting: dated the day it is recorded, never the meeting's future date.
            try await Deliberating.record(
                .init(scope: .certification, outcome: .deferred, justification: nil), candidate: f.candidates[0].id!,
                juryID: juryID, actor: people.manager, referentials: app.referentials, on: app.db,
                now: Self.noon("2026-06-01"))
            #expect(try await DBDecision.query(on: app.db).first()?.decidedOn.iso == "2026-06-01")
            _ = try await Deliberating.adoptComputed(
                juryID: juryID, actor: people.manager, referentials: app.referentials, on: app.db)

            func refusal(_ now: Date) async throws -> String {
                do {
                    _ = try await Deliberating.close(
                        juryID: juryID, actor: people.manager, referentials: app.referentials,
                        settings: try await AppSettings.load(on: app.db), on: app.db, now: now)
                    return ""
                } catch let failure as Deliberating.Failure {
                    return failure.description
                }
            }
            let meetingDay = Self.noon("2026-07-03")
            #expect(
                try await refusal(meetingDay)
                    == "Impossible de clore : le jury compte 0 membre : il en faut au moins deux ; le jury n'a pas de président."
            )
            try await DBJuryMember(juryID: juryID, userID: people.jury.id!, role: .president, qualities: [.qualified])
                .create(on: app.db)
            try await DBJuryMember(juryID: juryID, userID: people.manager.id!, role: .member).create(on: app.db)
            #expect(
                try await refusal(Self.noon("2026-07-01"))
                    == "Impossible de clore : le jury se réunit le 03/07/2026 : la délibération ne se clôt pas avant.")
            // The president trained Léa: one member left to judge her.
            try await DBJuryConflict(
                juryID: juryID, userID: people.jury.id!, candidateID: f.candidates[0].id!, involvement: .trained
            )
            .create(on: app.db)
            #expect(
                try await refusal(meetingDay)
                    == "Impossible de clore : abstentions non résolues, moins de deux membres peuvent juger : \(f.candidates[0].displayName)."
            )
            #expect(try await DBJury.find(juryID, on: app.db)?.isClosed == false)
            let third = DBUser(
                email: "tiers@example.fr", displayName: "Tina Tiers", passwordHash: "x", role: .juryMember)
            try await third.create(on: app.db)
            try await DBJuryMember(juryID: juryID, userID: third.id!, role: .member).create(on: app.db)
            #expect(try await refusal(meetingDay) == "")
            #expect(try await DBJury.find(juryID, on: app.db)?.isClosed == true)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test("a VAE jury decides at the interview, not before; its documents carry the decision's date")
    func vaeDates() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let (request, jury) = try await w.submittedRequestBeforeJury(meetsOn: "2026-12-15")
            let decisions = [VAEJuryRules.BlockDecision(block: "BC01", outcome: .validated, reasons: "Preuves solides")]
            func decide(_ now: Date) async throws {
                try await VAEJuryDeciding.decide(
                    request, candidate: w.candidate, decisions: decisions, actor: w.president,
                    referentials: app.referentials,
                    settings: try await AppSettings.load(on: app.db), on: app.db, now: now)
            }
            await #expect(throws: VAEProcessing.Failure.self) { try await decide(Self.noon("2026-11-30")) }
            do {
                try await decide(Self.noon("2026-11-30"))
            } catch let failure as VAEProcessing.Failure {
                #expect(
                    failure.message
                        == "L'entretien avec le jury a lieu le 15/12/2026 : ses décisions s'enregistrent à partir de cette date, pas avant"
                )
            }
            #expect(try await DBDecision.query(on: app.db).count() == 0)
            #expect(try await DBDocument.query(on: app.db).count() == 0)

            try await decide(Self.noon("2026-12-17"))
            let decision = try #require(try await DBDecision.query(on: app.db).first())
            #expect(decision.decidedOn.iso == "2026-12-15" && decision.$jury.id == jury.id)
            let document = try #require(try await DBDocument.query(on: app.db).first()).decoded()
            #expect(document.deliveredOn == CalendarDate(iso: "2026-12-15"))
            #expect(document.blocks.map(\.acquiredOn) == [CalendarDate(iso: "2026-12-15")!])
        }
    }

    @Test(
        "a resit holds only those whose latest attempt did not validate, never VAE candidates, and says who was left out"
    )
    func resitSession() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let entry = try await app.referentials.entry(f.referential.id!, on: app.db)
            // Léa passes her thesis (12/20), Hugo fails it (8/20), Inès hands nothing in; Zoé, in VAE, fails it too.
            let zoe = DBCandidate(
                schoolID: f.school.id!, cohortID: f.cohort.id!, referentialID: f.referential.id!,
                identity: CandidateIdentity(
                    birthName: "Roux", firstNames: "Zoé", birthDate: CalendarDate(year: 1990, month: 5, day: 5)!,
                    birthPlace: "Lyon",
                    birthPlaceINSEE: "69123", sex: .female, email: "zoe@example.fr", accessRoute: .vae))
            try await zoe.create(on: app.db)
            let zoeGrid = DBGrid(sessionID: f.thesisSession.id!, candidateID: zoe.id!)
            try await zoeGrid.create(on: app.db)
            try await Self.thesis(app, f, f.thesisGrids[0], mark: 12)
            try await Self.thesis(app, f, f.thesisGrids[1], mark: 8)
            try await Self.thesis(app, f, zoeGrid, mark: 5)

            let outcome = try await SessionCreation.create(
                .init(assessment: "TP", attempt: "2", startsOn: "01/06/2026", endsOn: "02/06/2026"),
                cohort: f.cohort, entry: entry, by: f.evaluator, on: app.db)
            guard case .success(let created) = outcome else {
                Issue.record("expected created, got \(outcome)")
                return
            }
            let (id, count, leftOut) = (created.session, created.grids, created.leftOut)
            #expect(count == 1)
            let grids = try await DBGrid.query(on: app.db).filter(\.$session.$id == id).all()
            #expect(grids.map { $0.$candidate.id } == [f.candidates[1].id])
            let reasons = Dictionary(uniqueKeysWithValues: leftOut.map { ($0.name, $0.reason) })
            #expect(
                reasons == [
                    f.candidates[0].displayName: "épreuve déjà réussie",
                    f.candidates[2].displayName: "aucune grille rendue à une session précédente de cette épreuve",
                    zoe.displayName: "candidat en VAE : le jury VAE le juge, pas une grille",
                ])
            // Hugo's failed thesis, with his resit open, is pending: not refused yet.
            let record = try await ResultsQuery.record(
                candidate: f.candidates[1], referential: entry.referential, on: app.db)
            #expect(entry.engine.results(for: record).requirements.map(\.status) == [.incomplete])

            // The team never handed in its case study: no resit for it, and it says why.
            let caseStudy = try #require(entry.referential.assessment("E1.1"))
            let teams = try await SessionCreation.subjects(
                assessment: caseStudy, attempt: 2, cohort: f.cohort.id!, entry: entry, on: app.db)
            #expect(teams.teams.isEmpty)
            #expect(
                teams.leftOut == [
                    .init(
                        name: "Équipe A",
                        reason: "aucun membre concerné : aucune grille rendue à une session précédente de cette épreuve"
                    )
                ])
        }
    }
}
