import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// Importing a cohort's candidates from a spreadsheet, in two steps: the upload is checked
/// line by line and shown as a preview, and only the confirmation writes, all lines in one
/// transaction or none. The confirmation carries the file itself (base64 in a hidden
/// field) and checks it again: nothing is kept on the server between the two steps.
enum CandidateImportPage {
    static let fileField = "file"
    static let contentField = "content"
    static let nameField = "filename"

    enum Stage: Sendable {
        /// The upload form, with a message when the upload was missing or unreadable.
        case upload(error: String?)
        /// What is wrong, line by line; nothing was stored.
        case invalid(fileName: String, errors: [ImportProblem])
        /// Every line valid: the preview and the confirmation.
        case preview(fileName: String, content: String, encoding: String, lines: [CandidateImport.Line])
    }

    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var stage: Stage
    }

    struct Upload: Content {
        var file: File?
    }

    /// What the confirmation did.
    enum Outcome: Sendable, Equatable {
        case imported(Int)
        /// Refused, nothing written: the lines whose address a stored candidate already has.
        case refused([ImportProblem])
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await authorizedCohort(request)
        return view(
            Model(cohortID: try cohort.requireID(), cohortName: cohort.name, stage: .upload(error: nil)),
            PageContext(request)
        )
        .response()
    }

    /// POST of the upload form: the preview, or every error.
    static func upload(_ request: Request) async throws -> Response {
        let cohort = try await authorizedCohort(request)
        let model = { (stage: Stage) in Model(cohortID: cohort.id!, cohortName: cohort.name, stage: stage) }
        guard let file = (try? request.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return view(
                model(.upload(error: "Choisissez le fichier CSV à importer (il ne doit pas être vide).")),
                PageContext(request)
            )
            .response(.unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let fileName = file.filename.isEmpty ? "fichier" : file.filename
        let stage = try await check(data, fileName: fileName, on: request.db)
        return view(model(stage), PageContext(request)).response(stage.isPreview ? .ok : .unprocessableEntity)
    }

    /// POST of the confirmation: the file checked again, then every candidate written.
    static func confirm(_ request: Request) async throws -> Response {
        let cohort = try await authorizedCohort(request)
        let fields = try request.formFields()
        let fileName = RosterText.trimmed(fields[nameField]) ?? "fichier"
        let model = { (stage: Stage) in Model(cohortID: cohort.id!, cohortName: cohort.name, stage: stage) }
        guard let data = fields[contentField].flatMap({ Data(base64Encoded: $0) }), !data.isEmpty else {
            return view(
                model(.upload(error: "Le fichier à importer n'a pas été transmis ; choisissez-le à nouveau.")),
                PageContext(request)
            )
            .response(.unprocessableEntity)
        }
        let parsed = CandidateImport(data: data)
        guard parsed.isValid else {
            return view(
                model(.invalid(fileName: fileName, errors: parsed.errors.map(ImportProblem.init))), PageContext(request)
            )
            .response(.unprocessableEntity)
        }
        switch try await commit(parsed.lines, cohort: cohort, on: request.db) {
        case .refused(let errors):
            return view(model(.invalid(fileName: fileName, errors: errors)), PageContext(request)).response(
                .unprocessableEntity)
        case .imported(let count):
            request.flash("\(RosterText.count(count, "candidat")) importé\(count > 1 ? "s" : "") dans la promotion.")
            return request.redirect(to: .cohortCandidates(cohort.id))
        }
    }

    static func authorizedCohort(_ request: Request) async throws -> DBCohort {
        let cohort = try await RosterAccess.cohort(request)
        return cohort
    }

    /// The file's lines checked, then their addresses against the stored candidates.
    static func check(_ data: Data, fileName: String, on db: any Database) async throws -> Stage {
        let parsed = CandidateImport(data: data)
        guard parsed.isValid else { return .invalid(fileName: fileName, errors: parsed.errors.map(ImportProblem.init)) }
        let taken = try await storedAddresses(parsed.lines, on: db)
        guard taken.isEmpty else { return .invalid(fileName: fileName, errors: taken) }
        return .preview(
            fileName: fileName, content: data.base64EncodedString(), encoding: parsed.encoding.rawValue,
            lines: parsed.lines)
    }

    /// Writes every line's candidate into `cohort`, in one transaction: either all are
    /// stored, or — when an address is already a stored candidate's — none.
    static func commit(_ lines: [CandidateImport.Line], cohort: DBCohort, on db: any Database) async throws -> Outcome {
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

extension CandidateImportPage.Stage {
    var isPreview: Bool {
        if case .preview = self { true } else { false }
    }
}
