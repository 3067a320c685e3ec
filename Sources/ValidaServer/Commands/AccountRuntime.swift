import Fluent
import Foundation
import ValidaCore
import Vapor

/// `valida user invite`: the same invitation as the accounts page, written with its mail in
/// the outbox (the running server's sender delivers it).
public enum AccountRuntime {
    public struct InvitationResult: Sendable {
        /// The absolute link the mail carries.
        public let link: String
        public let email: String
    }

    /// The invitation's reasons for refusing, one French line per field.
    public struct Refused: Error, CustomStringConvertible, Sendable {
        public let messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Invites `email`; `school` is a school's name or id, `candidate` a candidate's e-mail
    /// or id. The link is built on the settings' public address, else on `baseURL`; with
    /// neither, nothing is written.
    public static func invite(
        email: String, name: String, role: Role, school: String?, candidate: String?, baseURL: String?,
        on db: any Database
    ) async throws -> InvitationResult {
        let settings = try await AppSettings.load(on: db)
        guard AccountTokens.absolute("/", settings: settings, fallback: baseURL) != nil else {
            throw Refused(messages: [
                "L'adresse publique de Valida n'est pas réglée (page Paramètres) : donnez --base-url https://… pour que le lien de l'invitation puisse être envoyé."
            ])
        }
        let input = AccountOperations.InviteInput(
            email: email, name: name, role: role.rawValue, school: school, candidate: candidate)
        switch try await AccountOperations.invite(input, by: .commandLine, baseURL: baseURL, on: db) {
        case .failure(let refusal):
            throw Refused(messages: refusal.messages.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value))
        case .success(let invitation):
            return InvitationResult(link: invitation.url ?? invitation.path, email: invitation.user.email)
        }
    }
}
