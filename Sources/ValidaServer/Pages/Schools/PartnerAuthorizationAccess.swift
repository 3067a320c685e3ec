import Fluent
import Foundation
import ValidaCore
import Vapor

extension Request {
    /// The authorisation of the `partnerAuthorization` parameter.
    func loadPartnerAuthorization() async throws -> DBPartnerAuthorization {
        try await loaded(DBPartnerAuthorization.self, .partnerAuthorization, "Cette habilitation n'existe pas.")
    }
}

extension ResourceResolver {
    /// The `partnerAuthorization` parameter's authorisation, by its school.
    static let partnerAuthorization = ResourceResolver { request in
        .partnerAuthorization(school: try await request.loadPartnerAuthorization().$school.id.uuidString)
    }
}
