import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One account's personal data (not a candidate's), for the certification manager: its
/// archive, and before its erasure what would be erased and kept and why, with the
/// confirming form (`confirm=oui`) or the reason it cannot be done yet; after, what was
/// kept. The POST without the confirmation writes nothing.
enum AccountPersonalDataPage {
    static func show(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let settings = try await AppSettings.load(on: request.db)
        if user.$candidate.id != nil, let candidate = user.$candidate.id {
            return request.redirect(to: .candidatePersonalData(candidate))
        }
        let plan = try await AccountPersonalData.plan(user, settings: settings, on: request.db)
        return view(plan, erased: AccountPersonalData.isErased(user), PageContext(request)).response()
    }

    static func erase(_ request: Request) async throws -> Response {
        let user = try await request.loadAccount()
        let id = try user.requireID()
        let fields = (try? request.content.decode([String: String].self)) ?? [:]
        guard Confirmation.isConfirmed(fields) else {
            request.flash("Rien n'a été effacé : confirmez depuis cette page.")
            return request.redirect(to: .accountPersonalData(id))
        }
        let settings = try await AppSettings.load(on: request.db)
        switch try await AccountPersonalData.erase(
            id, by: .init(try request.requireUser().user), settings: settings, on: request.db)
        {
        case .failure(let refusal):
            var plan = try await AccountPersonalData.plan(user, settings: settings, on: request.db)
            plan.refusal = refusal
            return view(plan, erased: false, PageContext(request)).response(.unprocessableEntity)
        case .success:
            request.flash("Données du compte effacées : il ne peut plus servir à se connecter.")
            return request.redirect(to: .accountPersonalData(id))
        }
    }

    static func view(_ plan: AccountPersonalData.Plan, erased: Bool, _ context: PageContext) -> HTML {
        let back = (label: "Retour aux données personnelles", path: SiteRoute.personalData.path)
        if erased {
            return Layout.page(
                "Compte effacé", context,
                .p(.text("Les données de ce compte ont été effacées ; il ne peut plus servir à se connecter.")),
                PersonalDataErasurePage.lines("Ce qui a été conservé, et pourquoi", id: "conserve", plan.kept),
                .p(.a(.href(back.path), .text(back.label))))
        }
        let summary: Node<HTML.BodyContext> = .group(
            .dl(
                .dt("Compte"), .dd(.text(plan.name)),
                .dt("Adresse électronique"), .dd(.text(plan.email)),
                .dt("Dernière activité"), .dd(.text(FrenchDate.day(plan.lastActivity))),
                .dt("Conservation jusqu'au"),
                .dd(.text(plan.expiresAt.map { FrenchDate.day($0) } ?? "aucune durée fixée"))
            ),
            .p(.text(PersonalDataPage.accountActivityDefinition)),
            .p(
                .a(
                    .href(SiteRoute.accountPersonalDataExport(plan.accountID).path),
                    .text("Télécharger les données de ce compte (ZIP)"))),
            PersonalDataErasurePage.lines("Ce qui sera effacé", id: "efface", plan.erased),
            PersonalDataErasurePage.lines("Ce qui sera conservé, et pourquoi", id: "conserve", plan.kept)
        )
        return Confirmation.page(
            title: "Effacer les données du compte \(plan.name)", context, summary: summary,
            refusal: plan.refusal.map { $0.messages.values.sorted().joined(separator: " ") },
            action: SiteRoute.accountPersonalData(plan.accountID).path, button: "Effacer ces données", back: back)
    }

    /// The account's archive, built in a temporary file that is removed once sent.
    static func download(_ request: Request) async throws -> Response {
        try await send(try await request.loadAccount(), to: request)
    }

    /// `user`'s archive for the signed-in requester, audited: a candidate's account leads
    /// to the candidate's archive (results, documents, evidence), which the route checks.
    static func send(_ user: DBUser, to request: Request) async throws -> Response {
        if let candidate = user.$candidate.id {
            return request.redirect(to: .candidatePersonalDataExport(candidate))
        }
        let url = try await AccountPersonalDataExport.archive(
            user, by: .init(try request.requireUser().user), on: request.db)
        return try await PersonalDataExport.response(sending: url, for: request)
    }
}

/// The accounts that are not candidates' and whose retention period has run out.
enum AccountPersonalDataRegister {
    struct Row: Sendable {
        var id: UUID
        var name: String
        var email: String
        var role: String
        var lastActivity: Date
        var expiresAt: Date
    }

    static func due(years: Int?, now: Date = Date(), on db: any Database) async throws -> [Row] {
        guard let years else { return [] }
        var rows: [Row] = []
        let accounts = try await DBUser.query(on: db).filter(\.$candidate.$id == nil).all()
        for user in accounts where !AccountPersonalData.isErased(user) {
            let last = try await AccountPersonalData.lastActivity(user, on: db)
            let expiry = PersonalDataRetention.expiry(of: last, years: years)
            if expiry <= now {
                rows.append(
                    Row(
                        id: try user.requireID(), name: user.displayName, email: user.email, role: user.role.label,
                        lastActivity: last, expiresAt: expiry))
            }
        }
        return rows.sorted { $0.lastActivity < $1.lastActivity }
    }

    static func table(_ rows: [Row]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: "comptes"),
            .h2(.id("comptes"), "Comptes (évaluateurs, invités, jurés, coordinateurs)"),
            .p(.text(PersonalDataPage.accountActivityDefinition)),
            .p(
                .text(
                    "Le nom d'un membre de jury, ou de qui a enregistré une décision, est conservé : la composition "
                        + "d'un jury fait partie de son procès-verbal. Tout le reste (adresse, compte, sessions, "
                        + "jetons, double authentification, messages) est effacé ou désactivé.")),
            rows.isEmpty
                ? .p(.text("Aucun compte n'a dépassé la durée de conservation."))
                : .table(
                    Table.head(
                        "Compte", "Rôle", "Adresse électronique", "Dernière activité", "Conservation jusqu'au", ""),
                    .tbody(
                        .forEach(rows) { row in
                            .tr(
                                Table.rowHeader(.text(row.name)),
                                .td(.text(row.role)),
                                .td(.text(row.email)),
                                .td(.text(FrenchDate.day(row.lastActivity))),
                                .td(.text(FrenchDate.day(row.expiresAt))),
                                .td(
                                    .a(
                                        .href(SiteRoute.accountPersonalData(row.id).path),
                                        .text("Voir ce qui serait effacé"))))
                        })
                )
        )
    }
}
