import Fluent
import Foundation
import ValidaCore
import ValidaCredentials
import ValidaFormats
import Vapor

/// Issues a candidate's Open Badges 3.0 credentials — one per block validated by a jury, a
/// VAE jury or an equivalence, one for the certification once awarded — signed as VC-JWT,
/// when the candidate (or staff) first asks; stored and reused while they stand, revoked when
/// a correction withdraws what they attest. docs/credentials.md describes the credentials.
enum CredentialIssuing {
    /// Entries per status list: the spec's minimum, so that a list singles out no one.
    static let listSize = BitstringStatusList.minimumCount

    /// The URLs and issuer every credential names, from the configured public address only:
    /// never from the request's Host header, which the visitor chooses.
    struct Context: Sendable {
        var baseURL: String
        var certifierName: String

        init(baseURL: String, certifierName: String) {
            self.baseURL = baseURL
            self.certifierName = certifierName
        }

        /// Throws `notConfigured` when the settings give no public address.
        init(settings: AppSettings) throws {
            guard let base = CredentialIssuing.baseURL(settings: settings) else {
                throw CredentialIssuing.notConfigured
            }
            self.init(
                baseURL: base, certifierName: settings.certifierName.isEmpty ? "Certificateur" : settings.certifierName)
        }

        static func load(_ request: Request) async throws -> Context {
            try Context(settings: try await AppSettings.load(on: request.db))
        }

        var issuer: Profile {
            Profile(id: baseURL + SiteRoute.credentialIssuer.path, name: certifierName, url: baseURL)
        }

        func credentialURL(_ id: UUID) -> String { baseURL + SiteRoute.credentialPage(id).path }
        func statusListURL(_ number: Int) -> String { baseURL + SiteRoute.credentialStatusList(number).path }
        func transcriptURL(_ id: UUID) -> String { baseURL + "/credentials/transcripts/\(id.uuidString.lowercased())" }

        /// One achievement per block (or the certification) and référentiel version, shared by
        /// every holder's credential.
        func achievementURL(_ referential: Referential, _ scope: CredentialScope) -> String {
            let version =
                referential.version.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"]))
                ?? referential.version.id
            let who =
                (referential.certification.rncpCode ?? "certification").addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics) ?? "certification"
            let what = scope.segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? scope.segment
            return "\(baseURL)/credentials/achievements/\(who)/\(version)/\(what)"
        }

