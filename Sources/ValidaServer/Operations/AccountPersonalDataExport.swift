import Fluent
import Foundation
import ValidaCore
import Vapor
import ZIPFoundation

/// The archive of an account that is not a candidate's (RGPD right of access): its account,
/// the ratings and comments it wrote (its own lines, never another evaluator's), its
/// markings, its jury memberships and the decisions it recorded, the messages sent to it,
/// its API tokens' names and dates (never the tokens) and whether two-factor sign-in is on.
/// Audited like a candidate's (`account-personal-data-exported`).
enum AccountPersonalDataExport {
    struct Content: Codable, Sendable {
        var exportedAt: String
        var account: Account
        var twoFactorEnabled: Bool
        var apiTokens: [APIToken]
        var ratings: [Rating]
        var markings: [Rating]
        var juries: [Jury]
        var decisionsRecorded: [Decision]
        var messages: [PersonalDataExport.Message]
    }

    struct Account: Codable, Sendable {
        var email: String
        var displayName: String
        var role: String
        var createdAt: String?
        var lastSignedInAt: String?
        var accessUntil: String?
        var deactivatedAt: String?
    }

    struct APIToken: Codable, Sendable {
        var name: String
        var createdAt: String?
        var expiresAt: String?
        var revokedAt: String?
    }

    struct Rating: Codable, Sendable {
        var grid: String
        var assessment: String
        var criterion: String
        var level: Int?
        var mark: Double?
        var comment: String?
        var ratedAt: String
    }

    struct Jury: Codable, Sendable {
        var name: String
        var role: String
        var meetsOn: String
        var status: String
    }

    struct Decision: Codable, Sendable {
        var jury: String?
        var scope: String
        var outcome: String
        var decidedOn: String
    }

    static func gather(_ user: DBUser, now: Date, on db: any Database) async throws -> Content {
        let id = try user.requireID()
        let iso = PersonalDataExport.iso
        let ratings = try await DBRating.query(on: db).filter(\.$evaluator.$id == id).sort(\.$ratedAt).all()
        let markings = try await DBMarking.query(on: db).filter(\.$evaluator.$id == id).all()
        let markingRatings =
            markings.isEmpty
            ? [] : try await DBMarkingRating.query(on: db).filter(\.$marking.$id ~~ markings.compactMap(\.id)).all()
        let gridIDs = Set(ratings.map { $0.$grid.id } + markings.map { $0.$grid.id })
        let grids = gridIDs.isEmpty ? [] : try await DBGrid.query(on: db).filter(\.$id ~~ Array(gridIDs)).all()
        let sessions = try await PersonalDataExport.sessionsByID(grids.map { $0.$session.id }, on: db)
        let assessment = Dictionary(
            uniqueKeysWithValues: grids.map { ($0.id!, sessions[$0.$session.id]?.assessmentID ?? "") })
        let gridOfMarking = Dictionary(uniqueKeysWithValues: markings.map { ($0.id!, $0.$grid.id) })
        let memberships = try await DBJuryMember.query(on: db).filter(\.$user.$id == id).with(\.$jury).all()
        let decisions = try await DBDecision.query(on: db).filter(\.$decidedBy.$id == id).with(\.$jury)
            .sort(\.$decidedOn).all()
        let messages = try await PersonalDataErasure.messages(UUID(), emails: [user.email], accounts: [user], on: db)
            .sorted { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }
        return Content(
            exportedAt: iso(now) ?? "",
            account: Account(
                email: user.email, displayName: user.displayName, role: user.role.label, createdAt: iso(user.createdAt),
                lastSignedInAt: iso(user.lastSignedInAt), accessUntil: user.accessUntil,
                deactivatedAt: iso(user.deactivatedAt)),
            twoFactorEnabled: try await DBSecondFactor.query(on: db).filter(\.$user.$id == id).count() > 0,
            apiTokens: try await DBAPIToken.query(on: db).filter(\.$user.$id == id).all().map {
                APIToken(
                    name: $0.name, createdAt: iso($0.createdAt), expiresAt: iso($0.expiresAt),
                    revokedAt: iso($0.revokedAt))
            },
            ratings: ratings.map { r in
                Rating(
                    grid: r.$grid.id.uuidString, assessment: assessment[r.$grid.id] ?? "", criterion: r.criterionID,
                    level: r.level, mark: r.mark, comment: r.comment, ratedAt: iso(r.ratedAt) ?? "")
            },
            markings: markingRatings.map { r in
                let grid = gridOfMarking[r.$marking.id]
                return Rating(
                    grid: grid?.uuidString ?? "", assessment: grid.flatMap { assessment[$0] } ?? "",
                    criterion: r.criterionID, level: r.level, mark: r.mark, comment: r.comment,
                    ratedAt: iso(r.ratedAt) ?? "")
            },
            juries: memberships.map {
                Jury(
                    name: $0.jury.name, role: $0.role.rawValue, meetsOn: $0.jury.meetsOn,
                    status: $0.jury.status.rawValue)
            },
            decisionsRecorded: decisions.map {
                Decision(
                    jury: $0.jury?.name, scope: $0.scopeCode, outcome: $0.outcome.label, decidedOn: $0.decidedOn.iso)
            },
            messages: messages.map { row in
                PersonalDataExport.Message(
                    kind: row.kind.label, recipient: row.recipientEmail, subject: row.subject, text: row.textBody,
                    status: row.status.label, createdAt: iso(row.createdAt), sentAt: iso(row.sentAt))
            })
    }

    /// Builds the archive (`donnees.json`, `LISEZMOI.txt`) in a new temporary file; the caller
    /// removes it. Audited.
    static func archive(
        _ user: DBUser, by exporter: PersonalDataExport.Exporter, now: Date = Date(), on db: any Database
    )
        async throws -> URL
    {
        let content = try await gather(user, now: now, on: db)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let readme =
            [
                "Vos données personnelles détenues par Valida (compte \(content.account.role))",
                "Exportées le \(content.exportedAt) (heure UTC).",
                "",
                "donnees.json contient : account (votre compte), twoFactorEnabled (double authentification activée),",
                "apiTokens (nom et dates de vos jetons d'API, jamais le jeton), ratings et markings (les notes et",
                "commentaires que vous avez saisis), juries (vos participations à des jurys), decisionsRecorded (les",
                "décisions que vous avez enregistrées) et messages (les messages qui vous ont été adressés).",
                "",
                "Pour faire rectifier ou effacer ces données, adressez-vous au responsable de la certification.",
            ].joined(separator: "\n") + "\n"
        let entries = [("LISEZMOI.txt", Data(readme.utf8)), ("donnees.json", try encoder.encode(content))]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "valida-donnees-\(UUID().uuidString).zip")
        do {
            let archive = try Archive(url: url, accessMode: .create)
            for (name, data) in entries {
                try archive.addEntry(
                    with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        try await AuditLog.append(
            .init(
                action: "account-personal-data-exported", subjectType: AccountOperations.subject,
                subjectID: try user.requireID().uuidString,
                payload: ["ratings": String(content.ratings.count), "messages": String(content.messages.count)]),
            actorID: exporter.id, actorName: exporter.name, on: db, now: now)
        return url
    }
}
