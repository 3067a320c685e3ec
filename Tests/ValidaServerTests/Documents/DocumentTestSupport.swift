import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Documents written straight into the database around the server fixture: Léa Martin's
/// diploma (valid), her first attestation (corrected, replaced by the second, valid), and
/// Inès Petit's attestation (revoked). Decisions on Léa: in a closed jury a block not
/// validated then corrected to validated, and in a jury still deliberating one more that
/// she must not see yet. The public address is set, so verification links are known.
struct DocumentFixture {
    let f: ServerFixture
    let people: AssessmentPeople
    let diploma: DBDocument
    let oldAttestation: DBDocument
    let attestation: DBDocument
    let revoked: DBDocument

    static let baseURL = "https://valida.example.fr"
    static let certifier = "Institut Exemple SAS"
    static let title = "Responsable de projets exemple"

    static func content(
        _ kind: DocumentKind, holder: String, birthDate: String, blocks: [CertificationDocument.BlockLine]
    ) -> CertificationDocument {
        CertificationDocument(
            kind: kind, holder: .init(name: holder, birthDate: CalendarDate(iso: birthDate)!), certifierName: certifier,
            certificationTitle: title, rncpCode: "RNCP00001", level: 6, nsfCodes: ["312", "320"],
            registrationDate: CalendarDate(iso: "2024-03-15"), referentialVersion: "2025", blocks: blocks,
            deliveredOn: CalendarDate(iso: "2026-07-01")!, deliveredAt: "Lyon",
            signatory: .init(name: "Anne Directrice", title: "Directrice générale"))
    }

    static let analyse = CertificationDocument.BlockLine(
        code: "RNCP00001BC01", title: "Analyser un marché", acquiredOn: CalendarDate(iso: "2026-06-30")!,
        how: "par le jury")

    static func make(_ app: Application) async throws -> DocumentFixture {
        let db = app.db
        let f = try await ServerFixture.make(app)
        let people = try await AssessmentPeople.make(app, f)
        var settings = AppSettings()
        settings.publicBaseURL = baseURL + "/"
        try await settings.save(on: db)

        let lea = f.candidates[0].id!
        let ines = f.candidates[2].id!
        let diploma = try DBDocument(
            candidateID: lea, juryID: nil,
            document: content(.diploma, holder: "Léa Martin", birthDate: "2000-01-01", blocks: [analyse]),
            code: "DPLM-ABCD-2345")
        let attestation = try DBDocument(
            candidateID: lea, juryID: nil,
            document: content(.blockAttestation, holder: "Léa Martin", birthDate: "2000-01-01", blocks: [analyse]),
            code: "ATTN-NEWW-6789")
        for row in [diploma, attestation] { try await row.create(on: db) }
        let old = try DBDocument(
            candidateID: lea, juryID: nil,
            document: content(
                .blockAttestation, holder: "Léa Martin", birthDate: "2000-01-01",
                blocks: [
                    .init(
                        code: "RNCP00001BC01", title: "Analyser un marché",
                        acquiredOn: CalendarDate(iso: "2026-06-15")!, how: "par la VAE")
                ]), code: "ATTN-OLDD-2345")
        old.status = .corrected
        old.$replacedBy.id = attestation.id
        try await old.create(on: db)
        let revoked = try DBDocument(
            candidateID: ines, juryID: nil,
            document: content(.blockAttestation, holder: "Inès Petit", birthDate: "2000-01-03", blocks: [analyse]),
            code: "REVK-ABCD-2345")
        revoked.status = .revoked
        try await revoked.create(on: db)

        let closed = DBJury(
            kind: .deliberation, name: "Jury de juin", place: "Lyon", meetsOn: CalendarDate(iso: "2026-06-30")!)
        closed.status = .closed
        let open = DBJury(
            kind: .deliberation, name: "Jury de septembre", place: "Lyon", meetsOn: CalendarDate(iso: "2026-09-30")!)
        for jury in [closed, open] { try await jury.create(on: db) }
        let juror = people.jury.id!
        let first = DBDecision(
            candidateID: lea, juryID: closed.id,
            decision: Decision(
                id: "", scope: .block("BC01"), outcome: .notValidated, justification: "Étude de cas insuffisante",
                decidedBy: "Jeanne Jury", decidedOn: CalendarDate(iso: "2026-06-30")!), decidedBy: juror)
        try await first.create(on: db)
        try await DBDecision(
            candidateID: lea, juryID: closed.id,
            decision: Decision(
                id: "", scope: .block("BC01"), outcome: .validated, justification: "Erreur de saisie corrigée",
                decidedBy: "Jeanne Jury", decidedOn: CalendarDate(iso: "2026-07-02")!, corrects: first.id!.uuidString),
            decidedBy: juror
        ).create(on: db)
        try await DBDecision(
            candidateID: lea, juryID: open.id,
            decision: Decision(
                id: "", scope: .certification, outcome: .validated, justification: "Délibération en cours",
                decidedBy: "Jeanne Jury", decidedOn: CalendarDate(iso: "2026-09-30")!), decidedBy: juror
        ).create(on: db)

        return DocumentFixture(
            f: f, people: people, diploma: diploma, oldAttestation: old, attestation: attestation, revoked: revoked)
    }
}
