import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

extension ServerRuntime {
    /// What `valida export accrochage` did.
    public enum HolderDeclarationOutcome: Sendable {
        case written(holders: Int, bytes: Int)
        /// Nobody to declare.
        case nobody
        /// The data the schema needs and is missing: nothing written.
        case problems([String])
    }

    /// Writes the holders' declaration of every closed deliberation's holders not yet
    /// declared (all of them with `includeDeclared`) to `url`: through a temporary file
    /// next to it, so a failure leaves no partial file.
    public static func exportHolderDeclaration(
        to url: URL, includeDeclared: Bool, on app: Application, now: Date = Date()
    ) async throws -> HolderDeclarationOutcome {
        let db = app.db
        let holders = try await HolderDeclarationExport.holders(juries: nil, onlyUndeclared: !includeDeclared, on: db)
        guard !holders.isEmpty else { return .nobody }
        let settings = try await AppSettings.load(on: db)
        let code = try await HolderDeclarationExport.certificationCode(holders, store: app.referentials, on: db)
        let problems = try await HolderDeclarationExport.problems(
            holders, settings: settings, certificationCode: code, on: db)
        guard problems.isEmpty else { return .problems(problems.map(\.description)) }
        let partial = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw Abort(
                .internalServerError, reason: "impossible d'écrire dans \(partial.deletingLastPathComponent().path)")
        }
        let handle = try FileHandle(forWritingTo: partial)
        do {
            let summary = try await HolderDeclarationExport.write(
                holders, settings: settings, certificationCode: code, on: db, now: now
            ) { try handle.write(contentsOf: $0) }
            try handle.close()
            if FileManager.default.fileExists(atPath: url.path) {
                _ = try FileManager.default.replaceItemAt(url, withItemAt: partial)
            } else {
                try FileManager.default.moveItem(at: partial, to: url)
            }
            return .written(holders: summary.passageCount, bytes: summary.byteCount)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}
