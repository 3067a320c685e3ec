import Foundation
import Plot
import ValidaCore

/// The written work beside a grid or on a jury's candidate page: the version that counts
/// (name, size, date, late or not, a download link) and the other versions. Under anonymous
/// marking the file names read as the copy number.
enum SubmissionPanel {
    struct Model: Sendable {
        var work: SubmissionQuery.Work
        /// The copy number when the viewer may not read the name.
        var anonymousNumber: Int?
        /// Whether the viewer may choose the version that counts.
        var canChoose = false
    }

    static func name(_ version: SubmissionQuery.Version, _ model: Model) -> String {
        model.anonymousNumber.map { AnonymousMarking.fileName($0, extension: version.fileExtension) } ?? version.name
    }

    static func view(_ model: Model, _ context: PageContext) -> Node<HTML.BodyContext> {
        .section(
            .class("submission"), .attribute(named: "aria-labelledby", value: "travail-remis"),
            .h2(.id("travail-remis"), "Travail remis"),
            .unwrap(
                model.work.counted,
                { counted in
                    .group(
                        .p(
                            .strong("Version retenue : "),
                            .a(.href(SiteRoute.submissionFile(counted.id).path), .text(name(counted, model))),
                            .text(" — " + line(counted))),
                        others(model, except: counted.id, context))
                }, else: .p("Aucun travail n'a été remis.")))
    }

    static func line(_ version: SubmissionQuery.Version) -> String {
        "version \(version.number), \(SubmissionQuery.size(version.size)), remise le \(FrenchDate.moment(version.uploadedAt))"
            + (version.late ? ", en retard" : "") + (version.chosen ? ", retenue par la coordination" : "")
    }

    static func others(_ model: Model, except counted: UUID, _ context: PageContext) -> Node<HTML.BodyContext> {
        let others = model.work.versions.filter { $0.id != counted }
        guard !others.isEmpty else { return .empty }
        return .group(
            .h3("Autres versions"),
            .ul(
                .forEach(others) { version in
                    .li(
                        .a(.href(SiteRoute.submissionFile(version.id).path), .text(name(version, model))),
                        .text(" — " + line(version)),
                        .if(model.canChoose, chooseForm(version, context)))
                }))
    }

    static func chooseForm(_ version: SubmissionQuery.Version, _ context: PageContext) -> Node<HTML.BodyContext> {
        .form(
            .method(.post), .action(SiteRoute.submissionCount(version.id).path), .class("inline"),
            Form.csrf(context),
            .button(.type(.submit), .class("secondary"), .text("Retenir la version \(version.number)")))
    }
}
