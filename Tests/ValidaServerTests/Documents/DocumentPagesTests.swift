import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Documents: the printed attestation and diploma, and their PDF")
struct DocumentPagesTests {
    @Test("the query reads the document, its holder's school, its replacement and its verification link")
    func query() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            var settings = AppSettings()
            settings.publicBaseURL = "https://verif.example.fr//"
            let old = try #require(
                try await DocumentPage.query(d.oldAttestation.id!, settings: settings, request: nil, on: app.db))
            #expect(old.code == "ATTN-OLDD-2345")
            #expect(old.status == .corrected)
            #expect(old.replacement == .init(id: d.attestation.id!, code: "ATTN-NEWW-6789"))
            #expect(old.candidateID == d.f.candidates[0].id)
            #expect(old.schoolID == d.f.school.id)
            #expect(old.verificationURL == "https://verif.example.fr/verify/ATTN-OLDD-2345")
            #expect(old.content.blocks.map(\.how) == ["par la VAE"])
            let diploma = try #require(
                try await DocumentPage.query(d.diploma.id!, settings: settings, request: nil, on: app.db))
            #expect(diploma.replacement == nil)
            #expect(diploma.content.kind == .diploma)
            #expect(try await DocumentPage.query(UUID(), settings: settings, request: nil, on: app.db) == nil)
        }
    }

    @Test("the diploma prints every mention a certifier must print, on its own A4 layout")
    func diplomaMentions() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let manager = try await TestBrowser.signedIn(app, d.people.manager)
            let response = try await manager.get(SiteRoute.document(d.diploma.id).path)
            #expect(response.status == .ok)
            let page = pageText(response)
            for mention in [
                DocumentFixture.certifier, "<h1>Parchemin</h1>", "« \(DocumentFixture.title) »", "Niveau 6",
                "Codes NSF : 312, 320",
                "par décision de France Compétences du 15/03/2024", "sous le code RNCP00001", "Léa Martin",
                "né(e) le 01/01/2000",
                "Fait à Lyon, le 01/07/2026.", "Directrice générale", "Anne Directrice", "Emplacement de la signature",
                "DPLM-ABCD-2345", "\(DocumentFixture.baseURL)/verify/DPLM-ABCD-2345",
                "@page { size: A4;", DocumentRoutes.printStylesheetPath,
            ] {
                #expect(page.contains(mention), "missing on the diploma: \(mention)")
            }
            #expect(!page.contains("Navigation principale"))
            #expect(!page.contains("class=\"banner\""))

            let css = try await manager.get(DocumentRoutes.printStylesheetPath)
            #expect(css.status == .ok)
            #expect(css.headers.contentType?.subType == "css")
            #expect(css.body.string == DocumentView.stylesheet)
        }
    }

    @Test("the attestation lists each block with code, title, date and how; corrected and revoked ones say so")
    func attestation() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let manager = try await TestBrowser.signedIn(app, d.people.manager)
            let current = pageText(try await manager.get(SiteRoute.document(d.attestation.id).path))
            #expect(current.contains("<h1>Attestation de validation de blocs de compétences</h1>"))
            #expect(
                current.contains(
                    "Le certificateur \(DocumentFixture.certifier) atteste que <strong>Léa Martin</strong>, né(e) le 01/01/2000, a validé le bloc de compétences suivant de la certification professionnelle « \(DocumentFixture.title) » (RNCP00001, niveau 6) :"
                ))
            #expect(
                current.contains(
                    "<tr><td>RNCP00001BC01</td><th scope=\"row\">Analyser un marché</th><td>30/06/2026</td><td>par le jury</td></tr>"
                ))
            #expect(current.contains("version 2025"))
            #expect(current.contains("ATTN-NEWW-6789"))
            #expect(!current.contains("Document remplacé"))

            let old = pageText(try await manager.get(SiteRoute.document(d.oldAttestation.id).path))
            #expect(old.contains("<strong>Document remplacé</strong>"))
            #expect(old.contains("il n'a plus de valeur"))
            #expect(
                old.contains(
                    "<a href=\"\(SiteRoute.document(d.attestation.id).path)\">Voir le document qui le remplace (code ATTN-NEWW-6789)</a>"
                ))
            #expect(old.contains("par la VAE"))

            let revoked = pageText(try await manager.get(SiteRoute.document(d.revoked.id).path))
            #expect(revoked.contains("<strong>Document révoqué</strong>"))
            #expect(revoked.contains("Inès Petit"))
        }
    }

    @Test("the holder sees their documents, not another candidate's; the school, jury and manager may, others not")
    func access() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let lea = try await TestBrowser.signedIn(app, d.people.lea)
            let own = try await lea.get(SiteRoute.document(d.diploma.id).path)
            #expect(own.status == .ok)
            #expect(pageText(own).contains("Retour à mon espace"))
            let other = try await lea.get(SiteRoute.document(d.revoked.id).path)
            #expect(other.status == .forbidden)
            #expect(pageText(other).contains("vous ne pouvez consulter que votre propre dossier"))
            #expect(!pageText(other).contains("Inès"))
            #expect(try await lea.get(SiteRoute.documentPDF(d.revoked.id).path).status == .forbidden)

            let ines = try await TestBrowser.signedIn(app, d.people.ines)
            #expect(try await ines.get(SiteRoute.document(d.revoked.id).path).status == .ok)
            #expect(try await ines.get(SiteRoute.document(d.diploma.id).path).status == .forbidden)

            for user in [d.people.coordinator, d.people.jury, d.people.manager] {
                let browser = try await TestBrowser.signedIn(app, user)
                #expect(try await browser.get(SiteRoute.document(d.diploma.id).path).status == .ok, "\(user.email)")
            }
            let otherSchool = try await TestBrowser.signedIn(app, d.people.otherCoordinator)
            let refused = try await otherSchool.get(SiteRoute.document(d.diploma.id).path)
            #expect(refused.status == .forbidden)
            #expect(pageText(refused).contains("cette ressource appartient à une autre école"))
            let evaluator = try await TestBrowser.signedIn(app, d.f.evaluator)
            #expect(try await evaluator.get(SiteRoute.document(d.diploma.id).path).status == .forbidden)

            let anonymous = TestBrowser(app)
            let redirected = try await anonymous.get(SiteRoute.document(d.diploma.id).path)
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers.first(name: .location)?.hasPrefix(SiteRoute.login.path) == true)
            let unknown = try await lea.get(SiteRoute.document(UUID()).path)
            #expect(unknown.status == .notFound)
            #expect(pageText(unknown).contains("Ce document n'existe pas."))
        }
    }

    @Test("the PDF is Chromium's print of the page; without Chromium, a 503 that points to the HTML version")
    func pdf() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let lea = try await TestBrowser.signedIn(app, d.people.lea)
            let response = try await lea.get(SiteRoute.documentPDF(d.diploma.id).path)
            if PDFRenderer.isAvailable(on: app) {
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .init(type: "application", subType: "pdf"))
                #expect(
                    response.headers.first(name: .contentDisposition)
                        == "inline; filename=\"parchemin-DPLM-ABCD-2345.pdf\"")
                #expect(response.body.readableBytesView.starts(with: Array("%PDF".utf8)))
            } else {
                if ProcessInfo.processInfo.environment["CI"] != nil {
                    Issue.record("Chromium is not installed: CI must print documents to PDF")
                }
                Self.expectUnavailable(response, d)
            }
        }
    }

    @Test("a server whose Chromium is missing answers 503 with the way to print the HTML version")
    func pdfUnavailable() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            app.pdfChromium = "/nonexistent/chromium"
            #expect(!PDFRenderer.isAvailable(on: app))
            let lea = try await TestBrowser.signedIn(app, d.people.lea)
            Self.expectUnavailable(try await lea.get(SiteRoute.documentPDF(d.diploma.id).path), d)
            await #expect(throws: PDFRenderer.Failure.self) {
                try await PDFRenderer.render(html: "<p>x</p>", on: app)
            }
        }
    }

    static func expectUnavailable(_ response: TestingHTTPResponse, _ d: DocumentFixture) {
        #expect(response.status == .serviceUnavailable)
        let page = pageText(response)
        #expect(page.contains("Le PDF ne peut pas être produit sur ce serveur : Chromium n'y est pas installé."))
        #expect(page.contains("« Enregistrer au format PDF »"))
        #expect(
            page.contains(
                "<a href=\"\(SiteRoute.document(d.diploma.id).path)\">Ouvrir le document DPLM-ABCD-2345 (version HTML)</a>"
            ))
    }

    @Test("Chromium is the one VALIDA_CHROMIUM names, else the first known location")
    func locateChromium() {
        let installed: Set<String> = ["/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/opt/chrome"]
        let exists = { (path: String) in installed.contains(path) }
        #expect(PDFRenderer.executable(environment: [:], isExecutable: exists) == "/usr/bin/chromium-browser")
        #expect(
            PDFRenderer.executable(environment: ["VALIDA_CHROMIUM": "/opt/chrome"], isExecutable: exists)
                == "/opt/chrome")
        #expect(PDFRenderer.executable(environment: ["VALIDA_CHROMIUM": "/opt/missing"], isExecutable: exists) == nil)
        #expect(
            PDFRenderer.executable(environment: ["VALIDA_CHROMIUM": ""], isExecutable: exists)
                == "/usr/bin/chromium-browser")
        #expect(PDFRenderer.executable(environment: [:], isExecutable: { _ in false }) == nil)
    }
}
