import Foundation

/// What `ReferentialCheck` found in a référentiel: its problems and its coverage.
public struct CheckReport: Sendable, Hashable, Codable {
    public var findings: [Finding]
    public var coverage: CoverageMatrix

    public init(findings: [Finding], coverage: CoverageMatrix) {
        self.findings = findings
        self.coverage = coverage
    }

    public var errorCount: Int { findings.count { $0.severity == .error } }
    public var warningCount: Int { findings.count { $0.severity == .warning } }
}

/// The semantic check of a référentiel: what a well-typed value can still get wrong.
///
/// Errors make the référentiel unusable for results (duplicates, dangling references,
/// impossible rules); warnings point at what is probably incomplete (a competency nobody
/// assesses, an unset RNCP code). Messages are in French, paths use the file's keys.
public enum ReferentialCheck {
    public static func run(_ referential: Referential) -> CheckReport {
        var checker = Checker(referential)
        checker.checkCertification()
        checker.checkScales()
        checker.checkRules()
        checker.checkBlocks()
        checker.checkAssessments()
        checker.checkRuleFeasibility()
        checker.checkCoverage()
        return CheckReport(findings: checker.findings, coverage: CoverageMatrix(referential))
    }
}

/// Walks a référentiel once per concern, collecting findings in document order per concern.
struct Checker {
    let referential: Referential
    var findings: [Finding] = []
    /// Where each competency id is first declared.
    var competencyPaths: [String: String] = [:]

    init(_ referential: Referential) {
        self.referential = referential
        for (b, block) in referential.blocks.enumerated() {
            for (c, competency) in block.competencies.enumerated()
            where !competency.id.isEmpty && competencyPaths[competency.id] == nil {
                competencyPaths[competency.id] = "blocks[\(b)].competencies[\(c)].id"
            }
        }
    }

    mutating func error(_ code: String, _ path: String, _ message: String) {
        findings.append(Finding(severity: .error, code: code, path: path, message: message))
    }

    mutating func warning(_ code: String, _ path: String, _ message: String) {
        findings.append(Finding(severity: .warning, code: code, path: path, message: message))
    }

