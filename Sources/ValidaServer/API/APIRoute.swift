import Foundation
import Vapor

/// Every route of the JSON API, once: registered from these cases, and described from them
/// in the OpenAPI document, so the document cannot list a route that does not exist nor
/// miss one that does.
enum APIRoute: CaseIterable, Hashable, Sendable {
    case openAPI
    case referentials
    case referential
    case schools
    case createSchool
    case cohorts
    case createCohort
    case candidates
    case createCandidate
    case candidate
    case candidateResults
    case cohortResults
    case teams
    case createTeam
    case sessions
    case createSession
    case grid
    case saveGrid
    case juries
    case juryDecisions

    var method: HTTPMethod {
        switch self {
        case .createSchool, .createCohort, .createCandidate, .createTeam, .createSession: .POST
        case .saveGrid: .PUT
        default: .GET
        }
    }

    /// Path segments below `/api/v1`; `{name}` marks a parameter.
    var segments: [String] {
        switch self {
        case .openAPI: ["openapi.json"]
        case .referentials: ["referentials"]
        case .referential: ["referentials", "{referential}"]
        case .schools, .createSchool: ["schools"]
        case .cohorts, .createCohort: ["schools", "{school}", "cohorts"]
        case .candidates, .createCandidate: ["cohorts", "{cohort}", "candidates"]
        case .candidate: ["candidates", "{candidate}"]
        case .candidateResults: ["candidates", "{candidate}", "results"]
        case .cohortResults: ["cohorts", "{cohort}", "results"]
        case .teams, .createTeam: ["cohorts", "{cohort}", "teams"]
        case .sessions, .createSession: ["cohorts", "{cohort}", "sessions"]
        case .grid, .saveGrid: ["grids", "{grid}"]
        case .juries: ["juries"]
        case .juryDecisions: ["juries", "{jury}", "decisions"]
        }
    }

    static let prefix = ["api", "v1"]

    /// `/api/v1/schools/{school}/cohorts`, as OpenAPI writes paths.
    var openAPIPath: String { "/" + (Self.prefix + segments).joined(separator: "/") }

    var pattern: [PathComponent] {
        segments.map { $0.hasPrefix("{") ? .parameter(String($0.dropFirst().dropLast())) : .constant($0) }
    }

    var parameters: [String] {
        segments.filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    var summary: String {
        switch self {
        case .openAPI: "This document"
        case .referentials: "Référentiel versions"
        case .referential: "One référentiel version, in full"
        case .schools: "Schools the token may see"
        case .createSchool: "Create a school"
        case .cohorts: "A school's cohorts"
        case .createCohort: "Create a cohort"
        case .candidates: "A cohort's candidates"
        case .createCandidate: "Enrol a candidate in a cohort"
        case .candidate: "One candidate"
        case .candidateResults: "A candidate's explained results"
        case .cohortResults: "A cohort's results per block and on the certification"
        case .teams: "A cohort's teams"
        case .createTeam: "Form a team for a team assessment"
        case .sessions: "A cohort's assessment sessions"
        case .createSession: "Schedule an assessment session (its grids are created with it)"
        case .grid: "One grid with its ratings"
        case .saveGrid: "Save a grid (refused with 409 when made on a stale revision)"
        case .juries: "The juries (deliberation and VAE) the token's user may see"
        case .juryDecisions: "A jury's computed results and decisions, per candidate and scope"
        }
    }

    /// Components schema of the JSON body sent (`nil`: none).
    var requestSchema: String? {
        switch self {
        case .createSchool: "SchoolInput"
        case .createCohort: "CohortInput"
        case .createCandidate: "CandidateInput"
        case .saveGrid: "GridInput"
        case .createTeam: "TeamInput"
        case .createSession: "SessionInput"
        default: nil
        }
    }

    /// Components schema of the JSON answered on success.
    var responseSchema: String {
        switch self {
        case .openAPI: "OpenAPIDocument"
        case .referentials: "ReferentialList"
        case .referential: "Referential"
        case .schools: "SchoolList"
        case .createSchool: "School"
        case .cohorts: "CohortList"
        case .createCohort: "Cohort"
        case .candidates: "CandidateList"
        case .createCandidate, .candidate: "Candidate"
        case .candidateResults: "CandidateReport"
        case .cohortResults: "CohortResults"
        case .teams: "TeamList"
        case .createTeam: "Team"
        case .sessions: "SessionList"
        case .createSession: "Session"
        case .grid, .saveGrid: "Grid"
        case .juries: "JuryList"
        case .juryDecisions: "JuryDecisions"
        }
    }

    var successStatus: HTTPResponseStatus { method == .POST ? .created : .ok }

    /// Who may call it: one exhaustive switch, so a new API route does not compile until its
    /// access is decided here. Requests without a usable token get 401 before this is asked.
    var access: RouteAccess {
        switch self {
        case .openAPI: .public
        case .referentials, .referential: .requires(.view, .fixed(.referential))
        // The list then holds only the schools the token's user may see.
        case .schools: .requires(.view, .fixed(.schools))
        case .createSchool: .requires(.create, .fixed(.schools))
        case .cohorts: .requires(.view, .school { .school($0) })
        case .createCohort: .requires(.create, .school { .schoolRoster(school: $0) })
        case .candidates, .sessions: .requires(.view, .cohort { .cohort(school: $0) })
        case .createCandidate, .createSession: .requires(.create, .cohort { .schoolRoster(school: $0) })
        case .candidate: .requires(.view, .candidate { .candidate(id: $0, school: $1) })
        case .candidateResults: .requires(.view, .candidate { .candidateResults(candidate: $0, school: $1) })
        case .cohortResults: .requires(.view, .cohort { .cohortResults(school: $0) })
        case .teams: .requires(.view, .cohort { .team(school: $0) })
        case .createTeam: .requires(.create, .cohort { .team(school: $0) })
        case .grid: .requires(.view, .grid)
        case .saveGrid: .requires(.rate, .grid)
        case .juries: .requires(.view, .fixed(.juries))
        case .juryDecisions: .requires(.view, .jury)
        }
    }
}
