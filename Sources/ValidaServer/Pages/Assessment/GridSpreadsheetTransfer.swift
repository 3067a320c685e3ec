import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// A session's grids as a spreadsheet: the blank (or partly rated) sheet to download, and
/// the filled sheet uploaded back. Every line is checked, then every grid is saved in one
/// transaction with the web form's rules — the revision the sheet was downloaded at, so that
/// a grid saved since is refused (that line alone), not overwritten.
enum GridSpreadsheetTransfer {
    struct Upload: Content {
        var file: File?
    }

    enum Outcome: Sendable, Equatable {
        /// The lines saved, and those refused alone (their grid changed since the download).
        case saved(grids: Int, submitted: Int, refused: [String])
        /// Nothing written: what is wrong in the file.
        case refused([String])
    }

    static func download(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        let (assessment, scale) = try await assessmentAndScale(session, request: request)
        // Anonymous marking: the sheet names a grid not handed in yet by its copy number.
        let hidden = try await AnonymousNames.load(
            sessions: [try session.requireID()], role: try request.requireUser().role, on: request.db)
        let data = try await sheet(
            session: session, assessment: assessment, scale: scale, names: hidden, on: request.db)
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"grilles-\(session.assessmentID)-\(session.attempt).csv\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func assessmentAndScale(_ session: DBAssessmentSession, request: Request) async throws -> (Assessment, Scale)
    {
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: request.db)
        guard let assessment = entry.referential.assessment(session.assessmentID),
            let scale = entry.referential.scale(assessment.scale)
        else {
            throw Abort(.internalServerError, reason: "L'épreuve de cette session n'est plus dans son référentiel.")
        }
        return (assessment, scale)
    }

