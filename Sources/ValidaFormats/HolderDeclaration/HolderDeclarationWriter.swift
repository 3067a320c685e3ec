import Foundation
import ValidaCore

/// What a completed holders' declaration holds.
public struct HolderDeclarationSummary: Sendable, Hashable {
    public var passageCount: Int
    public var byteCount: Int
}

/// Writes the holders' declaration (accrochage, CDC schema 1.1.2) one passage at a time:
/// the header when the first passage comes, each passage as it is read from the sequence,
/// then the footer. The output goes to the sink in chunks of about `chunkSize` bytes (one
/// chunk is at most `chunkSize` plus one passage), so memory stays flat for any number of
/// holders; the only thing that grows is the set of `idTechnique`s written, to refuse a
/// duplicate.
///
/// Each passage is checked with `HolderDeclarationValidator` before it is written; the first
/// one with a problem stops the writing (`HolderDeclarationError.invalidPassage`). Show the
/// validator's full report before writing, and discard the output of a failed write
/// (`write(_:toFile:)` does it: the file appears only once complete).
public struct HolderDeclarationWriter: Sendable {
    public let header: HolderDeclarationHeader
    public let chunkSize: Int

    /// Fails when the header has problems.
    public init(header: HolderDeclarationHeader, chunkSize: Int = 64 * 1024) throws(HolderDeclarationError) {
        let problems = HolderDeclarationValidator.problems(in: header)
        if !problems.isEmpty { throw .invalidHeader(problems) }
        self.header = header
        self.chunkSize = max(1, chunkSize)
    }

    /// Writes the file to `sink`. Throws `HolderDeclarationError` (nothing written when there
    /// is no passage; output incomplete on an invalid passage) or the sink's own error.
    @discardableResult
    public func write(
        _ passages: some Sequence<HolderPassage>, to sink: (Data) throws -> Void
    ) throws -> HolderDeclarationSummary {
        var buffer = HolderDeclarationBuffer(capacity: chunkSize + 4096)
        var validator = HolderDeclarationValidator()
        var count = 0
        var bytes = 0
        func flush() throws {
            bytes += buffer.count
            try sink(buffer.take())
        }
        for passage in passages {
            let problems = validator.check(passage)
            if !problems.isEmpty { throw HolderDeclarationError.invalidPassage(problems) }
            if count == 0 { writeHeader(into: &buffer) }
            Self.writePassage(passage, into: &buffer)
            count += 1
            if buffer.count >= chunkSize { try flush() }
        }
        guard count > 0 else { throw HolderDeclarationError.noPassages }
        writeFooter(into: &buffer)
        try flush()
        return HolderDeclarationSummary(passageCount: count, byteCount: bytes)
    }

