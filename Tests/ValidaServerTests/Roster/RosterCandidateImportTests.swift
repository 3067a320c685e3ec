import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

@Suite("Roster: importing candidates from a spreadsheet")
struct RosterCandidateImportTests {
    static let header =
        "Nom de naissance;Nom d'usage;Prénoms;Date de naissance;Lieu de naissance;Code INSEE du lieu de naissance;Sexe;Email;Voie d'accès"

    /// Eight candidates, on lines 2 to 9, as French Excel writes them.
    static let rows = [
        "Durand;;Camille;03/02/2001;Lyon;69123;F;camille.durand@example.fr;Apprentissage",
        "Lefèvre;Moreau;Hélène Anne;15/11/1998;Paris;75056;F;helene.lefevre@example.fr;Formation continue",
        "Nguyen;;Minh;22/08/2000;Ajaccio;2A004;M;minh.nguyen@example.fr;Contrat de professionnalisation",
        "Roux;;Théo;01/01/2002;Lille;59350;M;theo.roux@example.fr;Formation initiale",
        "Fontaine;;Zoé;30/06/1995;Nantes;;F;zoe.fontaine@example.fr;VAE",
        "Girard;;Louis;12/12/1999;Rennes;35238;M;louis.girard@example.fr;Apprentissage",
        "Bonnet;;Jade;05/05/2001;Marseille;13055;F;jade.bonnet@example.fr;Apprentissage",
        "Mercier;;Noé;17/03/2000;Bordeaux;33063;M;noe.mercier@example.fr;Apprentissage",
    ]

    static func utf8WithBOM(_ rows: [String]) -> Data {
        Data([0xEF, 0xBB, 0xBF]) + Data(([header] + rows).joined(separator: "\r\n").utf8) + Data("\r\n".utf8)
    }

