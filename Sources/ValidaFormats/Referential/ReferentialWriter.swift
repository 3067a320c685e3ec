import ValidaCore
import Yams

extension ReferentialYAML {
    /// The canonical text of a référentiel: keys in the documented order, defaults left out
    /// (`scale` always written), texts with line breaks as literal blocks. The same value
    /// always gives the same bytes, and loading the text gives an equal value.
    public static func write(_ referential: Referential) -> String {
        let root = ReferentialWriter.referential(referential)
        // The tree holds only scalars, sequences and mappings with string keys, which the
        // emitter cannot fail on; an empty string would mean a bug, not bad input.
        return (try? Yams.serialize(node: root, indent: 2, width: ReferentialWriter.width, allowUnicode: true)) ?? ""
    }
}

/// Builds the `Node` tree of the canonical form.
enum ReferentialWriter {
    typealias K = ReferentialKeys

    /// Long French sentences fold at about 100 columns: readable in a terminal or a diff,
    /// and each text still starts on its key's line.
    static let width = 100

    /// A mapping of the entries that are set, in the given order.
    static func mapping(_ entries: [(String, Node?)]) -> Node {
        .mapping(Node.Mapping(entries.compactMap { key, value in value.map { (Node(key), $0) } }))
    }

    /// A text; quoted where it would otherwise read as a number, date or boolean, and a
    /// literal block where it has line breaks.
    static func text(_ value: String) -> Node {
        if value.contains("\n") {
            return .scalar(Node.Scalar(value, Tag(.str), .literal))
        }
        return .scalar(value.represented())
    }

    static func optionalText(_ value: String?) -> Node? { value.map { text($0) } }

    static func int(_ value: Int) -> Node { Node(String(value), Tag(.int)) }

    static func number(_ value: Double) -> Node {
        let integral = value == value.rounded() && abs(value) < 1e15
        return Node(integral ? String(Int(value)) : String(value), Tag(integral ? .int : .float))
    }

    static func flag(_ value: Bool) -> Node? { value ? Node("true", Tag(.bool)) : nil }

    /// A boolean written whatever its value: where `false` says something (a closed route).
    static func bool(_ value: Bool) -> Node { Node(value ? "true" : "false", Tag(.bool)) }

    static func list(_ nodes: [Node]) -> Node? { nodes.isEmpty ? nil : Node(nodes) }

    static func texts(_ values: [String]) -> Node? { list(values.map { text($0) }) }

    static func referential(_ r: Referential) -> Node {
        mapping([
            ("format", Node(K.formatTag)),
            ("certification", certification(r.certification)),
            (
                "version",
                mapping([("id", text(r.version.id)), ("effective-date", r.version.effectiveDate.map { Node($0.iso) })])
            ),
            ("scales", list(r.scales.map(scale))),
            ("rules", rules(r.rules)),
            ("blocks", Node(r.blocks.map(block))),
            ("assessments", Node(r.assessments.map(assessment))),
            ("vae", vae(r.vae)),
        ])
    }

    static func certification(_ c: Certification) -> Node {
        mapping([
            ("rncp-code", optionalText(c.rncpCode)),
            ("title", optionalText(c.title)),
            ("level", c.level.map(int)),
            (
                "certifiers",
                list(c.certifiers.map { mapping([("name", text($0.name)), ("siret", optionalText($0.siret))]) })
            ),
            ("nsf-codes", texts(c.nsfCodes)),
            ("registration-date", c.registrationDate.map { Node($0.iso) }),
            ("registration-end-date", c.registrationEndDate.map { Node($0.iso) }),
            ("registration-kind", c.registrationKind.map { Node($0.rawValue) }),
            ("award-deadline", c.awardDeadline.map { Node($0.iso) }),
            ("partial-validation", c.partialValidation.map(bool)),
            (
                "access-routes",
                list(
                    c.accessRoutes.map { r in
                        mapping([
                            ("route", Node(r.route.rawValue)), ("open", bool(r.open)),
                            ("jury-composition", optionalText(r.juryComposition)),
                        ])
                    })
            ),
            ("replaces", texts(c.replaces)),
            ("replaced-by", texts(c.replacedBy)),
            (
                "block-correspondences",
                list(
                    c.blockCorrespondences.map { b in
                        mapping([
                            ("block", text(b.block)), ("other-certification", text(b.otherCertification)),
                            ("other-block", text(b.otherBlock)),
                        ])
                    })
            ),
        ])
    }

