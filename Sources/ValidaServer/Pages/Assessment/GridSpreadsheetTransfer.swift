import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// A session's grids as a spreadsheet: the blank (or partly rated) sheet to download, and
/// the filled sheet uploaded back. The upload is all or nothing: every line is checked,
/// then every grid is saved in one transaction with the web form's rules — the revision
/// the sheet was downloaded at, so that a grid saved since is a conflict, not overwritten.
enum GridSpreadsheetTransfer {
    struct Upload: Content {
        var file: File?
    }

    enum Outcome: Sendable, Equatable {
        case saved(grids: Int, submitted: Int)
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
            for rating in grid.ratings where rating.$member.id == nil {
                if let value = GridEditing.value(of: rating) { values[rating.criterionID] = value }
            }
            return GridSpreadsheet.Row(
                grid: grid.id!.uuidString,
                subject: names.label(grid: grid.id!) ?? grid.team?.name ?? grid.candidate?.displayName ?? "?",
                revision: grid.revision, values: values)
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
        case .saved(let grids, let submitted):
            request.flash("Tableur importé : \(grids) grille(s) enregistrée(s), dont \(submitted) remise(s).")
            return request.redirect(to: .session(session.id))
        case .refused(let errors):
            return try await SessionPage.page(
                request, session: session, errors: [:], status: .unprocessableEntity,
                sheetErrors: errors)
        }
    }

    /// Reads, checks and saves a filled sheet; nothing is written unless every line is valid
    /// and no grid was saved by someone else since the sheet was downloaded.
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
        var work: [(GridSpreadsheet.Line, DBGrid, GridEditing.Submission)] = []
        for line in lines {
            guard let grid = grids[line.grid.uppercased()] ?? grids[line.grid] else {
                errors.append("Ligne \(line.line) : la grille « \(line.grid) » n'est pas une grille de cette session.")
                continue
            }
            var own: [String: GridEditing.Entry] = [:]
            var members: [UUID: [String: GridEditing.Entry]] = [:]
            var stored: [String: RatingValue] = [:]
            for rating in grid.ratings {
                let entry = GridEditing.Entry(value: GridEditing.value(of: rating), comment: rating.comment)
                if let member = rating.$member.id {
                    members[member, default: [:]][rating.criterionID] = entry
                } else {
                    own[rating.criterionID] = entry
                    if let value = entry.value { stored[rating.criterionID] = value }
                }
            }
            let wanted = line.values.compactMapValues { $0 }
            if wanted == stored && !line.submit { continue }  // Nothing to change on this line.
            if grid.status == .submitted {
                errors.append("Ligne \(line.line) : cette grille a déjà été remise ; elle ne se modifie plus.")
                continue
            }
            // The sheet sets values; comments typed on the page stay with their criterion.
            for (criterion, value) in line.values {
                own[criterion] = GridEditing.Entry(value: value, comment: own[criterion]?.comment)
            }
            work.append(
                (
                    line, grid,
                    GridEditing.Submission(
                        baseRevision: line.revision, ratings: own, memberRatings: members, submit: line.submit)
                ))
        }
        guard errors.isEmpty else { return .refused(errors) }
        let planned = work
        struct Refused: Error { var errors: [String] }
        do {
            return try await db.transaction { tx in
                var submitted = 0
                for (line, grid, submission) in planned {
                    let members = Set(submission.memberRatings.keys)
                    switch try await GridEditing.save(
                        grid: grid, assessment: assessment, scale: scale, members: members, submission: submission,
                        evaluator: evaluator, on: tx)
                    {
                    case .saved:
                        if submission.submit { submitted += 1 }
                    case .conflict(_, let current):
                        throw Refused(errors: [
                            "Ligne \(line.line) : cette grille a été enregistrée par quelqu'un d'autre depuis "
                                + "le téléchargement (révision \(line.revision) → \(current)) ; téléchargez de nouveau le tableur."
                        ])
                    case .invalid(let invalid):
                        throw Refused(errors: invalid.values.sorted().map { "Ligne \(line.line) : \($0)" })
                    }
                }
                return .saved(grids: planned.count, submitted: submitted)
            }
        } catch let refused as Refused {
            return .refused(refused.errors)
        }
    }
}
