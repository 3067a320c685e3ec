import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// A session's « double correction »: the option, and for each grid its two markers (paired
/// automatically, changed by hand) with how far each is, never what they rated.
enum DoubleMarkingSessionPage {
    struct Marker: Sendable {
        var id: UUID
        var name: String
        var submitted: Bool
    }

    struct GridRow: Sendable {
        var id: UUID
        var subject: String
        var first: Marker?
        var second: Marker?
        var third: String?
        var status: GridStatus
        var bothSubmitted: Bool { first?.submitted == true && second?.submitted == true }
    }

    struct Model: Sendable {
        var sessionID: UUID
        var title: String
        var enabled: Bool
        var evaluators: [(id: UUID, name: String)]
        var grids: [GridRow]
        var canEdit: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        return view(try await query(request, session: session), Form.State(), PageContext(request)).response()
    }

    /// `op`: `enable`, `disable`, `pair` (the grids left unpaired), `set-pair` (`grid`, `first`, `second`).
    static func update(_ request: Request) async throws -> Response {
        let session = try await request.loadSession()
        let sessionID = try session.requireID()
        let fields = try request.formFields()
        let user = try request.requireUser().user
        var refusal: Refusal<DoubleMarkingSetup.Field>?
        switch fields["op"] {
        case "enable", "disable":
            switch try await DoubleMarkingSetup.setEnabled(
                fields["op"] == "enable", session: session, by: user, on: request.db)
            {
            case .success(let paired):
                request.flash(
                    fields["op"] == "enable"
                        ? "Double correction demandée : \(paired) grille(s) confiée(s) chacune à deux correcteurs."
                        : "Double correction retirée : les grilles se notent de nouveau directement.")
            case .failure(let r): refusal = r
            }
        case "pair":
            guard try await DoubleMarking.isEnabled(session: sessionID, on: request.db) else {
                refusal = Refusal(.option, "La double correction n'est pas demandée pour cette session.")
                break
            }
            let paired = try await DoubleMarkingSetup.pairRemaining(session: session, by: user, on: request.db)
            request.flash("\(paired) grille(s) appariée(s).")
        case "set-pair":
            guard let gridID = fields["grid"].flatMap(UUID.init(uuidString:)),
                let grid = try await DBGrid.query(on: request.db).filter(\.$id == gridID)
                    .filter(\.$session.$id == sessionID).first(),
                try await DoubleMarking.isEnabled(session: sessionID, on: request.db)
            else {
                refusal = Refusal(.grid, "Cette grille n'est pas une grille de cette session en double correction.")
                break
            }
            switch try await DoubleMarkingSetup.setPair(
                grid: grid, first: fields["first"].flatMap(UUID.init(uuidString:)),
                second: fields["second"].flatMap(UUID.init(uuidString:)), by: user, on: request.db)
            {
            case .success: request.flash("Correcteurs de la grille enregistrés.")
            case .failure(let r): refusal = r
            }
        default:
            refusal = Refusal(.option, "Action inconnue.")
        }
        if let refusal {
            let model = try await query(request, session: session)
            return view(model, Form.State(fields: fields, errors: refusal.byName()), PageContext(request))
                .response(.unprocessableEntity)
        }
        return request.redirect(to: .sessionDoubleMarking(sessionID))
    }

    static func query(_ request: Request, session: DBAssessmentSession) async throws -> Model {
        let db = request.db
        let sessionID = try session.requireID()
        let entry = try await request.referentials.entry(session.cohort.$referential.id, on: db)
        let title =
            (entry.referential.assessment(session.assessmentID).map(AssessmentText.assessment) ?? session.assessmentID)
            + " — " + AssessmentText.attempt(session.attempt)
        let enabled = try await DoubleMarking.isEnabled(session: sessionID, on: db)
        let evaluators = try await session.$evaluators.get(on: db)
        let grids = try await DBGrid.query(on: db).filter(\.$session.$id == sessionID).with(\.$candidate)
            .with(\.$team).all()
        let markings =
            grids.isEmpty
            ? []
            : try await DBMarking.query(on: db).filter(\.$grid.$id ~~ grids.map { $0.id! }).with(\.$evaluator).all()
        let byGrid = Dictionary(grouping: markings) { $0.$grid.id }
        func marker(_ m: DBMarking?) -> Marker? {
            m.map { Marker(id: $0.$evaluator.id, name: $0.evaluator.displayName, submitted: $0.status == .submitted) }
        }
        let rows = grids.map { grid in
            let marks = byGrid[grid.id!] ?? []
            return GridRow(
                id: grid.id!, subject: grid.team?.name ?? grid.candidate?.displayName ?? "?",
                first: marker(DoubleMarking.marker(.first, in: marks)),
                second: marker(DoubleMarking.marker(.second, in: marks)),
                third: DoubleMarking.marker(.third, in: marks)?.evaluator.displayName, status: grid.status)
        }
        return Model(
            sessionID: sessionID, title: title, enabled: enabled,
            evaluators: AssessmentText.byName(evaluators.map { (id: $0.id!, name: $0.displayName) }) { $0.name },
            grids: AssessmentText.byName(rows) { $0.subject },
            canEdit: request.allows(.edit, AssessmentAccess.resource(session: session)))
    }

    /// The option as the session page shows it: on or off, and the link to this page.
    static func summary(sessionID: UUID, enabled: Bool) -> Node<HTML.BodyContext> {
        .section(
            .h2("Double correction"),
            .p(
                .text(
                    enabled
                        ? "Demandée : chaque grille est notée par deux correcteurs indépendants, puis réglée. "
                        : "Non demandée : chaque grille est notée directement par les évaluateurs désignés. "),
                .a(.href(SiteRoute.sessionDoubleMarking(sessionID).path), "Double correction de la session")))
    }
}

extension DoubleMarkingSessionPage {
    /// On the grid page of a double-marked session: where the markings are.
    static func gridNotice(_ gridID: UUID) -> Node<HTML.BodyContext> {
        Form.alert(
            .notice,
            .p(
                .text(
                    "Session en double correction : cette grille est la grille réglée, remplie d'après les deux copies "
                        + "des correcteurs ; elle ne se note pas ici. "),
                .a(.href(SiteRoute.marking(gridID).path), "Ma correction")))
    }
}