    /// The session's grids, by candidate or team name, with their current values.
    static func sheet(
        session: DBAssessmentSession, assessment: Assessment, scale: Scale, names: AnonymousNames = .none,
        on db: any Database
    ) async throws -> Data {
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == session.requireID())
            .with(\.$candidate).with(\.$team).with(\.$ratings).all()
        let rows = grids.map { grid -> GridSpreadsheet.Row in
            var values: [String: RatingValue] = [:]
            var comments: [String: String] = [:]
            for rating in grid.ratings where rating.$member.id == nil {
                if let value = GridEditing.value(of: rating) { values[rating.criterionID] = value }
                if let comment = rating.comment { comments[rating.criterionID] = comment }
            }
            return GridSpreadsheet.Row(
                grid: grid.id!.uuidString,
                subject: names.label(grid: grid.id!) ?? grid.team?.name ?? grid.candidate?.displayName ?? "?",
                revision: grid.revision, values: values, comments: comments)
        }.sorted { $0.subject.localizedStandardCompare($1.subject) == .orderedAscending }
        return GridSpreadsheet.write(assessment: assessment, scale: scale, rows: rows)
    }

    static func upload(_ request: Request) async throws -> Response {
        let session = try await AssessmentAccess.session(try request.id(.session), on: request.db)
        guard let file = (try? request.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
            return try await SessionPage.page(
                request, session: session, errors: [:], status: .unprocessableEntity,
                sheetErrors: ["Choisissez le fichier CSV rempli (il ne doit pas être vide)."])
        }
        let (assessment, scale) = try await assessmentAndScale(session, request: request)
        let user = try request.requireUser().user
        switch try await importSheet(
            Data(buffer: file.data), session: session, assessment: assessment, scale: scale,
            evaluator: user, on: request.db)
        {
        case .saved(let grids, let submitted, let refused):
            var message = "Tableur importé : \(grids) grille(s) enregistrée(s), dont \(submitted) remise(s)."
            if !refused.isEmpty {
                // The flash is one message: the first refused lines, and how many more.
                let shown = refused.prefix(5).joined(separator: " ")
                message +=
                    " \(refused.count) ligne(s) refusée(s), les autres enregistrées : \(shown)"
                    + (refused.count > 5 ? " (et \(refused.count - 5) autre(s))" : "")
            }
            request.flash(message)
            return request.redirect(to: .session(session.id))
        case .refused(let errors):
            return try await SessionPage.page(
                request, session: session, errors: [:], status: .unprocessableEntity,
                sheetErrors: errors)
        }
    }

    /// Reads, checks and saves a filled sheet. A file with a wrong value, an unknown grid or
    /// a comment too long writes nothing; a line whose grid changed since the download (saved
    /// or handed in by someone else) is refused alone, with its line and why, and every other
    /// line is saved, all in one transaction.
    static func importSheet(
        _ data: Data, session: DBAssessmentSession, assessment: Assessment, scale: Scale, evaluator: DBUser,
        on db: any Database
    ) async throws -> Outcome {
        let lines: [GridSpreadsheet.Line]
        switch GridSpreadsheet.read(data, assessment: assessment, scale: scale) {
        case .success(let read): lines = read
        case .failure(let refusal): return .refused(refusal.errors.map(\.description.capitalizedFirst))
        }
        let sessionID = try session.requireID()
        let grids = Dictionary(
            uniqueKeysWithValues: try await DBGrid.query(on: db).filter(\.$session.$id == sessionID)
                .with(\.$ratings).all().map { ($0.id!.uuidString, $0) })
        var errors: [String] = []
        var stale: [String] = []
        var work: [(GridSpreadsheet.Line, DBGrid, GridEditing.Submission)] = []
        for line in lines {
            guard let grid = grids[line.grid.uppercased()] ?? grids[line.grid] else {
                errors.append("Ligne \(line.line) : la grille « \(line.grid) » n'est pas une grille de cette session.")
                continue
            }
            guard let submission = submission(line, grid: grid) else { continue }  // Nothing to change.
            if grid.status == .submitted {
                stale.append("Ligne \(line.line) : cette grille a déjà été remise ; elle ne se modifie plus.")
                continue
            }
            if grid.revision != line.revision {
                stale.append(staleMessage(line, current: grid.revision))
                continue
            }
            for message in GridEditing.validate(
                submission, assessment: assessment, scale: scale, members: Set(submission.memberRatings.keys)
            ).values.sorted() {
                errors.append("Ligne \(line.line) : \(message.capitalizedFirst)")
            }
            work.append((line, grid, submission))
        }
        guard errors.isEmpty else { return .refused(errors) }
        let planned = work
        let refusedBefore = stale
        return try await db.transaction { tx in
            var (saved, submitted) = (0, 0)
            var refused = refusedBefore
            for (line, grid, submission) in planned {
                let members = Set(submission.memberRatings.keys)
                // A save made between the read above and this one is a conflict for its line only:
                // the compare-and-set wrote nothing for it.
                switch try await GridEditing.save(
                    grid: grid, assessment: assessment, scale: scale, members: members, submission: submission,
                    evaluator: evaluator, on: tx)
                {
                case .saved:
                    saved += 1
                    if submission.submit { submitted += 1 }
                case .conflict(_, let current):
                    refused.append(staleMessage(line, current: current))
                case .invalid(let invalid):
                    refused += invalid.values.sorted().map { "Ligne \(line.line) : \($0.capitalizedFirst)" }
                }
            }
            return .saved(grids: saved, submitted: submitted, refused: refused)
        }
    }

    static func staleMessage(_ line: GridSpreadsheet.Line, current: Int) -> String {
        "Ligne \(line.line) : cette grille a été enregistrée par quelqu'un d'autre depuis le téléchargement "
            + "(révision \(line.revision) → \(current)) ; elle n'a pas été importée : téléchargez de nouveau le tableur "
            + "ou remplissez-la sur sa page."
    }

    /// What a line asks of its grid, built on the grid's stored ratings: the sheet sets the
    /// values, and the comments where it has their column; a team member's own ratings stay.
    /// Nil when the line changes nothing.
    static func submission(_ line: GridSpreadsheet.Line, grid: DBGrid) -> GridEditing.Submission? {
        var own: [String: GridEditing.Entry] = [:]
        var members: [UUID: [String: GridEditing.Entry]] = [:]
        for rating in grid.ratings {
            let entry = GridEditing.Entry(value: GridEditing.value(of: rating), comment: rating.comment)
            if let member = rating.$member.id {
                members[member, default: [:]][rating.criterionID] = entry
            } else {
                own[rating.criterionID] = entry
            }
        }
        var wanted = own
        for (criterion, value) in line.values {
            wanted[criterion] = GridEditing.Entry(value: value, comment: wanted[criterion]?.comment)
        }
        for (criterion, comment) in line.comments {
            wanted[criterion] = GridEditing.Entry(value: wanted[criterion]?.value, comment: comment)
        }
        // An entry with neither value nor comment is no rating at all.
        wanted = wanted.filter { $0.value.value != nil || $0.value.comment != nil }
        if wanted == own.filter({ $0.value.value != nil || $0.value.comment != nil }) && !line.submit { return nil }
        return GridEditing.Submission(
            baseRevision: line.revision, ratings: wanted, memberRatings: members, submit: line.submit)
    }
}
