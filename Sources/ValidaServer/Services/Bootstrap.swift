import Fluent
import Foundation
import ValidaCore
import Vapor

/// What a first start does on an empty database: load the seed certification's référentiel
/// and create a certification manager account with a one-time password.
public enum Bootstrap {
    public struct Outcome: Sendable {
        /// Set when the seed référentiel was loaded by this start.
        public var loadedReferential: String?
        /// Set when the first admin was created: shown once, never stored in clear.
        public var adminEmail: String?
        public var adminPassword: String?
    }

    public static let adminEmail = "admin@valida.local"

    /// `seedPath` nil: the seed référentiel embedded in the binary.
    public static func run(on db: any Database, seedPath: String? = nil) async throws -> Outcome {
        var outcome = Outcome()
        if try await DBReferential.query(on: db).count() == 0 {
            let seed = SeedReferential(path: seedPath)
            let (yaml, sourceName) = try seed.read()
            _ = try await ReferentialStore.store(yaml: yaml, sourceName: sourceName, on: db)
            outcome.loadedReferential = seed.description
        }
        let managers = try await DBUser.query(on: db).filter(\.$role == .certificationManager).count()
        if managers == 0 {
            let password = oneTimePassword()
            try await DBUser(
                email: adminEmail, displayName: "Administrateur", passwordHash: try Bcrypt.hash(password),
                role: .certificationManager, mustChangePassword: true
            ).create(on: db)
            outcome.adminEmail = adminEmail
            outcome.adminPassword = password
        }
        return outcome
    }

    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
    public static func oneTimePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
