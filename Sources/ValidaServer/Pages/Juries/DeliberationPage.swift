import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The deliberation: candidates × blocks, required assessments and the certification, one
/// line per candidate, each cell a symbol for the jury's decision (or, undecided, the computed
/// result) with its full wording for screen readers; schools and access routes by short codes
/// with a legend; filters by school, access route, status and undecided cases, kept in the
/// URL; totals per column; adopting the computed results and closing.
enum DeliberationPage {
    struct Cell: Sendable {
        var computed: OutcomeStatus
        var decision: DecisionOutcome?
        /// The decision departs from the computed result.
        var departs: Bool
    }

    struct Row: Sendable {
        var candidateID: UUID
        var name: String
        var school: String
        /// The school's short code (`Model.schoolCodes`).
        var schoolCode: String
        var accessRoute: AccessRoute
        var cells: [Cell]
        var mustAbstain: [String]
    }

    struct Filters: Sendable, Hashable {
        var school: UUID?
        var accessRoute: AccessRoute?
        /// `undecided`, or an outcome on the certification.
        var status: String?
        /// Only candidates with a scope still undecided.
        var undecidedOnly = false
    }

    struct Model: Sendable {
        var juryID: UUID
        var name: String
        var status: DeliberationStatus
        var columns: [(id: String, title: String)]
        var rows: [Row]
        /// Decided outcomes per column: validated, not validated, deferred, undecided.
        var totals: [[Int]]
        var schools: [(id: UUID, name: String)]
        /// Each school's short code and full name, for the legend.
        var schoolCodes: [(code: String, name: String)]
        var filters: Filters
        var canDecide: Bool
        var canClose: Bool
        var total: Int
    }

    static func show(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        // Served from the process's snapshot while no write changed what results read.
        let snapshot = try await request.application.juryResults.snapshot(
            id, referentials: request.referentials, on: request.db)
        let context = snapshot.context
        let filters = Filters(request)
        // The model and the table, built once per snapshot and filters.
        let built: (model: Model, matrix: RenderedHTML)
        if let page = snapshot.pages.page(filters) {
            built = page
        } else {
            let model = try await query(context, computed: snapshot.computed, filters: filters, on: request.db)
            built = (model, RenderedHTML(matrix(model)))
            snapshot.pages.store(filters, built)
        }
        var model = built.model
        let user = try request.requireUser()
        model.canDecide = request.allows(.decide, .jury(id: id.uuidString)) && !context.jury.isClosed
        model.canClose =
            model.canDecide
            && (user.role == .certificationManager || context.member(userID: user.id)?.core.role == .president)
        return view(model, PageContext(request), renderedMatrix: built.matrix).response()
    }

    /// `computed`: `context.computedResults()` when the caller has them already.
    static func query(
        _ context: JuryContext, computed: [CandidateResults]? = nil, filters: Filters, on db: any Database
    ) async throws -> Model {
        let engine = context.entry.engine
        let referential = context.entry.referential
        let schools = try await DBSchool.query(on: db).filter(
            \.$id ~~ Array(Set(context.candidates.map { $0.0.$school.id }))
        )
        .sort(\.$name).all()
        let schoolNames = Dictionary(uniqueKeysWithValues: schools.map { ($0.id!, $0.name) })
        let codes = ShortCodes.schools(schools.map { ($0.id!, $0.name) })
        let columns = context.scopes.map { ($0.shortLabel(in: referential), $0.label(in: referential)) }
        var rows: [Row] = []
        var totals = [[Int]](repeating: [0, 0, 0, 0], count: context.scopes.count)
        let computedAll = computed ?? context.computedResults()
        for (i, (candidate, _)) in context.candidates.enumerated() {
            let id = candidate.id!
            let route = candidate.accessRoute
            if let school = filters.school, candidate.$school.id != school { continue }
            if let wanted = filters.accessRoute, route != wanted { continue }
            let computed = computedAll[i]
            let cells = context.scopes.enumerated().map { index, scope -> Cell in
                let status: OutcomeStatus =
                    switch scope {
                    case .block: computed.blocks[index].status
                    case .requirement: computed.requirements[index - engine.blockIDs.count].status
                    case .certification: computed.certification.status
                    }
                let decision = context.standing(id, scope)?.outcome
                return Cell(
                    computed: status, decision: decision, departs: decision.map { !$0.agrees(with: status) } ?? false)
            }
            if let status = filters.status {
                let certification = cells.last!.decision
                if status == "undecided" ? certification != nil : certification?.rawValue != status { continue }
            }
            if filters.undecidedOnly && !cells.contains(where: { $0.decision == nil }) { continue }
            for (c, cell) in cells.enumerated() {
                switch cell.decision {
                case .validated?: totals[c][0] += 1
                case .notValidated?: totals[c][1] += 1
                case .deferred?: totals[c][2] += 1
                case nil: totals[c][3] += 1
                }
            }
            rows.append(
                Row(
                    candidateID: id, name: candidate.displayName, school: schoolNames[candidate.$school.id] ?? "",
                    schoolCode: codes[candidate.$school.id] ?? "", accessRoute: route, cells: cells,
                    mustAbstain: context.abstentions(for: id).map(\.member.name)))
        }
        return Model(
            juryID: context.juryID, name: context.jury.name, status: context.jury.status, columns: columns,
            rows: rows,
            totals: totals, schools: schools.map { ($0.id!, $0.name) },
            schoolCodes: schools.map { (codes[$0.id!] ?? "", $0.name) }, filters: filters, canDecide: false,
            canClose: false,
            total: context.candidates.count)
    }

