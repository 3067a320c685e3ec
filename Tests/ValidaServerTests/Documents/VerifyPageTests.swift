import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

@Suite("Documents: public verification by code")
struct VerifyPageTests {
    @Test("codes are normalised: any case, with or without dashes or spaces; anything else is refused")
    func normalize() {
        #expect(VerifyPage.normalize("abcd efgh jkmn") == "ABCD-EFGH-JKMN")
        #expect(VerifyPage.normalize("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN")
        #expect(VerifyPage.normalize(" AbCd-EfGh-JkMn\n") == "ABCD-EFGH-JKMN")
        #expect(VerifyPage.normalize(" AbCd-EfGh-JkMn ") == "ABCD-EFGH-JKMN")
        #expect(VerifyPage.normalize("abcd–efgh.jkmn") == "ABCD-EFGH-JKMN")
        #expect(VerifyPage.normalize("ABCD-EFGH-JKM") == nil)
        #expect(VerifyPage.normalize("ABCD-EFGH-JKMNP") == nil)
        #expect(VerifyPage.normalize("ABCD-EFGH-JKM!") == nil)
        #expect(VerifyPage.normalize("ÀBCD-EFGH-JKMN") == nil)
        #expect(VerifyPage.normalize("") == nil)
    }

    @Test("the query finds a document by its code only, with the code of its replacement")
    func query() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let valid = try #require(try await VerifyPage.query(code: "DPLM-ABCD-2345", on: app.db))
            #expect(valid.status == .valid)
            #expect(valid.content.holder.name == "Léa Martin")
            #expect(valid.replacementCode == nil)
            let old = try #require(try await VerifyPage.query(code: d.oldAttestation.code, on: app.db))
            #expect(old.status == .corrected)
            #expect(old.replacementCode == "ATTN-NEWW-6789")
            #expect(try await VerifyPage.query(code: "ZZZZ-ZZZZ-ZZZZ", on: app.db) == nil)
        }
    }

    @Test("signed out, a code shows what the document states and nothing of anyone else")
    func verifySignedOut() async throws {
        try await withTestApp { app in
            _ = try await DocumentFixture.make(app)
            let visitor = TestBrowser(app)
            let response = try await visitor.get(SiteRoute.verifyCode("DPLM-ABCD-2345").path)
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .cacheControl) == "no-store")
            let page = pageText(response)
            for shown in [
                "Document authentique et en vigueur.", "<dd>Parchemin</dd>", "<dd>Léa Martin</dd>",
                "<dd>\(DocumentFixture.title)</dd>", "<dd>RNCP00001</dd>", "<dd>\(DocumentFixture.certifier)</dd>",
                "<dd>à Lyon, le 01/07/2026</dd>",
                "<tr><td>RNCP00001BC01</td><th scope=\"row\">Analyser un marché</th><td>30/06/2026</td><td>par le jury</td></tr>",
            ] {
                #expect(page.contains(shown), "missing: \(shown)")
            }
            // Nothing the document does not print, and no one else.
            for hidden in [
                "01/01/2000", "martin@example.fr", "Lyon (69123)", "69123", "Inès", "Petit", "Hugo", "Anne Directrice",
                "Promotion 2026", "Se déconnecter",
            ] {
                #expect(!page.contains(hidden), "leaked: \(hidden)")
            }

            // The birth date only when the visitor types it and it matches.
            let matching = pageText(
                try await visitor.get(SiteRoute.verifyCode("DPLM-ABCD-2345").path + "?naissance=2000-01-01"))
            #expect(matching.contains("<dd>01/01/2000 — correspond à la date saisie</dd>"))
            let typedAsPrinted = pageText(
                try await visitor.get(SiteRoute.verifyCode("DPLM-ABCD-2345").path + "?naissance=01/01/2000"))
            #expect(typedAsPrinted.contains("correspond à la date saisie"))
            let wrong = pageText(
                try await visitor.get(SiteRoute.verifyCode("DPLM-ABCD-2345").path + "?naissance=2000-01-02"))
            #expect(wrong.contains("<dd><strong>ne correspond pas à la date saisie</strong></dd>"))
            #expect(!wrong.contains("01/01/2000"))

            let form = try await visitor.get(SiteRoute.verify.path)
            #expect(form.status == .ok)
            #expect(pageText(form).contains("<label for=\"code\">Code de vérification (obligatoire)</label>"))
        }
    }

    @Test("a code typed loosely leads to the document's one address")
    func normalisedInput() async throws {
        try await withTestApp { app in
            _ = try await DocumentFixture.make(app)
            let visitor = TestBrowser(app)
            let typed = try await visitor.get(SiteRoute.verify.path(query: ["code": "dplm abcd 2345"]))
            #expect(typed.status == .seeOther)
            #expect(typed.headers.first(name: .location) == "/verify/DPLM-ABCD-2345")
            let path = try await visitor.get("/verify/dplm%20abcd%202345")
            #expect(path.status == .seeOther)
            #expect(path.headers.first(name: .location) == "/verify/DPLM-ABCD-2345")
            let compact = try await visitor.get("/verify/dplmabcd2345")
            #expect(compact.headers.first(name: .location) == "/verify/DPLM-ABCD-2345")

            let malformed = try await visitor.get(SiteRoute.verify.path(query: ["code": "abc\"><script>"]))
            #expect(malformed.status == .badRequest)
            #expect(pageText(malformed).contains("Ce code n'a pas la forme attendue."))
            #expect(!malformed.body.string.contains("<script>"))
        }
    }

    @Test("an unknown or malformed code gives a 404 that says how to type one")
    func unknownCode() async throws {
        try await withTestApp { app in
            _ = try await DocumentFixture.make(app)
            let visitor = TestBrowser(app)
            let unknown = try await visitor.get(SiteRoute.verifyCode("ZZZZ-ZZZZ-ZZZZ").path)
            #expect(unknown.status == .notFound)
            #expect(pageText(unknown).contains("Aucun document ne porte le code ZZZZ-ZZZZ-ZZZZ."))
            #expect(pageText(unknown).contains("12 caractères, en trois groupes de quatre"))
            let malformed = try await visitor.get(SiteRoute.verifyCode("pas-un-code").path)
            #expect(malformed.status == .notFound)
            #expect(pageText(malformed).contains("« pas-un-code » n'est pas un code de vérification valide"))
        }
    }

    @Test("a corrected document names its replacement; a revoked one says it no longer holds")
    func correctedAndRevoked() async throws {
        try await withTestApp { app in
            let d = try await DocumentFixture.make(app)
            let visitor = TestBrowser(app)
            let old = pageText(try await visitor.get(SiteRoute.verifyCode(d.oldAttestation.code).path))
            #expect(old.contains("Document remplacé : il n'a plus de valeur."))
            #expect(old.contains("<a href=\"/verify/ATTN-NEWW-6789\">ATTN-NEWW-6789</a>"))
            #expect(old.contains("Ce que le document attestait"))
            #expect(!old.contains("Document authentique et en vigueur"))

            let revoked = pageText(try await visitor.get(SiteRoute.verifyCode(d.revoked.code).path))
            #expect(revoked.contains("Document révoqué : il n'a plus de valeur."))
            #expect(revoked.contains("<dd>Inès Petit</dd>"))
            #expect(!revoked.contains("Léa"))
        }
    }
}
