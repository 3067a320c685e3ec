import Foundation
import Plot
import ValidaCore

extension ReferentialPage {
    static func view(_ model: Model, _ context: PageContext) -> HTML {
        guard let referential = model.referential, let report = model.report else {
            return Layout.page(
                "Référentiel", context,
                .p(
                    "Aucun référentiel n'est encore chargé : Valida charge le référentiel de départ à son premier démarrage."
                )
            )
        }
        let title = referential.certification.title.map { "Référentiel — \($0)" } ?? "Référentiel"
        return Layout.page(
            title, context,
            .p(
                .a(
                    .href(SiteRoute.referentialVersions.path),
                    context.user?.role == .certificationManager
                        ? "Versions du référentiel : charger une nouvelle version, correspondances"
                        : "Versions du référentiel")),
            versionSelector(model),
            .unwrap(model.selected) { id in
                .p(
                    .a(.href(SiteRoute.referentialYAML(id).path), "Télécharger cette version en YAML"),
                    .text(" — le format que Valida charge : modifiez-le, puis chargez-le comme nouvelle version."))
            },
            identity(referential, sourceName: model.sourceName),
            contents(referential),
            .forEach(referential.blocks) { block($0, referential) },
            transversal(referential),
            vae(referential.vae),
            coverage(report.coverage, referential),
            findings(report)
        )
    }

    /// A plain GET form: works without script, and the chosen version stays in the address.
    static func versionSelector(_ model: Model) -> Node<HTML.BodyContext> {
        guard model.versions.count > 1 else { return .empty }
        return .form(
            .method(.get), .action(SiteRoute.referential.path), .class("actions"),
            .div(
                .class("field"),
                .label(.for(versionParameter), "Version du référentiel"),
                .select(
                    .attribute(named: "name", value: versionParameter),
                    .attribute(named: "id", value: versionParameter),
                    .forEach(model.versions) { version in
                        Form.option(version.id.uuidString, version.label, selected: version.id == model.selected)
                    }
                )),
            .div(.button(.type(.submit), .class("secondary"), "Afficher cette version"))
        )
    }

    static func identity(_ referential: Referential, sourceName: String) -> Node<HTML.BodyContext> {
        let certification = referential.certification
        let certifiers = certification.certifiers.map { certifier in
            certifier.name + (certifier.siret.map { " (SIRET \($0))" } ?? "")
        }
        return .section(
            .h2("Certification"),
            RosterText.details([
                ("Code RNCP", certification.rncpCode),
                ("Intitulé", certification.title),
                ("Niveau", certification.level.map { "Niveau \($0)" }),
                (
                    certifiers.count > 1 ? "Certificateurs" : "Certificateur",
                    certifiers.isEmpty ? nil : certifiers.joined(separator: ", ")
                ),
                ("Codes NSF", certification.nsfCodes.isEmpty ? nil : certification.nsfCodes.joined(separator: ", ")),
                ("Date d'enregistrement", certification.registrationDate?.french),
                ("Fin d'enregistrement", certification.registrationEndDate?.french),
                ("Version du référentiel", referential.version.id),
                ("Date d'effet de la version", referential.version.effectiveDate?.french),
                ("Fichier source", sourceName),
            ])
        )
    }

    /// A table of contents: the page is long, and keyboard users jump from here.
    static func contents(_ referential: Referential) -> Node<HTML.BodyContext> {
        let competencies = referential.competencies.count
        let summary =
            "\(RosterText.count(referential.blocks.count, "bloc")) de compétences, "
            + "\(RosterText.count(competencies, "compétence", feminine: true)), \(RosterText.count(referential.assessments.count, "épreuve", feminine: true))."
        return .nav(
            .attribute(named: "aria-label", value: "Sommaire du référentiel"),
            .p(.text(summary)),
            .ul(
                .forEach(referential.blocks) { block in
                    .li(.a(.href("#bloc-\(anchor(block.id))"), .text("\(block.id) — \(block.title)")))
                },
                .li(.a(.href("#transversales"), "Épreuves transversales")),
                .li(.a(.href("#vae"), "VAE")),
                .li(.a(.href("#couverture"), "Matrice de couverture")),
                .li(.a(.href("#controle"), "Contrôle du référentiel"))
            )
        )
    }

