import Fluent
import Foundation
import ValidaCore
import Vapor

extension ServerRuntime {
    /// What `valida gdpr erase` did, or why it did nothing.
    public struct PersonalDataErasureReport: Sendable {
        public var erased: Bool
        /// In French: what was erased and kept, or why nothing was.
        public var message: String
    }

    /// The candidate named by their id or their email, or a French error saying what was looked for.
    static func personalDataCandidate(_ text: String, on db: any Database) async throws -> DBCandidate {
        let key = text.trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: key), let candidate = try await DBCandidate.find(id, on: db) { return candidate }
        if let candidate = try await DBCandidate.query(on: db).filter(\.$email == key.lowercased()).first() {
            return candidate
        }
        throw Abort(
            .notFound,
            reason: "--candidate « \(key) » : aucun candidat n'a cet identifiant ni cette adresse électronique")
    }

    /// `valida gdpr export`: the candidate's archive written to `url` (through a temporary
    /// file, so a failure leaves no partial archive); returns a French summary.
    public static func exportPersonalData(candidate text: String, to url: URL, on app: Application) async throws
        -> String
    {
        let candidate = try await personalDataCandidate(text, on: app.db)
        let archive = try await PersonalDataExport.archive(
            candidate, by: .init(id: nil, name: "ligne de commande (valida gdpr export)"), app: app)
        let size = try moveArchive(archive, to: url)
        return "Données de \(candidate.displayName) exportées dans \(url.path) (\(size) octets)."
    }

    /// Puts a built archive at `url` and returns its size; the archive is removed.
    static func moveArchive(_ archive: URL, to url: URL) throws -> Int {
        // Copied next to the output first, then renamed over it: a failure leaves no partial archive.
        let partial = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).partial")
        defer {
            try? FileManager.default.removeItem(at: archive)
            try? FileManager.default.removeItem(at: partial)
        }
        do {
            try FileManager.default.copyItem(at: archive, to: partial)
        } catch {
            throw Abort(
                .internalServerError, reason: "impossible d'écrire dans \(partial.deletingLastPathComponent().path)")
        }
        guard rename(partial.path, url.path) == 0 else {
            throw Abort(.internalServerError, reason: "impossible d'écrire \(url.path) (erreur \(errno))")
        }
        return (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }

    /// `valida gdpr erase`: erases the candidate once the retention period has run out (or
    /// before, with `beforeRetention`, for the person's own request).
    public static func erasePersonalData(candidate text: String, beforeRetention: Bool, on app: Application)
        async throws -> PersonalDataErasureReport
    {
        let candidate = try await personalDataCandidate(text, on: app.db)
        let settings = try await AppSettings.load(on: app.db)
        let result = try await PersonalDataErasure.erase(
            .init(candidateID: try candidate.requireID(), beforeRetention: beforeRetention), by: .commandLine,
            settings: settings, storage: app.vaeEvidence, submissions: app.submissionStorage, on: app.db)
        switch result {
        case .failure(let refusal):
            var message = "Rien n'a été effacé : " + refusal.messages.values.sorted().joined(separator: " ")
            if refusal[.retention] != nil, settings.retentionPeriodYears != nil {
                message += " (--force-before-retention oui efface malgré tout, à la demande de la personne.)"
            }
            return PersonalDataErasureReport(erased: false, message: message)
        case .success(let outcome):
            var lines = [
                "Données de \(outcome.plan.name) effacées : désormais « \(PersonalDataErasure.erasedName) n° "
                    + "\(outcome.record.number) » (\(outcome.plan.holder ? "titulaire" : "anonymisée")).",
                "Effacé :",
            ]
            lines += outcome.plan.erased.map { "- \($0)" }
            lines.append("Conservé :")
            lines += outcome.plan.kept.map { "- \($0)" }
            if !outcome.filesLeft.isEmpty {
                lines.append(
                    "Attention : \(outcome.filesLeft.count) pièce(s) n'ont pas pu être supprimées du disque "
                        + "(\(app.vaeEvidence.directory.path)) : \(outcome.filesLeft.joined(separator: ", ")).")
            }
            return PersonalDataErasureReport(erased: true, message: lines.joined(separator: "\n"))
        }
    }
}
