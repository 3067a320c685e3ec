import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// A référentiel version in the field's formats, to load elsewhere: a CASE 1.1 package
/// (learning platforms, competency registries) and a Moodle competency framework.
enum ReferentialDownloads {
    static func caseJSON(_ request: Request) async throws -> Response {
        let (record, entry) = try await version(request)
        // The URIs `CASEObjects` answers at (the configured public address, never the Host header).
        let export = try CASEExchange.export(
            entry.referential, baseURL: try await CASEObjects.baseURL(on: request.db),
            lastChange: record.loadedAt ?? Date())
        return file(
            export.data, type: HTTPMediaType(type: "application", subType: "json"), name: "\(stem(record))-case.json")
    }

    static func moodleCSV(_ request: Request) async throws -> Response {
        let (record, entry) = try await version(request)
        let export = try MoodleFramework.export(entry.referential)
        return file(
            export.data, type: HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"]),
            name: "\(stem(record))-moodle.csv")
    }

    /// The version in Valida's own YAML, as `valida check` and the upload read it: to edit
    /// and load back as a new version.
    static func yaml(_ request: Request) async throws -> Response {
        let (record, entry) = try await version(request)
        return file(
            Data(ReferentialYAML.write(entry.referential).utf8),
            type: HTTPMediaType(type: "application", subType: "yaml", parameters: ["charset": "utf-8"]),
            name: "\(stem(record)).yaml")
    }

    static func version(_ request: Request) async throws -> (DBReferential, ReferentialStore.Entry) {
        guard let record = try await DBReferential.find(try request.id(.version), on: request.db) else {
            throw Abort(.notFound, reason: "Cette version du référentiel n'existe pas.")
        }
        return (record, try await request.referentials.entry(record.requireID(), on: request.db))
    }

    static func stem(_ record: DBReferential) -> String {
        let name = (record.rncpCode ?? "referentiel") + "-v" + record.versionID
        return String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
    }

    static func file(_ data: Data, type: HTTPMediaType, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

extension ExchangeError: AbortError {
    public var status: HTTPResponseStatus { .unprocessableEntity }
    public var reason: String { "Ce référentiel ne peut pas être exporté : \(description)" }
}
