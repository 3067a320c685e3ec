import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Personal data: the export")
struct PersonalDataExportTests {
    @Test(
        "Léa's archive holds her identity, grids, published decisions, documents, VAE file and messages, nobody else's")
    func contents() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let browser = try await TestBrowser.signedIn(app, w.people.lea)
            let response = try await browser.get(SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .init(type: "application", subType: "zip"))
            #expect(response.headers.first(name: .contentDisposition)?.contains("donnees-valida-") == true)
            let files = try unzip(Data(buffer: response.body))
            let json = try exportedJSON(files)
            #expect(
                Set(json.keys)
                    == [
                        "exportedAt", "identity", "enrolment", "accounts", "teams", "grids", "decisions", "documents",
                        "credentials", "vaeRequests", "submissions", "markings", "slots",
                        "accommodations", "insertionSurveys", "appeals", "messages", "auditEntries",
                    ])
            let identity = try #require(json["identity"] as? [String: Any])
            #expect(identity["birthName"] as? String == "Martin")
            #expect(identity["firstNames"] as? String == "Léa")
            #expect(identity["birthDate"] as? String == "2000-01-01")
            #expect(identity["email"] as? String == "martin@example.fr")
            let enrolment = try #require(json["enrolment"] as? [String: Any])
            #expect(enrolment["cohort"] as? String == "Promotion 2026")
            #expect(enrolment["school"] as? String == "École de l'Exemple")
            let accounts = try #require(json["accounts"] as? [[String: Any]])
            #expect(accounts.map { $0["email"] as? String } == ["lea@example.fr"])
            let teams = try #require(json["teams"] as? [[String: Any]])
            #expect(teams.map { $0["name"] as? String } == ["Équipe A"])

            // Her thesis grid with the evaluator's name and comment; the team grid, not yet submitted, without ratings.
            let grids = try #require(json["grids"] as? [[String: Any]])
            #expect(grids.count == 2)
            let thesis = try #require(grids.first { ($0["ratings"] as? [Any])?.isEmpty == false })
            let rating = try #require((thesis["ratings"] as? [[String: Any]])?.first)
            #expect(rating["comment"] as? String == "Analyse solide de Léa")
            #expect(rating["evaluator"] as? String == "Claire Martin")
            #expect(rating["mark"] as? Double == 12)

            // The closed jury's two decisions; the one of the jury still deliberating is absent.
            let decisions = try #require(json["decisions"] as? [[String: Any]])
            #expect(decisions.count == 2)
            #expect(
                Set(decisions.compactMap { $0["justification"] as? String })
                    == ["Étude de cas insuffisante", "Erreur de saisie corrigée"])
            #expect(decisions.allSatisfy { $0["jury"] as? String == "Jury de juin" })

            let documents = try #require(json["documents"] as? [[String: Any]])
            #expect(
                Set(documents.compactMap { $0["code"] as? String })
                    == ["DPLM-ABCD-2345", "ATTN-NEWW-6789", "ATTN-OLDD-2345"])
            for document in documents {
                let file = try #require(document["file"] as? String)
                let html = String(decoding: try #require(files[file]), as: UTF8.self)
                #expect(html.contains(try #require(document["code"] as? String)))
                #expect(html.contains("Léa Martin"))
                #expect(
                    (document["verificationURL"] as? String)?.hasPrefix(DocumentFixture.baseURL + "/verify/") == true)
            }

            let requests = try #require(json["vaeRequests"] as? [[String: Any]])
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request["certifierMessage"] as? String == "Message du certificateur pour lea")
            let experience = try #require((request["experiences"] as? [[String: Any]])?.first)
            #expect(experience["activities"] as? String == "Récit de l'expérience de lea")
            let situation = try #require((request["situations"] as? [[String: Any]])?.first)
            #expect(situation["description"] as? String == "Récit de la situation de lea")
            let evidence = try #require((situation["evidence"] as? [[String: Any]])?.first)
            #expect(evidence["originalName"] as? String == "../../preuve lea.pdf")
            // The name in the archive comes from Valida, not from the name typed.
            let evidenceFile = try #require(evidence["file"] as? String)
            #expect(evidenceFile == "pieces-vae/1-preuve_lea.pdf")
            #expect(files[evidenceFile] == PersonalDataWorld.evidenceBytes["lea"])

            let messages = try #require(json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["subject"] as? String } == ["Message pour Léa"])

            let readme = String(decoding: try #require(files["LISEZMOI.txt"]), as: UTF8.self)
            #expect(readme.contains("donnees.json"))
            #expect(readme.contains("pieces-vae/"))
            #expect(readme.contains("ouvrez les fichiers .html"))
            #expect(files.keys.allSatisfy { !$0.contains("..") && !$0.hasPrefix("/") })

            // Nobody else's data: Hugo's comment and message, Inès's documents and VAE file.
            let everything = files.values.map { String(decoding: $0, as: UTF8.self) }.joined()
            for other in [
                "COMMENTAIRE-SECRET-HUGO", "Message pour Hugo", "REVK-ABCD-2345", "Inès", "bernard@example.fr",
                "Récit de l'expérience de ines", "Délibération en cours",
            ] {
                #expect(!everything.contains(other), "« \(other) » is not Léa's")
            }
            #expect(files.values.contains(PersonalDataWorld.evidenceBytes["ines"]!) == false)
        }
    }

    @Test("each export is audited with who exported whom, and the chain stays intact")
    func audited() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let response = try await manager.get(SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
            #expect(response.status == .ok)
            let entries = try await DBAuditEntry.query(on: app.db).filter(\.$action == "personal-data-exported").all()
            #expect(entries.count == 1)
            #expect(entries.first?.subjectID == w.lea.id!.uuidString)
            #expect(entries.first?.actorName == "Rémi Responsable")
            #expect(entries.first?.actorID == w.people.manager.id)
            #expect(try await AuditLog.verify(on: app.db).broken == nil)
        }
    }

    @Test("a candidate downloads only their own data; a coordinator or a jury member none")
    func access() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let lea = try await TestBrowser.signedIn(app, w.people.lea)
            let other = try await lea.get(SiteRoute.candidatePersonalDataExport(w.ines.id!).path)
            #expect(other.status == .forbidden)
            #expect(pageText(other).contains("vous ne pouvez télécharger que vos propres données"))
            for user in [w.people.coordinator, w.people.jury] {
                let browser = try await TestBrowser.signedIn(app, user)
                let response = try await browser.get(SiteRoute.candidatePersonalDataExport(w.lea.id!).path)
                #expect(response.status == .forbidden)
            }
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "personal-data-exported").count() == 0)
            // The links: « Mon espace » for the candidate, the candidate's page for the manager.
            let space = try await lea.get(SiteRoute.mySpace.path)
            #expect(space.body.string.contains(SiteRoute.candidatePersonalDataExport(w.lea.id!).path))
            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            let page = try await manager.get(SiteRoute.candidate(w.lea.id!).path)
            #expect(page.body.string.contains(SiteRoute.candidatePersonalDataExport(w.lea.id!).path))
            #expect(page.body.string.contains(SiteRoute.candidatePersonalData(w.lea.id!).path))
            let coordinator = try await TestBrowser.signedIn(app, w.people.coordinator)
            let seen = try await coordinator.get(SiteRoute.candidate(w.lea.id!).path)
            #expect(!seen.body.string.contains(SiteRoute.candidatePersonalData(w.lea.id!).path))
        }
    }

    @Test("valida gdpr export writes the same archive, found by email or id; an unknown one is said")
    func commandLine() async throws {
        try await withTestApp { app in
            let w = try await PersonalDataWorld.make(app)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: url) }
            let message = try await ServerRuntime.exportPersonalData(candidate: "MARTIN@example.fr", to: url, on: app)
            #expect(message.contains("Léa Martin"))
            let json = try exportedJSON(try unzip(try Data(contentsOf: url)))
            #expect((json["identity"] as? [String: Any])?["email"] as? String == "martin@example.fr")
            _ = try await ServerRuntime.exportPersonalData(candidate: w.ines.id!.uuidString, to: url, on: app)
            let ines = try exportedJSON(try unzip(try Data(contentsOf: url)))
            #expect((ines["identity"] as? [String: Any])?["birthName"] as? String == "Petit")
            let entry = try await DBAuditEntry.query(on: app.db).filter(\.$action == "personal-data-exported")
                .filter(\.$subjectID == w.ines.id!.uuidString).first()
            #expect(entry?.actorName == "ligne de commande (valida gdpr export)")
            await #expect(throws: (any Error).self) {
                try await ServerRuntime.exportPersonalData(candidate: "personne@example.fr", to: url, on: app)
            }
        }
    }
}
