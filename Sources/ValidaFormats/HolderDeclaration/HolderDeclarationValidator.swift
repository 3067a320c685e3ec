import Foundation
import ValidaCore

/// Everything the schema (and the Caisse's matching of identities) needs that a header or a
/// passage lacks, as problems in French. The writer runs the same checks and refuses to
/// write a passage with a problem, so a file it completes always validates.
public struct HolderDeclarationValidator: Sendable {
    /// `idTechnique`s seen so far, with their holder, to refuse duplicates.
    private var seen: [String: String] = [:]

    public init() {}

    /// The full report the caller shows before writing: the header's problems, each
    /// passage's, duplicate ids, and an empty list of passages.
    public static func problems(
        header: HolderDeclarationHeader, passages: some Sequence<HolderPassage>
    ) -> [HolderDeclarationProblem] {
        var validator = HolderDeclarationValidator()
        var problems = Self.problems(in: header)
        var count = 0
        for passage in passages {
            count += 1
            problems += validator.check(passage)
        }
        if count == 0 { problems += HolderDeclarationError.noPassages.problems }
        return problems
    }

    /// One passage's problems, including an `idTechnique` already used by an earlier passage
    /// given to this validator.
    public mutating func check(_ passage: HolderPassage) -> [HolderDeclarationProblem] {
        var problems = Self.problems(in: passage)
        if let id = HolderDeclarationXML.normalized(passage.technicalID) {
            let name = Self.holderName(passage.holder) ?? "?"
            if let other = seen[id] {
                problems.append(
                    HolderDeclarationProblem(
                        technicalID: id, holderName: Self.holderName(passage.holder), field: .technicalID,
                        message: "en double : déjà utilisé pour \(other) ; chaque passage doit avoir le sien"))
            } else {
                seen[id] = name
            }
        }
        return problems
    }

    // MARK: - The header

    public static func problems(in header: HolderDeclarationHeader) -> [HolderDeclarationProblem] {
        var report = Report(technicalID: nil, holderName: nil)
        let settings = header.settings
        let clientHint = "l'identifiant client communiqué par la Caisse des Dépôts"
        report.text(settings.clientID, .clientID, exactly: 8, hint: clientHint)
        if settings.senderClientID != nil {
            report.text(settings.senderClientID, .senderClientID, exactly: 8, hint: clientHint)
        }
        report.text(
            settings.contractID, .contractID, max: 20,
            hint: "l'identifiant de contrat communiqué par la Caisse des Dépôts")
        report.text(header.fileID, .fileID, max: 50, hint: "un identifiant unique pour ce fichier")
        report.text(header.certificationType, .certificationType, max: 255, hint: "« RNCP »")
        if let code = report.text(
            header.certificationCode, .certificationCode, max: 100,
            hint: "le code de la fiche, RNCPnnnnn"),
            HolderDeclarationXML.normalized(header.certificationType) == "RNCP",
            !Certification.isValidRNCPCode(code)
        {
            report.add(.certificationCode, "« \(code) » n'est pas un code RNCP : attendu RNCP suivi de 1 à 6 chiffres")
        }
        let stamp = HolderDeclarationXML.timestamp(header.createdAt, in: header.timeZone)
        if !stamp.valid {
            report.add(
                .timestamp,
                "« \(stamp.text) » hors du format accepté (années 1900 à 2099, décalage horaire de 19 h au plus)")
        }
        return report.problems
    }

    // MARK: - One passage

    public static func problems(in passage: HolderPassage) -> [HolderDeclarationProblem] {
        let holder = passage.holder
        var report = Report(
            technicalID: HolderDeclarationXML.normalized(passage.technicalID), holderName: holderName(holder))
        report.text(
            passage.technicalID, .technicalID, max: 255,
            hint: "un identifiant stable du passage (identifiant du candidat et de la délibération)")
        checkIdentity(holder, into: &report)
        if passage.accessRoute == .vae, passage.vaeKind == nil {
            report.add(.vaeKind, "manquant pour un titulaire par la VAE : choisissez congé VAE ou VAE classique")
        }
        report.date(passage.awardDate, .awardDate)
        if let birth = holder.birthDate, birth >= passage.awardDate {
            report.add(
                .birthDate, "le \(birth.french) n'est pas antérieur à la date d'obtention (\(passage.awardDate.french))"
            )
        }
        if let start = passage.examStartDate { report.date(start, .examStartDate) }
        if let end = passage.examEndDate {
            report.date(end, .examEndDate)
            if let start = passage.examStartDate, start > end {
                report.add(.examEndDate, "le \(end.french) précède le début d'examen (\(start.french))")
            }
            if end > passage.awardDate {
                report.add(.examEndDate, "le \(end.french) suit la date d'obtention (\(passage.awardDate.french))")
            }
        }
        if let enrolment = passage.enrolmentDate {
            report.date(enrolment, .enrolmentDate)
            if enrolment > passage.awardDate {
                report.add(
                    .enrolmentDate, "le \(enrolment.french) suit la date d'obtention (\(passage.awardDate.french))")
            }
        }
        if passage.examCentrePostalCode != nil {
            report.text(passage.examCentrePostalCode, .examCentrePostalCode, max: 9, required: false, hint: "")
        }
        if let url = report.text(passage.proofURL, .proofURL, max: 255, required: false, hint: ""),
            !(url.hasPrefix("https://") || url.hasPrefix("http://")) || url.contains(where: \.isWhitespace)
        {
            report.add(.proofURL, "« \(url) » n'est pas une adresse web (https://…, sans espace)")
        }
        return report.problems
    }

