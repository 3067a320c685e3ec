import Fluent
import Foundation
import SQLKit
import Testing
import ValidaCore
import VaporTesting
import ZIPFoundation

@testable import ValidaServer

/// The documents' fixture (Léa Martin: documents, decisions of a closed jury and of one
/// still deliberating; Inès Petit: a revoked attestation) with more about each person:
/// submitted thesis grids rated with comments, a VAE request for Léa and for Inès with an
/// experience, a situation and an evidence file on the disk, a message to each, and Hugo
/// Bernard's own comment and message, which must never show in another's export.
struct PersonalDataWorld {
    let d: DocumentFixture
    let app: Application
    var f: ServerFixture { d.f }
    var people: AssessmentPeople { d.people }
    var lea: DBCandidate { f.candidates[0] }
    var hugo: DBCandidate { f.candidates[1] }
    var ines: DBCandidate { f.candidates[2] }
    /// The evidence files' stored names, by candidate.
    let evidence: [UUID: String]

    static let evidenceBytes: [String: Data] = [
        "lea": Data("%PDF-1.4 preuve de Léa".utf8), "ines": Data("%PDF-1.4 preuve d'Inès".utf8),
    ]

    static func make(_ app: Application) async throws -> PersonalDataWorld {
        // Printing is tested elsewhere: here documents go into the archive as HTML.
        app.pdfChromium = "/nonexistent/chromium"
        let d = try await DocumentFixture.make(app)
        let db = app.db
        let f = d.f
        for (index, grid) in f.thesisGrids.enumerated() {
            try await DBRating(
                gridID: grid.id!, criterionID: "TP-1", mark: Double(12 + index),
                comment: ["Analyse solide de Léa", "COMMENTAIRE-SECRET-HUGO", "Plan à revoir pour Inès"][index],
                evaluatorID: f.evaluator.id!, ratedAt: Date()
            ).create(on: db)
            grid.status = .submitted
            grid.submittedAt = Date()
            try await grid.save(on: db)
        }
        var evidence: [UUID: String] = [:]
        for (key, candidate, uploader) in [
            ("lea", f.candidates[0], d.people.lea), ("ines", f.candidates[2], d.people.ines),
        ] {
            let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: false, blocks: ["BC01"])
            request.certifierMessage = "Message du certificateur pour \(key)"
            try await request.create(on: db)
            try await DBVAEExperience(
                requestID: request.id!,
                experience: VAEExperience(
                    employer: "Employeur de \(key)", role: "Chargée d'études",
                    startsOn: CalendarDate(iso: "2020-01-01"),
                    endsOn: nil, activities: "Récit de l'expérience de \(key)")
            ).create(on: db)
            let situation = DBVAESituation(
                requestID: request.id!, blockID: "BC01", title: "Étude de marché de \(key)",
                description: "Récit de la situation de \(key)", competencies: ["C1.1"])
            try await situation.create(on: db)
            let stored = UUID().uuidString
            try app.vaeEvidence.prepare()
            try evidenceBytes[key]!.write(to: app.vaeEvidence.url(stored: stored))
            let row = DBVAEEvidence()
            row.$request.id = request.id!
            row.$situation.id = situation.id!
            row.originalName = "../../preuve \(key).pdf"
            row.storedName = stored
            row.detectedType = .pdf
            row.mediaType = "application/pdf"
            row.size = evidenceBytes[key]!.count
            row.sha256 = VAEEvidenceStorage.sha256(evidenceBytes[key]!)
            row.$uploadedBy.id = uploader.id!
            try await row.create(on: db)
            evidence[candidate.id!] = stored
        }
        for (candidate, user) in [
            (f.candidates[0], d.people.lea.id), (f.candidates[1], nil), (f.candidates[2], d.people.ines.id),
        ] {
            try await Outbox.enqueue(
                OutgoingMail(
                    kind: .documentIssued, recipientEmail: candidate.email, recipientName: candidate.displayName,
                    userID: user, subject: "Message pour \(candidate.firstNames)",
                    text: "Bonjour \(candidate.firstNames)",
                    html: "<p>Bonjour</p>"), on: db)
        }
        return PersonalDataWorld(d: d, app: app, evidence: evidence)
    }

    /// Moves every date that counts as activity for `candidate` back by `years`, so that a
    /// retention period can have run out.
    func age(_ candidate: DBCandidate, years: Int) async throws {
        let past = Calendar(identifier: .gregorian).date(byAdding: .year, value: -years, to: Date())!
        let sql = app.db as! any SQLDatabase
        let id = candidate.id!
        try await sql.update(DBCandidate.schema).set("created_at", to: past).where("id", .equal, id).run()
        try await sql.update(DBDecision.schema).set("recorded_at", to: past).where("candidate_id", .equal, id).run()
        try await sql.update(DBDocument.schema).set("issued_at", to: past).where("candidate_id", .equal, id).run()
        try await sql.update(DBVAERequest.schema).set("updated_at", to: past).set("created_at", to: past)
            .where("candidate_id", .equal, id).run()
        let requests = try await DBVAERequest.query(on: app.db).filter(\.$candidate.$id == id).all().map { $0.id! }
        if !requests.isEmpty {
            try await sql.update(DBVAEEvidence.schema).set("uploaded_at", to: past).where("request_id", .in, requests)
                .run()
        }
        try await sql.update(DBUser.schema).set("created_at", to: past).set("last_signed_in_at", to: past)
            .where("candidate_id", .equal, id).run()
    }

    func setRetention(_ years: String) async throws {
        var settings = try await AppSettings.load(on: app.db)
        settings.retentionYears = years
        try await settings.save(on: app.db)
    }

    /// Counts that statistics read: they must not change when someone is erased.
    func statistics() async throws -> [String: Int] {
        let db = app.db
        return [
            "candidates": try await DBCandidate.query(on: db).count(),
            "cohort": try await DBCandidate.query(on: db).filter(\.$cohort.$id == f.cohort.id!).count(),
            "female": try await DBCandidate.query(on: db).filter(\.$sex == .female).count(),
            "apprenticeship": try await DBCandidate.query(on: db).filter(\.$accessRoute == .apprenticeship).count(),
            "grids": try await DBGrid.query(on: db).count(),
            "ratings": try await DBRating.query(on: db).count(),
            "decisions": try await DBDecision.query(on: db).count(),
            "documents": try await DBDocument.query(on: db).count(),
            "teamMembers": try await DBTeamMember.query(on: db).count(),
            "vaeRequests": try await DBVAERequest.query(on: db).count(),
            "situations": try await DBVAESituation.query(on: db).count(),
        ]
    }
}

/// A ZIP archive's entries by name.
func unzip(_ data: Data) throws -> [String: Data] {
    let archive = try Archive(data: data, accessMode: .read)
    var files: [String: Data] = [:]
    for entry in archive {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        files[entry.path] = data
    }
    return files
}

/// `donnees.json` of an export, as JSON objects.
func exportedJSON(_ files: [String: Data]) throws -> [String: Any] {
    let data = try #require(files["donnees.json"])
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}
