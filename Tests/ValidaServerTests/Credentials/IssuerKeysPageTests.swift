import Fluent
import Foundation
import Testing
import ValidaCore
import ValidaFormats
import VaporTesting

@testable import ValidaServer

/// The issuer keys on the manager's settings page: the current and previous keys shown
/// without key material, a rotation only once confirmed, audited with the manager's name;
/// and the CASE package's every object answering as JSON at its URI.
@Suite("Credentials: the issuer keys page; CASE objects at their URIs")
struct IssuerKeysPageTests {
    @Test("the keys are listed without private material, rotated only when confirmed, audited, still published")
    func rotation() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            let people = try await AssessmentPeople.make(app, f)
            let first = try #require(try await CredentialKeys.ensure(on: app.db).activeKey)
            let manager = try await TestBrowser.signedIn(app, people.manager)
            let page = try await manager.get(SiteRoute.issuerKeys.path)
            #expect(page.status == .ok)
            #expect(pageText(page).contains(first.kid))
            #expect(pageText(page).contains("actuelle : signe les nouveaux badges"))
            #expect(!page.body.string.contains("PRIVATE KEY"))
            #expect(!page.body.string.contains(String(first.privateKeyPEM.split(separator: "\n")[1].prefix(20))))

            // Not confirmed, or an unknown algorithm: nothing changes.
            let unconfirmed = try await manager.post(SiteRoute.issuerKeysRotate.path, ["algorithm": "eddsa"])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(pageText(unconfirmed).contains("Cochez la case pour confirmer"))
            let unknown = try await manager.post(
                SiteRoute.issuerKeysRotate.path,
                ["algorithm": "\"><iframe src=file:///etc/passwd>", "confirm": "on"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(pageText(unknown).contains("Choisissez l'algorithme"))
            #expect(!unknown.body.string.contains("<iframe"))
            #expect(try await DBIssuerKey.query(on: app.db).count() == 1)

            let rotated = try await manager.post(
                SiteRoute.issuerKeysRotate.path, ["algorithm": "eddsa", "confirm": "on"])
            #expect(rotated.status == .seeOther)
            let ring = try await CredentialKeys.ring(on: app.db)
            #expect(ring.keys.count == 2)
            let current = try #require(ring.activeKey)
            #expect(current.algorithm == .edDSA && current.kid != first.kid)
            let shown = pageText(try await manager.get(SiteRoute.issuerKeys.path))
            #expect(shown.contains(current.kid) && shown.contains(first.kid))
            #expect(shown.contains("précédente : vérifie encore ce qu'elle a signé"))
            // The previous key still verifies: both are published.
            let jwks = try await app.testing().sendRequest(.GET, SiteRoute.jwks.path)
            #expect(jwks.body.string.contains(first.kid) && jwks.body.string.contains(current.kid))
            let audit = try #require(
                try await DBAuditEntry.query(on: app.db).filter(\.$subjectID == current.kid).first())
            #expect(audit.action == "issuer-key-created")
            #expect(audit.actorID == people.manager.id)

            let coordinator = try await TestBrowser.signedIn(app, people.coordinator)
            #expect(try await coordinator.get(SiteRoute.issuerKeys.path).status == .forbidden)
            try await coordinator.get(SiteRoute.home.path)
            #expect(
                try await coordinator.post(SiteRoute.issuerKeysRotate.path, ["algorithm": "rs256", "confirm": "on"])
                    .status == .forbidden)
        }
    }

    @Test("every URI of the exported CASE package answers with its object as JSON, without signing in")
    func caseObjects() async throws {
        try await withTestApp { app in
            let f = try await ServerFixture.make(app)
            try await DeliberationTests.settings(app)
            let evaluator = try await TestBrowser.signedIn(app, f.evaluator)
            let download = try await evaluator.get(SiteRoute.referentialCASE(f.referential.id).path)
            #expect(download.status == .ok)
            let package = try JSONDecoder().decode(CASEPackage.self, from: Data(download.body.string.utf8))
            var uris =
                [package.document.uri] + (package.items ?? []).map(\.uri)
                + (package.associations ?? []).map(\.uri) + (package.definitions?.itemTypes ?? []).map(\.uri)
            for rubric in package.rubrics ?? [] {
                uris.append(rubric.uri)
                for criterion in rubric.criteria ?? [] {
                    uris.append(criterion.uri)
                    uris += (criterion.levels ?? []).map(\.uri)
                }
            }
            if let packageURI = package.document.packageURI?.uri { uris.append(packageURI) }
            #expect(uris.count > 10)
            #expect((package.rubrics ?? []).isEmpty == false)
            let base = "https://valida.example.fr"
            for uri in uris {
                #expect(uri.hasPrefix(base + "/case/"))
                let response = try await app.testing().sendRequest(.GET, String(uri.dropFirst(base.count)))
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers.contentType?.subType == "json")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
                let identifier =
                    (object?["identifier"] as? String) ?? (object?["CFDocument"] as? [String: Any])?[
                        "identifier"] as? String
                #expect(uri.hasSuffix("/" + (identifier ?? "?")), "\(uri)")
            }
            let item = try #require(package.items?.first)
            let itemJSON = try await app.testing().sendRequest(.GET, String(item.uri.dropFirst(base.count)))
            #expect(itemJSON.body.string.contains(item.fullStatement.replacingOccurrences(of: "\"", with: "\\\"")))
            // Anything else under /case is a French 404.
            for path in [
                "/case/CFItems/\(UUID().uuidString.lowercased())", "/case/Secrets/\(item.identifier)",
                "/case/CFItems/..%2F..%2Fetc%2Fpasswd",
            ] {
                #expect(try await app.testing().sendRequest(.GET, path).status == .notFound, "\(path)")
            }
        }
    }
}
