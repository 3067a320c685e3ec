import Fluent
import Foundation
import ValidaCore

/// The write layer: one operation per write, called alike by the pages and by the JSON API,
/// so that a write has one rule whoever asks for it. An operation takes a typed input,
/// checks it, and either refuses it with French messages by field (`Refusal`) or makes the
/// change and its audit entry in one transaction. Authorization stays with the caller (the
/// route), which names the resource before calling.
///
/// Where every write lives:
/// - here: schools (`SchoolOperations`), cohorts (`CohortOperations`), candidates
///   (`CandidateOperations`; the spreadsheet import, whose lines pass the same rules,
///   `CandidateImporting`), teams (`TeamForming`),
///   assessment sessions and their evaluators (`SessionCreation`, `SessionEvaluators`),
///   juries, their members and conflicts of interest (`JuryOperations`);
/// - `Services/GridEditing.swift`: ratings and grid submission;
/// - `Services/Deliberating.swift`: decisions, corrections, closing a deliberation;
/// - `Services/VAEProcessing.swift`, `Services/VAEJuryDeciding.swift`: VAE requests and their juries;
/// - `Services/DocumentIssuing.swift`, `Services/CredentialIssuing.swift`, `Services/CredentialKeys.swift`:
///   documents, credentials and signing keys;
/// - `Services/ReferentialStore.swift`: référentiel versions; `Services/AppSettings.swift`: settings;
///   `Auth/`: accounts, sessions and API tokens (with `Pages/Password`, `Pages/Settings`,
///   `Pages/Referential/CorrespondencePage.swift` still writing from their pages).
enum Operations {
    /// Audit subjects of the roster writes (the jury, grid and decision ones are `AuditLog.SubjectType`).
    enum Subject {
        static let school = "school"
        static let cohort = "cohort"
        static let candidate = "candidate"
        static let team = "team"
        static let session = "session"
    }

    /// Appends the audit entry of a write; call it with the write's transaction.
    static func record(
        _ action: String, _ subjectType: String, _ subjectID: UUID, _ payload: [String: String], by actor: DBUser,
        on db: any Database
    ) async throws {
        try await AuditLog.append(
            .init(action: action, subjectType: subjectType, subjectID: subjectID.uuidString, payload: payload),
            actorID: actor.id, actorName: actor.displayName, on: db)
    }

    /// A day typed in a form (JJ/MM/AAAA) or sent by the API (AAAA-MM-JJ); missing or wrong,
    /// `field`'s message names it by `label` ("début", "fin").
    static func day<Field>(_ text: String?, label: String, field: Field, into errors: inout [Field: String])
        -> CalendarDate?
    {
        if let iso = CalendarDate(iso: (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) { return iso }
        var messages: [String: String] = [:]
        let day = DateFields.day(text, field: label, label: label, into: &messages)
        if let message = messages[label] { errors[field] = message }
        return day
    }
}

/// The fields an operation's refusal may name; the raw value is the field's name in the
/// API's JSON and, unless a page renames it, in the page's form.
protocol OperationField: RawRepresentable, Hashable, Sendable where RawValue == String {}

/// An operation's refusal: a French message for each field at fault. Nothing was written.
struct Refusal<Field: OperationField>: Error, Sendable, Equatable {
    var messages: [Field: String]

    init(_ messages: [Field: String]) {
        self.messages = messages
    }

    init(_ field: Field, _ message: String) {
        messages = [field: message]
    }

    subscript(field: Field) -> String? { messages[field] }

    /// The messages by field name, a field renamed where the page's form calls it otherwise.
    func byName(renaming names: [Field: String] = [:]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: messages.map { (names[$0.key] ?? $0.key.rawValue, $0.value) })
    }
}
