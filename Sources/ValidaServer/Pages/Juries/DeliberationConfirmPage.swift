import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// Adopting the computed results and closing the deliberation are asked for twice: the
/// deliberation's buttons lead to a page (GET on the action's own address) that says what
/// will be written — how many decisions of each outcome, which documents — and posts the
/// action again with `confirm=oui`. The figures come from running the operation itself in
/// a transaction that is rolled back, so the page never guesses what the rules will do.
enum DeliberationConfirmPage {
    /// What a dry run found, or why the operation would be refused.
    struct Preview: Sendable {
        var jury: String
        var lines: [String]
        var refusal: String?
    }

    /// Thrown to roll a dry run back with what it saw.
    struct RolledBack<T: Sendable>: Error {
        let value: T
    }

    /// Runs `body` in a transaction that is always rolled back, and returns what it returned.
    static func dryRun<T: Sendable>(on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T)
        async throws -> T
    {
        do {
            _ = try await db.transaction { tx -> Int in throw RolledBack(value: try await body(tx)) }
        } catch let done as RolledBack<T> {
            return done.value
        }
        throw Abort(.internalServerError, reason: "Simulation sans résultat.")
    }

    // MARK: Adopting

    static func adoptPage(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let preview = try await adoptPreview(request, juryID: id)
        return Confirmation.page(
            title: "Entériner les résultats calculés — \(preview.jury)", PageContext(request),
            summary: .group(.p(.text(DeliberationPage.adoptHelp)), .ul(.forEach(preview.lines) { .li(.text($0)) })),
            refusal: preview.refusal, action: SiteRoute.deliberationAdopt(id).path,
            button: "Confirmer : entériner les résultats calculés",
            back: ("Retour à la délibération sans rien enregistrer", SiteRoute.deliberation(id).path)
        ).response()
    }

    /// What adopting would record: counts by outcome, all scopes and the certification's.
    struct Adoption: Sendable {
        var recorded = 0
        var skipped: [String] = []
        var outcomes: [DecisionOutcome] = []
        var certification: [DecisionOutcome] = []
    }

    static func adoptPreview(_ request: Request, juryID: UUID) async throws -> Preview {
        let user = try request.requireUser().user
        let referentials = request.referentials
        let cache = request.application.juryResults
        let jury = try await DBJury.find(juryID, on: request.db)?.name ?? ""
        let before = Set(
            try await DBDecision.query(on: request.db).filter(\.$jury.$id == juryID).all().compactMap(\.id))
        do {
            let adoption = try await dryRun(on: request.db) { tx in
                let (recorded, skipped) = try await Deliberating.adoptComputed(
                    juryID: juryID, actor: user, referentials: referentials, cache: cache, on: tx)
                let added = try await DBDecision.query(on: tx).filter(\.$jury.$id == juryID).all().filter {
                    !before.contains($0.id!)
                }
                func outcome(_ row: DBDecision) -> DecisionOutcome { row.outcome }
                return Adoption(
                    recorded: recorded, skipped: skipped, outcomes: added.map(outcome),
                    certification: added.filter { $0.scope == .certification }.map(outcome))
            }
            guard adoption.recorded > 0 else {
                return Preview(
                    jury: jury, lines: skippedLine(adoption.skipped),
                    refusal: "Aucune case sans décision : il n'y a rien à entériner.")
            }
            var lines = [
                "\(FrenchText.count(adoption.recorded, "décision sera enregistrée", "décisions seront enregistrées")) "
                    + "d'après les résultats calculés, sur les cases encore sans décision : "
                    + breakdown(adoption.outcomes) + "."
            ]
            if !adoption.certification.isEmpty {
                lines.append("Sur la certification : " + breakdown(adoption.certification) + ".")
            }
            return Preview(jury: jury, lines: lines + skippedLine(adoption.skipped), refusal: nil)
        } catch let failure as Deliberating.Failure {
            return Preview(jury: jury, lines: [], refusal: failure.description)
        }
    }

