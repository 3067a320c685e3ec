import Foundation
import ValidaCore

/// Turns one fiche as read from the export into a référentiel, collecting every doubt and
/// every gap on the way.
struct RNCPReferentialBuilder {
    let record: RNCPFicheRecord
    let file: String
    var doubts: [RNCPImportDoubt] = []
    var notes: [String] = []

    init(record: RNCPFicheRecord, file: String) {
        self.record = record
        self.file = file
    }

    /// The export's access routes, by the suffix of their `SI_JURY_…` element, in the order
    /// Valida writes them.
    static let routes: [(element: String, route: RegisteredAccessRoute.Route)] = [
        ("SI_JURY_FI", .initialTraining), ("SI_JURY_CA", .apprenticeship), ("SI_JURY_CQ", .professionalizationContract),
        ("SI_JURY_FC", .continuingEducation), ("SI_JURY_CL", .individualApplication), ("SI_JURY_VAE", .vae),
    ]

    mutating func build() -> (Referential, [CorrespondenceTable]) {
        let certification = certification()
        let version = ReferentialVersion(
            id: record.code, effectiveDate: date("DATE_EFFET", quiet: true) ?? certification.registrationDate)
        var blocks: [Block] = []
        var assessments: [Assessment] = []
        var competencyIDs = Set<String>()
        for (index, group) in (record.groups["BLOC_COMPETENCES"] ?? []).enumerated() {
            let (block, assessment) = block(
                group, index: index, takenBlocks: Set(blocks.map(\.id)), competencyIDs: &competencyIDs)
            blocks.append(block)
            assessments.append(assessment)
        }
        if blocks.isEmpty {
            notes.append("La fiche ne publie aucun bloc de compétences : blocs, compétences et épreuves sont à saisir.")
        }
        let vaeOpen = certification.accessRoutes.contains { $0.route == .vae && $0.open }
        let vae = VAEPolicy(
            wholeCertification: vaeOpen, singleBlocks: vaeOpen && certification.partialValidation == true)
        notes.insert(
            "Les critères d'évaluation ne figurent pas dans l'export RNCP : chaque bloc reçoit une épreuve brouillon "
                + "(E-BC01 …) qui reprend ses modalités d'évaluation, sans critère ; valida check les signale "
                + "(assessment-without-criteria), ainsi que le mode de travail (work-mode-unset) et les livrables "
                + "(assessment-without-deliverable) à préciser.", at: 0)
        let referential = Referential(
            certification: certification, version: version, blocks: blocks, assessments: assessments, vae: vae)
        return (referential, correspondenceTables(certification, blocks: blocks))
    }

    // MARK: Certification

    mutating func certification() -> Certification {
        var c = Certification(rncpCode: record.code)
        c.title = text("INTITULE")
        if c.title == nil { notes.append("La fiche n'a pas d'intitulé (INTITULE) : il est à saisir.") }
        c.level = level()
        for group in record.groups["CERTIFICATEUR"] ?? [] {
            guard let name = Self.trimmed(group["NOM_CERTIFICATEUR"]) else {
                notes.append("Ligne \(group.line) : un certificateur sans nom (NOM_CERTIFICATEUR) est ignoré.")
                continue
            }
            if let state = Self.trimmed(group["ETAT_CERTIFICATEUR"]), state.lowercased() != "actif" {
                notes.append("Certificateur « \(name) » ignoré : son état dans l'export est « \(state) ».")
                continue
            }
            var siret = Self.trimmed(group["SIRET_CERTIFICATEUR"])?.filter { !$0.isWhitespace }
            if let value = siret, !(value.count == 14 && value.allSatisfy(\.isNumber)) {
                notes.append(
                    "Certificateur « \(name) » : SIRET « \(value) » mal formé (14 chiffres attendus), non repris.")
                siret = nil
            }
            c.certifiers.append(Certifier(name: name, siret: siret))
        }
        c.nsfCodes = (record.groups["NSF"] ?? []).compactMap { Self.trimmed($0["CODE"]) }
        c.registrationDate = date("DATE_DECISION", quiet: true)
        c.registrationEndDate = date("DATE_FIN_ENREGISTREMENT", quiet: false)
        c.awardDeadline = date("DATE_LIMITE_DELIVRANCE", quiet: true)
        c.registrationKind = registrationKind()
        if let value = text("VALIDATION_PARTIELLE") {
            c.partialValidation = boolean(value, element: "VALIDATION_PARTIELLE")
        } else {
            notes.append(
                "L'export n'indique pas si la certification s'acquiert par blocs (validation partielle) : à préciser.")
        }
        c.accessRoutes = accessRoutes()
        c.replaces = (record.groups["ANCIENNE_CERTIFICATION"] ?? []).compactMap {
            Self.trimmed($0["ID_FICHE_ANCIENNE_CERTIFICATION"]).map(RNCPImport.normalizedCode)
        }
        c.replacedBy = (record.groups["NOUVELLE_CERTIFICATION"] ?? []).compactMap {
            Self.trimmed($0["ID_FICHE_NOUVELLE_CERTIFICATION"]).map(RNCPImport.normalizedCode)
        }
        c.blockCorrespondences = blockCorrespondences()
        return c
    }

