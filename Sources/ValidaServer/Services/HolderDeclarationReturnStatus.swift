import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// Where each holder of a deliberation stands with the Caisse des Dépôts (not declared,
/// awaiting the return, accepted, rejected with the reason), and the rejected declared again
/// in a file of their own once their data are corrected.
enum HolderDeclarationReturnStatus {
    enum State: Sendable, Equatable {
        case undeclared
        case awaiting
        case accepted(on: String)
        case rejected(reason: String, on: String)
        /// Rejected, corrected and declared again: awaiting the new file's return.
        case redeclared(at: Date)

        var label: String {
            switch self {
            case .undeclared: "pas encore déclaré"
            case .awaiting: "en attente du retour"
            case .accepted(let on): "accepté (retour du \(CalendarDate(iso: on)?.french ?? on))"
            case .rejected(let reason, let on): "rejeté (retour du \(CalendarDate(iso: on)?.french ?? on)) : \(reason)"
            case .redeclared(let at): "déclaré à nouveau le \(FrenchDate.moment(at)), en attente du retour"
            }
        }

        var isRejected: Bool {
            if case .rejected = self { return true }
            return false
        }
    }

    /// The state of each holder of `juryID`, by candidate.
    static func states(_ holders: [HolderDeclarationExport.Holder], juryID: UUID, on db: any Database) async throws
        -> [UUID: State]
    {
        let declarations = try await DBHolderDeclaration.query(on: db).filter(\.$jury.$id == juryID).all()
        let outcomes = Dictionary(
            try await DBHolderDeclarationOutcome.query(on: db)
                .filter(\.$declaration.$id ~~ declarations.compactMap(\.id)).all()
                .map { ($0.$declaration.id, $0) }, uniquingKeysWith: { a, _ in a })
        let byCandidate = Dictionary(
            declarations.map { ($0.$candidate.id, $0) }, uniquingKeysWith: { a, _ in a })
        var states: [UUID: State] = [:]
        for holder in holders {
            guard let declaration = byCandidate[holder.candidateID], let id = declaration.id else {
                states[holder.candidateID] = .undeclared
                continue
            }
            guard let outcome = outcomes[id] else {
                states[holder.candidateID] = .awaiting
                continue
            }
            if let at = outcome.redeclaredAt {
                states[holder.candidateID] = .redeclared(at: at)
            } else if outcome.status == .accepted {
                states[holder.candidateID] = .accepted(on: outcome.returnedOn)
            } else {
                states[holder.candidateID] = .rejected(reason: outcome.reason ?? "", on: outcome.returnedOn)
            }
        }
        return states
    }

    /// The holders of `juryID` the Caisse rejected and who were not declared again since.
    static func rejected(juryID: UUID, on db: any Database) async throws -> [HolderDeclarationExport.Holder] {
        let holders = try await HolderDeclarationExport.holders(juries: [juryID], onlyUndeclared: false, on: db)
        let states = try await states(holders, juryID: juryID, on: db)
        return holders.filter { states[$0.candidateID]?.isRejected == true }
    }

    /// Writes the file of `holders` (the rejected, corrected) to `sink` and records them as
    /// declared again, with the audit entry; the file is written first, so a failed write
    /// changes nothing.
    static func redeclare(
        _ holders: [HolderDeclarationExport.Holder], juryID: UUID, settings: AppSettings, certificationCode: String,
        by actor: DBUser, on db: any Database, now: Date = Date(), sink: @escaping (Data) throws -> Void
    ) async throws -> HolderDeclarationSummary {
        let summary = try await HolderDeclarationExport.write(
            holders, settings: settings, certificationCode: certificationCode, on: db, now: now, sink: sink)
        try await db.transaction { tx in
            let ids = try await DBHolderDeclaration.query(on: tx).filter(\.$jury.$id == juryID)
                .filter(\.$candidate.$id ~~ holders.map(\.candidateID)).all().compactMap(\.id)
            for outcome in try await DBHolderDeclarationOutcome.query(on: tx).filter(\.$declaration.$id ~~ ids).all() {
                outcome.redeclaredAt = now
                try await outcome.save(on: tx)
            }
            try await Operations.record(
                "holder-declaration-redeclared", AuditLog.SubjectType.jury, juryID,
                [
                    "passages": holders.map {
                        HolderPassage.technicalID(
                            candidateID: $0.candidateID.uuidString, deliberationID: $0.juryID.uuidString)
                    }.joined(separator: ",")
                ], by: actor, on: tx)
        }
        return summary
    }
}
