import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaCredentials
import Vapor

/// The handlers of `CredentialRoutes`.
enum CredentialPages {
    static let verifyAPIPath = ["api", "v1", "credentials", "verify"]
    /// What `/verify` and the candidate's space link to.
    static var verifyAPIURL: String { "/" + verifyAPIPath.joined(separator: "/") }

    /// `GET /.well-known/jwks.json`: the public keys of every key the issuer signed with.
    static func jwks(_ request: Request) async throws -> Response {
        let ring = try await CredentialKeys.ensure(on: request.db)
        var headers = HTTPHeaders()
        headers.contentType = .json
        // Short: a verifier must see a new key soon after a rotation.
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=600")
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return Response(status: .ok, headers: headers, body: .init(string: try ring.publicKeySet().json() + "\n"))
    }

    /// `GET /credentials/issuer`: the issuer `Profile` every credential names, as JSON.
    static func issuerProfile(_ request: Request) async throws -> Response {
        let context = try await CredentialIssuing.Context.load(request)
        var profile = context.issuer
        profile.url = context.baseURL
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(profile)))
    }

    /// `GET /credentials/status/:n`: the signed `BitstringStatusListCredential` (VC-JWT).
    static func statusList(_ request: Request) async throws -> Response {
        guard let text = request.parameters.get(SiteRoute.Parameter.statusList.rawValue), let number = Int(text),
            number >= 1,
            number <= (try await CredentialIssuing.statusListCount(on: request.db))
        else {
            throw Abort(.notFound, reason: "Cette liste de statuts n'existe pas.")
        }
        let context = try await CredentialIssuing.Context.load(request)
        let jwt = try await CredentialIssuing.signedStatusList(number: number, context: context, on: request.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vc+jwt")
        // A revocation shows within five minutes.
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
        return Response(status: .ok, headers: headers, body: .init(string: jwt))
    }

    /// The candidate of the route, after the access check: the candidate themself, or staff
    /// allowed to see their documents.
    static func authorizedCandidate(_ request: Request) async throws -> (DBCandidate, ReferentialStore.Entry) {
        guard let candidate = try await DBCandidate.find(try request.id(.candidate), on: request.db) else {
            throw Abort(.notFound, reason: "Ce candidat n'existe pas.")
        }
        return (candidate, try await request.referentials.entry(candidate.$referential.id, on: request.db))
    }

    /// `GET /candidates/:candidate/credentials/:scope`: one block's (or the certification's)
    /// credential, issued now if it was not yet, as a `.jwt` file.
    static func download(_ request: Request) async throws -> Response {
        let (candidate, entry) = try await authorizedCandidate(request)
        let segment = request.parameters.get(SiteRoute.Parameter.credentialScope.rawValue) ?? ""
        let scope = CredentialScope(segment: segment.removingPercentEncoding ?? segment)
        let issued = try await CredentialIssuing.issue(
            candidate: candidate, entry: entry, context: try await CredentialIssuing.Context.load(request),
            actor: request.currentUser, on: request.db)
        guard let found = issued.first(where: { $0.0.scope == scope }) else {
            let what =
                switch scope {
                case .block(let id): "le bloc « \(id) »"
                case .certification: "la certification"
                }
            throw Abort(
                .notFound,
                reason:
                    "Pas de badge pour \(what) : il n'est pas validé par une décision du jury (ou d'un jury de VAE).")
        }
        return jwtFile(found.1.jwt, name: fileName(candidate, scope.segment))
    }

    /// `GET /candidates/:candidate/credentials/transcript.jwt`: the CLR transcript of the
    /// candidate's blocks.
    static func downloadTranscript(_ request: Request) async throws -> Response {
        let (candidate, entry) = try await authorizedCandidate(request)
        let context = try await CredentialIssuing.Context.load(request)
        let issued = try await CredentialIssuing.issue(
            candidate: candidate, entry: entry, context: context, actor: request.currentUser, on: request.db)
        guard
            let jwt = try await CredentialIssuing.transcript(
                candidate: candidate, credentials: issued.map(\.1), context: context, on: request.db)
        else {
            throw Abort(.notFound, reason: "Aucun bloc validé par le jury : pas de relevé à télécharger.")
        }
        return jwtFile(jwt, name: fileName(candidate, "releve-blocs"))
    }

    static func jwtFile(_ jwt: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vc+jwt")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: jwt))
    }

    /// `badge-BC02-martin-lea.jwt`: ASCII only, safe in a header.
    static func fileName(_ candidate: DBCandidate, _ what: String) -> String {
        let raw = "badge-\(what)-\(candidate.birthName)-\(candidate.firstNames)"
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
        let safe = String(raw.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        return safe.split(separator: "-").joined(separator: "-") + ".jwt"
    }

    /// `GET /credentials/verify`: the form.
    static func verifyForm(_ request: Request) async throws -> Response {
        CredentialViews.verifyPage(Form.State(), PageContext(request)).response()
    }

    struct Submission: Content {
        var credential: String?
        var file: File?
    }

    /// `POST /credentials/verify`: the pasted or uploaded credential, verified.
    static func verify(_ request: Request) async throws -> Response {
        let submission = try? request.content.decode(Submission.self)
        var text = submission?.credential ?? ""
        if let file = submission?.file, file.data.readableBytes > 0 {
            guard file.data.readableBytes <= 1_000_000 else {
                return CredentialViews.verifyPage(
                    Form.State(errors: [
                        "file":
                            "Fichier trop volumineux : un badge fait quelques kilo-octets, un relevé rarement plus de 100 Ko."
                    ]),
                    PageContext(request)
                ).response(.badRequest)
            }
            text = String(decoding: Data(buffer: file.data), as: UTF8.self)
        }
        guard !CredentialChecking.clean(text).isEmpty else {
            return CredentialViews.verifyPage(
                Form.State(errors: [
                    "credential": "Collez le badge (le texte du fichier .jwt) ou choisissez le fichier à vérifier."
                ]),
                PageContext(request)
            ).response(.badRequest)
        }
        let outcome = try await CredentialChecking.verify(text, on: request.db)
        let response = CredentialViews.resultPage(outcome, PageContext(request)).response()
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return response
    }

    /// `POST /api/v1/credentials/verify`: the body is the VC-JWT (or JSON `{"credential": …}`);
    /// the answer, `CredentialChecking.Outcome` as JSON.
    static func verifyAPI(_ request: Request) async throws -> Response {
        var text = request.body.string ?? ""
        if request.headers.contentType == .json {
            text = (try? request.content.get(String.self, at: "credential")) ?? ""
        }
        guard !CredentialChecking.clean(text).isEmpty else {
            throw Abort(.badRequest, reason: "corps vide : envoyez le VC-JWT, ou {\"credential\": \"…\"} en JSON")
        }
        let outcome = try await CredentialChecking.verify(text, on: request.db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(outcome)))
    }

    /// `GET /credentials/:credential`: the page a credential's `id` points to. It shows the
    /// stored credential verified now: whether it stands, what it attests.
    static func show(_ request: Request) async throws -> Response {
        guard let row = try await DBCredential.find(try request.id(.credential), on: request.db) else {
            throw Abort(.notFound, reason: "Aucun badge n'a cette adresse.")
        }
        let outcome = try await CredentialChecking.verify(row.jwt, on: request.db)
        let response = CredentialViews.resultPage(outcome, PageContext(request)).response()
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return response
    }
}
