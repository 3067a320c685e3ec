import Fluent
import Foundation
import ValidaCore
import Vapor

/// A school's authorisations (habilitations): each référentiel version and the blocks (or
/// the whole certification) it may prepare candidates for, the agreement's dates and
/// document. Its coordinator reads them; the certifier records, changes and ends them and
/// uploads the agreement (`PartnerAuthorizationOperations`).
enum PartnerAuthorizationsPage {
    struct Row: Sendable {
        var id: UUID
        var version: String
        var scope: String
        var startsOn: CalendarDate?
        var endsOn: CalendarDate?
        var endedEarly: Bool
        var state: String
        var agreementName: String?
        var agreementUploadedAt: Date?
    }

    struct Model: Sendable {
        var schoolID: UUID
        var schoolName: String
        var rows: [Row]
        /// The versions a new authorisation may name, latest first, with their blocks.
        var versions: [(id: UUID, label: String, blocks: [String])]
        var canManage = false
    }

    static let fieldNames: [PartnerAuthorizationOperations.Field: String] = [:]

    static func show(_ request: Request) async throws -> Response {
        try await page(request, forms: [:], status: .ok)
    }

    /// POST: a new authorisation.
    static func create(_ request: Request) async throws -> Response {
        let school = try await request.loadSchool()
        let fields = try request.formFields()
        let input = PartnerAuthorizationOperations.Input(
            referential: fields["referential"],
            blocks: (fields["blocks"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
                .map(String.init),
            whole: fields["whole"] == "on", startsOn: fields["startsOn"], endsOn: fields["endsOn"])
        switch try await PartnerAuthorizationOperations.create(
            input, school: try school.requireID(), by: try request.requireUser().user,
            referentials: request.referentials, on: request.db)
        {
        case .failure(let refusal):
            return try await page(
                request, forms: ["new": .init(fields: fields, errors: refusal.byName())], status: .unprocessableEntity)
        case .success:
            request.flash("L'habilitation est enregistrée.")
            return request.redirect(to: .schoolAuthorizations(try school.requireID()))
        }
    }

    /// POST on one authorisation: its dates changed.
    static func changeDates(_ request: Request) async throws -> Response {
        let row = try await request.loadPartnerAuthorization()
        let fields = try request.formFields()
        switch try await PartnerAuthorizationOperations.changeDates(
            row, startsOn: fields["startsOn"], endsOn: fields["endsOn"], by: try request.requireUser().user,
            on: request.db)
        {
        case .failure(let refusal):
            return try await rowPage(
                request, row, state: .init(fields: fields, errors: refusal.byName()), status: .unprocessableEntity)
        case .success:
            request.flash("Les dates de l'habilitation sont enregistrées.")
            return request.redirect(to: .schoolAuthorizations(row.$school.id))
        }
    }

    static func end(_ request: Request) async throws -> Response {
        let row = try await request.loadPartnerAuthorization()
        let fields = try request.formFields()
        switch try await PartnerAuthorizationOperations.end(
            row, on: fields["endsEarly"], by: try request.requireUser().user, on: request.db)
        {
        case .failure(let refusal):
            return try await rowPage(
                request, row, state: .init(fields: fields, errors: refusal.byName()), status: .unprocessableEntity)
        case .success(let ended):
            request.flash("L'habilitation prend fin le \(CalendarDate(iso: ended.endsOn)?.french ?? ended.endsOn).")
            return request.redirect(to: .schoolAuthorizations(row.$school.id))
        }
    }

    /// POST: the agreement uploaded (multipart).
    static func upload(_ request: Request) async throws -> Response {
        let row = try await request.loadPartnerAuthorization()
        struct Upload: Content { var file: File? }
        guard let file = (try? request.content.decode(Upload.self))?.file,
            file.data.readableBytes > 0 || !file.filename.isEmpty
        else {
            return try await rowPage(
                request, row, state: Form.State(errors: ["file": "choisissez le PDF de la convention"]),
                status: .unprocessableEntity)
        }
        switch try await PartnerAuthorizationOperations.uploadAgreement(
            name: file.filename, data: Data(buffer: file.data), to: row, storage: request.application.agreementStorage,
            by: try request.requireUser().user, on: request.db)
        {
        case .failure(let refusal):
            return try await rowPage(
                request, row, state: Form.State(errors: refusal.byName()), status: .unprocessableEntity)
        case .success(let saved):
            request.flash("La convention « \(saved.agreementName ?? "") » est enregistrée.")
            return request.redirect(to: .schoolAuthorizations(row.$school.id))
        }
    }

    /// GET: the agreement, as an attachment.
    static func download(_ request: Request) async throws -> Response {
        let row = try await request.loadPartnerAuthorization()
        guard let stored = row.agreementStored, let name = row.agreementName,
            let data = try? request.application.agreementStorage.read(stored: stored)
        else {
            throw Abort(.notFound, reason: "Aucune convention n'est enregistrée pour cette habilitation.")
        }
        return VAEActions.attachment(data, mediaType: "application/pdf", name: name)
    }

    static func page(_ request: Request, forms: [String: Form.State], status: HTTPResponseStatus) async throws
        -> Response
    {
        let school = try await request.loadSchool()
        var model = try await query(school: school, referentials: request.referentials, on: request.db)
        model.canManage = request.allows(.create, .partnerAuthorization(school: model.schoolID.uuidString))
        return view(model, forms["new"] ?? .init(), PageContext(request)).response(status)
    }

    /// GET on one authorisation: its details and, for the certifier, its forms.
    static func showRow(_ request: Request) async throws -> Response {
        try await rowPage(request, try await request.loadPartnerAuthorization(), state: .init(), status: .ok)
    }

    static func rowPage(
        _ request: Request, _ row: DBPartnerAuthorization, state: Form.State, status: HTTPResponseStatus
    ) async throws -> Response {
        guard let school = try await DBSchool.find(row.$school.id, on: request.db) else {
            throw Abort(.notFound, reason: "Cette école n'existe pas.")
        }
        let model = try await query(school: school, referentials: request.referentials, on: request.db)
        guard let shown = model.rows.first(where: { $0.id == row.id }) else {
            throw Abort(.notFound, reason: "Cette habilitation n'existe pas.")
        }
        let canManage = request.allows(.edit, .partnerAuthorization(school: model.schoolID.uuidString))
        return rowView(model, shown, canManage: canManage, state, PageContext(request)).response(status)
    }

    static func query(
        school: DBSchool, referentials: ReferentialStore, today: CalendarDate = DateInput.today, on db: any Database
    ) async throws -> Model {
        let id = try school.requireID()
        let records = try await DBReferential.query(on: db).sort(\.$loadedAt, .descending).all()
        let labels = Dictionary(uniqueKeysWithValues: records.map { ($0.id!, $0.versionID) })
        var versions: [(id: UUID, label: String, blocks: [String])] = []
        for record in records {
            let blocks = (try? await referentials.entry(record.id!, on: db))?.referential.blocks.map(\.id) ?? []
            versions.append((record.id!, ReferentialPage.label(record), blocks))
        }
        let rows = try await DBPartnerAuthorization.query(on: db).filter(\.$school.$id == id).all()
            .sorted { ($0.startsOn, $0.endsOn) > ($1.startsOn, $1.endsOn) }
            .map { row in
                let start = CalendarDate(iso: row.startsOn)
                let end = CalendarDate(iso: row.endsOn)
                return Row(
                    id: row.id!, version: labels[row.$referential.id] ?? RosterText.notSet,
                    scope: scopeText(row.scope), startsOn: start, endsOn: end, endedEarly: row.endedAt != nil,
                    state: state(start: start, end: end, today: today), agreementName: row.agreementName,
                    agreementUploadedAt: row.agreementUploadedAt)
            }
        return Model(schoolID: id, schoolName: school.name, rows: rows, versions: versions)
    }

    static func scopeText(_ scope: PartnerAuthorization.Scope) -> String {
        switch scope {
        case .wholeCertification: "Certification complète"
        case .blocks(let ids): (ids.count > 1 ? "Blocs " : "Bloc ") + ids.sorted().joined(separator: ", ")
        }
    }

    static func state(start: CalendarDate?, end: CalendarDate?, today: CalendarDate) -> String {
        guard let start, let end else { return "dates illisibles" }
        if today < start { return "à venir" }
        if today > end { return "terminée" }
        return end <= today.adding(days: 60) ? "se termine bientôt" : "en cours"
    }
}

extension Application {
    private struct AgreementStorageKey: StorageKey { typealias Value = VAEEvidenceStorage }

    /// Where agreements live: the VAE evidence store's rules, in its own `agreements` folder
    /// beside the evidence files.
    var agreementStorage: VAEEvidenceStorage {
        get {
            if let storage = storage[AgreementStorageKey.self] { return storage }
            let made = VAEEvidenceStorage(
                directory: vaeEvidence.directory.appendingPathComponent("agreements", isDirectory: true))
            storage[AgreementStorageKey.self] = made
            return made
        }
        set { storage[AgreementStorageKey.self] = newValue }
    }
}
