import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// « Enquêtes d'insertion »: per wave and cohort year, the surveys due, mailed, reminded and
/// answered, the response rate with its counts, and the results (in a job, in the field, by
/// contract type and salary band); filters in the URL; the certifier sends the due surveys
/// and closes a wave; a CSV for French Excel.
enum InsertionSurveysPage {
    static func show(_ request: Request) async throws -> Response {
        var problems: [String] = []
        let filter = InsertionSurveysQuery.Filter.read(request, problems: &problems)
        let model = try await InsertionSurveysQuery.query(
            filter, problems: problems, for: try request.requireUser(), on: request.db)
        return view(model, PageContext(request)).response()
    }

    /// « Envoyer les enquêtes dues »: opens, mails and reminds, like `valida surveys send`.
    static func send(_ request: Request) async throws -> Response {
        let user = try request.requireUser().user
        let summary = try await InsertionSurveys.send(by: .init(user), on: request.db)
        request.application.wakeOutboxSender()
        request.flash("Enquêtes d'insertion : " + summary.french)
        return request.redirect(to: .insertionSurveys)
    }

    /// Closes a wave of a cohort year: named by the form's `vague` and `annee`.
    static func close(_ request: Request) async throws -> Response {
        let user = try request.requireUser().user
        let form = try request.content.decode([String: String].self)
        let wave = SurveyWave(rawValue: form[InsertionSurveysQuery.Filter.waveParameter] ?? "")
        let year = Int(form[InsertionSurveysQuery.Filter.yearParameter] ?? "")
        guard let wave, let year else {
            throw Abort(.badRequest, reason: "Vague ou année de l'enquête à clore manquante ou invalide.")
        }
        let count = try await InsertionSurveys.close(wave: wave, year: year, by: .init(user), on: request.db)
        request.flash(
            "Enquête « \(wave.label) » de \(year) close : \(count) questionnaire\(count > 1 ? "s" : "") "
                + "ne peu\(count > 1 ? "vent" : "t") plus être modifié\(count > 1 ? "s" : "").")
        return request.redirect(
            to: SiteRoute.insertionSurveys.path(query: [
                InsertionSurveysQuery.Filter.waveParameter: wave.rawValue,
                InsertionSurveysQuery.Filter.yearParameter: String(year),
            ]))
    }

    /// The figures as CSV for French Excel: one line per wave and year, rates with a decimal comma.
    static func export(_ request: Request) async throws -> Response {
        var problems: [String] = []
        let filter = InsertionSurveysQuery.Filter.read(request, problems: &problems)
        let model = try await InsertionSurveysQuery.query(
            filter, problems: problems, for: try request.requireUser(), on: request.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"enquetes-insertion.csv\"")
        return Response(status: .ok, headers: headers, body: .init(data: csv(model)))
    }

    static let csvHeader: [String] =
        [
            "Vague", "Année", "École", "Dues", "Envoyées", "Relancées", "Répondues", "Taux de réponse (%)",
            "En emploi", "Taux d'emploi (%)", "Dans le domaine", "Dans le domaine (% des emplois)",
        ] + ContractType.allCases.map { "Contrat : \($0.label)" } + SalaryBand.allCases.map { "Salaire : \($0.label)" }

    /// The columns of one group's figures, after its wave, year and school.
    static func csvColumns(_ f: InsertionSurveyFigures) -> [String] {
        func rate(_ share: InsertionSurveyFigures.Share) -> String {
            share.percent.map(InsertionSurveysQuery.decimal) ?? ""
        }
        return [
            String(f.due), String(f.sent), String(f.reminded), String(f.answered), rate(f.responseRate),
            String(f.employed), rate(f.employedRate), String(f.inField), rate(f.inFieldRate),
        ] + ContractType.allCases.map { String(f.byContract[$0] ?? 0) }
            + SalaryBand.allCases.map { String(f.bySalary[$0] ?? 0) }
    }

    static func csv(_ model: InsertionSurveysQuery.Model) -> Data {
        let school = model.schoolName ?? "Toutes"
        let rows = model.groups.map { group, figures in
            [group.wave.label, String(group.cohortYear), school] + csvColumns(figures)
        }
        return CSVDocument.write(header: csvHeader, rows: rows)
    }

