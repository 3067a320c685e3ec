import ValidaCore
import Yams

/// Builds a `Referential` from a composed YAML tree: the top level, the certification,
/// scales, rules and blocks (assessments are in `ReferentialReader+Assessments.swift`).
extension NodeReader {
    typealias K = ReferentialKeys

    mutating func referential(_ root: Node) -> Referential? {
        record("", value: root)
        guard let top = fields(root, at: "", keys: K.top, required: K.topRequired) else { return nil }
        if let node = top["format"], let format = string(node, at: "format"), format != K.formatTag {
            error(
                "unsupported-format", "format",
                "format « \(format) » non pris en charge : attendu « \(K.formatTag) »", at: node.mark)
        }
        return Referential(
            certification: top["certification"].map { certification($0, at: "certification") } ?? Certification(),
            version: top["version"].map { version($0, at: "version") } ?? ReferentialVersion(id: ""),
            scales: top["scales"].map { node in list(node, at: "scales").map { scale($0.node, at: $0.path) } } ?? [],
            rules: top["rules"].map { rules($0, at: "rules") } ?? ResultRules(),
            blocks: top["blocks"].map { node in list(node, at: "blocks").map { block($0.node, at: $0.path) } } ?? [],
            assessments: top["assessments"].map { node in
                list(node, at: "assessments").map { assessment($0.node, at: $0.path) }
            } ?? [],
            vae: top["vae"].map { vae($0, at: "vae") } ?? VAEPolicy()
        )
    }

    mutating func certification(_ node: Node, at path: String) -> Certification {
        guard let f = fields(node, at: path, keys: K.certification, required: []) else { return Certification() }
        return Certification(
            rncpCode: optionalString(f, "rncp-code"),
            title: optionalString(f, "title"),
            level: f["level"].flatMap { int($0, at: f.path("level")) },
            certifiers: f["certifiers"].map { node in
                list(node, at: f.path("certifiers")).map { item in
                    guard let c = fields(item.node, at: item.path, keys: K.certifier, required: ["name"]) else {
                        return Certifier(name: "")
                    }
                    return Certifier(name: requiredString(c, "name"), siret: optionalString(c, "siret"))
                }
            } ?? [],
            nsfCodes: f["nsf-codes"].map { strings($0, at: f.path("nsf-codes")) } ?? [],
            registrationDate: f["registration-date"].flatMap { date($0, at: f.path("registration-date")) },
            registrationEndDate: f["registration-end-date"].flatMap { date($0, at: f.path("registration-end-date")) },
            registrationKind: f["registration-kind"].flatMap {
                enumValue($0, at: f.path("registration-kind"), as: RegistrationKind.self)
            },
            awardDeadline: f["award-deadline"].flatMap { date($0, at: f.path("award-deadline")) },
            partialValidation: f["partial-validation"].flatMap { bool($0, at: f.path("partial-validation")) },
            accessRoutes: f["access-routes"].map { node in
                list(node, at: f.path("access-routes")).map { accessRoute($0.node, at: $0.path) }
            } ?? [],
            replaces: f["replaces"].map { strings($0, at: f.path("replaces")) } ?? [],
            replacedBy: f["replaced-by"].map { strings($0, at: f.path("replaced-by")) } ?? [],
            blockCorrespondences: f["block-correspondences"].map { node in
                list(node, at: f.path("block-correspondences")).map { blockCorrespondence($0.node, at: $0.path) }
            } ?? []
        )
    }

    /// A route whose name cannot be read stays in place (as individual application, the one
    /// no candidate uses), so that the paths of the next ones stay right.
    mutating func accessRoute(_ node: Node, at path: String) -> RegisteredAccessRoute {
        guard let f = fields(node, at: path, keys: K.accessRoute, required: ["route", "open"]) else {
            return RegisteredAccessRoute(route: .individualApplication, open: false)
        }
        return RegisteredAccessRoute(
            route: f["route"].flatMap { enumValue($0, at: f.path("route"), as: RegisteredAccessRoute.Route.self) }
                ?? .individualApplication,
            open: f["open"].flatMap { bool($0, at: f.path("open")) } ?? false,
            juryComposition: optionalString(f, "jury-composition"))
    }

