import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One jury: its members and president, the composition rules it does not meet, who must
/// abstain for which candidate, and the way to its deliberation, minutes and declaration.
enum JuryPage {
    struct Model: Sendable {
        var juryID: UUID
        var name: String
        var meetsOn: String
        var place: String
        var status: DeliberationStatus
        var cohorts: [String]
        var members: [(rowID: UUID, member: JuryMember)]
        var findings: [JuryFinding]
        /// Candidates with at least one member who must abstain.
        var abstentions: [(candidate: String, lines: [String])]
        var candidates: [(id: UUID, name: String)]
        /// Accounts that may sit on a jury and do not yet.
        var eligibleUsers: [(id: UUID, name: String)]
        var canEdit: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        return try await page(
            request, juryID: id, state: .init(values: ["role": JuryRole.member.rawValue]), status: .ok)
    }

    static func page(_ request: Request, juryID: UUID, state: Form.State, status: HTTPResponseStatus) async throws
        -> Response
    {
        let context = try await JuryContext.load(juryID, request: request)
        var model = try await query(context, on: request.db)
        model.canEdit = request.allows(.edit, .juries) && !context.jury.isClosed
        return view(model, state, PageContext(request)).response(status)
    }

    static func query(_ context: JuryContext, on db: any Database) async throws -> Model {
        let memberIDs = Set(context.members.map { $0.user.id! })
        let eligible = try await DBUser.query(on: db)
            .filter(\.$role ~~ [Role.juryMember, .certificationManager]).sort(\.$displayName)
            .all()
            .filter { !memberIDs.contains($0.id!) }.map { (id: $0.id!, name: $0.displayName) }
        let abstentions = context.candidates.compactMap { candidate, _ -> (String, [String])? in
            let lines = context.abstentions(for: candidate.id!).map { member, reasons in
                "\(member.name) (\(reasons.map(\.label).joined(separator: ", ")))"
            }
            return lines.isEmpty ? nil : (candidate.displayName, lines)
        }
        return Model(
            juryID: context.juryID, name: context.jury.name,
            meetsOn: context.jury.meetingDate?.french ?? context.jury.meetsOn,
            place: context.jury.place, status: context.jury.status, cohorts: context.cohorts.map(\.name),
            members: context.members.map { ($0.row.id!, $0.core) },
            findings: JuryComposition.check(
                context.coreMembers, kind: context.jury.kind),
            abstentions: abstentions, candidates: context.candidates.map { ($0.0.id!, $0.0.displayName) },
            eligibleUsers: eligible, canEdit: false)
    }

