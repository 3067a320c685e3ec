import Fluent
import Foundation
import Logging
import ValidaCore
import Vapor

/// Running the web app from the `valida` command: Vapor reads `argv` on its own, so the
/// command hands it an explicit `Environment` with only the arguments meant for it.
public enum ServerRuntime {
    /// An application configured on `database`, migrations registered.
    public static func makeApplication(
        database: DatabaseLocation, arguments: [String] = ["valida"], secureCookies: Bool = false
    ) async throws -> Application {
        let name = ProcessInfo.processInfo.environment["VALIDA_ENV"] ?? "production"
        var environment = Environment(name: name, arguments: arguments)
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app, ServerOptions(database: database, secureCookies: secureCookies))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Runs `body` on a configured application, then shuts it down.
    public static func withApplication<T>(
        database: DatabaseLocation, _ body: (Application) async throws -> T
    ) async throws -> T {
        let app = try await makeApplication(database: database)
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Creates an account with a one-time password, which it returns.
    public static func addUser(
        email: String, name: String, role: Role, schoolName: String?, candidateEmail: String?, on db: any Database
    ) async throws -> String {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard CandidateIdentity.isValidEmail(email) else {
            throw Abort(.badRequest, reason: "adresse électronique invalide : \(email)")
        }
        guard try await DBUser.query(on: db).filter(\.$email == email).first() == nil else {
            throw Abort(.conflict, reason: "un compte existe déjà pour \(email)")
        }
        var schoolID: UUID?
        if role == .schoolCoordinator {
            guard let schoolName else {
                throw Abort(.badRequest, reason: "un coordinateur d'école a besoin de --school NOM")
            }
            guard let school = try await DBSchool.query(on: db).filter(\.$name == schoolName).first() else {
                throw Abort(.notFound, reason: "aucune école ne s'appelle « \(schoolName) »")
            }
            schoolID = school.id
        }
        var candidateID: UUID?
        if role == .candidate {
            guard let candidateEmail else {
                throw Abort(.badRequest, reason: "un compte candidat a besoin de --candidate EMAIL")
            }
            guard
                let candidate = try await DBCandidate.query(on: db).filter(\.$email == candidateEmail.lowercased())
                    .first()
            else {
                throw Abort(.notFound, reason: "aucun candidat n'a l'adresse \(candidateEmail)")
            }
            candidateID = candidate.id
        }
        let password = Bootstrap.oneTimePassword()
        try await DBUser(
            email: email, displayName: name, passwordHash: try Bcrypt.hash(password), role: role,
            schoolID: schoolID, candidateID: candidateID, mustChangePassword: true
        ).create(on: db)
        return password
    }

    /// Creates an API token for an existing account; returns the token.
    public static func createToken(email: String, name: String, on db: any Database) async throws -> String {
        guard let user = try await DBUser.query(on: db).filter(\.$email == email.lowercased()).first() else {
            throw Abort(.notFound, reason: "aucun compte pour \(email)")
        }
        return try await APITokens.create(for: user, name: name, on: db)
    }
}