    mutating func blockCorrespondence(_ node: Node, at path: String) -> BlockCorrespondence {
        guard let f = fields(node, at: path, keys: K.blockCorrespondence, required: K.blockCorrespondence) else {
            return BlockCorrespondence(block: "", otherCertification: "", otherBlock: "")
        }
        return BlockCorrespondence(
            block: requiredString(f, "block"),
            otherCertification: requiredString(f, "other-certification"),
            otherBlock: requiredString(f, "other-block"))
    }

    mutating func version(_ node: Node, at path: String) -> ReferentialVersion {
        guard let f = fields(node, at: path, keys: K.version, required: ["id"]) else {
            return ReferentialVersion(id: "")
        }
        return ReferentialVersion(
            id: requiredString(f, "id"),
            effectiveDate: f["effective-date"].flatMap { date($0, at: f.path("effective-date")) })
    }

    mutating func scale(_ node: Node, at path: String) -> Scale {
        let placeholder = Scale(id: "", label: "", kind: .levels([], metFrom: ""))
        guard let f = fields(node, at: path, keys: K.scale, required: ["id", "label"]) else { return placeholder }
        let id = requiredString(f, "id")
        let label = requiredString(f, "label")
        switch (f["levels"], f["mark"]) {
        case (let levelsNode?, nil):
            let levels = list(levelsNode, at: f.path("levels")).map { item -> Scale.Level in
                guard let l = fields(item.node, at: item.path, keys: K.level, required: ["id", "label"]) else {
                    return Scale.Level(id: "", label: "")
                }
                return Scale.Level(id: requiredString(l, "id"), label: requiredString(l, "label"))
            }
            if f["met-from"] == nil {
                error("missing-field", f.path("met-from"), "clé requise « met-from » absente", at: nil)
            }
            return Scale(id: id, label: label, kind: .levels(levels, metFrom: requiredString(f, "met-from")))
        case (nil, let markNode?):
            if let metFrom = f["met-from"] {
                error(
                    "conflicting-keys", f.path("met-from"),
                    "« met-from » ne s'emploie qu'avec « levels » ; une échelle notée dit « pass-mark »",
                    at: metFrom.mark)
            }
            guard let m = fields(markNode, at: f.path("mark"), keys: K.mark, required: K.mark) else {
                return Scale(id: id, label: label, kind: .mark(outOf: 20, passMark: 10))
            }
            let outOf = m["out-of"].flatMap { double($0, at: m.path("out-of")) } ?? 20
            let passMark = m["pass-mark"].flatMap { double($0, at: m.path("pass-mark")) } ?? outOf / 2
            return Scale(id: id, label: label, kind: .mark(outOf: outOf, passMark: passMark))
        case (_?, let markNode?):
            error(
                "conflicting-keys", f.path("mark"),
                "« levels » et « mark » s'excluent : une échelle a des niveaux ou une note", at: markNode.mark)
            return Scale(id: id, label: label, kind: .levels([], metFrom: ""))
        case (nil, nil):
            error("missing-field", f.path("levels"), "clé requise « levels » (ou « mark ») absente", at: nil)
            return Scale(id: id, label: label, kind: .levels([], metFrom: ""))
        }
    }

    mutating func rules(_ node: Node, at path: String) -> ResultRules {
        guard let f = fields(node, at: path, keys: K.rules, required: []) else { return ResultRules() }
        return ResultRules(
            competency: f["competency"].map { competencyRule($0, at: f.path("competency")) } ?? CompetencyRule(),
            block: f["block"].map { blockRule($0, at: f.path("block")) } ?? BlockRule())
    }