    /// `NIV7`, else the label `Niveau 7`.
    mutating func level() -> Int? {
        for key in ["NOMENCLATURE_EUROPE/NIVEAU", "NOMENCLATURE_EUROPE/LIBELLE"] {
            guard let value = text(key) else { continue }
            let digits = value.filter(\.isNumber)
            if let level = Int(digits), (1...8).contains(level) { return level }
        }
        let shown = text("NOMENCLATURE_EUROPE/NIVEAU").map { " (« \($0) »)" } ?? ""
        notes.append("Niveau de la certification absent ou illisible\(shown) : il est à saisir.")
        return nil
    }

    mutating func registrationKind() -> RegistrationKind? {
        guard let value = text("TYPE_ENREGISTREMENT") else { return nil }
        let folded = value.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if folded.contains("droit") { return .byRight }
        if folded.contains("demande") { return .onApplication }
        notes.append("Type d'enregistrement « \(value) » inconnu : non repris.")
        return nil
    }

    mutating func accessRoutes() -> [RegisteredAccessRoute] {
        var routes: [RegisteredAccessRoute] = []
        for (element, route) in Self.routes {
            guard let group = record.groups[element]?.first else { continue }
            let open = group["ACTIF"].flatMap { boolean($0, element: "\(element)/ACTIF") } ?? false
            routes.append(
                RegisteredAccessRoute(route: route, open: open, juryComposition: Self.trimmed(group["COMPOSITION"])))
        }
        let known = Set(Self.routes.map(\.element))
        for element in record.groups.keys.sorted() where element.hasPrefix("SI_JURY_") && !known.contains(element) {
            notes.append("Voie d'accès inconnue \(element) : non reprise.")
        }
        return routes
    }

    mutating func blockCorrespondences() -> [BlockCorrespondence] {
        var result: [BlockCorrespondence] = []
        for group in record.groups["CORRESPONDANCE"] ?? [] {
            guard let block = Self.trimmed(group["SOURCE/BLOC_COMPETENCES/CODE"]),
                let other = Self.trimmed(group["DESTINATION/BLOC_COMPETENCES/CODE"])
            else {
                notes.append("Ligne \(group.line) : correspondance sans bloc source ou destination, ignorée.")
                continue
            }
            let fiche =
                Self.trimmed(group["DESTINATION/NUMERO_FICHE"]).map(RNCPImport.normalizedCode)
                ?? other.components(separatedBy: "BC").first ?? other
            result.append(BlockCorrespondence(block: block, otherCertification: fiche, otherBlock: other))
        }
        return result
    }

    /// One table per other certification: its blocks count as this one's.
    func correspondenceTables(_ c: Certification, blocks: [Block]) -> [CorrespondenceTable] {
        let idByCode = Dictionary(blocks.compactMap { b in b.code.map { ($0, b.id) } }, uniquingKeysWith: { a, _ in a })
        var tables: [CorrespondenceTable] = []
        for other in c.blockCorrespondences.map(\.otherCertification).uniqued() {
            var entries: [CorrespondenceTable.Entry] = []
            for item in c.blockCorrespondences where item.otherCertification == other {
                guard let to = idByCode[item.block] else { continue }
                let from = Self.blockID(fromCode: item.otherBlock) ?? item.otherBlock
                if let i = entries.firstIndex(where: { $0.from == from }) {
                    if !entries[i].to.contains(to) { entries[i].to.append(to) }
                } else {
                    entries.append(.init(from: from, to: [to]))
                }
            }
            if !entries.isEmpty {
                tables.append(CorrespondenceTable(fromVersion: other, toVersion: record.code, entries: entries))
            }
        }
        return tables
    }

    // MARK: Blocks

