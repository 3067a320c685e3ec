import Crypto
import Fluent
import Foundation
import ValidaCore
import ValidaFormats

/// Importing a return file of the Caisse des Dépôts: every passage it names must be one
/// Valida declared; each declared passage then holds the latest answer (accepted, or
/// rejected with its reason). The same file (same bytes) is refused a second time. All or
/// nothing, in one transaction with its audit entry.
enum HolderDeclarationReturnImporting {
    enum Field: String, OperationField {
        case file
    }

    struct Input: Sendable {
        var fileName: String
        var data: Data
    }

    struct Summary: Sendable, Equatable {
        var returnID: UUID
        var accepted: Int
        var rejected: Int
    }

    static let subject = "holder-declaration-return"

    /// Largest return file read: a line per passage, far below this for any certifier.
    static let maxBytes = 20 * 1024 * 1024

    static func sha256(_ data: Data) -> String { Hex.encode(SHA256.hash(data: data)) }

    /// Imports the file; `actor` is nil from the command line.
    static func importFile(_ input: Input, by actor: DBUser?, on db: any Database, now: Date = Date()) async throws
        -> Result<Summary, Refusal<Field>>
    {
        let name = input.fileName.isEmpty ? "fichier" : String(input.fileName.suffix(200))
        guard !input.data.isEmpty else {
            return .failure(Refusal(.file, "Choisissez le fichier de retour à importer."))
        }
        guard input.data.count <= maxBytes else {
            return .failure(Refusal(.file, "\(name) : le fichier dépasse 20 Mo, ce n'est pas un retour de la Caisse."))
        }
        let parsed: HolderDeclarationReturn
        do {
            parsed = try HolderDeclarationReturnReader.read(input.data, fileName: name)
        } catch {
            return .failure(Refusal(.file, located(error.problems)))
        }
        let hash = sha256(input.data)
        do {
            return try await db.transaction { tx in
                if let earlier = try await DBHolderDeclarationReturn.query(on: tx).filter(\.$sha256 == hash).first() {
                    return .failure(Refusal(.file, duplicate(name, earlier)))
                }
                let ids = parsed.entries.map(\.technicalID)
                var declarations: [String: DBHolderDeclaration] = [:]
                for chunk in stride(from: 0, to: ids.count, by: 500) {
                    for declaration in try await DBHolderDeclaration.query(on: tx)
                        .filter(\.$passageID ~~ Array(ids[chunk..<min(chunk + 500, ids.count)])).all()
                    {
                        declarations[declaration.passageID] = declaration
                    }
                }
                let unknown = parsed.entries.filter { declarations[$0.technicalID] == nil }
                guard unknown.isEmpty else {
                    return .failure(
                        Refusal(
                            .file,
                            located(
                                unknown.map {
                                    HolderDeclarationReturnProblem(
                                        file: name, line: $0.line, field: "idTechnique",
                                        message:
                                            "aucun passage déclaré par Valida n'a l'identifiant « \($0.technicalID) »")
                                })))
                }
                let processedOn = (parsed.processedOn ?? Self.day(of: now)).iso
                let accepted = parsed.entries.filter { $0.status == .accepted }.count
                let file = DBHolderDeclarationReturn(
                    fileName: name, sha256: hash, processedOn: processedOn, importedAt: now, importedBy: actor?.id,
                    acceptedCount: accepted, rejectedCount: parsed.entries.count - accepted)
                try await file.create(on: tx)
                let fileID = try file.requireID()
                let existing = Dictionary(
                    try await DBHolderDeclarationOutcome.query(on: tx)
                        .filter(\.$declaration.$id ~~ declarations.values.compactMap(\.id)).all()
                        .map { ($0.$declaration.id, $0) }, uniquingKeysWith: { a, _ in a })
                for entry in parsed.entries {
                    let declarationID = try declarations[entry.technicalID]!.requireID()
                    let outcome =
                        existing[declarationID]
                        ?? DBHolderDeclarationOutcome(
                            declarationID: declarationID, returnID: fileID, status: entry.status, reason: nil,
                            returnedOn: processedOn)
                    outcome.$returnFile.id = fileID
                    outcome.status = entry.status
                    outcome.reason = entry.reason
                    outcome.returnedOn = processedOn
                    outcome.redeclaredAt = nil
                    try await outcome.save(on: tx)
                }
                try await AuditLog.append(
                    .init(
                        action: "holder-declaration-return-imported", subjectType: subject,
                        subjectID: fileID.uuidString,
                        payload: [
                            "file": name, "sha256": hash, "processed-on": processedOn, "accepted": String(accepted),
                            "rejected": String(parsed.entries.count - accepted),
                            "rejected-passages": parsed.entries.filter { $0.status == .rejected }.map(\.technicalID)
                                .joined(separator: ","),
                        ]),
                    actorID: actor?.id, actorName: actor?.displayName ?? "valida (ligne de commande)", on: tx)
                return .success(
                    Summary(returnID: fileID, accepted: accepted, rejected: parsed.entries.count - accepted))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The same file imported at the same moment by another request.
            return .failure(Refusal(.file, "\(name) : ce fichier de retour vient d'être importé."))
        }
    }

    /// At most 20 problems, one a line, and how many more.
    static func located(_ problems: [HolderDeclarationReturnProblem]) -> String {
        let shown = problems.prefix(20).map(\.description)
        let more = problems.count > 20 ? ["… et \(problems.count - 20) autre(s) problème(s)."] : []
        return "Fichier refusé, rien n'est importé :\n" + (shown + more).joined(separator: "\n")
    }

    static func duplicate(_ name: String, _ earlier: DBHolderDeclarationReturn) -> String {
        "\(name) : ce fichier de retour a déjà été importé le \(FrenchDate.moment(earlier.importedAt)) "
            + "(sous le nom « \(earlier.fileName) ») ; il n'est pas importé une seconde fois."
    }

    static func day(of date: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
