import Fluent
import Foundation
import Plot
import ValidaCore
import Vapor

/// The correspondence between an older version's blocks and a newer version's: for each old
/// block, the new blocks it counts as. Proposed from the blocks' codes and ids (and from the
/// RNCP export's correspondences when the new version came from one), edited by hand, saved
/// as a whole. The engine then counts blocks acquired under the old version as acquired.
enum CorrespondencePage {
    struct Model: Sendable {
        var toID: UUID
        var toLabel: String
        var fromID: UUID?
        var fromLabel: String
        /// Older versions to map from.
        var candidates: [(id: UUID, label: String)]
        var oldBlocks: [Block]
        var newBlocks: [Block]
        /// Checked boxes: old block id → new block ids.
        var mapping: [String: Set<String>]
        var saved: Bool
    }

    static let fromParameter = "depuis"

    static func field(_ old: String, _ new: String) -> String { "map-\(old)-\(new)" }

    static func show(_ request: Request) async throws -> Response {
        let to = try request.id(.version)
        let from = request.query[String.self, at: fromParameter].flatMap(UUID.init(uuidString:))
        let model = try await query(to: to, from: from, store: request.referentials, on: request.db)
        return view(model, PageContext(request)).response()
    }

    static func query(to: UUID, from: UUID?, store: ReferentialStore, on db: any Database) async throws -> Model {
        guard let toRecord = try await DBReferential.find(to, on: db) else {
            throw Abort(.notFound, reason: "Cette version du référentiel n'existe pas.")
        }
        let others = try await DBReferential.query(on: db).filter(\.$id != to).sort(\.$loadedAt, .descending).all()
        let fromRecord = from.flatMap { id in others.first { $0.id == id } } ?? others.first
        let newEntry = try await store.entry(to, on: db)
        var model = Model(
            toID: to, toLabel: label(toRecord), fromID: fromRecord?.id, fromLabel: fromRecord.map(label) ?? "",
            candidates: others.map { ($0.id!, label($0)) }, oldBlocks: [], newBlocks: newEntry.referential.blocks,
            mapping: [:], saved: false)
        guard let fromRecord else { return model }
        let oldEntry = try await store.entry(fromRecord.id!, on: db)
        model.oldBlocks = oldEntry.referential.blocks
        let rows = try await DBCorrespondence.query(on: db).filter(\.$from.$id == fromRecord.id!).filter(
            \.$to.$id == to
        ).all()
        if rows.isEmpty {
            // A proposal: the correspondences France Compétences published (kept by the RNCP
            // import), else the same RNCP code, else the same id, else the same title.
            let published = newEntry.referential.certification.blockCorrespondences
            for old in model.oldBlocks {
                let listed = Set(published.filter { $0.otherBlock == old.code }.map(\.block))
                let targets = model.newBlocks.filter { $0.code.map(listed.contains) ?? false }.map(\.id)
                if !targets.isEmpty {
                    model.mapping[old.id] = Set(targets)
                    continue
                }
                let match =
                    model.newBlocks.first { $0.code != nil && $0.code == old.code }
                    ?? model.newBlocks.first { $0.id == old.id } ?? model.newBlocks.first { $0.title == old.title }
                if let match { model.mapping[old.id] = [match.id] }
            }
        } else {
            model.saved = true
            for row in rows { model.mapping[row.fromBlock] = Set(row.targets) }
        }
        return model
    }

    static func label(_ record: DBReferential) -> String {
        "version \(record.versionID)" + (record.title.map { " — \($0)" } ?? "") + " (\(record.sourceName))"
    }

    static func save(_ request: Request) async throws -> Response {
        let to = try request.id(.version)
        let fields = try request.formFields()
        guard let from = fields["from"].flatMap(UUID.init(uuidString:)) else {
            throw Abort(.badRequest, reason: "La version de départ manque au formulaire.")
        }
        let model = try await query(to: to, from: from, store: request.referentials, on: request.db)
        guard model.fromID == from else { throw Abort(.notFound, reason: "Cette version de départ n'existe pas.") }
        try await request.db.transaction { tx in
            try await DBCorrespondence.query(on: tx).filter(\.$from.$id == from).filter(\.$to.$id == to).delete()
            for old in model.oldBlocks {
                let targets = model.newBlocks.map(\.id).filter { fields[field(old.id, $0)] == "on" }
                guard !targets.isEmpty else { continue }
                try await DBCorrespondence(from: from, to: to, fromBlock: old.id, toBlocks: targets).create(on: tx)
            }
        }
        await request.referentials.invalidate()
        request.flash(
            "Table de correspondance enregistrée : les blocs acquis sous l'ancienne version comptent sous la nouvelle.")
        return request.redirect(
            to: SiteRoute.referentialCorrespondence(to).path(query: [fromParameter: from.uuidString]))
    }

    static func view(_ model: Model, _ context: PageContext) -> HTML {
        let chooser: Node<HTML.BodyContext> =
            model.candidates.count < 2
            ? .empty
            : .form(
                .method(.get), .action(SiteRoute.referentialCorrespondence(model.toID).path),
                Form.select(
                    fromParameter, "Version de départ", .init(values: [fromParameter: model.fromID?.uuidString ?? ""]),
                    options: model.candidates.map { ($0.id.uuidString, $0.label) }),
                Form.submit("Changer"))
        guard let fromID = model.fromID else {
            return Layout.page(
                "Correspondance des blocs", context, .p("Aucune autre version : rien à faire correspondre."))
        }
        let table: Node<HTML.BodyContext> = .form(
            .method(.post), .action(SiteRoute.referentialCorrespondence(model.toID).path),
            Form.csrf(context),
            .input(.type(.hidden), .name("from"), .value(fromID.uuidString)),
            .if(
                !model.saved,
                .p(
                    .class("muted"),
                    "Proposition d'après les codes, identifiants et intitulés des blocs : vérifiez-la puis enregistrez."
                )),
            .table(
                .thead(.tr(.th(.text("Bloc de l'ancienne version")), .th(.text("Compte comme (nouvelle version)")))),
                .tbody(
                    .forEach(model.oldBlocks) { old in
                        .tr(
                            Table.rowHeader(.text("\(old.code ?? old.id) — \(old.title)")),
                            .td(
                                .forEach(model.newBlocks) { new in
                                    Form.checkbox(
                                        field(old.id, new.id), "\(new.code ?? new.id) — \(new.title)",
                                        checked: model.mapping[old.id]?.contains(new.id) ?? false)
                                }))
                    })
            ),
            Form.submit("Enregistrer la correspondance")
        )
        return Layout.page(
            "Correspondance des blocs", context,
            .p(.text("De la \(model.fromLabel) vers la \(model.toLabel).")),
            .p(.a(.href(SiteRoute.referentialVersions.path), "Versions du référentiel")),
            chooser, table)
    }
}
