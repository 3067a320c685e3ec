import Fluent
import Foundation
import Plot
import ValidaCore
import ValidaFormats
import Vapor

/// The référentiel's versions: those loaded, and a new one uploaded — a Valida YAML file or
/// France Compétences' RNCP export (XML) — previewed with the check's findings, then saved.
/// A version is never edited: a change is a new version, and a correspondence table says
/// which old blocks count as which new ones.
enum ReferentialVersionsPage {
    struct Row: Sendable {
        var id: UUID
        var version: String
        var title: String
        var sourceName: String
        var loadedAt: Date?
        var cohorts: Int
        var correspondences: Int
    }

    /// An uploaded file, read: what would be saved, or why it cannot be.
    struct Preview: Sendable {
        var sourceName: String
        var yaml: String
        var referential: Referential?
        var errors: [String]
        var warnings: [String]
        /// Notes of the conversion (an RNCP import's doubts, what the certifier must complete).
        var notes: [String]
    }

    struct Upload: Content {
        var file: File?
        var fiche: String?
    }

    static let yamlField = "yaml"
    static let nameField = "sourceName"

    static func show(_ request: Request) async throws -> Response {
        return view(try await query(on: request.db), preview: nil, error: nil, PageContext(request)).response()
    }

    static func query(on db: any Database) async throws -> [Row] {
        let records = try await DBReferential.query(on: db).sort(\.$loadedAt, .descending).all()
        let cohorts = try await DBCohort.query(on: db).all()
        let correspondences = try await DBCorrespondence.query(on: db).all()
        return records.map { record in
            Row(
                id: record.id!, version: record.versionID, title: record.title ?? "(sans intitulé)",
                sourceName: record.sourceName,
                loadedAt: record.loadedAt, cohorts: cohorts.filter { $0.$referential.id == record.id }.count,
                correspondences: correspondences.filter { $0.$to.id == record.id }.count)
        }
    }

