import Fluent
import Foundation
import ValidaCore
import ValidaFormats
import Vapor

/// The JSON API: the same resources as the pages, the same rules (`Authorization`, the
/// shared validations, `GridEditing`), for integrations holding a token.
enum APIController {
    /// Every API route, each with the access its `APIRoute` case declares (`APIRoute.access`).
    static func register(_ app: Application) {
        for route in APIRoute.allCases {
            app.on(route) { request async throws -> Response in try await handle(route, request) }
        }
    }

    static func handle(_ route: APIRoute, _ req: Request) async throws -> Response {
        switch route {
        case .openAPI: return OpenAPIDocument.json()
        case .referentials:
            return try await json(
                DBReferential.query(on: req.db).sort(\.$loadedAt).all().map(API.ReferentialSummary.init), req)
        case .referential:
            return try await json(req.referentials.entry(try uuid(req, "referential"), on: req.db).referential, req)
        case .schools:
            return try await json(schools(for: try req.requireUser(), on: req.db).map(API.School.init), req)
        case .createSchool:
            return try await json(API.School(createSchool(req)), req, status: .created)
        case .cohorts:
            let school = try await find(DBSchool.self, req, "school")
            return try await json(
                DBCohort.query(on: req.db).filter(\.$school.$id == school.id!).sort(\.$name).all().map(API.Cohort.init),
                req)
        case .createCohort:
            return try await json(API.Cohort(createCohort(req)), req, status: .created)
        case .candidates:
            let cohort = try await find(DBCohort.self, req, "cohort")
            let candidates = try await DBCandidate.query(on: req.db).filter(\.$cohort.$id == cohort.id!).all()
                .sorted(by: DBCandidate.byName)
            return try json(candidates.map(API.Candidate.init), req)
        case .createCandidate:
            return try await json(API.Candidate(createCandidate(req)), req, status: .created)
        case .candidate:
            let candidate = try await find(DBCandidate.self, req, "candidate")
            return try json(API.Candidate(candidate), req)
        case .candidateResults:
            let candidate = try await find(DBCandidate.self, req, "candidate")
            let entry = try await req.referentials.entry(candidate.$referential.id, on: req.db)
            let record = try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: req.db)
            return try json(entry.engine.report(for: record), req)
        case .cohortResults:
            let cohort = try await find(DBCohort.self, req, "cohort")
            return try await json(cohortResults(cohort, req), req)
        case .teams:
            let cohort = try await find(DBCohort.self, req, "cohort")
            return try await json(teams(of: cohort, on: req.db), req)
        case .createTeam:
            return try await json(createTeam(req), req, status: .created)
        case .sessions:
            let cohort = try await find(DBCohort.self, req, "cohort")
            return try await json(sessions(of: cohort, on: req.db), req)
        case .createSession:
            return try await json(createSession(req), req, status: .created)
        case .grid:
            let (grid, _) = try await gridAndSession(req, action: .view)
            return try await json(gridDTO(grid, req), req)
        case .saveGrid:
            return try await json(saveGrid(req), req)
        case .juries:
            return try await json(JuryAPI.juries(req), req)
        case .juryDecisions:
            return try await json(JuryAPI.decisions(req, juryID: uuid(req, "jury")), req)
        }
    }

    // MARK: - Queries and writes

    /// The schools a user may see: all for the certifier's staff and juries, their own for a
    /// coordinator.
    static func schools(for user: CurrentUser, on db: any Database) async throws -> [DBSchool] {
        switch user.role {
        case .certificationManager, .juryMember:
            return try await DBSchool.query(on: db).sort(\.$name).all()
        case .schoolCoordinator:
            guard let school = user.user.$school.id else { return [] }
            return try await DBSchool.query(on: db).filter(\.$id == school).all()
        case .evaluator, .candidate:
            throw Abort(.forbidden, reason: "Accès refusé : votre rôle ne donne pas accès aux écoles.")
        }
    }

    static func createSchool(_ req: Request) async throws -> DBSchool {
        let input = try req.content.decode(API.SchoolInput.self)
        return try await SchoolOperations.create(
            .init(name: input.name, city: input.city, siret: input.siret), by: try req.requireUser().user, on: req.db
        ).orRefuse("École refusée.")
    }

    static func createCohort(_ req: Request) async throws -> DBCohort {
        let school = try await find(DBSchool.self, req, "school")
        let input = try req.content.decode(API.CohortInput.self)
        // Without a version named, the latest one.
        var referential = input.referential
        if referential == nil { referential = try await ReferentialStore.latest(on: req.db)?.id }
        return try await CohortOperations.create(
            .init(
                name: input.name, referential: referential?.uuidString, startsOn: input.startsOn, endsOn: input.endsOn),
            school: school.id!, by: try req.requireUser().user, on: req.db
        ).orRefuse("Promotion refusée.")
    }

    static func createCandidate(_ req: Request) async throws -> DBCandidate {
        let cohort = try await find(DBCohort.self, req, "cohort")
        let input = try req.content.decode(API.CandidateInput.self)
        return try await CandidateOperations.create(
            .init([
                .birthName: input.birthName, .usualName: input.usualName, .firstNames: input.firstNames,
                .birthDate: input.birthDate, .birthPlace: input.birthPlace, .birthPlaceINSEE: input.birthPlaceINSEE,
                .sex: input.sex, .email: input.email, .accessRoute: input.accessRoute,
            ]), cohort: cohort, by: try req.requireUser().user, on: req.db
        ).orRefuse("Candidat refusé.")
    }

    static func cohortResults(_ cohort: DBCohort, _ req: Request) async throws -> API.CohortResults {
        let entry = try await req.referentials.entry(cohort.$referential.id, on: req.db)
        let rows = try await ResultsQuery.records(cohort: cohort.id!, referential: entry.referential, on: req.db)
        let results = entry.engine.results(forCohort: rows.map(\.1))
        let blocks = entry.engine.blockIDs
        let requirements = entry.engine.requirementIDs
        return API.CohortResults(
            cohort: cohort.id!, blocks: blocks, requirements: requirements,
            candidates: rows.enumerated().map { i, row in
                let r = results[i]
                return API.CohortResults.Row(
                    candidate: row.0.id!, name: row.0.displayName, blocks: r.blocks.map(\.status),
                    requirements: r.requirements.map(\.status), certification: r.certification.status)
            })
    }

    static func teams(of cohort: DBCohort, on db: any Database) async throws -> [API.Team] {
        let teams = try await DBTeam.query(on: db).filter(\.$cohort.$id == cohort.id!).sort(\.$name).all()
        let ids = teams.map { $0.id! }
        let members = ids.isEmpty ? [] : try await DBTeamMember.query(on: db).filter(\.$team.$id ~~ ids).all()
        let byTeam = Dictionary(grouping: members) { $0.$team.id }
        return teams.map { team in
            API.Team(
                id: team.id!, cohort: team.$cohort.id, name: team.name, assessment: team.assessmentID,
                members: (byTeam[team.id!] ?? []).map { $0.$candidate.id }.sorted { $0.uuidString < $1.uuidString })
        }
    }

    static func createTeam(_ req: Request) async throws -> API.Team {
        let cohort = try await find(DBCohort.self, req, "cohort")
        let input = try req.content.decode(API.TeamInput.self)
        let entry = try await req.referentials.entry(cohort.$referential.id, on: req.db)
        let saved = try await TeamForming.create(
            TeamForming.Input(name: input.name ?? "", assessment: input.assessment ?? "", members: input.members ?? []),
            cohort: cohort, referential: entry.referential, by: try req.requireUser().user, on: req.db
        ).orRefuse("Équipe refusée.")
        guard let team = try await teams(of: cohort, on: req.db).first(where: { $0.id == saved.team }) else {
            throw Abort(.notFound)
        }
        return team
    }

    static func sessions(of cohort: DBCohort, on db: any Database) async throws -> [API.Session] {
        let sessions = try await DBAssessmentSession.query(on: db).filter(\.$cohort.$id == cohort.id!)
            .sort(\.$assessmentID).sort(\.$attempt).all()
        let ids = sessions.map { $0.id! }
        let assignments = ids.isEmpty ? [] : try await DBAssignment.query(on: db).filter(\.$session.$id ~~ ids).all()
        let bySession = Dictionary(grouping: assignments) { $0.$session.id }
        return sessions.map { session in
            API.Session(
                id: session.id!, cohort: session.$cohort.id, assessment: session.assessmentID, attempt: session.attempt,
                startsOn: session.startsOn, endsOn: session.endsOn,
                evaluators: (bySession[session.id!] ?? []).map { $0.$evaluator.id })
        }
    }

    static func createSession(_ req: Request) async throws -> API.Session {
        let cohort = try await find(DBCohort.self, req, "cohort")
        let input = try req.content.decode(API.SessionInput.self)
        let entry = try await req.referentials.entry(cohort.$referential.id, on: req.db)
        let created = try await SessionCreation.create(
            SessionCreation.Input(
                assessment: input.assessment ?? "", attempt: input.attempt.map(String.init) ?? "",
                startsOn: input.startsOn ?? "", endsOn: input.endsOn ?? ""),
            cohort: cohort, entry: entry, by: try req.requireUser().user, on: req.db
        ).orRefuse("Session refusée.")
        guard let session = try await sessions(of: cohort, on: req.db).first(where: { $0.id == created.session }) else {
            throw Abort(.notFound)
        }
        return session
    }

    static func gridAndSession(_ req: Request, action: Action) async throws -> (DBGrid, DBAssessmentSession) {
        let grid = try await find(DBGrid.self, req, "grid")
        guard
            let session = try await DBAssessmentSession.query(on: req.db).filter(\.$id == grid.$session.id).with(
                \.$cohort
            ).first()
        else {
            throw Abort(.notFound)
        }
        grid.$session.value = session
        return (grid, session)
    }

    static func gridDTO(_ grid: DBGrid, _ req: Request) async throws -> API.Grid {
        let db = req.db
        let ratings = try await DBRating.query(on: db).filter(\.$grid.$id == grid.id!).sort(\.$criterionID).all()
        // Anonymous marking: neither the candidate nor the team is named until the grid is handed in.
        let copy = try await AnonymousNames.load(
            sessions: [grid.$session.id], role: try req.requireUser().role, on: db
        ).label(grid: grid.id!)
        return API.Grid(
            id: grid.id!, session: grid.$session.id, assessment: grid.session.assessmentID,
            attempt: grid.session.attempt,
            candidate: copy == nil ? grid.$candidate.id : nil, team: copy == nil ? grid.$team.id : nil, copy: copy,
            status: grid.status, revision: grid.revision,
            ratings: ratings.map {
                API.RatingEntry(
                    criterion: $0.criterionID, member: $0.$member.id, level: $0.level, mark: $0.mark,
                    comment: $0.comment, evaluator: $0.$evaluator.id, ratedAt: $0.ratedAt)
            })
    }

    static func saveGrid(_ req: Request) async throws -> API.Grid {
        let (grid, session) = try await gridAndSession(req, action: .rate)
        let input = try req.content.decode(API.GridInput.self)
        let cohort = try await session.$cohort.get(on: req.db)
        let entry = try await req.referentials.entry(cohort.$referential.id, on: req.db)
        guard let assessment = entry.referential.assessment(session.assessmentID),
            let scale = entry.referential.scale(assessment.scale)
        else { throw Abort(.internalServerError) }
        var members: Set<UUID> = []
        if let team = grid.$team.id {
            members = Set(
                try await DBTeamMember.query(on: req.db).filter(\.$team.$id == team).all().map { $0.$candidate.id })
        }
        var submission = GridEditing.Submission(
            baseRevision: input.revision, ratings: [:], memberRatings: [:], submit: input.submit ?? false)
        var fields: [String: String] = [:]
        for rating in input.ratings {
            if rating.level != nil && rating.mark != nil {
                fields[GridEditing.field(rating.criterion, member: rating.member)] =
                    "« \(rating.criterion) » : level ou mark, pas les deux"
            }
            let entry = GridEditing.Entry(
                value: rating.mark.map(RatingValue.mark) ?? rating.level.map(RatingValue.level), comment: rating.comment
            )
            if let member = rating.member {
                submission.memberRatings[member, default: [:]][rating.criterion] = entry
            } else {
                submission.ratings[rating.criterion] = entry
            }
        }
        guard fields.isEmpty else {
            throw APIProblem(status: .unprocessableEntity, reason: "Grille refusée.", fields: fields)
        }
        let user = try req.requireUser()
        switch try await GridEditing.save(
            grid: grid, assessment: assessment, scale: scale, members: members,
            submission: submission, evaluator: user.user, on: req.db)
        {
        case .saved:
            guard let saved = try await DBGrid.find(grid.id, on: req.db) else { throw Abort(.notFound) }
            saved.$session.value = session
            return try await gridDTO(saved, req)
        case .invalid(let errors):
            throw APIProblem(
                status: errors["grid"] != nil ? .conflict : .unprocessableEntity,
                reason: errors["grid"] ?? "Grille refusée.", fields: errors)
        case .conflict(let conflicts, let current):
            throw APIProblem(
                status: .conflict,
                reason:
                    "La grille a été modifiée depuis la révision \(input.revision) (révision actuelle : \(current)) : rien n'a été enregistré.",
                conflicts: conflicts)
        }
    }

    // MARK: - Helpers

    static func uuid(_ req: Request, _ name: String) throws -> UUID {
        guard let text = req.parameters.get(name), let id = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: "Identifiant « \(req.parameters.get(name) ?? "") » invalide.")
        }
        return id
    }

    static func find<M: Model>(_ type: M.Type, _ req: Request, _ name: String) async throws -> M
    where M.IDValue == UUID {
        guard let model = try await M.find(try uuid(req, name), on: req.db) else {
            throw Abort(.notFound, reason: "Ressource introuvable.")
        }
        return model
    }

    static func json<T: Encodable>(_ value: T, _ req: Request, status: HTTPResponseStatus = .ok) throws -> Response {
        let response = Response(status: status)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try response.content.encode(value, using: encoder)
        return response
    }
}
