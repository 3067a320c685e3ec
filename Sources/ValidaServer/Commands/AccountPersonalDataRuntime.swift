import Fluent
import Foundation
import ValidaCore
import Vapor

extension ServerRuntime {
    /// The account that is not a candidate's, named by its address, or a French error.
    static func personalDataAccount(_ email: String, on db: any Database) async throws -> DBUser {
        let key = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await DBUser.query(on: db).filter(\.$email == key).first() else {
            throw Abort(.notFound, reason: "--email « \(key) » : aucun compte n'a cette adresse électronique")
        }
        guard user.$candidate.id == nil else {
            throw Abort(
                .badRequest,
                reason: "--email « \(key) » : ce compte est celui d'un candidat, utilisez --candidate \(key)")
        }
        return user
    }

    /// `valida gdpr export --email`: an account's archive written to `url`.
    public static func exportAccountPersonalData(email: String, to url: URL, on app: Application) async throws
        -> String
    {
        let user = try await personalDataAccount(email, on: app.db)
        let archive = try await AccountPersonalDataExport.archive(
            user, by: .init(id: nil, name: "ligne de commande (valida gdpr export)"), on: app.db)
        let size = try moveArchive(archive, to: url)
        return "Données du compte \(user.displayName) exportées dans \(url.path) (\(size) octets)."
    }

    /// `valida gdpr erase --email`: erases an account once its retention period has run out.
    public static func eraseAccountPersonalData(email: String, beforeRetention: Bool, on app: Application)
        async throws -> PersonalDataErasureReport
    {
        let user = try await personalDataAccount(email, on: app.db)
        let settings = try await AppSettings.load(on: app.db)
        switch try await AccountPersonalData.erase(
            try user.requireID(), beforeRetention: beforeRetention,
            by: .init(id: nil, name: "ligne de commande (valida gdpr erase)"), settings: settings, on: app.db)
        {
        case .failure(let refusal):
            var message = "Rien n'a été effacé : " + refusal.messages.values.sorted().joined(separator: " ")
            if refusal[.retention] != nil, settings.retentionPeriodYears != nil {
                message += " (--force-before-retention oui efface malgré tout, à la demande de la personne.)"
            }
            return PersonalDataErasureReport(erased: false, message: message)
        case .success(let plan):
            var lines = ["Données du compte \(plan.name) effacées.", "Effacé :"]
            lines += plan.erased.map { "- \($0)" }
            lines.append("Conservé :")
            lines += plan.kept.map { "- \($0)" }
            return PersonalDataErasureReport(erased: true, message: lines.joined(separator: "\n"))
        }
    }
}