    private static func checkIdentity(_ holder: HolderIdentity, into report: inout Report) {
        report.text(
            holder.birthName, .birthName, max: 60,
            hint: "le nom de naissance tel qu'il figure à l'état civil")
        if holder.usualName != nil {
            report.text(holder.usualName, .usualName, max: 60, required: false, hint: "")
        }
        let firstNames = holder.firstNames.compactMap(HolderDeclarationXML.normalized).prefix(3)
        if firstNames.isEmpty {
            report.add(.firstNames, "manquants : renseignez au moins le premier prénom de l'état civil")
        }
        for name in firstNames { report.text(name, .firstNames, max: 60, hint: "") }
        if holder.sex == nil {
            report.add(.sex, "manquant : F ou M, comme à l'état civil")
        }
        if let birth = holder.birthDate {
            if !HolderDeclarationXML.isSchemaYear(birth.year) {
                report.add(.birthDate, "année \(birth.year) hors de la plage acceptée (1900 à 2099)")
            }
        } else {
            report.add(.birthDate, "manquante : renseignez la date de naissance (jour, mois, année)")
        }
        switch holder.birthPlace {
        case nil:
            report.add(
                .birthPlace,
                "manquant : code INSEE de la commune, code postal et commune, ou pays pour une naissance à l'étranger")
        case .inseeCode(let code, let communeName)?:
            let trimmed = HolderDeclarationXML.normalized(code) ?? ""
            if !CandidateIdentity.isValidINSEECode(trimmed) {
                report.add(
                    .birthPlace,
                    "code INSEE « \(code) » mal formé : 5 chiffres (2A ou 2B puis 3 chiffres pour la Corse)")
            }
            if communeName != nil {
                report.text(communeName, .birthCommuneName, max: 60, required: false, hint: "")
            }
        case .postalCode(let code, let communeName)?:
            let trimmed = HolderDeclarationXML.normalized(code) ?? ""
            if trimmed.count != 5 || !trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) {
                report.add(.birthPlace, "code postal « \(code) » mal formé : 5 chiffres")
            }
            report.text(
                communeName, .birthCommuneName, max: 60,
                hint: "le nom de la commune, un code postal en couvrant souvent plusieurs")
        case .abroad(let countryCode, let countryName, let cityName)?:
            let trimmed = HolderDeclarationXML.normalized(countryCode) ?? ""
            if trimmed.count != 3 || !trimmed.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                report.add(
                    .birthCountryCode,
                    "« \(countryCode) » mal formé : code ISO du pays en 3 lettres majuscules (BEL, MAR…)")
            } else if trimmed == "FRA" {
                report.add(
                    .birthCountryCode, "FRA n'est pas l'étranger : donnez le code INSEE ou le code postal de la commune"
                )
            }
            report.text(countryName, .birthCountryName, max: 60, hint: "le nom du pays de naissance")
            if cityName != nil {
                report.text(cityName, .birthCommuneName, max: 60, required: false, hint: "")
            }
        }
    }

    /// `NOM Prénom`, as far as known.
    static func holderName(_ holder: HolderIdentity) -> String? {
        let parts = [
            HolderDeclarationXML.normalized(holder.birthName),
            holder.firstNames.lazy.compactMap(HolderDeclarationXML.normalized).first,
        ]
        .compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}

/// Collects the problems of one header or passage.
private struct Report {
    let technicalID: String?
    let holderName: String?
    var problems: [HolderDeclarationProblem] = []

    mutating func add(_ field: HolderDeclarationField, _ message: String) {
        problems.append(
            HolderDeclarationProblem(
                technicalID: technicalID, holderName: holderName, field: field, message: message))
    }

    /// Checks a text value as the writer will write it; returns it when it is usable.
    @discardableResult
    mutating func text(
        _ raw: String?, _ field: HolderDeclarationField, exactly: Int? = nil, max: Int = .max,
        required: Bool = true, hint: String
    ) -> String? {
        guard let value = HolderDeclarationXML.normalized(raw) else {
            if required { add(field, "manquant : renseignez \(hint)") }
            // An optional value given blank is simply not written.
            return nil
        }
        if let scalar = HolderDeclarationXML.firstForbiddenScalar(value) {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: Swift.max(0, 4 - hex.count)) + hex
            add(field, "caractère interdit (\(code) : saut de ligne, tabulation ou caractère de contrôle) : retirez-le")
            return nil
        }
        let length = HolderDeclarationXML.length(value)
        if let exactly, length != exactly {
            add(field, "« \(value) » fait \(length) caractères, \(exactly) attendus : renseignez \(hint)")
            return nil
        }
        if length > max {
            add(field, "trop long : \(length) caractères, \(max) au plus")
            return nil
        }
        return value
    }

    mutating func date(_ date: CalendarDate, _ field: HolderDeclarationField) {
        if !HolderDeclarationXML.isSchemaYear(date.year) {
            add(field, "le \(date.french) est hors de la plage acceptée (années 1900 à 2099)")
        }
    }
}
