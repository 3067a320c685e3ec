import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Written work (migration 037), double marking (038) and accommodations (041) in a
/// candidate's export and erasure.
@Suite("Personal data: written work, double marking, accommodations")
struct PersonalDataWrittenWorkTests {
    static let leaWork = Data("%PDF-1.4 mémoire de Léa".utf8)
    static let hugoWork = Data("%PDF-1.4 mémoire de Hugo".utf8)

    /// A handed-in thesis for Léa and for Hugo, files on the disk, and a double marking of
    /// Léa's (submitted) grid with a marker's comment about her.
    static func addWork(_ w: PersonalDataWorld) async throws -> (lea: String, hugo: String) {
        let db = w.app.db
        try w.app.submissionStorage.prepare()
        var stored: [String] = []
        for (index, (candidate, account, data)) in [
            (w.lea, w.people.lea, leaWork), (w.hugo, w.people.manager, hugoWork),
        ].enumerated() {
            let name = UUID().uuidString
            try data.write(to: w.app.submissionStorage.url(stored: name))
            let row = DBSubmission()
            row.$session.id = w.f.thesisGrids[index].$session.id
            row.$candidate.id = candidate.id!
            row.version = 1
            row.originalName = "../mémoire \(index).pdf"
            row.storedName = name
            row.detectedType = .pdf
            row.mediaType = "application/pdf"
            row.size = data.count
            row.sha256 = VAEEvidenceStorage.sha256(data)
            row.$uploadedBy.id = account.id!
            row.uploadedAt = Date()
            row.late = false
            row.counted = true
            try await row.create(on: db)
            stored.append(name)
        }
        let marking = DBMarking(gridID: w.f.thesisGrids[0].id!, evaluatorID: w.f.evaluator.id!, role: .first)
        marking.status = .submitted
        marking.submittedAt = Date()
        try await marking.create(on: db)
        try await DBMarkingRating(
            markingID: marking.id!, criterionID: "TP-1", memberID: nil, value: .mark(14),
            comment: "Correction : problématique claire pour Léa", at: Date()
        ).create(on: db)
        let accommodation = DBAccommodation()
        accommodation.$candidate.id = w.lea.id!
        accommodation.kinds = StoredSet([.extraTime])
        accommodation.extraTimePercent = 33
        accommodation.assessments = StoredSet([AssessmentRef(rawValue: "TP")])
        accommodation.reason = "MOTIF-MEDICAL-LEA"
        accommodation.status = .granted
        accommodation.requestedBy = w.people.coordinator.id!
        accommodation.requestedAt = Date()
        try await accommodation.create(on: db)
        return (stored[0], stored[1])
    }

    @Test("Léa's archive holds her submitted file, the marker's comment and her accommodation, not Hugo's work")
    func export() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            _ = try await Self.addWork(w)
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let response = try await browser.get(SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
            #expect(response.status == .ok)
            let files = try unzip(Data(buffer: response.body))
            let json = try exportedJSON(files)
            let submissions = try #require(json["submissions"] as? [[String: Any]])
            #expect(submissions.count == 1)
            let file = try #require(submissions.first?["file"] as? String)
            #expect(file.hasPrefix("travaux/1-") && !file.contains(".."))
            #expect(files[file] == Self.leaWork)
            #expect(submissions.first?["originalName"] as? String == "../mémoire 0.pdf")
            #expect(!files.values.contains(Self.hugoWork))
            let markings = try #require(json["markings"] as? [[String: Any]])
            #expect(markings.map { $0["comment"] as? String } == ["Correction : problématique claire pour Léa"])
            #expect(markings.first?["marker"] as? String == w.f.evaluator.displayName)
            #expect(String(decoding: files["LISEZMOI.txt"] ?? Data(), as: UTF8.self).contains("travaux/"))
            // Her accommodation, reason included: it is hers.
            let accommodations = try #require(json["accommodations"] as? [[String: Any]])
            #expect(accommodations.map { $0["reason"] as? String } == ["MOTIF-MEDICAL-LEA"])
            #expect(accommodations.first?["extraTimePercent"] as? Int == 33)
        }
    }

    @Test("erasure deletes her submission and its file, the marker's comment, her accommodation's reason")
    func erasure() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let stored = try await Self.addWork(w)
            try await w.setRetention("1")
            let plan = try await PersonalDataErasure.plan(
                w.lea, settings: try await AppSettings.load(on: app.db), now: PersonalDataErasureTests.later,
                on: app.db)
            #expect(plan.erased.contains { $0.hasPrefix("Travaux écrits qu'il a remis (1 version)") })
            #expect(plan.erased.contains { $0.contains("double correction à son sujet (1)") })
            _ = try await PersonalDataErasureTests.erase(w, w.lea).get()
            #expect(!FileManager.default.fileExists(atPath: app.submissionStorage.url(stored: stored.lea).path))
            #expect(FileManager.default.fileExists(atPath: app.submissionStorage.url(stored: stored.hugo).path))
            #expect(try await DBSubmission.query(on: app.db).filter(\.$candidate.$id == w.lea.id!).count() == 0)
            #expect(try await DBSubmission.query(on: app.db).filter(\.$candidate.$id == w.hugo.id!).count() == 1)
            #expect(plan.erased.contains { $0.hasPrefix("Motifs des demandes d'aménagement d'épreuves (1)") })
            let accommodation = try #require(try await DBAccommodation.query(on: app.db).first())
            #expect(accommodation.reason.isEmpty)
            #expect(accommodation.extraTimePercent == 33 && accommodation.status == .granted)
            let ratings = try await DBMarkingRating.query(on: app.db).all()
            #expect(ratings.count == 1)
            #expect(ratings.allSatisfy { $0.comment == nil && $0.mark == 14 })
        }
    }
}
