import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// The objects of the référentiel's CASE packages at their own URIs (`/case/CFItems/ID` …),
/// as CASE intends: public JSON, so that a consumer can dereference any `uri` of a package
/// downloaded from `ReferentialDownloads.caseJSON`.
enum CASEObjects {
    /// The collections a package names; any other path segment is not CASE's.
    static let collections: Set<String> = [
        "CFPackages", "CFDocuments", "CFItems", "CFAssociations", "CFItemTypes", "CFRubrics", "CFRubricCriteria",
        "CFRubricCriterionLevels",
    ]

    static func show(_ request: Request) async throws -> Response {
        let collection = request.parameters.get(SiteRoute.Parameter.caseCollection.rawValue) ?? ""
        let identifier = (request.parameters.get(SiteRoute.Parameter.caseIdentifier.rawValue) ?? "").lowercased()
        guard collections.contains(collection), UUID(uuidString: identifier) != nil else { throw notFound() }
        let base = try await baseURL(on: request.db)
        let uri = "\(base)/\(collection)/\(identifier)"
        // The newest version first: an object every version shares answers as it is now.
        for record in try await DBReferential.query(on: request.db).sort(\.$loadedAt, .descending).all() {
            let entry = try await request.referentials.entry(record.requireID(), on: request.db)
            guard
                let package = try? CASEExchange.package(
                    entry.referential, baseURL: base, lastChange: record.loadedAt ?? Date()),
                let data = CASEExchange.objects(package)[uri]
            else { continue }
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "application", subType: "json", parameters: ["charset": "utf-8"])
            // Public by design: any site may read it.
            headers.replaceOrAdd(name: "Access-Control-Allow-Origin", value: "*")
            return Response(status: .ok, headers: headers, body: .init(data: data))
        }
        throw notFound()
    }

    /// Where the packages say their objects are: the configured public address (never the
    /// request's Host header), `http://localhost` when none is set.
    static func baseURL(on db: any Database) async throws -> String {
        var base = try await AppSettings.load(on: db).publicBaseURL
        if base.isEmpty { base = "http://localhost" }
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/case"
    }

    static func notFound() -> Abort {
        Abort(.notFound, reason: "Aucun objet CASE d'un référentiel publié n'a cette adresse.")
    }
}