    mutating func block(
        _ group: RNCPFicheRecord.Group, index: Int, takenBlocks: Set<String>, competencyIDs: inout Set<String>
    ) -> (Block, Assessment) {
        let code = Self.trimmed(group["CODE"])
        var id = code.flatMap(Self.blockID(fromCode:)) ?? String(format: "BC%02d", index + 1)
        if code == nil {
            notes.append(
                "Ligne \(group.line) : le bloc n° \(index + 1) n'a pas de code (CODE) ; identifiant \(id) attribué.")
        }
        if takenBlocks.contains(id) { id += "-\(index + 1)" }
        let name = code ?? "n° \(index + 1) (sans code)"
        let title = Self.trimmed(group["LIBELLE"]) ?? ""
        if title.isEmpty { notes.append("Le bloc \(name) n'a pas d'intitulé (LIBELLE) : il est à saisir.") }
        let number = Int(id.dropFirst(2).prefix(while: \.isNumber)) ?? index + 1

        let split = CompetencyListSplitter.split(group["LISTE_COMPETENCES"] ?? "")
        var competencies: [Competency] = []
        for (k, item) in split.items.enumerated() {
            var competencyID = item.label ?? "C\(number).\(k + 1)"
            if competencyIDs.contains(competencyID) {
                let renamed = "\(id)-\(item.label ?? "C\(k + 1)")"
                doubts.append(
                    RNCPImportDoubt(
                        block: name, field: "LISTE_COMPETENCES", kind: .renamedID, text: item.text,
                        reason: "numéro « \(competencyID) » déjà employé dans la fiche : renommé « \(renamed) »",
                        competency: renamed))
                competencyID = renamed
            }
            competencyIDs.insert(competencyID)
            competencies.append(Competency(id: competencyID, text: item.text))
        }
        for doubt in split.doubts {
            let owner = competencies.first { $0.text.contains(doubt.text) && !doubt.text.isEmpty }?.id
            doubts.append(
                RNCPImportDoubt(
                    block: name, field: "LISTE_COMPETENCES", kind: doubt.kind, text: doubt.text, reason: doubt.reason,
                    competency: owner))
        }
        let block = Block(id: id, code: code, title: title, competencies: competencies)
        return (block, draftAssessment(group, block: block, name: name))
    }

    /// The registered modalities of a block, as an assessment the certifier completes.
    mutating func draftAssessment(_ group: RNCPFicheRecord.Group, block: Block, name: String) -> Assessment {
        let modalities = Self.trimmed(group["MODALITES_EVALUATION"]) ?? ""
        let id = "E-\(block.id)"
        let (kind, clue) = Self.kind(of: modalities)
        var note =
            "Brouillon importé de l'export RNCP (\(name)) : le texte reprend les modalités d'évaluation publiées. "
        if let clue {
            note += "Type d'épreuve déduit de « \(clue) » dans ce texte, à confirmer."
        } else {
            note += "Aucun type d'épreuve reconnu dans ce texte : « \(kind.label) » par défaut, à corriger."
            notes.append(
                "\(id) : aucun type d'épreuve reconnu dans les modalités du bloc \(name) ; « \(kind.label) » par défaut."
            )
        }
        note += " Critères, livrables et mode de travail à compléter ; l'épreuve peut être scindée en plusieurs."
        if modalities.isEmpty {
            notes.append(
                "Le bloc \(name) ne publie pas de modalités d'évaluation (MODALITES_EVALUATION) : l'épreuve \(id) est à décrire."
            )
        }
        return Assessment(
            id: id, title: "Modalités d'évaluation du bloc \(block.id) (brouillon)", kind: kind,
            competencies: block.competencies.map(\.id), expectedProduction: modalities, scale: Scale.binary.id,
            note: note)
    }

    /// The kind whose wording comes first in the modalities, and that wording.
    static func kind(of text: String) -> (AssessmentKind, String?) {
        // Folding keeps one character per character, so offsets carry over to `text`.
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        let clues: [(String, AssessmentKind)] = [
            ("mise en situation", .professionalSituation), ("mises en situation", .professionalSituation),
            ("situation professionnelle", .professionalSituation), ("etude de cas", .caseStudy),
            ("etudes de cas", .caseStudy), ("cas pratique", .practicalCase), ("cas de synthese", .capstoneCase),
            ("these professionnelle", .thesis), ("soutenance", .defense),
        ]
        let first = clues.compactMap { clue, kind in
            folded.range(of: clue).map { (folded.distance(from: folded.startIndex, to: $0.lowerBound), clue, kind) }
        }.min { $0.0 < $1.0 }
        guard let (offset, clue, kind) = first, offset < text.count else { return (.professionalSituation, nil) }
        let start = text.index(text.startIndex, offsetBy: offset)
        return (kind, String(text[start...].prefix(clue.count)))
    }

    /// `RNCP34762BC05` → `BC05`.
    static func blockID(fromCode code: String) -> String? {
        guard let range = code.range(of: "BC", options: .backwards) else { return nil }
        let number = code[range.upperBound...]
        guard !number.isEmpty, number.allSatisfy(\.isNumber) else { return nil }
        return "BC" + number
    }

    // MARK: Values

    func text(_ key: String) -> String? { Self.trimmed(record.fields[key]) }

    static func trimmed(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// A `DD/MM/YYYY` date; an unreadable one is noted, an absent one only unless `quiet`.
    mutating func date(_ key: String, quiet: Bool) -> CalendarDate? {
        guard let value = text(key) else {
            if !quiet { notes.append("Date \(key) absente de la fiche.") }
            return nil
        }
        guard let date = CalendarDate(french: value) else {
            notes.append("Date \(key) « \(value) » illisible (JJ/MM/AAAA attendu) : non reprise.")
            return nil
        }
        return date
    }

    mutating func boolean(_ value: String, element: String) -> Bool? {
        switch value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
        case "oui": return true
        case "non": return false
        default:
            notes.append("\(element) « \(value) » : « Oui » ou « Non » attendu, non repris.")
            return nil
        }
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
