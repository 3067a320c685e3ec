import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The juries: those the user may see, with their status, and the form that convenes one
/// for one or several cohorts on the same référentiel version.
enum JuriesPage {
    struct Row: Sendable {
        var id: UUID
        var name: String
        var meetsOn: String
        var place: String
        var cohorts: [String]
        var status: DeliberationStatus
        /// A VAE jury's request: the jury decides from it.
        var vaeRequest: UUID? = nil
    }

    struct Model: Sendable {
        var rows: [Row]
        var cohorts: [(id: UUID, name: String)]
        var canCreate: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        return try await page(request, state: .init(values: ["kind": JuryKind.deliberation.rawValue]), status: .ok)
    }

    static func page(_ request: Request, state: Form.State, status: HTTPResponseStatus) async throws -> Response {
        let user = try request.requireUser()
        var model = try await query(
            visibleTo: user.role == .certificationManager ? nil : user.actor.juries, on: request.db)
        model.canCreate = request.allows(.create, .juries)
        return view(model, state, PageContext(request)).response(status)
    }

    /// The juries, most recent meeting first; `visibleTo` limits them to a member's juries.
    static func query(visibleTo: Set<String>?, on db: any Database) async throws -> Model {
        let juries = try await DBJury.query(on: db)
            .with(\.$cohorts).sort(\.$meetsOn, .descending).all()
            .filter { visibleTo?.contains($0.id!.uuidString) ?? true }
        // A VAE jury has its own pages, on its request: listed with a link there.
        let vaeJuries = Set(juries.filter { $0.kind == .vae }.map { $0.id! })
        let requests =
            vaeJuries.isEmpty
            ? []
            : try await DBVAERequest.query(on: db).filter(\.$jury.$id != nil).all()
                .filter { $0.$jury.id.map(vaeJuries.contains) ?? false }
        let candidates = try await DBCandidate.query(on: db).filter(\.$id ~~ requests.map { $0.$candidate.id }).all()
        let names = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id!, $0.displayName) })
        let cohorts = try await DBCohort.query(on: db).sort(\.$name).all().map { (id: $0.id!, name: $0.name) }
        return Model(
            rows: juries.compactMap { jury in
                guard jury.kind == .vae else {
                    return Row(
                        id: jury.id!, name: jury.name, meetsOn: jury.meetingDate?.french ?? jury.meetsOn,
                        place: jury.place, cohorts: jury.cohorts.map(\.name).sorted(), status: jury.status)
                }
                guard let request = requests.first(where: { $0.$jury.id == jury.id }) else { return nil }
                return Row(
                    id: jury.id!, name: jury.name, meetsOn: jury.meetingDate?.french ?? jury.meetsOn,
                    place: jury.place, cohorts: ["VAE : " + (names[request.$candidate.id] ?? "")],
                    status: jury.status, vaeRequest: request.id)
            },
            cohorts: cohorts, canCreate: false)
    }

    static func create(_ request: Request) async throws -> Response {
        let fields = try request.formFields()
        let input = JuryOperations.NewJury(
            name: fields["name"], meetsOn: fields["meetsOn"], place: fields["place"],
            cohorts: fields.filter { $0.key.hasPrefix("cohort-") && $0.value == "on" }.compactMap {
                UUID(uuidString: String($0.key.dropFirst(7)))
            })
        switch try await JuryOperations.create(input, by: try request.requireUser().user, on: request.db) {
        case .failure(let refusal):
            return try await page(
                request, state: .init(fields: fields, errors: refusal.byName()), status: .unprocessableEntity)
        case .success(let jury):
            request.flash("Jury créé. Ajoutez maintenant ses membres et son président.")
            return request.redirect(to: .jury(jury.id))
        }
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let table: Node<HTML.BodyContext> =
            model.rows.isEmpty
            ? .p("Aucun jury pour l'instant.")
            : .table(
                .thead(.tr(.th("Jury"), .th("Date"), .th("Lieu"), .th("Promotions"), .th("Délibération"))),
                .tbody(
                    .forEach(model.rows) { row in
                        .tr(
                            .td(
                                .a(
                                    .href(
                                        row.vaeRequest.map { SiteRoute.vaeRequest($0).path + "#jury" }
                                            ?? SiteRoute.jury(row.id).path),
                                    .text(row.name))), .td(.text(row.meetsOn)),
                            .td(.text(row.place)),
                            .td(.text(row.cohorts.joined(separator: ", "))),
                            .td(
                                StatusBadge.deliberation(row.status)))
                    })
            )
        let form: Node<HTML.BodyContext> =
            !model.canCreate
            ? .empty
            : .section(
                .h2("Convoquer un jury"),
                .form(
                    .method(.post), .action(SiteRoute.juries.path),
                    Form.csrf(context),
                    Form.field(
                        "name", "Nom du jury", state, required: true, hint: "Par exemple : Jury de juillet 2026"),
                    Form.field("meetsOn", "Date de délibération", state, type: "date", required: true),
                    Form.field("place", "Lieu", state, required: true),
                    .fieldset(
                        .id("cohorts"),
                        .element(
                            named: "legend", nodes: [.text("Promotions sur lesquelles le jury délibère (obligatoire)")]),
                        .unwrap(state.errors["cohorts"]) { .p(.class("error"), .text($0)) },
                        .forEach(model.cohorts) { cohort in
                            Form.checkbox(
                                "cohort-\(cohort.id.uuidString)", cohort.name,
                                checked: state.value("cohort-\(cohort.id.uuidString)") == "on")
                        }
                    ),
                    Form.submit("Créer le jury")
                )
            )
        // The form is below the juries' table: its errors are said at the top, linked to their fields.
        return Layout.page(
            "Jurys", context, Form.alert(state, order: ["name", "meetsOn", "place", "cohorts"]), table, form)
    }
}
