import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// The demo database of `valida serve --demo`: on an empty database, a certification a
/// newcomer can walk through — two partner schools, a cohort of 40 candidates on every
/// access route, teams, sessions with their evaluators, about half the grids rated (some
/// resits among them) — and five accounts, one per role, all with the password `demo`.
///
/// Everything is derived from the seed référentiel (its assessments, criteria, scales and
/// work modes) and from a fixed seed: two demo databases hold the same data. A database
/// that already has users or schools is left exactly as it is.
public enum Demo {
    public static let password = "demo"
    public static let adminEmail = "admin@demo.test"
    public static let coordinatorEmail = "coordination@demo.test"
    public static let evaluatorEmail = "evaluateur@demo.test"
    public static let juryEmail = "jury@demo.test"
    public static let candidateEmail = "candidat@demo.test"

    /// The demo accounts, in the order the console lists them.
    public static let accountEmails = [
        adminEmail, coordinatorEmail, evaluatorEmail, juryEmail, candidateEmail, DemoVAE.email,
    ]

    public struct Account: Sendable, Hashable {
        public var email: String
        public var role: Role
        public var displayName: String

        /// The role as the console shows it: « Responsable de certification » …
        public var roleLabel: String { role.label }
    }

    /// What is in the database after `seed`.
    public struct Counts: Sendable, Hashable {
        public var schools = 0
        public var cohorts = 0
        public var candidates = 0
        public var teams = 0
        public var sessions = 0
        public var users = 0
        public var grids = 0
        public var submittedGrids = 0
        public var ratings = 0
    }

    public struct Outcome: Sendable {
        public enum State: Sendable, Hashable {
            /// The demo was written by this call.
            case seeded
            /// The demo was already there: nothing changed.
            case existingDemo
            /// The database holds other data: nothing changed, and no demo account exists.
            case notEmpty
        }

        public var state: State
        /// The demo accounts present in the database (none for `.notEmpty`).
        public var accounts: [Account]
        public var counts: Counts

        public var seeded: Bool { state == .seeded }

        /// What the console prints, in French.
        public var consoleLines: [String] {
            var lines: [String]
            switch state {
            case .seeded:
                lines = [
                    "Base de démonstration créée : \(counts.schools) écoles, \(counts.candidates) candidats, "
                        + "\(counts.teams) équipes, \(counts.sessions) sessions d'évaluation, \(counts.grids) grilles "
                        + "dont \(counts.submittedGrids) remises."
                ]
            case .existingDemo:
                lines = ["Base de démonstration déjà en place : rien n'a été modifié."]
            case .notEmpty:
                return [
                    "La base contient déjà des données : la démonstration n'a pas été ajoutée, rien n'a été modifié."
                ]
            }
            lines.append("Comptes de démonstration (mot de passe « \(Demo.password) ») :")
            let width = accounts.map(\.email.count).max() ?? 0
            for account in accounts {
                let padding = String(repeating: " ", count: width - account.email.count)
                lines.append("  \(account.email)\(padding)  \(account.roleLabel) — \(account.displayName)")
            }
            return lines
        }
    }

    /// Fills an empty database (no users, no schools) with the demo, in one transaction;
    /// leaves any other database unchanged and says which it found. With `candidates`, the
    /// open jury covers that many candidates (`DemoScale`), at least the usual demo's.
    /// `seedPath` nil: the seed référentiel embedded in the binary.
    public static func seed(on db: any Database, seedPath: String? = nil, candidates: Int? = nil) async throws
        -> Outcome
    {
        if let candidates, candidates < DemoScale.baseCount {
            throw Abort(
                .badRequest,
                reason: "--candidates : au moins \(DemoScale.baseCount) (les deux promotions de la démonstration)")
        }
        if try await hasData(db) { return try await existing(on: db) }
        let (yaml, sourceName) = try SeedReferential(path: seedPath).read()
        // Hashed once, outside the transaction: every demo account shares the password.
        let passwordHash = try Bcrypt.hash(password)
        let accounts: [Account]? = try await db.transaction { tx in
            // Checked again inside: two starts racing must not both write the demo.
            if try await hasData(tx) { return nil }
            let record = try await referential(yaml: yaml, sourceName: sourceName, on: tx)
            let referential = try ReferentialStore.parse(record).referential
            let plan = try DemoPlan.make(referential)
            let accounts = try await DemoWriter(
                plan: plan, referentialID: try record.requireID(), passwordHash: passwordHash, db: tx
            ).write()
            try await DemoScale.write(
                count: (candidates ?? DemoScale.baseCount) - DemoScale.baseCount, referential: referential,
                referentialID: try record.requireID(), on: tx)
            try await DemoJuries.write(
                past: try DemoPlan.makePast(referential), referentialID: try record.requireID(),
                passwordHash: passwordHash, on: tx)
            try await DemoVAE.write(referentialID: try record.requireID(), passwordHash: passwordHash, on: tx)
            return accounts
        }
        guard accounts != nil else { return try await existing(on: db) }
        return Outcome(state: .seeded, accounts: try await existing(on: db).accounts, counts: try await counts(on: db))
    }

    static func hasData(_ db: any Database) async throws -> Bool {
        if try await DBUser.query(on: db).count() > 0 { return true }
        return try await DBSchool.query(on: db).count() > 0
    }

    /// The seed référentiel, its certification's mentions completed (`DemoJuries.completed`):
    /// the stored version with this very text if there is one, else stored now.
    static func referential(yaml seed: String, sourceName: String, on db: any Database) async throws -> DBReferential {
        var yaml = seed
        if let loaded = ReferentialYAML.load(yaml: seed, file: sourceName).referential {
            yaml = ReferentialYAML.write(DemoJuries.completed(loaded))
        }
        if let same = try await DBReferential.query(on: db).all().first(where: { $0.yaml == yaml }) { return same }
        return try await ReferentialStore.store(yaml: yaml, sourceName: sourceName, on: db)
    }

    /// What a database that was not empty holds: its demo accounts, if it is a demo.
    static func existing(on db: any Database) async throws -> Outcome {
        let users = try await DBUser.query(on: db).filter(\.$email ~~ accountEmails).all()
        let accounts = accountEmails.compactMap { email in
            users.first { $0.email == email }.map {
                Account(email: $0.email, role: $0.role, displayName: $0.displayName)
            }
        }
        let isDemo = accounts.contains { $0.email == adminEmail }
        return Outcome(
            state: isDemo ? .existingDemo : .notEmpty, accounts: isDemo ? accounts : [],
            counts: try await counts(on: db))
    }

    static func counts(on db: any Database) async throws -> Counts {
        var counts = Counts()
        counts.schools = try await DBSchool.query(on: db).count()
        counts.cohorts = try await DBCohort.query(on: db).count()
        counts.candidates = try await DBCandidate.query(on: db).count()
        counts.teams = try await DBTeam.query(on: db).count()
        counts.sessions = try await DBAssessmentSession.query(on: db).count()
        counts.users = try await DBUser.query(on: db).count()
        counts.grids = try await DBGrid.query(on: db).count()
        counts.submittedGrids = try await DBGrid.query(on: db).filter(\.$status == .submitted)
            .count()
        counts.ratings = try await DBRating.query(on: db).count()
        return counts
    }
}
