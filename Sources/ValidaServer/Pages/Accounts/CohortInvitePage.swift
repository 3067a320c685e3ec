import Fluent
import Foundation
import Plot
import Vapor

/// « Inviter les N candidats sans compte » on a cohort: a confirmation with the count and
/// the candidates left aside, then the invitations in one go.
enum CohortInvitePage {
    struct Model: Sendable {
        var cohortID: UUID
        var cohortName: String
        var toInvite: [String]
        var skipped: [AccountCohortInvitation.Skipped]
        var linked: Int
        var canMail: Bool
    }

    static func show(_ request: Request) async throws -> Response {
        let cohort = try await request.loadCohort()
        let plan = try await AccountCohortInvitation.plan(cohort: try cohort.requireID(), on: request.db)
        let settings = try await AppSettings.load(on: request.db)
        let model = Model(
            cohortID: try cohort.requireID(), cohortName: cohort.name,
            toInvite: plan.toInvite.map { "\($0.displayName) <\($0.email)>" }, skipped: plan.skipped,
            linked: plan.linked, canMail: !settings.publicBaseURL.trimmingCharacters(in: .whitespaces).isEmpty)
        return view(model, PageContext(request)).response()
    }

    static func submit(_ request: Request) async throws -> Response {
        let cohort = try await request.loadCohort()
        let outcome = try await AccountCohortInvitation.inviteAll(
            cohort, by: AccountInviter(try request.requireUser()), baseURL: nil, on: request.db)
        return done(cohort, outcome, PageContext(request))
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let n = model.toInvite.count
        return Layout.page(
            "Inviter les candidats — \(model.cohortName)", context,
            .p(.a(.href(SiteRoute.cohortCandidates(model.cohortID).path), "Retour aux candidats")),
            .if(!model.canMail, InviteAccountPage.noPublicAddress()),
            .p(
                .text(
                    "\(RosterText.count(model.linked, "candidat")) de la promotion \(model.linked > 1 ? "ont" : "a") déjà un compte."
                )),
            skippedList(model.skipped),
            n == 0
                ? .p("Aucun candidat de la promotion n'est à inviter.")
                : .group(
                    .p(
                        .text(
                            "\(RosterText.count(n, "candidat")) sans compte \(n > 1 ? "recevront" : "recevra") chacun une invitation, valable 7 jours :"
                        )),
                    .ul(.forEach(model.toInvite) { .li(.text($0)) }),
                    .form(
                        .method(.post), .action(SiteRoute.cohortInviteCandidates(model.cohortID).path),
                        ValidaServer.Form.csrf(context),
                        ValidaServer.Form.submit(
                            n == 1 ? "Inviter le candidat sans compte" : "Inviter les \(n) candidats sans compte")
                    ))
        )
    }

    static func skippedList(_ skipped: [AccountCohortInvitation.Skipped]) -> Node<HTML.BodyContext> {
        .if(
            !skipped.isEmpty,
            .section(
                .h2("Candidats non invités"),
                .ul(.forEach(skipped) { .li(.text("\($0.name) <\($0.email)> : \($0.reason).")) })))
    }

    static func done(_ cohort: DBCohort, _ outcome: AccountCohortInvitation.Outcome, _ context: PageContext)
        -> Response
    {
        let n = outcome.invitations.count
        let unsent = outcome.invitations.filter { $0.url == nil }
        return Layout.page(
            "Invitations envoyées — \(cohort.name)", context,
            ValidaServer.Form.alert(
                "\(RosterText.count(n, "candidat")) \(n > 1 ? "invités" : "invité")"
                    + (unsent.isEmpty ? " ; un message chacun est dans la file d'envoi." : "."),
                .notice),
            .if(
                !unsent.isEmpty,
                .group(
                    InviteAccountPage.noPublicAddress(),
                    .ul(.forEach(unsent) { .li(.text("\($0.user.email) : "), .code(.text($0.path))) }))),
            skippedList(outcome.skipped),
            .p(.a(.href(SiteRoute.cohortCandidates(cohort.id).path), "Retour aux candidats"))
        ).response()
    }
}
