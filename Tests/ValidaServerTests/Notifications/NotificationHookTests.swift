import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// Each event puts exactly its messages in the outbox, in its own transaction.
@Suite("Notifications: events enqueue their messages")
struct NotificationHookTests {
    struct Rollback: Error {}

    static func messages(_ app: Application, _ kind: MailKind? = nil) async throws -> [DBOutboxMessage] {
        var query = DBOutboxMessage.query(on: app.db)
        if let kind { query = query.filter(\.$kind == kind) }
        return try await query.all().sorted { $0.recipientEmail < $1.recipientEmail }
    }

    @Test("closing a deliberation sends each candidate their own results, with their documents' verification links")
    func closing() async throws {
        try await withTestApp { app in
            let w = try await HolderDeclarationExportTests.closed(app)
            let all = try await Self.messages(app)
            #expect(all.count == 3)
            #expect(all.allSatisfy { $0.kind == .resultsPublished })
            // Léa and Inès through their accounts, Hugo (no account) at his record's address.
            #expect(all.map(\.recipientEmail) == ["bernard@example.fr", "ines@example.fr", "lea@example.fr"])
            #expect(all.map(\.$user.id) == [nil, w.people.ines.id, w.people.lea.id])
            let lea = all[2]
            #expect(lea.subject.contains("obtenue"))
            #expect(lea.textBody.contains("Bonjour Léa Martin,"))
            #expect(lea.textBody.contains("Vous avez obtenu la certification"))
            #expect(lea.textBody.contains("— École de l'Exemple"))
            let documents = try await DBDocument.query(on: app.db).filter(\.$candidate.$id == w.f.candidates[0].id!)
                .all()
            #expect(!documents.isEmpty)
            for document in documents {
                #expect(lea.textBody.contains("https://valida.example.fr/verify/\(document.code)"))
            }
            #expect(lea.textBody.contains("Consulter mes résultats : https://valida.example.fr/me"))
            // Nobody reads another candidate's results.
            for message in all {
                let others = ["Léa", "Hugo", "Inès"].filter { !message.textBody.contains("Bonjour \($0)") }
                #expect(others.count == 2)
                for name in others { #expect(!message.textBody.contains(name)) }
            }
        }
    }

    @Test("a closing rolled back leaves no message")
    func closingRolledBack() async throws {
        try await withTestApp { app in
            let w = try await DeliberationTests.world(app)
            try await DeliberationTests.settings(app)
            _ = try await Deliberating.adoptComputed(
                juryID: w.juryID, actor: w.president, referentials: app.referentials, on: app.db)
            await #expect(throws: Rollback.self) {
                try await app.db.transaction { tx in
                    _ = try await Deliberating.close(
                        juryID: w.juryID, actor: w.president, referentials: app.referentials,
                        settings: try await AppSettings.load(on: tx), on: tx)
                    #expect(try await DBOutboxMessage.query(on: tx).count() == 3)
                    throw Rollback()
                }
            }
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 0)
            #expect(try await DBJury.find(w.juryID, on: app.db)?.isClosed == false)
        }
    }

    @Test("documents issued at once make one message per candidate, each document with its verification link")
    func documentsIssued() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            try await DeliberationTests.settings(app)
            let jury = DBJury(
                kind: .deliberation, name: "Jury", place: "Lyon", meetsOn: CalendarDate(iso: "2026-07-03")!)
            try await jury.create(on: app.db)
            func documents(_ holder: String) -> [CertificationDocument] {
                [
                    DocumentFixture.content(
                        .blockAttestation, holder: holder, birthDate: "2000-01-01", blocks: [DocumentFixture.analyse]),
                    DocumentFixture.content(
                        .diploma, holder: holder, birthDate: "2000-01-01", blocks: [DocumentFixture.analyse]),
                ]
            }
            let issued = try await DocumentIssuing.issue(
                batch: [(f.candidates[0], documents("Léa Martin")), (f.candidates[1], documents("Hugo Bernard"))],
                jury: jury, actor: people.manager, on: app.db)
            #expect(issued.count == 4)
            let all = try await Self.messages(app)
            #expect(all.map(\.kind) == [.documentIssued, .documentIssued])
            #expect(all.map(\.recipientEmail) == ["bernard@example.fr", "lea@example.fr"])
            let settings = try await AppSettings.load(on: app.db)
            for message in all {
                #expect(message.subject == "Documents délivrés")
                let holder = message.recipientEmail == "lea@example.fr" ? f.candidates[0].id : f.candidates[1].id
                let own = issued.filter { $0.$candidate.id == holder }
                #expect(own.count == 2)
                for document in own {
                    #expect(message.textBody.contains(settings.verificationURL(code: document.code)))
                }
                #expect(message.textBody.contains("Responsable de projets exemple"))
            }
            // Issuing the same documents again changes nothing, and says nothing.
            _ = try await DocumentIssuing.issue(
                batch: [(f.candidates[0], documents("Léa Martin"))], jury: jury, actor: people.manager, on: app.db)
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 2)
        }
    }

    @Test("the VAE admissibility ruling and the VAE jury's date reach the candidate")
    func vae() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let request = DBVAERequest(candidateID: w.candidate.id!, kind: .classic, whole: false, blocks: ["BC01"])
            request.status = .feasibilitySubmitted
            try await request.create(on: app.db)
            try await VAEProcessing.move(
                request, .reject, message: "Expérience hors du champ de la certification", actor: w.manager,
                referentials: app.referentials, on: app.db)
            var all = try await Self.messages(app)
            #expect(all.count == 1)
            #expect(all[0].kind == .vaeAdmissibility)
            #expect(all[0].recipientEmail == "sophie@example.fr")
            #expect(all[0].$user.id == w.account.id)
            #expect(all[0].subject == "Votre demande de VAE n'est pas recevable")
            #expect(all[0].textBody.contains("Motif : Expérience hors du champ de la certification"))
            #expect(all[0].textBody.contains("https://valida.example.fr" + SiteRoute.vaeRequest(request.id).path))

            // A refused move (a request already ruled on) writes nothing.
            await #expect(throws: VAEProcessing.Failure.self) {
                try await VAEProcessing.move(
                    request, .declareAdmissible, message: nil, actor: w.manager, referentials: app.referentials,
                    on: app.db)
            }
            #expect(try await DBOutboxMessage.query(on: app.db).count() == 1)

            let second = DBVAERequest(candidateID: w.candidate.id!, kind: .classic, whole: false, blocks: ["BC01"])
            second.status = .dossierSubmitted
            try await second.create(on: app.db)
            try await VAEJuryDeciding.convene(
                second, candidate: w.candidate, name: "Jury VAE de mai", place: "Lyon, salle du conseil",
                interviewOn: CalendarDate(iso: "2027-05-12")!, actor: w.manager, on: app.db)
            all = try await Self.messages(app, .vaeJuryDate)
            #expect(all.count == 1)
            #expect(all[0].recipientEmail == "sophie@example.fr")
            #expect(all[0].subject == "Jury VAE : entretien le 12 mai 2027")
            #expect(all[0].textBody.contains("Lieu : Lyon, salle du conseil."))
            #expect(all[0].textBody.contains("le bloc BC01"))
        }
    }

    @Test("a VAE jury's decision sends the candidate one message: the result and the document's verification link")
    func vaeDecision() async throws {
        try await withTestApp { app in
            let w = try await VAEWorld.make(app)
            let (request, _) = try await w.submittedRequestBeforeJury(meetsOn: "2026-06-15")
            try await VAEJuryDeciding.decide(
                request, candidate: w.candidate,
                decisions: [.init(block: "BC01", outcome: .validated, reasons: "Preuves solides")], actor: w.president,
                referentials: app.referentials, settings: try await AppSettings.load(on: app.db), on: app.db)
            let all = try await Self.messages(app)
            #expect(all.map(\.kind) == [.resultsPublished])
            #expect(all[0].recipientEmail == "sophie@example.fr")
            #expect(all[0].textBody.contains("Le jury a validé : bloc BC01"))
            let documents = try await DBDocument.query(on: app.db).all()
            #expect(documents.count == 1)
            #expect(all[0].textBody.contains("https://valida.example.fr/verify/\(documents[0].code)"))
        }
    }
}