    mutating func competencyRule(_ node: Node, at path: String) -> CompetencyRule {
        guard let f = fields(node, at: path, keys: K.competencyRule, required: []) else { return CompetencyRule() }
        var rule = CompetencyRule()
        if let node = f["attempt"],
            let attempt = enumValue(node, at: f.path("attempt"), as: CompetencyRule.AttemptPolicy.self)
        {
            rule.attempt = attempt
        }
        if let node = f["threshold"], let threshold = threshold(node, at: f.path("threshold")) {
            rule.threshold = threshold
        }
        return rule
    }

    mutating func threshold(_ node: Node, at path: String) -> CompetencyRule.Threshold? {
        if case .mapping = node {
            guard let f = fields(node, at: path, keys: [K.atLeast], required: [K.atLeast]),
                let k = f[K.atLeast].flatMap({ int($0, at: f.path(K.atLeast)) })
            else { return nil }
            return .atLeast(k)
        }
        guard case .scalar = node else {
            wrongType(node, at: path, expected: "« all », « mean-mark » ou « {at-least: K} »")
            return nil
        }
        guard let text = string(node, at: path) else { return nil }
        switch text {
        case K.thresholdAll: return .allCriteria
        case K.thresholdMeanMark: return .meanMark
        default:
            invalidValue(
                text, at: path, allowed: [K.thresholdAll, K.thresholdMeanMark, "{at-least: K}"], mark: node.mark)
            return nil
        }
    }

    mutating func blockRule(_ node: Node, at path: String) -> BlockRule {
        guard let f = fields(node, at: path, keys: K.blockRule, required: []),
            let compensationNode = f["compensation"]
        else { return BlockRule() }
        let cPath = f.path("compensation")
        if case .scalar = compensationNode {
            if let text = string(compensationNode, at: cPath), text != K.compensationNone {
                invalidValue(
                    text, at: cPath, allowed: [K.compensationNone, "{threshold: N, floor: N}"],
                    mark: compensationNode.mark)
            }
            return BlockRule()
        }
        guard let c = fields(compensationNode, at: cPath, keys: K.compensation, required: K.compensation),
            let threshold = c["threshold"].flatMap({ double($0, at: c.path("threshold")) }),
            let floor = c["floor"].flatMap({ double($0, at: c.path("floor")) })
        else { return BlockRule() }
        return BlockRule(compensation: .init(threshold: threshold, floor: floor))
    }

    mutating func block(_ node: Node, at path: String) -> Block {
        guard let f = fields(node, at: path, keys: K.block, required: ["id", "title", "competencies"]) else {
            return Block(id: "", title: "")
        }
        return Block(
            id: requiredString(f, "id"),
            code: optionalString(f, "code"),
            title: requiredString(f, "title"),
            activities: f["activities"].map { node in
                list(node, at: f.path("activities")).map { activity($0.node, at: $0.path) }
            } ?? [],
            competencies: f["competencies"].map { node in
                list(node, at: f.path("competencies")).map { competency($0.node, at: $0.path) }
            } ?? [],
            rule: f["rule"].map { blockRule($0, at: f.path("rule")) })
    }

    mutating func activity(_ node: Node, at path: String) -> Activity {
        guard let f = fields(node, at: path, keys: K.activity, required: ["title"]) else { return Activity(title: "") }
        return Activity(
            id: optionalString(f, "id"),
            title: requiredString(f, "title"),
            tasks: f["tasks"].map { strings($0, at: f.path("tasks")) } ?? [])
    }

    mutating func competency(_ node: Node, at path: String) -> Competency {
        guard let f = fields(node, at: path, keys: K.competency, required: ["id", "text"]) else {
            return Competency(id: "", text: "")
        }
        return Competency(
            id: requiredString(f, "id"),
            text: requiredString(f, "text"),
            rule: f["rule"].map { competencyRule($0, at: f.path("rule")) })
    }
}
