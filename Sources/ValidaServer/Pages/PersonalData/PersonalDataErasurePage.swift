import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// One person's erasure, for the certification manager: before, exactly what would be
/// erased and what kept and why, with the confirming form (`confirm=oui`) or the reason it
/// cannot be done yet; after, what was erased and kept. The POST without the confirmation
/// writes nothing.
enum PersonalDataErasurePage {
    static func show(_ request: Request) async throws -> Response {
        let candidate = try await request.loadCandidate()
        let settings = try await AppSettings.load(on: request.db)
        let plan = try await PersonalDataErasure.plan(candidate, settings: settings, on: request.db)
        return view(plan, PageContext(request)).response()
    }

    static func erase(_ request: Request) async throws -> Response {
        let candidate = try await request.loadCandidate()
        let id = try candidate.requireID()
        let fields = (try? request.content.decode([String: String].self)) ?? [:]
        guard Confirmation.isConfirmed(fields) else {
            request.flash("Rien n'a été effacé : confirmez depuis cette page.")
            return request.redirect(to: .candidatePersonalData(id))
        }
        let settings = try await AppSettings.load(on: request.db)
        switch try await PersonalDataErasure.erase(
            .init(candidateID: id), by: .init(try request.requireUser().user), settings: settings,
            storage: request.application.vaeEvidence, submissions: request.application.submissionStorage,
            on: request.db)
        {
        case .failure(let refusal):
            let plan = try await PersonalDataErasure.plan(candidate, settings: settings, on: request.db)
            var shown = plan
            shown.refusal = refusal
            return view(shown, PageContext(request)).response(.unprocessableEntity)
        case .success(let outcome):
            var message =
                "Données effacées : la personne est désormais « \(PersonalDataErasure.erasedName) n° "
                + "\(outcome.record.number) »."
            if !outcome.filesLeft.isEmpty {
                message += " \(outcome.filesLeft.count) pièce(s) n'ont pas pu être supprimées du disque ; "
                message += "voyez le journal du serveur."
                request.logger.error("personal data erasure: evidence files left on disk: \(outcome.filesLeft)")
            }
            request.flash(message)
            return request.redirect(to: .candidatePersonalData(id))
        }
    }

    static func view(_ plan: PersonalDataErasure.Plan, _ context: PageContext) -> HTML {
        let back = (label: "Retour aux données personnelles", path: SiteRoute.personalData.path)
        if let done = plan.done {
            let how =
                done.holder
                ? "titulaire : ce que la loi demande de garder l'a été." : "la personne a été anonymisée."
            let when = FrenchDate.day(done.erasedAt)
            return Layout.page(
                "\(PersonalDataErasure.erasedName) n° \(done.number)", context,
                .p(.text("Données effacées le \(when) par \(done.erasedByName) ; \(how)")),
                lines("Ce qui a été effacé", id: "efface", done.erasedLines),
                lines("Ce qui a été conservé, et pourquoi", id: "conserve", done.keptLines),
                .p(.a(.href(back.path), .text(back.label))))
        }
        let summary: Node<HTML.BodyContext> = .group(
            .dl(
                .dt("Personne"), .dd(.text(plan.name)),
                .dt("Adresse électronique"), .dd(.text(plan.email)),
                .dt("Dernière activité"), .dd(.text(FrenchDate.day(plan.lastActivity))),
                .dt("Conservation jusqu'au"),
                .dd(.text(plan.expiresAt.map { FrenchDate.day($0) } ?? "aucune durée fixée")),
                .dt("Titulaire"),
                .dd(
                    .text(
                        plan.holder
                            ? "oui (certification ou bloc validé) : les données de titulaire sont conservées"
                            : "non : la personne sera anonymisée"))
            ),
            .p(.text(PersonalDataPage.lastActivityDefinition)),
            lines("Ce qui sera effacé", id: "efface", plan.erased),
            lines("Ce qui sera conservé, et pourquoi", id: "conserve", plan.kept)
        )
        return Confirmation.page(
            title: "Effacer les données de \(plan.name)", context, summary: summary,
            refusal: plan.refusal.map { $0.messages.values.sorted().joined(separator: " ") },
            action: SiteRoute.candidatePersonalData(plan.candidateID).path, button: "Effacer ces données",
            back: back)
    }

    static func lines(_ title: String, id: String, _ lines: [String]) -> Node<HTML.BodyContext> {
        .section(
            .attribute(named: "aria-labelledby", value: id),
            .h2(.id(id), .text(title)),
            .ul(.forEach(lines) { .li(.text($0)) }))
    }
}

/// The routes of personal data, and the export's download.
enum PersonalDataRoutes {
    static func register(_ app: Application) {
        app.get(.personalData, use: PersonalDataPage.show)
        app.get(.candidatePersonalData(nil), use: PersonalDataErasurePage.show)
        app.post(.candidatePersonalData(nil), use: PersonalDataErasurePage.erase)
        app.get(.candidatePersonalDataExport(nil), use: download)
        app.get(.accountPersonalData(nil), use: AccountPersonalDataPage.show)
        app.post(.accountPersonalData(nil), use: AccountPersonalDataPage.erase)
        app.get(.accountPersonalDataExport(nil), use: AccountPersonalDataPage.download)
    }

    /// The candidate's archive, built in a temporary file that is removed once sent.
    static func download(_ request: Request) async throws -> Response {
        let candidate = try await request.loadCandidate()
        let url = try await PersonalDataExport.archive(
            candidate, by: .init(try request.requireUser().user), app: request.application)
        return try await PersonalDataExport.response(sending: url, for: request)
    }
}