        /// Where the CASE export of the référentiel would be served: achievements align to it.
        var caseBaseURL: String { baseURL + "/ims/case/v1p1" }
    }

    /// `https://valida.ecole.fr`, no trailing slash; nil when none is configured.
    static func baseURL(settings: AppSettings) -> String? {
        var base = settings.publicBaseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? nil : base
    }

    /// Why no credential is issued without a public address.
    static let notConfiguredReason =
        "Les attestations numériques ne sont pas émises tant que l'adresse publique de Valida n'est pas renseignée dans les paramètres : elles la portent, signée, et ne peuvent pas dépendre de l'adresse par laquelle on arrive sur le serveur."
    static let notConfigured = Abort(.conflict, reason: notConfiguredReason)

    /// Something the candidate has earned and may hold a credential for.
    struct Earned: Sendable, Hashable {
        var scope: CredentialScope
        /// « BC02 — Titre », or the certification's title.
        var label: String
        /// The decision's date, or the equivalence's acquisition date.
        var validFrom: Date
    }

    /// The candidate's record as credentials read it: like every reader outside the jury,
    /// without the decisions of a deliberation still open (`DecisionVisibility`).
    static func record(candidate: DBCandidate, entry: ReferentialStore.Entry, on db: any Database) async throws
        -> CandidateRecord
    {
        try await ResultsQuery.record(candidate: candidate, referential: entry.referential, on: db)
    }

    /// What the record earns: blocks validated by a decision or an equivalence (not merely
    /// computed from ratings: only a jury validates), and the certification once awarded.
    static func earned(record: CandidateRecord, entry: ReferentialStore.Entry, now: Date = Date()) -> [Earned] {
        let report = entry.engine.report(for: record)
        var earned: [Earned] = []
        for block in report.blocks where block.status == .validated {
            let date: CalendarDate?
            switch block.basis {
            case .juryDecision, .vaeDecision: date = block.decision?.decidedOn
            case .equivalence: date = block.equivalence?.acquiredOn ?? block.decision?.decidedOn
            default: date = nil
            }
            guard let date else { continue }
            earned.append(
                Earned(
                    scope: .block(block.id), label: "\(block.code ?? block.id) — \(block.title)",
                    validFrom: min(start(of: date), now)))
        }
        let certification = report.certification
        if certification.status == .validated, [.juryDecision, .vaeDecision].contains(certification.basis),
            let date = certification.decision?.decidedOn
        {
            earned.append(
                Earned(
                    scope: .certification, label: entry.referential.certification.title ?? "Certification complète",
                    validFrom: min(start(of: date), now)))
        }
        return earned
    }

    /// Midnight in Paris on `date`: the day the certifier's decision took effect.
    static func start(of date: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))
            ?? Date(timeIntervalSince1970: 0)
    }

    /// The candidate's credentials not revoked, oldest first.
    static func standing(candidate: UUID, on db: any Database) async throws -> [DBCredential] {
        try await DBCredential.query(on: db).filter(\.$candidate.$id == candidate).filter(\.$revokedAt == nil)
            .sort(\.$statusIndex).all()
    }

    /// The standing credential of every scope the candidate has earned, issuing those not
    /// issued yet; in the order of `earned`.
    static func issue(
        candidate: DBCandidate, entry: ReferentialStore.Entry, context: Context, actor: CurrentUser?,
        on db: any Database
    ) async throws -> [(Earned, DBCredential)] {
        let candidateID = try candidate.requireID()
        let earned = earned(record: try await record(candidate: candidate, entry: entry, on: db), entry: entry)
        let existing = match(earned, try await standing(candidate: candidateID, on: db))
        if existing.count == earned.count { return existing }

        let ring = try await CredentialKeys.ensure(on: db)
        let alignments = alignmentTargets(entry.referential, context: context)
        return try await CredentialLock.shared.run {
            try await db.transaction { tx in
                try await CredentialKeys.lock(tx)
                var rows = try await standing(candidate: candidateID, on: tx)
                let all = try await DBCredential.query(on: tx).filter(\.$candidate.$id == candidateID).sort(
                    \.$statusIndex
                ).all()
                let salt = all.first?.holderSalt ?? Holder.randomSalt()
                var next =
                    (try await DBCredential.query(on: tx).sort(\.$statusIndex, .descending).first()?.statusIndex ?? -1)
                    + 1
                for e in earned where !rows.contains(where: { $0.scope == e.scope }) {
                    let row = try await sign(
                        e, candidate: candidate, referential: entry.referential, index: next, salt: salt, ring: ring,
                        alignments: alignments, context: context)
                    try await row.create(on: tx)
                    try await AuditLog.append(
                        .init(
                            action: "credential-issued", subjectType: "credential", subjectID: row.id!.uuidString,
                            payload: [
                                "candidate": candidateID.uuidString, "scope": e.scope.segment,
                                "status-index": String(next), "kid": row.kid,
                            ]),
                        actorID: actor?.id, actorName: actor?.user.displayName ?? "Valida", on: tx)
                    rows.append(row)
                    next += 1
                }
                return match(earned, rows)
            }
        }
    }

    /// Each earned scope with its standing credential, when it has one.
    private static func match(_ earned: [Earned], _ rows: [DBCredential]) -> [(Earned, DBCredential)] {
        earned.compactMap { e in rows.last { $0.scope == e.scope }.map { (e, $0) } }
    }

    private static func sign(
        _ earned: Earned, candidate: DBCandidate, referential: Referential, index: Int, salt: String,
        ring: IssuerKeyRing,
        alignments: AlignmentTargets, context: Context
    ) async throws -> DBCredential {
        let id = UUID()
        let details = IssuanceDetails(
            credentialID: context.credentialURL(id),
            achievementID: context.achievementURL(referential, earned.scope),
            issuer: context.issuer,
            holder: Holder(email: candidate.email, name: DocumentIssuing.holder(candidate).name, salt: salt),
            validFrom: earned.validFrom,
            status: BitstringStatusListEntry(
                statusListCredential: context.statusListURL(index / listSize + 1), index: index % listSize),
            alignments: alignments)
        do {
            let credential =
                switch earned.scope {
                case .block(let block):
                    try OpenBadgeBuilder.blockCredential(referential: referential, blockID: block, details: details)
                case .certification:
                    try OpenBadgeBuilder.certificationCredential(referential: referential, details: details)
                }
            let signer = try CredentialSigner(keyRing: ring)
            let jwt = try await signer.sign(credential)
            return DBCredential(
                id: id, candidateID: try candidate.requireID(), scope: earned.scope, statusIndex: index,
                kid: signer.key.kid,
                holderSalt: salt, jwt: jwt, issuedAt: Date())
        } catch let error as CredentialError {
            throw Abort(.unprocessableEntity, reason: "Badge « \(earned.label) » impossible à émettre : \(error)")
        }
    }

    /// The CASE items of the référentiel (blocks and competencies) by their référentiel ids.
    static func alignmentTargets(_ referential: Referential, context: Context) -> AlignmentTargets {
        guard
            let package = try? CASEExchange.package(
                referential, baseURL: context.caseBaseURL, lastChange: Date(timeIntervalSince1970: 0))
        else { return .none }
        let items = package.items ?? []
        func uri(_ code: String) -> String? { items.first { $0.humanCodingScheme == code }?.uri }
        var urls: [String: String] = [:]
        for block in referential.blocks {
            urls[block.id] = uri(block.code ?? block.id)
            for competency in block.competencies { urls[competency.id] = uri(competency.id) }
        }
        return AlignmentTargets(framework: package.document.title, urls: urls)
    }

    /// Revokes the candidate's credentials whose block or certification `record` no longer
    /// validates, with `reason`; audited. Runs in the caller's transaction (`db`), e.g. the
    /// correction's, so the status list never disagrees with the decisions.
    @discardableResult
    static func revokeWithdrawn(
        candidate: DBCandidate, record: CandidateRecord, entry: ReferentialStore.Entry, actor: DBUser?,
        reason: String = "Décision du jury corrigée : ce qu'atteste le badge n'est plus validé.", on db: any Database,
        now: Date = Date()
    ) async throws -> [DBCredential] {
        let still = Set(earned(record: record, entry: entry).map(\.scope))
        var revoked: [DBCredential] = []
        for row in try await standing(candidate: try candidate.requireID(), on: db)
        where !still.contains(row.scope) {
            row.revokedAt = now
            row.revocationReason = reason
            try await row.save(on: db)
            try await AuditLog.append(
                .init(
                    action: "credential-revoked", subjectType: "credential", subjectID: row.id!.uuidString,
                    payload: [
                        "candidate": try candidate.requireID().uuidString, "scope": row.scope.segment,
                        "status-index": String(row.statusIndex), "reason": reason,
                    ]),
                actorID: actor?.id, actorName: actor?.displayName ?? "Valida", on: db)
            revoked.append(row)
        }
        return revoked
    }

    /// The same, reading the candidate's record (decisions of closed juries) from `db`.
    @discardableResult
    static func revokeWithdrawn(
        candidate: DBCandidate, referentials: ReferentialStore, actor: DBUser?, on db: any Database
    ) async throws -> [DBCredential] {
        let entry = try await referentials.entry(candidate.$referential.id, on: db)
        return try await revokeWithdrawn(
            candidate: candidate, record: try await record(candidate: candidate, entry: entry, on: db), entry: entry,
            actor: actor, on: db)
    }

    /// Status list `number` (from 1): the bits of the revoked credentials it holds.
    static func statusList(number: Int, on db: any Database) async throws -> BitstringStatusList {
        var list = BitstringStatusList(count: listSize)
        let low = (number - 1) * listSize
        let rows = try await DBCredential.query(on: db).filter(\.$revokedAt != nil)
            .filter(\.$statusIndex >= low).filter(\.$statusIndex < low + listSize).all()
        for row in rows { try list.revoke(row.statusIndex - low) }
        return list
    }

    /// The number of status lists in use: at least 1, so that the first list always answers.
    static func statusListCount(on db: any Database) async throws -> Int {
        let top = try await DBCredential.query(on: db).sort(\.$statusIndex, .descending).first()?.statusIndex ?? 0
        return top / listSize + 1
    }

    /// The signed `BitstringStatusListCredential` for list `number`, as served.
    static func signedStatusList(number: Int, context: Context, on db: any Database) async throws -> String {
        let ring = try await CredentialKeys.ensure(on: db)
        let list = try await statusList(number: number, on: db)
        let credential = try OpenBadgeBuilder.statusListCredential(
            id: context.statusListURL(number), issuer: context.issuer, list: list, validFrom: Date())
        return try await CredentialSigner(keyRing: ring).sign(credential)
    }

    /// A CLR 2.0 transcript of the candidate's standing block credentials, signed now.
    static func transcript(
        candidate: DBCandidate, credentials: [DBCredential], context: Context, on db: any Database
    ) async throws -> String? {
        let ring = try await CredentialKeys.ensure(on: db)
        let verifier = CredentialVerifier(keys: try ring.publicKeySet())
        var issued: [IssuedCredential] = []
        for row in credentials where row.scopeKind == .block {
            // Reads back the credential it signed (its own keys: the signature holds).
            guard let credential = await verifier.verify(jwt: row.jwt).credential else { continue }
            issued.append(IssuedCredential(credential: credential, jwt: row.jwt))
        }
        guard let salt = credentials.first?.holderSalt, !issued.isEmpty else { return nil }
        do {
            let clr = try OpenBadgeBuilder.transcript(
                // The issuer its badges name, so that a changed public address does not split them.
                id: context.transcriptURL(UUID()), issuer: issued[0].credential.issuer,
                holder: Holder(email: candidate.email, name: DocumentIssuing.holder(candidate).name, salt: salt),
                validFrom: Date(), credentials: issued)
            return try await CredentialSigner(keyRing: ring).sign(clr)
        } catch let error as CredentialError {
            throw Abort(.unprocessableEntity, reason: "Relevé impossible à émettre : \(error)")
        }
    }
}