    @Test("a valid `;` file with a BOM: preview of every line, nothing stored until confirmed, then all candidates")
    func validFile() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.coordinator)
            let form = rosterText(try await browser.get(SiteRoute.cohortImport(w.cohort.id).path))
            #expect(form.contains("enctype=\"multipart/form-data\""))
            #expect(form.contains("<label for=\"file\">Fichier CSV des candidats (obligatoire)</label>"))
            #expect(form.contains(SiteRoute.cohortImportTemplate(w.cohort.id).path))
            let before = try await w.candidateCount(app)

            let preview = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "promo.csv", data: Self.utf8WithBOM(Self.rows))
            #expect(preview.status == .ok)
            let text = rosterText(preview)
            #expect(
                text.contains(
                    "Le fichier « promo.csv » est valide (encodage UTF-8 (BOM)) : 8 candidats prêts à être importés."))
            #expect(text.contains("<th scope=\"row\">9</th><td>Mercier</td>"))
            #expect(text.contains("<td>Moreau</td><td>Hélène Anne</td><td>15/11/1998</td>"))
            #expect(text.contains("Importer les 8 candidats"))
            #expect(try await w.candidateCount(app) == before, "nothing is stored by the preview")

            let content = try #require(hiddenValue(preview.body.string, name: "content"))
            let confirmed = try await browser.post(
                SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": content, "filename": "promo.csv"])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers.first(name: .location) == SiteRoute.cohortCandidates(w.cohort.id).path)
            #expect(try await w.candidateCount(app) == before + 8)
            let helene = try #require(
                try await DBCandidate.query(on: app.db).filter(\.$email == "helene.lefevre@example.fr").first())
            #expect(
                helene.usualName == "Moreau" && helene.birthDate == "1998-11-15"
                    && helene.accessRoute == .continuingEducation)
            #expect(
                helene.$cohort.id == w.cohort.id && helene.$school.id == w.school.id
                    && helene.$referential.id == w.referential.id)
            let list = rosterText(try await browser.get(SiteRoute.cohortCandidates(w.cohort.id).path))
            #expect(list.contains("8 candidats importés dans la promotion."))
            #expect(list.contains("Moreau Hélène Anne"))
        }
    }

    @Test("a Windows-1252 file, with `,` separators, is read with its accents")
    func windows1252() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let text = ([Self.header] + Self.rows.prefix(3)).map { $0.replacingOccurrences(of: ";", with: ",") }.joined(
                separator: "\r\n")
            let data = try #require(text.data(using: .windowsCP1252))
            #expect(String(data: data, encoding: .utf8) == nil, "the file is really not UTF-8")
            let browser = try await rosterBrowser(app, w.manager)
            try await browser.get(SiteRoute.cohortImport(w.cohort.id).path)
            let preview = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "excel.csv", data: data)
            #expect(preview.status == .ok)
            #expect(rosterText(preview).contains("(encodage Windows-1252)"))
            #expect(rosterText(preview).contains("<td>Lefèvre</td><td>Moreau</td><td>Hélène Anne</td>"))
            let content = try #require(hiddenValue(preview.body.string, name: "content"))
            #expect(
                try await browser.post(SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": content]).status
                    == .seeOther)
            let stored = try #require(
                try await DBCandidate.query(on: app.db).filter(\.$email == "helene.lefevre@example.fr").first())
            #expect(stored.birthName == "Lefèvre" && stored.firstNames == "Hélène Anne")
        }
    }

    @Test(
        "a file with a bad line 7 is refused with 422 naming line 7, and nothing is stored, even on a forged confirmation"
    )
    func badLine() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            var rows = Self.rows
            rows[5] = "Girard;;Louis;31/04/1999;Rennes;35238;M;louis.girard@example.fr;Apprentissage"
            let data = Self.utf8WithBOM(rows)
            let browser = try await rosterBrowser(app, w.coordinator)
            try await browser.get(SiteRoute.cohortImport(w.cohort.id).path)
            let before = try await w.candidateCount(app)
            let refused = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "promo.csv", data: data)
            #expect(refused.status == .unprocessableEntity)
            let text = rosterText(refused)
            #expect(text.contains("Le fichier « promo.csv » n'a pas été importé : aucun candidat n'a été enregistré."))
            #expect(
                text.contains(
                    "<th scope=\"row\">Ligne 7</th><td>Date de naissance</td><td>la date « 31/04/1999 » n'existe pas : avril 1999 n'a que 30 jours</td>"
                ))
            #expect(text.contains("1 erreur à corriger"))
            #expect(!text.contains("name=\"content\""), "no confirmation is offered")
            let forged = try await browser.post(
                SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": data.base64EncodedString()])
            #expect(forged.status == .unprocessableEntity)
            #expect(rosterText(forged).contains("Ligne 7"))
            #expect(try await w.candidateCount(app) == before)
        }
    }

    @Test("an address already in the database: refused at preview and at confirmation, naming the line, nothing stored")
    func duplicateAgainstDatabase() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.coordinator)
            try await browser.get(SiteRoute.cohortImport(w.cohort.id).path)
            var rows = Self.rows
            rows[1] = "Petit;;Inès;03/01/2000;Lyon;69123;F;PETIT@example.fr;Apprentissage"
            let before = try await w.candidateCount(app)
            let refused = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "promo.csv", data: Self.utf8WithBOM(rows))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                rosterText(refused).contains(
                    "<th scope=\"row\">Ligne 3</th><td>Email</td><td>l'adresse « petit@example.fr » ne peut pas être utilisée ; donnez-en une autre</td>"
                ))
            #expect(try await w.candidateCount(app) == before)

            // Valid at preview, but someone stores one of its addresses before the confirmation.
            let preview = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "promo.csv", data: Self.utf8WithBOM(Self.rows))
            #expect(preview.status == .ok)
            let content = try #require(hiddenValue(preview.body.string, name: "content"))
            var identity = try #require(w.fixture.candidates[0].identity)
            identity.email = "jade.bonnet@example.fr"
            try await DBCandidate(
                schoolID: w.otherSchool.id!, cohortID: w.otherCohort.id!, referentialID: w.referential.id!,
                identity: identity
            ).create(on: app.db)
            let late = try await browser.post(
                SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": content, "filename": "promo.csv"])
            #expect(late.status == .unprocessableEntity)
            #expect(rosterText(late).contains("<th scope=\"row\">Ligne 8</th>"))
            #expect(rosterText(late).contains("jade.bonnet@example.fr"))
            #expect(try await w.candidateCount(app) == before + 1, "only the candidate stored directly")
        }
    }

    @Test("only those who may add candidates to the cohort's school may import")
    func access() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let path = SiteRoute.cohortImport(w.cohort.id).path
            try await expectAccess(
                app, path,
                [
                    (w.manager, .ok), (w.coordinator, .ok),
                    (w.otherCoordinator, .forbidden), (w.jury, .forbidden), (w.evaluator, .forbidden),
                    (w.candidate, .forbidden),
                ])
            let other = try await rosterBrowser(app, w.otherCoordinator)
            try await other.get(SiteRoute.home.path)
            let data = Self.utf8WithBOM(Self.rows)
            #expect(try await other.upload(path, filename: "promo.csv", data: data).status == .forbidden)
            #expect(
                try await other.post(
                    SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": data.base64EncodedString()]
                ).status == .forbidden)
            #expect(try await other.get(SiteRoute.cohortImportTemplate(w.cohort.id).path).status == .forbidden)
            #expect(try await DBCandidate.query(on: app.db).filter(\.$cohort.$id == w.cohort.id!).count() == 3)
        }
    }

    @Test("the template downloads as a CSV French Excel opens; a missing file is a 422 with a French message")
    func templateAndMissingFile() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let browser = try await rosterBrowser(app, w.coordinator)
            let template = try await browser.get(SiteRoute.cohortImportTemplate(w.cohort.id).path)
            #expect(template.status == .ok)
            #expect(template.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(Data(buffer: template.body) == CandidateImport.template())
            try await browser.get(SiteRoute.cohortImport(w.cohort.id).path)
            let empty = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "vide.csv", data: Data())
            #expect(empty.status == .unprocessableEntity)
            #expect(rosterText(empty).contains("Choisissez le fichier CSV à importer"))
            let headerOnly = try await browser.upload(
                SiteRoute.cohortImport(w.cohort.id).path, filename: "entete.csv",
                data: CandidateImport.template())
            #expect(headerOnly.status == .unprocessableEntity)
            #expect(rosterText(headerOnly).contains("aucun candidat : le fichier n'a que la ligne d'en-tête"))
            let garbage = try await browser.post(
                SiteRoute.cohortImportConfirm(w.cohort.id).path, ["content": "pas du base64 !"])
            #expect(garbage.status == .unprocessableEntity)
        }
    }

    @Test("commit: all lines in one transaction, or none when an address is taken")
    func commit() async throws {
        try await withTestApp { app in
            let w = try await RosterWorld.make(app)
            let parsed = CandidateImport(data: Self.utf8WithBOM(Self.rows))
            #expect(parsed.isValid)
            let before = try await w.candidateCount(app)
            #expect(
                try await CandidateImporting.commit(parsed.lines, cohort: w.otherCohort, by: w.manager, on: app.db)
                    == .imported(8))
            #expect(try await DBAuditEntry.query(on: app.db).filter(\.$action == "candidate-imported").count() == 8)
            let stored = try await DBCandidate.query(on: app.db).filter(\.$cohort.$id == w.otherCohort.id!).all()
            #expect(stored.count == 9)
            #expect(stored.allSatisfy { $0.$school.id == w.otherSchool.id && $0.$referential.id == w.referential.id })
            // Again: every line's address is now taken; nothing more is written.
            guard
                case .refused(let problems) = try await CandidateImporting.commit(
                    parsed.lines, cohort: w.cohort, by: w.manager, on: app.db)
            else {
                Issue.record("a second import of the same file must be refused")
                return
            }
            #expect(problems.map(\.line) == Array(2...9))
            #expect(try await w.candidateCount(app) == before + 8)
        }
    }
}