    static func scale(_ s: Scale) -> Node {
        switch s.kind {
        case .levels(let levels, let metFrom):
            mapping([
                ("id", text(s.id)), ("label", text(s.label)),
                ("levels", Node(levels.map { mapping([("id", text($0.id)), ("label", text($0.label))]) })),
                ("met-from", text(metFrom)),
            ])
        case .mark(let outOf, let passMark):
            mapping([
                ("id", text(s.id)), ("label", text(s.label)),
                ("mark", mapping([("out-of", number(outOf)), ("pass-mark", number(passMark))])),
            ])
        }
    }

    static func rules(_ rules: ResultRules) -> Node? {
        guard rules != ResultRules() else { return nil }
        return mapping([
            ("competency", rules.competency == CompetencyRule() ? nil : competencyRule(rules.competency)),
            ("block", rules.block == BlockRule() ? nil : blockRule(rules.block)),
        ])
    }

    /// Both keys always: a rule written out is read as one, even when it says the default.
    static func competencyRule(_ rule: CompetencyRule) -> Node {
        let threshold: Node =
            switch rule.threshold {
            case .allCriteria: Node(K.thresholdAll)
            case .meanMark: Node(K.thresholdMeanMark)
            case .atLeast(let k): mapping([(K.atLeast, int(k))])
            }
        return mapping([("attempt", Node(rule.attempt.rawValue)), ("threshold", threshold)])
    }

    static func blockRule(_ rule: BlockRule) -> Node {
        guard let c = rule.compensation else { return mapping([("compensation", Node(K.compensationNone))]) }
        return mapping([("compensation", mapping([("threshold", number(c.threshold)), ("floor", number(c.floor))]))])
    }

    static func block(_ b: Block) -> Node {
        mapping([
            ("id", text(b.id)),
            ("code", optionalText(b.code)),
            ("title", text(b.title)),
            (
                "activities",
                list(
                    b.activities.map { a in
                        mapping([("id", optionalText(a.id)), ("title", text(a.title)), ("tasks", texts(a.tasks))])
                    })
            ),
            (
                "competencies",
                Node(
                    b.competencies.map { c in
                        mapping([("id", text(c.id)), ("text", text(c.text)), ("rule", c.rule.map(competencyRule))])
                    })
            ),
            ("rule", b.rule.map(blockRule)),
        ])
    }

    static func assessment(_ a: Assessment) -> Node {
        let work: Node? =
            switch a.work {
            case nil: nil
            case .individual: Node(K.workIndividual)
            case .team: Node(K.workTeam)
            }
        let teamSize: Node? =
            if case .team(let size?) = a.work {
                mapping([("min", int(size.min)), ("max", int(size.max))])
            } else { nil }
        return mapping([
            ("id", optionalText(a.id)),
            ("title", text(a.title)),
            ("kind", Node(a.kind.rawValue)),
            ("transversal", flag(a.transversal)),
            ("required", flag(a.required)),
            ("competencies", texts(a.competencies)),
            ("work", work),
            ("team-size", teamSize),
            ("deliverables", list(a.deliverables.map(deliverable))),
            ("expected-production", text(a.expectedProduction)),
            ("scale", text(a.scale)),
            ("criteria-title", optionalText(a.criteriaTitle)),
            (
                "criteria",
                list(
                    a.criteria.map { c in
                        mapping([("id", text(c.id)), ("text", text(c.text)), ("competencies", texts(c.competencies))])
                    })
            ),
            ("note", optionalText(a.note)),
        ])
    }

    static func deliverable(_ d: Deliverable) -> Node {
        mapping([
            ("mode", Node(d.mode.rawValue)),
            ("pages", d.pages.map { mapping([("min", int($0.lowerBound)), ("max", int($0.upperBound))]) }),
            ("duration-minutes", d.durationMinutes.map(int)),
        ])
    }

    static func vae(_ v: VAEPolicy) -> Node? {
        guard v != VAEPolicy() else { return nil }
        return mapping([
            ("whole-certification", flag(v.wholeCertification)),
            ("single-blocks", flag(v.singleBlocks)),
            ("whole-certification-text", optionalText(v.wholeCertificationText)),
            ("single-blocks-text", optionalText(v.singleBlocksText)),
        ])
    }
}
