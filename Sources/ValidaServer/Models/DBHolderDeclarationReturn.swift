import Fluent
import Foundation
import ValidaFormats

/// A return file of the Caisse des Dépôts, imported once: its hash refuses the same file
/// a second time.
final class DBHolderDeclarationReturn: Model, @unchecked Sendable {
    static let schema = "holder_declaration_returns"

    @ID(key: .id) var id: UUID?
    @Field(key: "file_name") var fileName: String
    /// SHA-256 of the file's bytes, hex.
    @Field(key: "sha256") var sha256: String
    /// The processing date the file states (AAAA-MM-JJ), else the day it was imported.
    @Field(key: "processed_on") var processedOn: String
    @Field(key: "imported_at") var importedAt: Date
    @OptionalParent(key: "imported_by") var importedBy: DBUser?
    @Field(key: "accepted_count") var acceptedCount: Int
    @Field(key: "rejected_count") var rejectedCount: Int

    init() {}

    init(
        id: UUID? = nil, fileName: String, sha256: String, processedOn: String, importedAt: Date, importedBy: UUID?,
        acceptedCount: Int, rejectedCount: Int
    ) {
        self.id = id
        self.fileName = fileName
        self.sha256 = sha256
        self.processedOn = processedOn
        self.importedAt = importedAt
        self.$importedBy.id = importedBy
        self.acceptedCount = acceptedCount
        self.rejectedCount = rejectedCount
    }
}

/// A declared passage's latest answer from the Caisse des Dépôts: accepted, or rejected with
/// its reason; once the rejected passage is declared again, `redeclaredAt` says it awaits
/// the new file's return.
final class DBHolderDeclarationOutcome: Model, @unchecked Sendable {
    static let schema = "holder_declaration_outcomes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "declaration_id") var declaration: DBHolderDeclaration
    @Parent(key: "return_id") var returnFile: DBHolderDeclarationReturn
    @Field(key: "status") var status: HolderDeclarationReturn.Status
    @OptionalField(key: "reason") var reason: String?
    /// The return file's date (AAAA-MM-JJ).
    @Field(key: "returned_on") var returnedOn: String
    @OptionalField(key: "redeclared_at") var redeclaredAt: Date?

    init() {}

    init(
        id: UUID? = nil, declarationID: UUID, returnID: UUID, status: HolderDeclarationReturn.Status, reason: String?,
        returnedOn: String
    ) {
        self.id = id
        self.$declaration.id = declarationID
        self.$returnFile.id = returnID
        self.status = status
        self.reason = reason
        self.returnedOn = returnedOn
    }
}