    static func upload(_ request: Request) async throws -> Response {
        let rows = try await query(on: request.db)
        guard let upload = try? request.content.decode(Upload.self), let file = upload.file, file.data.readableBytes > 0
        else {
            return view(
                rows, preview: nil, error: "Choisissez un fichier de référentiel (YAML) ou un export RNCP (XML).",
                PageContext(request)
            ).response(.unprocessableEntity)
        }
        var preview = read(
            Data(buffer: file.data), fileName: file.filename.isEmpty ? "referentiel.yaml" : file.filename,
            fiche: upload.fiche?.trimmingCharacters(in: .whitespaces) ?? "")
        if let latest = try await ReferentialStore.latest(on: request.db), let id = latest.id {
            let previous = try await request.referentials.entry(id, on: request.db)
            preview = inherit(preview, from: previous.referential, label: latest.versionID)
        }
        return view(rows, preview: preview, error: nil, PageContext(request)).response(
            preview.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// Reads an uploaded file: the RNCP export when it is XML (the fiche code is then
    /// required), else Valida's YAML.
    static func read(_ data: Data, fileName: String, fiche: String) -> Preview {
        let head = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if head.hasPrefix("<") {
            return RNCPUpload.preview(data, fileName: fileName, fiche: fiche)
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            return Preview(
                sourceName: fileName, yaml: "", referential: nil,
                errors: ["\(fileName) : le fichier n'est pas en UTF-8"], warnings: [], notes: [])
        }
        return preview(yaml: yaml, sourceName: fileName, notes: [])
    }

    static func preview(yaml: String, sourceName: String, notes: [String]) -> Preview {
        let loaded = ReferentialYAML.load(yaml: yaml, file: sourceName)
        return Preview(
            sourceName: sourceName, yaml: yaml, referential: loaded.errorCount == 0 ? loaded.referential : nil,
            errors: loaded.findings.filter { $0.severity == .error }.map(\.formatted),
            warnings: loaded.referential.map {
                ReferentialCheck.run($0).findings.filter { $0.severity == .warning }.map(\.formatted)
            } ?? [],
            notes: notes)
    }

    /// A version stating no certification metadata takes the previous version's
    /// (`Certification.inheriting`): written into the YAML that will be saved, and said in a note.
    static func inherit(_ preview: Preview, from previous: Referential, label: String) -> Preview {
        guard var referential = preview.referential, referential.certification.statesNothing,
            !previous.certification.statesNothing
        else { return preview }
        referential.certification = referential.certification.inheriting(from: previous.certification)
        // Read back from the text that will be saved: the check's warnings are those of the result.
        return self.preview(
            yaml: ReferentialYAML.write(referential), sourceName: preview.sourceName,
            notes: preview.notes + [
                "Ce fichier ne décrit pas la certification : ses informations (code RNCP, intitulé, niveau, "
                    + "certificateurs…) sont reprises de la version « \(label) »."
            ])
    }

    /// Saves the previewed version; then, when an older version exists, on to its
    /// correspondence table.
    static func confirm(_ request: Request) async throws -> Response {
        let fields = try request.formFields()
        guard let encoded = fields[yamlField], let data = Data(base64Encoded: encoded),
            let yaml = String(data: data, encoding: .utf8)
        else {
            return view(
                try await query(on: request.db), preview: nil,
                error: "Le référentiel à enregistrer n'a pas été transmis ; choisissez le fichier à nouveau.",
                PageContext(request)
            ).response(.unprocessableEntity)
        }
        let name = fields[nameField].flatMap { $0.isEmpty ? nil : $0 } ?? "referentiel.yaml"
        let previous = try await ReferentialStore.latest(on: request.db)
        let record = try await ReferentialStore.store(yaml: yaml, sourceName: name, on: request.db)
        request.flash("Version « \(record.versionID) » enregistrée.")
        if previous != nil { return request.redirect(to: .referentialCorrespondence(record.id)) }
        return request.redirect(to: .referential)
    }

    static func view(_ rows: [Row], preview: Preview?, error: String?, _ context: PageContext) -> HTML {
        let canEdit = context.user?.role == .certificationManager
        let list: Node<HTML.BodyContext> = .table(
            .thead(
                .tr(
                    .th("Version"), .th("Intitulé"), .th("Fichier"), .th("Chargée le"), .th("Promotions"),
                    .th("Correspondances"),
                    .th("Exporter"))),
            .tbody(
                .forEach(rows) { row in
                    .tr(
                        .td(
                            .a(
                                .href(
                                    SiteRoute.referential.path(query: [
                                        ReferentialPage.versionParameter: row.id.uuidString
                                    ])),
                                .text(row.version))),
                        .td(.text(row.title)), .td(.text(row.sourceName)),
                        .td(.text(row.loadedAt.map { FrenchDate.moment($0) } ?? "")),
                        .td(.text(String(row.cohorts))),
                        .td(
                            canEdit && rows.count > 1
                                ? .a(
                                    .href(SiteRoute.referentialCorrespondence(row.id).path),
                                    .text("\(row.correspondences) bloc(s) — modifier"))
                                : .text(String(row.correspondences))),
                        .td(
                            .a(.href(SiteRoute.referentialYAML(row.id).path), "YAML"), .text(" · "),
                            .a(.href(SiteRoute.referentialCASE(row.id).path), "CASE 1.1"), .text(" · "),
                            .a(.href(SiteRoute.referentialMoodle(row.id).path), "Moodle")))
                }))
        let form: Node<HTML.BodyContext> =
            !canEdit
            ? .empty
            : .section(
                .h2("Charger une nouvelle version"),
                .p(
                    .text(
                        "Un fichier de référentiel Valida (YAML), ou l'export RNCP de France Compétences (XML, flux 4.1) "
                            + "avec le code de la fiche à importer. Le fichier est vérifié et montré avant d'être enregistré."
                    )),
                .unwrap(error) { Form.alert(.error, .p(.text($0))) },
                .form(
                    .method(.post), .action(SiteRoute.referentialVersions.path), .enctype(.multipartData),
                    Form.csrf(context),
                    .div(
                        .class("field"), .label(.for("file"), "Fichier (obligatoire)"),
                        .input(
                            .type(.file), .name("file"), .id("file"),
                            .attribute(named: "accept", value: ".yaml,.yml,.xml"))),
                    Form.field(
                        "fiche", "Code de la fiche (export RNCP seulement)", .init(), hint: "Par exemple : RNCP35185"),
                    Form.submit("Vérifier le fichier")
                )
            )
        return Layout.page(
            "Versions du référentiel", context,
            .p(.a(.href(SiteRoute.referential.path), "Retour au référentiel")),
            list, .unwrap(preview) { previewSection($0, context) }, form)
    }

    static func previewSection(_ preview: Preview, _ context: PageContext) -> Node<HTML.BodyContext> {
        let r = preview.referential
        return .section(
            .id("apercu"),
            .h2(.text("Aperçu de « \(preview.sourceName) »")),
            .if(
                !preview.errors.isEmpty,
                Form.alert(
                    .error, .p(.text("Ce fichier ne peut pas être enregistré : \(preview.errors.count) erreur(s).")),
                    .ul(.forEach(preview.errors.prefix(50)) { .li(.text($0)) }))),
            .unwrap(r) { r in
                .group(
                    .p(
                        .text(
                            "\(r.certification.title ?? "(sans intitulé)") — version \(r.version.id) : \(r.blocks.count) bloc(s), "
                                + "\(r.competencies.count) compétence(s), \(r.assessments.count) épreuve(s), "
                                + "\(r.assessments.reduce(0) { $0 + $1.criteria.count }) critère(s).")),
                    .ul(
                        .forEach(r.blocks) { block in
                            .li(
                                .text(
                                    "\(block.code ?? block.id) — \(block.title) (\(block.competencies.count) compétence(s))"
                                ))
                        }))
            },
            .if(
                !preview.notes.isEmpty,
                .group(.h3("Remarques de la conversion"), .ul(.forEach(preview.notes) { .li(.text($0)) }))),
            .if(
                !preview.warnings.isEmpty,
                .group(
                    .h3(.text("Avertissements (\(preview.warnings.count)) : à compléter")),
                    .ul(.forEach(preview.warnings.prefix(40)) { .li(.text($0)) }))),
            .if(
                r != nil,
                .form(
                    .method(.post), .action(SiteRoute.referentialVersionConfirm.path),
                    Form.csrf(context),
                    .input(.type(.hidden), .name(yamlField), .value(Data(preview.yaml.utf8).base64EncodedString())),
                    .input(.type(.hidden), .name(nameField), .value(preview.sourceName)),
                    Form.submit("Enregistrer comme nouvelle version")
                ))
        )
    }
}