    static func skippedLine(_ skipped: [String]) -> [String] {
        skipped.isEmpty
            ? []
            : [
                "Vous devez vous abstenir pour \(skipped.joined(separator: ", ")) : rien n'est enregistré pour eux ; "
                    + "un autre membre décidera."
            ]
    }

    /// « 12 validées, 3 non validées, 25 ajournées ».
    static func breakdown(_ outcomes: [DecisionOutcome]) -> String {
        let parts: [(DecisionOutcome, String, String)] = [
            (.validated, "validée", "validées"), (.notValidated, "non validée", "non validées"),
            (.deferred, "ajournée", "ajournées"),
        ]
        return parts.compactMap { outcome, one, many in
            let n = outcomes.filter { $0 == outcome }.count
            return n == 0 ? nil : FrenchText.count(n, one, many)
        }.joined(separator: ", ")
    }

    static func adopt(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        guard Confirmation.isConfirmed(try request.formFields()) else {
            return request.redirect(to: .deliberationAdopt(id))
        }
        return try await DeliberationPage.adopt(request)
    }

    // MARK: Closing

    static func closePage(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        let preview = try await closePreview(request, juryID: id)
        return Confirmation.page(
            title: "Clore la délibération — \(preview.jury)", PageContext(request),
            summary: .group(
                .p(.strong("Clore la délibération la fige : "), .text(DeliberationPage.closeHelp)),
                .ul(.forEach(preview.lines) { .li(.text($0)) })),
            refusal: preview.refusal, action: SiteRoute.deliberationClose(id).path,
            button: "Confirmer : clore la délibération et émettre les documents",
            back: ("Retour à la délibération sans clore", SiteRoute.deliberation(id).path)
        ).response()
    }

    static func closePreview(_ request: Request, juryID: UUID) async throws -> Preview {
        let user = try request.requireUser()
        let context = try await JuryContext.load(juryID, request: request)
        let jury = context.jury.name
        guard user.role == .certificationManager || context.member(userID: user.id)?.core.role == .president else {
            throw Abort(.forbidden, reason: "Accès refusé : seul le président du jury clôt la délibération.")
        }
        let referentials = request.referentials
        let settings = try await AppSettings.load(on: request.db)
        let actor = user.user
        let decisions = context.decisions.values.reduce(0) { $0 + $1.count }
        do {
            let kinds = try await dryRun(on: request.db) { tx in
                _ = try await Deliberating.close(
                    juryID: juryID, actor: actor, referentials: referentials, settings: settings, on: tx)
                return try await DBDocument.query(on: tx).filter(\.$jury.$id == juryID).all().map(\.kind)
            }
            var lines = [
                "\(FrenchText.count(context.candidates.count, "candidat", "candidats")) ; "
                    + "\(FrenchText.count(decisions, "décision enregistrée", "décisions enregistrées")) ne se modifieront plus."
            ]
            let documents = DocumentKind.allCases.compactMap { kind -> String? in
                let n = kinds.filter { $0 == kind }.count
                return n == 0 ? nil : "\(n) × \(kind.label)"
            }
            lines.append(
                documents.isEmpty
                    ? "Aucun document ne sera émis : aucun candidat n'a de bloc ni de certification validés."
                    : "Documents émis : " + documents.joined(separator: " ; ") + ".")
            lines.append("Le procès-verbal portera l'empreinte du journal d'audit à la clôture.")
            return Preview(jury: jury, lines: lines, refusal: nil)
        } catch let failure as Deliberating.Failure {
            return Preview(jury: jury, lines: [], refusal: failure.description)
        }
    }

    static func close(_ request: Request) async throws -> Response {
        let id = try request.id(.jury)
        guard Confirmation.isConfirmed(try request.formFields()) else {
            return request.redirect(to: .deliberationClose(id))
        }
        // The closing's audit checkpoint is written in the closing's own transaction (`Deliberating.close`).
        return try await DeliberationPage.close(request)
    }
}