    static func block(_ block: Block, _ referential: Referential) -> Node<HTML.BodyContext> {
        let assessments = ReferentialText.assessments(of: block, in: referential)
        let tests: Node<HTML.BodyContext> =
            assessments.isEmpty
            ? .p(.class("muted"), "Aucune épreuve n'évalue les compétences de ce bloc.")
            : .forEach(assessments) { assessment($0, referential, heading: 4) }
        // Folded by default (no script): the page lists every block, each opened on demand;
        // a link to an assessment inside opens it (browsers unfold a fragment's details).
        return .section(
            .id("bloc-\(anchor(block.id))"),
            .details(
                .class("block"),
                .summary(.h2(.text("Bloc \(block.id) — \(block.title)"))),
                .section(
                    .class("block-body"),
                    .p(.text("Code France Compétences : \(block.code ?? RosterText.notSet)")),
                    .h3("Activités"),
                    block.activities.isEmpty
                        ? .p(.class("muted"), "Aucune activité décrite.")
                        : .ul(
                            .forEach(block.activities) { activity in
                                .li(
                                    .text([activity.id, activity.title].compactMap { $0 }.joined(separator: " — ")),
                                    .if(!activity.tasks.isEmpty, .ul(.forEach(activity.tasks) { .li(.text($0)) }))
                                )
                            }),
                    .h3("Compétences"),
                    block.competencies.isEmpty
                        ? .p(.class("muted"), "Aucune compétence décrite.")
                        : .ul(
                            .forEach(block.competencies) { competency in
                                .li(.strong(.text(competency.id)), .text(" — \(competency.text)"))
                            }),
                    .h3("Épreuves"),
                    tests
                )
            )
        )
    }

    static func transversal(_ referential: Referential) -> Node<HTML.BodyContext> {
        let items = referential.assessments.filter(\.transversal)
        return .section(
            .id("transversales"),
            .h2("Épreuves transversales"),
            .p(.class("muted"), "Elles évaluent le parcours dans son ensemble plutôt que des compétences listées."),
            items.isEmpty
                ? .p("Aucune épreuve transversale.") : .forEach(items) { assessment($0, referential, heading: 3) }
        )
    }

    static func assessment(_ assessment: Assessment, _ referential: Referential, heading: Int) -> Node<HTML.BodyContext>
    {
        let title = "\(assessment.id) — \(assessment.title)"
        var rows: [(String, String?)] = [
            ("Modalité", assessment.kind.label),
            ("Travail", ReferentialText.work(assessment.work)),
            ("Livrables", ReferentialText.deliverables(assessment.deliverables)),
            ("Production attendue", assessment.expectedProduction.isEmpty ? nil : assessment.expectedProduction),
            ("Échelle de notation", referential.scale(assessment.scale)?.label ?? assessment.scale),
        ]
        if assessment.transversal {
            rows.append(("Requise pour la certification", ReferentialText.yesNo(assessment.required)))
        } else {
            rows.append(
                (
                    "Compétences évaluées",
                    assessment.competencies.isEmpty ? nil : assessment.competencies.joined(separator: ", ")
                ))
        }
        return .div(
            .class("assessment"), .id("epreuve-\(anchor(assessment.id))"),
            heading == 3 ? .h3(.text(title)) : .h4(.text(title)),
            RosterText.details(rows),
            .unwrap(assessment.note) { .p(.class("muted"), .text("Remarque : \($0)")) },
            criteria(assessment)
        )
    }

    static func criteria(_ assessment: Assessment) -> Node<HTML.BodyContext> {
        guard !assessment.criteria.isEmpty else { return .p(.class("muted"), "Aucun critère d'évaluation.") }
        return .table(
            .caption(
                .text("Critères de l'épreuve \(assessment.id)" + (assessment.criteriaTitle.map { " — \($0)" } ?? ""))),
            Table.head("Critère", "Énoncé", "Compétences attestées"),
            .tbody(
                .forEach(assessment.criteria) { criterion in
                    .tr(
                        Table.rowHeader(.text(criterion.id)),
                        .td(.text(criterion.text)),
                        .td(
                            .text(criterion.competencies.isEmpty ? "—" : criterion.competencies.joined(separator: ", "))
                        )
                    )
                })
        )
    }

    static func vae(_ policy: VAEPolicy) -> Node<HTML.BodyContext> {
        .section(
            .id("vae"),
            .h2("Validation des acquis de l'expérience (VAE)"),
            RosterText.details([
                ("Certification complète par la VAE", ReferentialText.yesNo(policy.wholeCertification)),
                ("Validation de blocs par la VAE", ReferentialText.yesNo(policy.singleBlocks)),
            ]),
            .unwrap(policy.wholeCertificationText) { .p(.text("Pour la certification complète : \($0)")) },
            .unwrap(policy.singleBlocksText) { .p(.text("Pour un bloc : \($0)")) }
        )
    }