    static func adopt(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let user = try request.requireUser().user
        do {
            let (recorded, skipped) = try await Deliberating.adoptComputed(
                juryID: id, actor: user, referentials: request.referentials, cache: request.application.juryResults,
                on: request.db)
            var message =
                "\(recorded) décision\(recorded > 1 ? "s" : "") enregistrée\(recorded > 1 ? "s" : "") d'après les résultats calculés."
            if !skipped.isEmpty {
                message +=
                    " Vous devez vous abstenir pour : \(skipped.joined(separator: ", ")) ; un autre membre décidera pour eux."
            }
            request.flash(message)
        } catch let failure as Deliberating.Failure {
            request.flash(failure.description)
        }
        return request.redirect(to: .deliberation(id))
    }

    static func close(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let user = try request.requireUser()
        let context = try await JuryContext.load(id, request: request)
        guard user.role == .certificationManager || context.member(userID: user.id)?.core.role == .president else {
            throw Abort(.forbidden, reason: "Accès refusé : seul le président du jury clôt la délibération.")
        }
        do {
            let issued = try await Deliberating.close(
                juryID: id, actor: user.user, referentials: request.referentials,
                settings: try await AppSettings.load(on: request.db), on: request.db)
            request.flash(
                "Délibération close. \(issued) document\(issued > 1 ? "s" : "") émis. Le procès-verbal est prêt.")
            return request.redirect(to: .minutes(id))
        } catch let failure as Deliberating.Failure {
            request.flash(failure.description)
            return request.redirect(to: .deliberation(id))
        }
    }

    static let adoptHelp =
        "Ouvrez un candidat pour décider bloc par bloc, avec l'explication de chaque résultat calculé. "
        + "Vous pouvez aussi entériner les résultats calculés pour toutes les cases encore sans décision "
        + "(un résultat incomplet devient « Ajourné »)."
    static let closeHelp =
        "plus aucune décision ne se modifie, seules des corrections motivées restent possibles ; "
        + "les attestations et parchemins sont émis."

    static let totalLabels = ["Validés", "Non validés", "Ajournés", "Sans décision"]

    /// `renderedMatrix`: `matrix(model)` already rendered.
    static func view(_ model: Model, _ context: PageContext, renderedMatrix: RenderedHTML? = nil) -> HTML {
        let matrix: Node<HTML.BodyContext> = renderedMatrix.map { .rendered($0) } ?? matrix(model)
        let actions: Node<HTML.BodyContext> = .if(
            model.canDecide,
            .section(
                .h2("Décider"),
                .p(.text(adoptHelp)),
                .form(
                    .method(.post), .action(SiteRoute.deliberationAdopt(model.juryID).path),
                    Form.csrf(context), .button(.type(.submit), .class("secondary"), "Entériner les résultats calculés")
                ),
                .if(
                    model.canClose,
                    .form(
                        .method(.post), .action(SiteRoute.deliberationClose(model.juryID).path),
                        Form.csrf(context),
                        .p(
                            .strong("Clore la délibération la fige : "),
                            .text(closeHelp)),
                        .button(.type(.submit), "Clore la délibération")))
            ))
        return Layout.page(
            "Délibération — \(model.name)", context,
            .p(
                .a(.href(SiteRoute.jury(model.juryID).path), "Composition du jury"), .text(" · "),
                .a(.href(SiteRoute.minutes(model.juryID).path), "Procès-verbal"), .text(" · "),
                .strong("Statut : "), StatusBadge.deliberation(model.status)),
            filtersForm(model), matrix, actions)
    }
}
