import Foundation
import Vapor

/// Every page of the site, once: links are built from these cases and routes are
/// registered from the same cases, so a path is never typed twice. An id left `nil`
/// stands for the route parameter when registering.
enum SiteRoute: Hashable, Sendable {
    case home
    case login
    case logout
    case password
    case stylesheet
    case referential
    case schools
    case school(UUID?)
    case schoolCohorts(UUID?)
    case cohort(UUID?)
    case cohortNewCandidate(UUID?)
    case cohortImportConfirm(UUID?)
    case candidateSearch
    case cohortCandidates(UUID?)
    case cohortImport(UUID?)
    case cohortImportTemplate(UUID?)
    case cohortTeams(UUID?)
    case cohortSessions(UUID?)
    case cohortResults(UUID?)
    case candidate(UUID?)
    case candidateEdit(UUID?)
    case candidateResults(UUID?)
    case session(UUID?)
    case myGrids
    case grid(UUID?)
    case team(UUID?)
    case sessionEvaluators(UUID?)

    /// The route parameter names, used by `Request.id(_:)`.
    enum Parameter: String {
        case school, cohort, candidate, session, grid, team
    }

    private var parts: [(String, Parameter?, UUID?)] {
        func p(_ name: String) -> (String, Parameter?, UUID?) { (name, nil, nil) }
        func id(_ parameter: Parameter, _ value: UUID?) -> (String, Parameter?, UUID?) { ("", parameter, value) }
        return switch self {
        case .home: []
        case .login: [p("login")]
        case .logout: [p("logout")]
        case .password: [p("account"), p("password")]
        case .stylesheet: [p("styles.css")]
        case .referential: [p("referential")]
        case .schools: [p("schools")]
        case .school(let v): [p("schools"), id(.school, v)]
        case .schoolCohorts(let v): [p("schools"), id(.school, v), p("cohorts")]
        case .cohortNewCandidate(let v): [p("cohorts"), id(.cohort, v), p("candidates"), p("new")]
        case .cohortImportConfirm(let v): [p("cohorts"), id(.cohort, v), p("import"), p("confirm")]
        case .candidateSearch: [p("candidates")]
        case .cohort(let v): [p("cohorts"), id(.cohort, v)]
        case .cohortCandidates(let v): [p("cohorts"), id(.cohort, v), p("candidates")]
        case .cohortImport(let v): [p("cohorts"), id(.cohort, v), p("import")]
        case .cohortImportTemplate(let v): [p("cohorts"), id(.cohort, v), p("import"), p("template.csv")]
        case .cohortTeams(let v): [p("cohorts"), id(.cohort, v), p("teams")]
        case .cohortSessions(let v): [p("cohorts"), id(.cohort, v), p("sessions")]
        case .cohortResults(let v): [p("cohorts"), id(.cohort, v), p("results")]
        case .candidate(let v): [p("candidates"), id(.candidate, v)]
        case .candidateEdit(let v): [p("candidates"), id(.candidate, v), p("edit")]
        case .candidateResults(let v): [p("candidates"), id(.candidate, v), p("results")]
        case .session(let v): [p("sessions"), id(.session, v)]
        case .myGrids: [p("grids")]
        case .grid(let v): [p("grids"), id(.grid, v)]
        case .team(let v): [p("teams"), id(.team, v)]
        case .sessionEvaluators(let v): [p("sessions"), id(.session, v), p("evaluators")]
        }
    }

    /// The path to link to: `/cohorts/5D3…/candidates`.
    var path: String {
        "/" + parts.map { name, parameter, value in
            parameter == nil ? name : (value?.uuidString ?? ":\(parameter!.rawValue)")
        }.joined(separator: "/")
    }

    /// The path with `?key=value` appended, values escaped.
    func path(query: [String: String]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? path
    }

    /// The components to register a route with.
    var pattern: [PathComponent] {
        parts.map { name, parameter, _ in
            parameter.map { .parameter($0.rawValue) } ?? .constant(name)
        }
    }
}

extension Request {
    /// A UUID route parameter, or 404 when it is not one.
    func id(_ parameter: SiteRoute.Parameter) throws -> UUID {
        guard let text = parameters.get(parameter.rawValue), let id = UUID(uuidString: text) else {
            throw Abort(.notFound)
        }
        return id
    }

    func redirect(to route: SiteRoute) -> Response {
        redirect(to: route.path, redirectType: .normal)
    }
}

extension RoutesBuilder {
    @discardableResult
    func get(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        get(route.pattern, use: closure)
    }

    @discardableResult
    func post(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        post(route.pattern, use: closure)
    }
}
