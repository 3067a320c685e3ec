import Fluent
import Foundation
import ValidaCore
import Vapor

extension ResourceResolver {
    /// The account of the `account` parameter, by its role and school (a candidate's account
    /// without a school, made by `valida user add`, belongs to its candidate's school).
    static let account = ResourceResolver { request in
        let user = try await request.loadAccount()
        return .account(role: user.role, school: try await AccountOperations.school(of: user, on: request.db))
    }
}

extension Request {
    func loadAccount() async throws -> DBUser {
        try await loaded(DBUser.self, .account, "Ce compte n'existe pas.")
    }
}
