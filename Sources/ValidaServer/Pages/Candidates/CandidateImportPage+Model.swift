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

    typealias Outcome = CandidateImporting.Outcome

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
            let errors = try await problems(parsed, on: request.db)
            return view(model(.invalid(fileName: fileName, errors: errors)), PageContext(request))
                .response(.unprocessableEntity)
        }
        switch try await CandidateImporting.commit(
            parsed.lines, cohort: cohort, by: try request.requireUser().user, on: request.db)
        {
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

    /// The file's lines checked, and their addresses against the stored candidates, in one
    /// pass: every error at once, so that a file is not corrected in rounds.
    static func check(_ data: Data, fileName: String, on db: any Database) async throws -> Stage {
        let parsed = CandidateImport(data: data)
        let errors = try await problems(parsed, on: db)
        guard errors.isEmpty else { return .invalid(fileName: fileName, errors: errors) }
        return .preview(
            fileName: fileName, content: data.base64EncodedString(), encoding: parsed.encoding.rawValue,
            lines: parsed.lines)
    }
}

extension CandidateImportPage {
    /// Every problem of a read file: its own (format, duplicates within it) and the addresses
    /// of its valid lines that stored candidates already have, in line order.
    static func problems(_ parsed: CandidateImport, on db: any Database) async throws -> [ImportProblem] {
        let own = parsed.errors.map(ImportProblem.init)
        let taken = try await CandidateImporting.storedAddresses(parsed.checkedLines, on: db)
        return (own + taken).enumerated().sorted { a, b in
            (a.element.line, a.offset) < (b.element.line, b.offset)
        }.map(\.element)
    }
}

extension CandidateImportPage.Stage {
    var isPreview: Bool {
        if case .preview = self { true } else { false }
    }
}
