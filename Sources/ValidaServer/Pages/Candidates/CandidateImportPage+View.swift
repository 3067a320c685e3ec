import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

extension CandidateImportPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        Layout.page(
            "Importer des candidats — \(model.cohortName)", context,
            .p(.a(.href(SiteRoute.cohortCandidates(model.cohortID).path), "Retour aux candidats de la promotion")),
            stage(model, context)
        )
    }

    static func stage(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        switch model.stage {
        case .upload(let error):
            return .group(instructions(model), uploadForm(model, error: error, context))
        case .invalid(let fileName, let errors):
            return .group(
                Form.summary(
                    .p(
                        .strong(
                            .text("Le fichier « \(fileName) » n'a pas été importé : aucun candidat n'a été enregistré.")
                        )),
                    .p(
                        .text(
                            "\(RosterText.count(errors.count, "erreur", feminine: true)) à corriger dans le fichier, puis importez-le de nouveau."
                        )),
                    .p(.a(.href("#erreurs-fichier"), "Voir les erreurs, ligne par ligne"))),
                errorTable(errors),
                instructions(model),
                uploadForm(model, error: nil, context)
            )
        case .preview(let fileName, let content, let encoding, let lines):
            return .group(
                .p(
                    .attribute(named: "role", value: "status"),
                    .text(
                        "Le fichier « \(fileName) » est valide (encodage \(encoding)) : "
                            + "\(RosterText.count(lines.count, "candidat")) prêt\(lines.count > 1 ? "s" : "") à être importé\(lines.count > 1 ? "s" : ""). "
                            + "Vérifiez-les, puis confirmez : rien n'est enregistré avant la confirmation.")),
                previewTable(lines),
                .form(
                    .method(.post), .action(SiteRoute.cohortImportConfirm(model.cohortID).path),
                    Form.csrf(context),
                    .input(.type(.hidden), .name(contentField), .value(content)),
                    .input(.type(.hidden), .name(nameField), .value(fileName)),
                    .div(
                        .class("actions"),
                        .button(
                            .type(.submit),
                            .text("Importer \(lines.count == 1 ? "le candidat" : "les \(lines.count) candidats")")),
                        .a(.href(SiteRoute.cohortImport(model.cohortID).path), "Annuler et choisir un autre fichier"))
                )
            )
        }
    }

    static func instructions(_ model: Model) -> Node<HTML.BodyContext> {
        .section(
            .h2("Format du fichier"),
            .p(
                .text(
                    "Un fichier CSV, tel qu'Excel l'enregistre (« CSV (séparateur : point-virgule) » ou « CSV UTF-8 ») : "
                        + "séparateur point-virgule ou virgule, encodage UTF-8 ou Windows-1252. "
                        + "La première ligne nomme les colonnes, chaque ligne suivante décrit un candidat.")),
            .ul(
                .forEach(CandidateImport.Column.allCases) { column in
                    .li(
                        .text(
                            column.rawValue + (column.isRequiredForImport ? " (obligatoire)" : " (facultatif)")
                                + hint(column)))
                }),
            .p(.a(.href(SiteRoute.cohortImportTemplate(model.cohortID).path), "Télécharger le modèle de fichier (CSV)"))
        )
    }

    static func hint(_ column: CandidateImport.Column) -> String {
        switch column {
        case .birthDate: " : JJ/MM/AAAA"
        case .birthPlaceINSEE: " : 5 caractères, 2A ou 2B pour la Corse"
        case .sex: " : F ou M"
        case .accessRoute: " : " + AccessRoute.allCases.map(\.label).joined(separator: ", ")
        default: ""
        }
    }

    static func uploadForm(_ model: Model, error: String?, _ context: PageContext) -> Node<HTML.BodyContext> {
        let input: [Attribute<HTML.InputContext>] = Form.attributes([
            ("type", "file"), ("name", fileField), ("id", fileField), ("accept", ".csv,text/csv"), ("required", ""),
            ("aria-invalid", error == nil ? nil : "true"),
            ("aria-describedby", error == nil ? nil : "\(fileField)-error"),
        ])
        return .form(
            .method(.post), .action(SiteRoute.cohortImport(model.cohortID).path), .enctype(.multipartData),
            Form.csrf(context),
            .div(
                .class(error == nil ? "field" : "field invalid"),
                .label(.for(fileField), "Fichier CSV des candidats (obligatoire)"),
                .unwrap(error) {
                    .span(
                        .class("error"), .id("\(fileField)-error"), .attribute(named: "role", value: "alert"), .text($0)
                    )
                },
                .selfClosedElement(named: "input", attributes: input)),
            Form.submit("Vérifier le fichier")
        )
    }

    static func errorTable(_ errors: [ImportProblem]) -> Node<HTML.BodyContext> {
        .table(
            .id("erreurs-fichier"),
            .caption("Erreurs, par ligne du fichier"),
            Table.head("Ligne", "Colonne", "Problème"),
            .tbody(
                .forEach(errors) { error in
                    .tr(
                        Table.rowHeader(.text("Ligne \(error.line)")),
                        .td(.text(error.column ?? "—")),
                        .td(.text(error.message))
                    )
                })
        )
    }

    static func previewTable(_ lines: [CandidateImport.Line]) -> Node<HTML.BodyContext> {
        let headers = ["Ligne"] + CandidateImport.Column.allCases.map(\.rawValue)
        return .table(
            .caption("Candidats lus dans le fichier"),
            Table.head(headers),
            .tbody(
                .forEach(lines) { line in
                    let identity = line.identity
                    return .tr(
                        Table.rowHeader(.text(String(line.line))),
                        .td(.text(identity.birthName)),
                        .td(.text(identity.usualName ?? "")),
                        .td(.text(identity.firstNames)),
                        .td(.text(identity.birthDate.french)),
                        .td(.text(identity.birthPlace)),
                        .td(.text(identity.birthPlaceINSEE ?? "")),
                        .td(.text(identity.sex.label)),
                        .td(.text(identity.email)),
                        .td(.text(identity.accessRoute.label))
                    )
                })
        )
    }

    /// The blank spreadsheet, with the expected header, as a download.
    static func template(_ request: Request) async throws -> Response {
        _ = try await authorizedCohort(request)
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.contentDisposition = .init(.attachment, filename: "modele-candidats.csv")
        return Response(status: .ok, headers: headers, body: .init(data: CandidateImport.template()))
    }
}

extension CandidateImport.Column {
    /// Mirrors the import's own rule (internal to ValidaFormats), for the instructions.
    var isRequiredForImport: Bool { self != .usualName && self != .birthPlaceINSEE }
}
