import Fluent
import Foundation
import ValidaCore

/// The one home of « decisions of open deliberations are hidden » (the rule itself is
/// `DeliberationStatus.publishesDecisions`): every read of decisions shown outside the
/// sitting jury (results, the candidate's space, documents, credentials) filters here.
enum DecisionVisibility {
    /// The juries whose decisions nobody but themselves may read yet.
    static func sittingJuries(on db: any Database) async throws -> Set<UUID> {
        Set(try await DBJury.query(on: db).filter(\.$status ~~ DeliberationStatus.unpublished).all().compactMap(\.id))
    }

    /// `rows` without the decisions of juries still sitting. A decision without a jury
    /// (imported, or the jury since deleted) has nothing to wait for.
    static func published(_ rows: [DBDecision], on db: any Database) async throws -> [DBDecision] {
        let sitting = try await sittingJuries(on: db)
        return rows.filter { row in row.$jury.id.map { !sitting.contains($0) } ?? true }
    }
}
