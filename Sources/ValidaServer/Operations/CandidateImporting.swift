import Fluent
import Foundation
import ValidaCore
import ValidaFormats

/// Importing a cohort's candidates from a spreadsheet: each line already passed the rules of
/// `CandidateImport.validate` (those of `CandidateOperations`), so only the addresses are
/// checked against the stored candidates here, and all lines are written, each with its
/// audit entry, in one transaction or none.
enum CandidateImporting {
    /// What the confirmation did.
    enum Outcome: Sendable, Equatable {
        case imported(Int)
        /// Refused, nothing written: the lines whose address a stored candidate already has.
        case refused([ImportProblem])
    }

    /// Writes every line's candidate into `cohort`, in one transaction: either all are
    /// stored, or — when an address is already a stored candidate's — none.
    static func commit(_ lines: [CandidateImport.Line], cohort: DBCohort, by actor: DBUser, on db: any Database)
        async throws -> Outcome
    {
        let cohortID = try cohort.requireID()
        do {
            return try await db.transaction { tx -> Outcome in
                let taken = try await storedAddresses(lines, on: tx)
                guard taken.isEmpty else { return .refused(taken) }
                let candidates = lines.map { line in
                    DBCandidate(
                        schoolID: cohort.$school.id, cohortID: cohortID, referentialID: cohort.$referential.id,
                        identity: line.identity)
                }
                // In slices: one statement per slice keeps within SQLite's bound-parameter limit.
                for start in stride(from: 0, to: candidates.count, by: batchSize) {
                    try await Array(candidates[start..<min(start + batchSize, candidates.count)]).create(on: tx)
                }
                try await AuditLog.append(
                    batch: candidates.map { candidate in
                        AuditLog.Event(
                            action: "candidate-imported", subjectType: Operations.Subject.candidate,
                            subjectID: candidate.id!.uuidString,
                            payload: ["cohort": cohortID.uuidString, "email": candidate.email])
                    }, actorID: actor.id, actorName: actor.displayName, on: tx)
                return .imported(candidates.count)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Someone stored one of these addresses between the check and the write.
            return .refused([
                ImportProblem(
                    line: lines.first?.line ?? 2, column: CandidateImport.Column.email.rawValue,
                    message:
                        "une des adresses vient d'être enregistrée pour un autre candidat ; rien n'a été importé, recommencez"
                )
            ])
        }
    }

    static let batchSize = 50

    /// The lines whose address a stored candidate already has, named by line.
    static func storedAddresses(_ lines: [CandidateImport.Line], on db: any Database) async throws -> [ImportProblem] {
        let emails = lines.map { $0.identity.email.lowercased() }
        var taken: Set<String> = []
        for start in stride(from: 0, to: emails.count, by: 500) {
            let slice = Array(emails[start..<min(start + 500, emails.count)])
            taken.formUnion(
                try await DBCandidate.query(on: db).filter(\.$email ~~ slice).all().map { $0.email.lowercased() })
        }
        return lines.filter { taken.contains($0.identity.email.lowercased()) }.map { line in
            ImportProblem(
                line: line.line, column: CandidateImport.Column.email.rawValue,
                message: "l'adresse « \(line.identity.email) » ne peut pas être utilisée ; donnez-en une autre")
        }
    }
}

/// A problem of an imported file, where it is: the import's own errors, and those found
/// against the database.
struct ImportProblem: Sendable, Hashable {
    var line: Int
    var column: String?
    var message: String

    init(line: Int, column: String?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ error: CandidateImport.LineError) {
        self.init(line: error.line, column: error.column, message: error.message)
    }
}