    /// Writes the file at `url`, replacing it, through a temporary file next to it: a failed
    /// write leaves `url` as it was.
    @discardableResult
    public func write(_ passages: some Sequence<HolderPassage>, toFile url: URL) throws -> HolderDeclarationSummary {
        let manager = FileManager.default
        let partial = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard manager.createFile(atPath: partial.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
        }
        var completed = false
        defer { if !completed { try? manager.removeItem(at: partial) } }
        let handle = try FileHandle(forWritingTo: partial)
        let summary: HolderDeclarationSummary
        do {
            summary = try write(passages) { try handle.write(contentsOf: $0) }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        if manager.fileExists(atPath: url.path) {
            _ = try manager.replaceItemAt(url, withItemAt: partial)
        } else {
            try manager.moveItem(at: partial, to: url)
        }
        completed = true
        return summary
    }

    // MARK: - The document

    func writeHeader(into out: inout HolderDeclarationBuffer) {
        let settings = header.settings
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        out.raw(
            "<cpf:flux xmlns:cpf=\"\(HolderDeclarationXML.namespace)\" xmlns:xsi=\"\(HolderDeclarationXML.schemaInstance)\">\n"
        )
        out.depth = 1
        out.element("idFlux", text(header.fileID))
        out.element("horodatage", HolderDeclarationXML.timestamp(header.createdAt, in: header.timeZone).text)
        out.open("emetteur")
        out.element("idClient", text(settings.effectiveSenderClientID))
        out.open("certificateurs")
        out.open("certificateur")
        out.element("idClient", text(settings.clientID))
        out.element("idContrat", text(settings.contractID))
        out.open("certifications")
        out.open("certification")
        out.element("type", text(header.certificationType))
        out.element("code", text(header.certificationCode))
        out.element("natureDeposant", settings.depositorNature.rawValue)
        out.open("passageCertifications")
    }

    func writeFooter(into out: inout HolderDeclarationBuffer) {
        for name in [
            "passageCertifications", "certification", "certifications", "certificateur",
            "certificateurs", "emetteur",
        ] {
            out.close(name)
        }
        out.raw("</cpf:flux>\n")
    }

    /// One `passageCertification`, in the schema's order. Fixed by Valida: obtained by
    /// admission, data final, valid for life (no end date), no language or digital level, no
    /// score, no mention.
    static func writePassage(_ passage: HolderPassage, into out: inout HolderDeclarationBuffer) {
        out.open("passageCertification")
        out.element("idTechnique", text(passage.technicalID))
        out.element("urlPreuve", optional: HolderDeclarationXML.normalized(passage.proofURL))
        out.element("obtentionCertification", "PAR_ADMISSION")
        out.element("donneeCertifiee", "true")
        out.element("dateDebutExamen", optional: passage.examStartDate?.iso)
        out.element("dateFinExamen", optional: passage.examEndDate?.iso)
        out.element("modalitePassageExamen", optional: passage.examMode?.rawValue)
        out.element("codePostalCentreExamen", optional: HolderDeclarationXML.normalized(passage.examCentrePostalCode))
        out.element("dateDebutValidite", passage.awardDate.iso)
        out.nilElement("dateFinValidite")
        out.element("presenceNiveauLangueEuro", "false")
        out.element("presenceNiveauNumeriqueEuro", "false")
        out.nilElement("scoring")
        out.nilElement("mentionValidee")
        out.open("modalitesInscription")
        out.element("modaliteAcces", passage.accessRoute.holderDeclarationCode)
        if passage.accessRoute == .vae { out.element("voieAccessVAE", optional: passage.vaeKind?.rawValue) }
        out.element("initiativeInscription", optional: passage.enrolmentInitiative?.rawValue)
        out.element("dateInscription", optional: passage.enrolmentDate?.iso)
        out.close("modalitesInscription")
        out.open("identificationTitulaire")
        writeHolder(passage.holder, into: &out)
        out.close("identificationTitulaire")
        out.close("passageCertification")
    }

    private static func writeHolder(_ holder: HolderIdentity, into out: inout HolderDeclarationBuffer) {
        // The validator has checked that every required value is present: the fallbacks
        // below are never written.
        out.open("titulaire")
        out.element("nomNaissance", text(holder.birthName))
        if let usual = HolderDeclarationXML.normalized(holder.usualName) {
            out.element("nomUsage", usual)
        } else {
            out.nilElement("nomUsage")
        }
        for (index, name) in HolderDeclarationXML.declaredFirstNames(holder.firstNames).enumerated() {
            out.element("prenom\(index + 1)", name)
        }
        let birth = holder.birthDate
        out.element("anneeNaissance", String(birth?.year ?? 0))
        out.element("moisNaissance", String(birth?.month ?? 0))
        out.element("jourNaissance", String(birth?.day ?? 0))
        out.element("sexe", holder.sex?.rawValue ?? "")
        out.open("codeCommuneNaissance")
        switch holder.birthPlace {
        case .inseeCode(let code, _)?:
            out.open("codeInseeNaissance")
            out.element("codeInsee", text(code))
            out.close("codeInseeNaissance")
        case .postalCode(let code, _)?:
            out.open("codePostalNaissance")
            out.element("codePostal", text(code))
            out.close("codePostalNaissance")
        case .abroad?, nil:
            // Born abroad: no French commune; the country follows.
            out.open("codePostalNaissance")
            out.nilElement("codePostal")
            out.close("codePostalNaissance")
        }
        out.close("codeCommuneNaissance")
        switch holder.birthPlace {
        case .inseeCode(_, let communeName)?:
            out.element("libelleCommuneNaissance", optional: HolderDeclarationXML.normalized(communeName))
        case .postalCode(_, let communeName)?:
            out.element("libelleCommuneNaissance", text(communeName))
        case .abroad(let countryCode, let countryName, let cityName)?:
            out.element("libelleCommuneNaissance", optional: HolderDeclarationXML.normalized(cityName))
            out.element("codePaysNaissance", text(countryCode))
            out.element("libellePaysNaissance", text(countryName))
        case nil:
            break
        }
        out.close("titulaire")
    }

    /// A required value as written (validated before: never blank here).
    private static func text(_ raw: String) -> String { HolderDeclarationXML.normalized(raw) ?? "" }
    private func text(_ raw: String) -> String { Self.text(raw) }
}