    /// Competencies down, assessments across; each block is a row group headed by the block,
    /// so a screen reader announces block, competency and assessment for every cell.
    static func coverage(_ matrix: CoverageMatrix, _ referential: Referential) -> Node<HTML.BodyContext> {
        let header: Node<HTML.BodyContext> = .h2("Matrice de couverture")
        guard !matrix.rows.isEmpty, !matrix.columns.isEmpty else {
            return .section(.id("couverture"), header, .p("Aucune compétence ou aucune épreuve : rien à croiser."))
        }
        let blocks = referential.blocks.filter { !$0.competencies.isEmpty }
        let span = String(matrix.columns.count + 2)
        return .section(
            .id("couverture"), header,
            .p(
                .class("muted"),
                .text(
                    "Chaque case donne le nombre de critères de l'épreuve qui attestent la compétence ; "
                        + "0 : l'épreuve liste la compétence sans critère ; — : l'épreuve ne l'évalue pas. "
                        + "Les épreuves transversales (T) évaluent le parcours dans son ensemble.")),
            .div(
                .class("scroll"),
                .table(
                    // The competencies' column stays in view while the assessments scroll across.
                    .class("matrix matrix-sticky"),
                    .caption("Compétences × épreuves : nombre de critères"),
                    .thead(
                        .tr(
                            .th(.attribute(named: "scope", value: "col"), "Compétence"),
                            .forEach(matrix.columns) { column in
                                .th(
                                    .attribute(named: "scope", value: "col"),
                                    .a(
                                        .href("#epreuve-\(anchor(column.assessment))"),
                                        .text(column.assessment + (column.transversal ? " (T)" : ""))))
                            },
                            .th(.attribute(named: "scope", value: "col"), "Remarque")
                        )),
                    .forEach(blocks) { block in matrixGroup(block, matrix, span: span) }
                ))
        )
    }

    /// One block's rows of the matrix, headed by the block.
    static func matrixGroup(_ block: Block, _ matrix: CoverageMatrix, span: String) -> Node<HTML.TableContext> {
        let rows = matrix.rows.indices.filter { matrix.rows[$0].block == block.id }
        let heading: Node<HTML.TableContext> = .tr(
            .th(
                .attribute(named: "scope", value: "rowgroup"), .attribute(named: "colspan", value: span),
                .text("Bloc \(block.id) — \(block.title)")))
        return .tbody(heading, .forEach(rows) { matrixRow(matrix, row: $0) })
    }

    static func matrixRow(_ matrix: CoverageMatrix, row r: Int) -> Node<HTML.TableContext> {
        let cells: [String] = matrix.columns.indices.map { c in matrix.cells[r][c].map(String.init) ?? "—" }
        let note = ReferentialText.coverageNote(matrix, row: r)
        return .tr(
            Table.rowHeader(.text(matrix.rows[r].competency)),
            .forEach(cells) { .td(.text($0)) },
            .td(.unwrap(note) { .strong(.text($0)) })
        )
    }

    /// Errors first, then warnings, each with where it is in the référentiel.
    static func findings(_ report: CheckReport) -> Node<HTML.BodyContext> {
        let errors = report.findings.filter { $0.severity == .error }
        let warnings = report.findings.filter { $0.severity == .warning }
        return .section(
            .id("controle"),
            .h2("Contrôle du référentiel"),
            .p(
                .text(
                    report.findings.isEmpty
                        ? "Aucune anomalie détectée."
                        : "\(RosterText.count(errors.count, "erreur", feminine: true)) et \(RosterText.count(warnings.count, "avertissement"))."
                )),
            findingTable(errors, caption: "Erreurs"),
            findingTable(warnings, caption: "Avertissements")
        )
    }

    static func findingTable(_ findings: [Finding], caption: String) -> Node<HTML.BodyContext> {
        guard !findings.isEmpty else { return .empty }
        return .table(
            .caption(.text("\(caption) (\(findings.count))")),
            Table.head("Emplacement", "Problème", "Code"),
            .tbody(
                .forEach(findings) { finding in
                    .tr(
                        .td(
                            .code(.text(finding.path.isEmpty ? "—" : finding.path)),
                            .unwrap(finding.location) { .span(.class("muted"), .text(" (ligne \($0.line))")) }),
                        .td(.text(finding.message)),
                        .td(.code(.text(finding.code)))
                    )
                })
        )
    }

    /// An id usable in a fragment: letters, digits and dashes.
    static func anchor(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
}