    static func view(_ model: InsertionSurveysQuery.Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Enquêtes d'insertion", context,
            .p(
                .text(
                    "Chaque titulaire (certifié en totalité ou par blocs par un jury clos, VAE comprise) reçoit "
                        + "un questionnaire 6 mois puis 2 ans après la délibération, par un lien personnel ; "
                        + "deux relances suivent, \(SurveyRules.reminderDays.map(String.init).joined(separator: " et ")) "
                        + "jours après l'envoi.")),
            .forEach(model.problems) { Form.alert($0, .warning) },
            .if(model.schoolName != nil && !model.canManage, .p(.text("École : \(model.schoolName ?? "")"))),
            sendForm(model, context),
            filterForm(model),
            .p(
                .a(
                    .href(SiteRoute.insertionSurveysExport.path(query: model.filter.query)),
                    "Télécharger les résultats (CSV pour Excel)")),
            .if(
                model.groups.isEmpty,
                .p("Aucune enquête ouverte pour ces critères : une enquête s'ouvre à sa date d'échéance."),
                else: .group(summaryTable(model, context), .group(model.groups.map { results($0.0, $0.1) })))
        )
    }

    static func sendForm(_ model: InsertionSurveysQuery.Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        guard model.canManage else { return .empty }
        return .form(
            .method(.post), .action(SiteRoute.insertionSurveysSend.path),
            Form.csrf(context),
            .p(
                .class("hint"),
                .text(
                    "Ouvre les enquêtes arrivées à échéance, envoie leur lien personnel et les relances dues. "
                        + "\(model.waiting) enquête\(model.waiting > 1 ? "s" : "") ouverte\(model.waiting > 1 ? "s" : "") "
                        + "pas encore envoyée\(model.waiting > 1 ? "s" : ""). La commande valida surveys send fait de même "
                        + "(tâche planifiée).")),
            Form.submit("Envoyer les enquêtes dues"))
    }

    static func filterForm(_ model: InsertionSurveysQuery.Model) -> Node<HTML.BodyContext> {
        typealias F = InsertionSurveysQuery.Filter
        let waves: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: F.waveParameter), .attribute(named: "id", value: "filtre-vague")]
            + [Form.option("", "Toutes", selected: model.filter.wave == nil)]
            + SurveyWave.allCases.map { Form.option($0.rawValue, $0.label, selected: $0 == model.filter.wave) }
        let years: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: F.yearParameter), .attribute(named: "id", value: "filtre-annee")]
            + [Form.option("", "Toutes", selected: model.filter.year == nil)]
            + model.years.map { Form.option(String($0), String($0), selected: $0 == model.filter.year) }
        let schools: [Node<HTML.SelectContext>] =
            [.attribute(named: "name", value: F.schoolParameter), .attribute(named: "id", value: "filtre-ecole")]
            + [Form.option("", "Toutes", selected: model.filter.school == nil)]
            + model.schools.map { Form.option($0.id.uuidString, $0.name, selected: $0.id == model.filter.school) }
        return .form(
            .method(.get), .action(SiteRoute.insertionSurveys.path), .class("filters"),
            .div(.class("field"), .label(.for("filtre-vague"), "Vague"), .element(named: "select", nodes: waves)),
            .div(
                .class("field"), .label(.for("filtre-annee"), "Année du jury"), .element(named: "select", nodes: years)),
            .if(
                !model.schools.isEmpty,
                .div(.class("field"), .label(.for("filtre-ecole"), "École"), .element(named: "select", nodes: schools))),
            Form.submit("Filtrer"),
            .if(
                !model.filter.isEmpty && model.canManage,
                .p(.a(.href(SiteRoute.insertionSurveys.path), "Toutes les enquêtes"))))
    }

    static func summaryTable(_ model: InsertionSurveysQuery.Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        .table(
            .caption("Suivi par vague et année du jury"),
            Table.head(
                "Vague", "Dues", "Envoyées", "Relancées", "Répondues", "Taux de réponse", "En emploi",
                "Dans le domaine", "État"),
            .tbody(
                .forEach(model.groups) { group, f in
                    .tr(
                        Table.rowHeader(.text("\(group.wave.label) — jury \(group.cohortYear)")),
                        .td(.text(String(f.due))),
                        .td(.text(String(f.sent))),
                        .td(.text(String(f.reminded))),
                        .td(.text(String(f.answered))),
                        .td(.text(InsertionSurveysQuery.share(f.responseRate))),
                        .td(.text(InsertionSurveysQuery.share(f.employedRate))),
                        .td(.text(InsertionSurveysQuery.share(f.inFieldRate))),
                        .td(closeCell(group, f, model, context)))
                }))
    }

    static func closeCell(
        _ group: InsertionSurveyFigures.Group, _ f: InsertionSurveyFigures, _ model: InsertionSurveysQuery.Model,
        _ context: PageContext
    ) -> Node<HTML.BodyContext> {
        if f.closed == f.due { return StatusBadge.badge("Close", .validated) }
        guard model.canManage else { return StatusBadge.badge("En cours", .incomplete) }
        return .form(
            .method(.post), .action(SiteRoute.insertionSurveysClose.path), .class("inline"),
            Form.csrf(context),
            .input(.type(.hidden), .name(InsertionSurveysQuery.Filter.waveParameter), .value(group.wave.rawValue)),
            .input(.type(.hidden), .name(InsertionSurveysQuery.Filter.yearParameter), .value(String(group.cohortYear))),
            .button(.type(.submit), .text("Clore « \(group.wave.label) » \(group.cohortYear)")))
    }

    /// One group's answers: in a job, in the field, by contract type and salary band.
    static func results(_ group: InsertionSurveyFigures.Group, _ f: InsertionSurveyFigures) -> Node<HTML.BodyContext> {
        let employed = InsertionSurveyFigures.Share(0, of: f.employed)
        return .section(
            .h2(.text("\(group.wave.label) — jury \(group.cohortYear)")),
            .p(
                .text(
                    "\(f.answered) réponse\(f.answered > 1 ? "s" : "") ; en emploi : "
                        + InsertionSurveysQuery.share(f.employedRate) + " ; dans le domaine de la certification : "
                        + InsertionSurveysQuery.share(f.inFieldRate) + ".")),
            .if(
                f.employed > 0,
                .group(
                    .table(
                        .caption(.text("Type de contrat (\(f.employed) en emploi)")),
                        Table.head("Contrat", "Titulaires", "Part"),
                        .tbody(
                            .forEach(ContractType.allCases) { contract in
                                let count = f.byContract[contract] ?? 0
                                return .tr(
                                    Table.rowHeader(.text(contract.label)), .td(.text(String(count))),
                                    .td(.text(InsertionSurveysQuery.percent(.init(count, of: employed.total)))))
                            })),
                    .table(
                        .caption(.text("Tranche de salaire (\(f.employed) en emploi)")),
                        Table.head("Salaire", "Titulaires", "Part"),
                        .tbody(
                            .forEach(SalaryBand.allCases) { band in
                                let count = f.bySalary[band] ?? 0
                                return .tr(
                                    Table.rowHeader(.text(band.label)), .td(.text(String(count))),
                                    .td(.text(InsertionSurveysQuery.percent(.init(count, of: employed.total)))))
                            })))))
    }
}
