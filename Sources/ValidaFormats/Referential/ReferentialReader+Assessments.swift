import ValidaCore
import Yams

/// Builds assessments, their deliverables and criteria, and the VAE policy.
extension NodeReader {
    mutating func assessment(_ node: Node, at path: String) -> Assessment {
        guard let f = fields(node, at: path, keys: K.assessment, required: K.assessmentRequired) else {
            return Assessment(id: "", title: "", kind: .professionalSituation, scale: "")
        }
        // An unreadable kind keeps a placeholder: the finding is already reported, and the
        // kind matters to no other check than the required thesis.
        let kind =
            f["kind"].flatMap { enumValue($0, at: f.path("kind"), as: AssessmentKind.self) } ?? .professionalSituation
        let transversal = f["transversal"].flatMap { bool($0, at: f.path("transversal")) } ?? false
        return Assessment(
            id: requiredString(f, "id"),
            title: requiredString(f, "title"),
            kind: kind,
            transversal: transversal,
            required: f["required"].flatMap { bool($0, at: f.path("required")) } ?? false,
            competencies: f["competencies"].map { strings($0, at: f.path("competencies")) } ?? [],
            work: work(f),
            deliverables: f["deliverables"].map { node in
                list(node, at: f.path("deliverables")).map { deliverable($0.node, at: $0.path) }
            } ?? [],
            expectedProduction: requiredString(f, "expected-production"),
            scale: requiredString(f, "scale"),
            criteriaTitle: optionalString(f, "criteria-title"),
            criteria: f["criteria"].map { node in
                list(node, at: f.path("criteria")).map { criterion($0.node, at: $0.path) }
            } ?? [],
            note: optionalString(f, "note"))
    }

    /// `work` and `team-size` together: the model holds a size only for team work.
    mutating func work(_ f: Fields) -> WorkMode? {
        let size = f["team-size"].flatMap { range($0, at: f.path("team-size")) }.map {
            TeamSize(min: $0.min, max: $0.max)
        }
        guard let node = f["work"], let text = string(node, at: f.path("work")) else {
            if let sizeNode = f["team-size"] {
                error(
                    "team-size-without-team-work", f.path("team-size"), "« team-size » demande « work: team »",
                    at: sizeNode.mark)
            }
            return nil
        }
        switch text {
        case K.workIndividual:
            if let sizeNode = f["team-size"] {
                error(
                    "team-size-without-team-work", f.path("team-size"),
                    "« team-size » demande « work: team », or l'épreuve est individuelle", at: sizeNode.mark)
            }
            return .individual
        case K.workTeam:
            return .team(size: size)
        default:
            invalidValue(text, at: f.path("work"), allowed: [K.workIndividual, K.workTeam], mark: node.mark)
            return nil
        }
    }

    /// A deliverable whose mode cannot be read stays in place as a written one, so that the
    /// paths of the next ones stay right; the finding is already reported.
    mutating func deliverable(_ node: Node, at path: String) -> Deliverable {
        guard let f = fields(node, at: path, keys: K.deliverable, required: ["mode"]) else {
            return Deliverable(mode: .written)
        }
        return Deliverable(
            mode: f["mode"].flatMap { enumValue($0, at: f.path("mode"), as: Deliverable.Mode.self) } ?? .written,
            pages: f["pages"].flatMap { range($0, at: f.path("pages")) }.map { $0.min...$0.max },
            durationMinutes: f["duration-minutes"].flatMap { int($0, at: f.path("duration-minutes")) })
    }

    mutating func criterion(_ node: Node, at path: String) -> Criterion {
        guard let f = fields(node, at: path, keys: K.criterion, required: ["id", "text"]) else {
            return Criterion(id: "", text: "")
        }
        return Criterion(
            id: requiredString(f, "id"),
            text: requiredString(f, "text"),
            competencies: f["competencies"].map { strings($0, at: f.path("competencies")) } ?? [])
    }

    mutating func vae(_ node: Node, at path: String) -> VAEPolicy {
        guard let f = fields(node, at: path, keys: K.vae, required: []) else { return VAEPolicy() }
        return VAEPolicy(
            wholeCertification: f["whole-certification"].flatMap { bool($0, at: f.path("whole-certification")) }
                ?? false,
            singleBlocks: f["single-blocks"].flatMap { bool($0, at: f.path("single-blocks")) } ?? false,
            wholeCertificationText: optionalString(f, "whole-certification-text"),
            singleBlocksText: optionalString(f, "single-blocks-text"))
    }
}
