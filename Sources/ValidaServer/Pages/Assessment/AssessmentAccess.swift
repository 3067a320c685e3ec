import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Loading what an assessment or results page is about. A missing record is a French 404;
/// access itself is decided before the handler runs, by the rule its route declares
/// (`SiteRoute.access`).
enum AssessmentAccess {
    static func cohort(_ request: Request) async throws -> DBCohort {
        guard let cohort = try await DBCohort.find(try request.id(.cohort), on: request.db) else {
            throw Abort(.notFound, reason: "Cette promotion n'existe pas.")
        }
        return cohort
    }

    /// A session with its cohort loaded.
    static func session(_ id: UUID, on db: any Database) async throws -> DBAssessmentSession {
        guard let session = try await DBAssessmentSession.query(on: db).filter(\.$id == id).with(\.$cohort).first()
        else {
            throw Abort(.notFound, reason: "Cette session d'évaluation n'existe pas.")
        }
        return session
    }

    /// A grid with its session and the session's cohort loaded.
    static func grid(_ id: UUID, on db: any Database) async throws -> DBGrid {
        guard let grid = try await DBGrid.find(id, on: db) else {
            throw Abort(.notFound, reason: "Cette grille n'existe pas.")
        }
        grid.$session.value = try await session(grid.$session.id, on: db)
        return grid
    }

    static func team(_ request: Request) async throws -> DBTeam {
        guard
            let team = try await DBTeam.query(on: request.db).filter(\.$id == request.id(.team)).with(\.$cohort).first()
        else {
            throw Abort(.notFound, reason: "Cette équipe n'existe pas.")
        }
        return team
    }

    static func candidate(_ request: Request) async throws -> DBCandidate {
        guard let candidate = try await DBCandidate.find(try request.id(.candidate), on: request.db) else {
            throw Abort(.notFound, reason: "Ce candidat n'existe pas.")
        }
        return candidate
    }

    /// The resource a grid is, for the core: scoped by its session and its school.
    static func resource(grid session: DBAssessmentSession) -> Resource {
        .grid(session: session.id!.uuidString, school: session.cohort.$school.id.uuidString)
    }

    static func resource(session: DBAssessmentSession) -> Resource {
        .assessmentSession(id: session.id!.uuidString, school: session.cohort.$school.id.uuidString)
    }
}

extension Request {
    /// Whether the core allows it, to show or hide a control; the route behind the control
    /// still checks its own declared rule.
    func allows(_ action: Action, _ resource: Resource) -> Bool {
        guard let user = currentUser else { return false }
        return Authorization.allows(user.actor, action, resource)
    }

    /// A form's fields as sent: the pages read checkboxes and per-criterion fields by the
    /// names they built, never by parsing names.
    func formFields() throws -> [String: String] {
        try content.decode([String: String].self)
    }
}