    /// Reports an empty required text; returns whether it was filled.
    @discardableResult
    mutating func required(_ value: String, _ path: String, key: String) -> Bool {
        guard value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return true }
        error("missing-field", path, "champ requis « \(key) » vide")
        return false
    }

    /// Reports ids seen twice, pointing at the first use; empty ids are left to `required`.
    mutating func duplicates(_ items: [(id: String, path: String)], seen: inout [String: String]) {
        for item in items where !item.id.isEmpty {
            if let first = seen[item.id] {
                error("duplicate-id", item.path, "identifiant en double « \(item.id) » (déjà utilisé par \(first))")
            } else {
                seen[item.id] = item.path
            }
        }
    }

    // MARK: Certification and version

    mutating func checkCertification() {
        let certification = referential.certification
        if let code = certification.rncpCode, !code.isEmpty {
            if !Certification.isValidRNCPCode(code) {
                error(
                    "malformed-rncp-code", "certification.rncp-code",
                    "code RNCP « \(code) » mal formé : attendu « RNCP » suivi de 1 à 6 chiffres, par exemple RNCP38576")
            }
        } else {
            warning("unset-rncp-code", "certification.rncp-code", "code RNCP non renseigné")
        }
        if (certification.title ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            warning("unset-title", "certification.title", "intitulé de la certification non renseigné")
        }
        if let level = certification.level {
            if !(1...8).contains(level) {
                error("level-out-of-range", "certification.level", "niveau \(level) hors de l'intervalle 1 à 8")
            }
        } else {
            warning("unset-level", "certification.level", "niveau de la certification non renseigné")
        }
        if certification.certifiers.isEmpty {
            warning("unset-certifier", "certification.certifiers", "certificateur non renseigné")
        }
        for (i, certifier) in certification.certifiers.enumerated() {
            required(certifier.name, "certification.certifiers[\(i)].name", key: "name")
            if let siret = certifier.siret, !(siret.count == 14 && siret.allSatisfy(\.isASCIIDigit)) {
                error(
                    "malformed-siret", "certification.certifiers[\(i)].siret",
                    "SIRET « \(siret) » mal formé : attendu 14 chiffres")
            }
        }
        if let start = certification.registrationDate, let end = certification.registrationEndDate, end < start {
            error(
                "dates-out-of-order", "certification.registration-end-date",
                "la fin d'enregistrement (\(end.french)) précède la date d'enregistrement (\(start.french))")
        }
        required(referential.version.id, "version.id", key: "id")
    }

    // MARK: Scales

    mutating func checkScales() {
        var seen: [String: String] = [:]
        let builtIn = Set(Scale.builtIn.map(\.id))
        for (s, scale) in referential.scales.enumerated() {
            let path = "scales[\(s)]"
            required(scale.id, "\(path).id", key: "id")
            required(scale.label, "\(path).label", key: "label")
            if builtIn.contains(scale.id) {
                error(
                    "duplicate-id", "\(path).id",
                    "identifiant en double « \(scale.id) » : c'est déjà celui d'une échelle intégrée")
            } else {
                duplicates([(scale.id, "\(path).id")], seen: &seen)
            }
            switch scale.kind {
            case .levels(let levels, let metFrom):
                if levels.isEmpty {
                    error("empty-scale", "\(path).levels", "l'échelle « \(scale.id) » n'a aucun niveau")
                }
                var seenLevels: [String: String] = [:]
                for (l, level) in levels.enumerated() {
                    required(level.id, "\(path).levels[\(l)].id", key: "id")
                    required(level.label, "\(path).levels[\(l)].label", key: "label")
                }
                duplicates(levels.enumerated().map { ($1.id, "\(path).levels[\($0)].id") }, seen: &seenLevels)
                if !levels.isEmpty, !metFrom.isEmpty, !levels.contains(where: { $0.id == metFrom }) {
                    error(
                        "unknown-level", "\(path).met-from",
                        "« \(metFrom) » n'est pas un niveau de l'échelle (niveaux : \(levels.map(\.id).joined(separator: ", ")))"
                    )
                } else if metFrom.isEmpty {
                    required(metFrom, "\(path).met-from", key: "met-from")
                }
            case .mark(let outOf, let passMark):
                if !(outOf > 0) {
                    error(
                        "invalid-mark-scale", "\(path).mark.out-of",
                        "note maximale \(Self.number(outOf)) invalide : elle doit être positive")
                } else if !(0...outOf).contains(passMark) {
                    error(
                        "pass-mark-out-of-range", "\(path).mark.pass-mark",
                        "note de passage \(Self.number(passMark)) hors de l'intervalle 0 à \(Self.number(outOf))")
                }
            }
        }
    }

    // MARK: Rules

    mutating func checkRules() {
        checkRule(referential.rules.competency, at: "rules.competency")
        checkRule(referential.rules.block, at: "rules.block")
    }

    mutating func checkRule(_ rule: CompetencyRule, at path: String) {
        if case .atLeast(let k) = rule.threshold, k < 1 {
            error(
                "at-least-out-of-range", "\(path).threshold.at-least",
                "« at-least \(k) » : il faut au moins 1 critère satisfait")
        }
    }

    mutating func checkRule(_ rule: BlockRule, at path: String) {
        guard let compensation = rule.compensation else { return }
        for (key, value) in [("threshold", compensation.threshold), ("floor", compensation.floor)]
        where !(0...20).contains(value) {
            error(
                "compensation-out-of-range", "\(path).compensation.\(key)",
                "\(key) \(Self.number(value)) hors de l'intervalle 0 à 20 (les scores sont sur 20)")
        }
    }

    /// `12`, not `12.0`; `12.5` as is.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