    static func addMember(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let fields = try request.formFields()
        let input = JuryOperations.NewMember(
            user: UUID(uuidString: fields["user"] ?? ""), role: fields["role"],
            qualities: Set(JuryQuality.allCases.filter { fields["quality-\($0.rawValue)"] == "on" }))
        let actor = try request.requireUser().user
        switch try await JuryOperations.addMember(input, jury: juryID, by: actor, on: request.db) {
        case .failure(let refusal):
            return try await page(
                request, juryID: juryID, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        case .success(let seated):
            request.flash(
                "\(seated.user.displayName) siège désormais dans ce jury (\(seated.role.label.lowercased())).")
            return request.redirect(to: .jury(juryID))
        }
    }

    static func removeMember(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let rowID = try request.id(.member)
        try await JuryOperations.removeMember(
            row: rowID, jury: juryID, by: try request.requireUser().user, on: request.db)
        request.flash("Membre retiré du jury.")
        return request.redirect(to: .jury(juryID))
    }

    /// Declares that a member trained (or accompanied) a candidate: they abstain for them.
    static func declareConflict(_ request: Request) async throws -> Response {
        let juryID = try request.id(.jury)
        let fields = try request.formFields()
        let input = JuryOperations.Conflict(
            member: UUID(uuidString: fields["conflictMember"] ?? ""),
            candidate: UUID(uuidString: fields["conflictCandidate"] ?? ""), involvement: fields["involvement"])
        switch try await JuryOperations.declareConflict(
            input, jury: juryID, referentials: request.referentials, by: try request.requireUser().user,
            on: request.db)
        {
        case .failure(let refusal):
            return try await page(
                request, juryID: juryID, state: .init(fields: fields, errors: refusal.byName()),
                status: .unprocessableEntity)
        case .success(let declared):
            request.flash("\(declared.member.displayName) s'abstiendra pour \(declared.candidate.displayName).")
            return request.redirect(to: .jury(juryID))
        }
    }

    static func view(_ model: Model, _ state: Form.State, _ context: PageContext) -> HTML {
        let summary: Node<HTML.BodyContext> = .group(
            .p(
                .text(
                    "Délibération du \(model.meetsOn), \(model.place). Promotions : \(model.cohorts.joined(separator: ", "))."
                )),
            .p(
                .strong("Délibération : "),
                StatusBadge.deliberation(model.status)
            ),
            .ul(
                .class("actions"),
                .li(.a(.href(SiteRoute.deliberation(model.juryID).path), "Délibération")),
                .li(.a(.href(SiteRoute.minutes(model.juryID).path), "Procès-verbal")),
                .if(
                    context.user?.role == .certificationManager,
                    .li(
                        .a(
                            .href(SiteRoute.juryHolderDeclaration(model.juryID).path),
                            "Déclaration des titulaires (accrochage)"))))
        )
        let findings = model.findings.filter(\.isComposition)
        let rules: Node<HTML.BodyContext> = .section(
            .h2("Règles de composition"),
            .p(
                .class("muted"),
                "Au moins deux membres, dont un président ; aucun membre ne délibère sur un candidat qu'il a noté ou formé."
            ),
            findings.isEmpty
                ? .p(StatusBadge.badge("Composition conforme", .validated))
                : Form.alert(.error, .ul(.forEach(findings) { .li(.text($0.description.capitalizedFirst + ".")) }))
        )
        let members: Node<HTML.BodyContext> = .section(
            .h2("Membres"),
            model.members.isEmpty
                ? .p("Aucun membre pour l'instant.")
                : .table(
                    .thead(
                        .tr(
                            .th("Nom"), .th("Rôle"), .th("Qualités"),
                            .if(model.canEdit, .th(.span(.class("muted"), "Action"))))),
                    .tbody(
                        .forEach(model.members) { rowID, member in
                            .tr(
                                .td(.text(member.name)), .td(.text(member.role.label)),
                                .td(
                                    .text(
                                        JuryQuality.allCases.filter(member.qualities.contains).map(\.label).joined(
                                            separator: ", "))),
                                .if(
                                    model.canEdit,
                                    .td(
                                        .form(
                                            .method(.post),
                                            .action(SiteRoute.juryMember(model.juryID, member: rowID).path),
                                            .class("inline"),
                                            Form.csrf(context),
                                            .button(
                                                .type(.submit), .class("secondary"), .text("Retirer \(member.name)")))))
                            )
                        })
                ),
            .if(
                model.canEdit,
                .form(
                    .method(.post), .action(SiteRoute.juryMembers(model.juryID).path),
                    Form.csrf(context),
                    Form.select(
                        "user", "Personne", state, options: model.eligibleUsers.map { ($0.id.uuidString, $0.name) }),
                    Form.select("role", "Rôle", state, options: JuryRole.allCases.map { ($0.rawValue, $0.label) }),
                    .fieldset(
                        .element(named: "legend", nodes: [.text("Qualités")]),
                        .forEach(JuryQuality.allCases) { quality in
                            Form.checkbox(
                                "quality-\(quality.rawValue)", quality.label,
                                checked: state.value("quality-\(quality.rawValue)") == "on")
                        }),
                    Form.submit("Ajouter au jury")
                ))
        )
        let abstentions: Node<HTML.BodyContext> = .section(
            .h2("Abstentions"),
            model.abstentions.isEmpty
                ? .p("Aucun membre n'a à s'abstenir.")
                : .table(
                    .thead(.tr(.th("Candidat"), .th("Doivent s'abstenir"))),
                    .tbody(
                        .forEach(model.abstentions) { candidate, lines in
                            .tr(.td(.text(candidate)), .td(.text(lines.joined(separator: " ; "))))
                        })
                ),
            .if(
                model.canEdit && !model.members.isEmpty,
                .form(
                    .method(.post), .action(SiteRoute.juryConflicts(model.juryID).path),
                    Form.csrf(context),
                    .h3("Déclarer qu'un membre a formé ou accompagné un candidat"),
                    Form.select(
                        "conflictMember", "Membre", state, options: model.members.map { ($0.member.id, $0.member.name) }
                    ),
                    Form.select(
                        "conflictCandidate", "Candidat", state,
                        options: model.candidates.map { ($0.id.uuidString, $0.name) }),
                    Form.select(
                        "involvement", "Lien", state,
                        options: [Involvement.trained, .accompanied].map { ($0.rawValue, $0.label) }),
                    Form.submit("Déclarer")
                ))
        )
        return Layout.page(model.name, context, summary, Form.alert(state), rules, members, abstentions)
    }
}
