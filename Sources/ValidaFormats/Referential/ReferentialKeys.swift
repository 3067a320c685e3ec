/// The keys of each mapping of the format, in canonical order: the reader accepts exactly
/// these, the writer emits them in this order (docs/referential-format.md).
enum ReferentialKeys {
    static let formatTag = "valida-referential/1"

    static let top = ["format", "certification", "version", "scales", "rules", "blocks", "assessments", "vae"]
    static let topRequired = ["format", "certification", "version", "blocks", "assessments"]
    static let certification = [
        "rncp-code", "title", "level", "certifiers", "nsf-codes",
        "registration-date", "registration-end-date", "registration-kind", "award-deadline",
        "partial-validation", "access-routes", "replaces", "replaced-by",
        "block-correspondences",
    ]
    static let certifier = ["name", "siret"]
    static let accessRoute = ["route", "open", "jury-composition"]
    static let blockCorrespondence = ["block", "other-certification", "other-block"]
    static let version = ["id", "effective-date"]
    static let scale = ["id", "label", "levels", "met-from", "mark"]
    static let level = ["id", "label"]
    static let mark = ["out-of", "pass-mark"]
    static let rules = ["competency", "block"]
    static let competencyRule = ["attempt", "threshold"]
    static let blockRule = ["compensation"]
    static let compensation = ["threshold", "floor"]
    static let atLeast = "at-least"
    static let block = ["id", "code", "title", "activities", "competencies", "rule"]
    static let activity = ["id", "title", "tasks"]
    static let competency = ["id", "text", "rule"]
    static let assessment = [
        "id", "title", "kind", "transversal", "required", "competencies", "work", "team-size",
        "deliverables", "expected-production", "scale", "criteria-title", "criteria", "note",
    ]
    static let assessmentRequired = ["id", "title", "kind", "expected-production", "scale"]
    static let deliverable = ["mode", "pages", "duration-minutes"]
    static let criterion = ["id", "text", "competencies"]
    static let vae = ["whole-certification", "single-blocks", "whole-certification-text", "single-blocks-text"]

    /// `threshold:` as a scalar.
    static let thresholdAll = "all"
    static let thresholdMeanMark = "mean-mark"
    /// `compensation: none` in a block's own rule: this block is not compensated even when
    /// the référentiel's default is.
    static let compensationNone = "none"
    static let workIndividual = "individual"
    static let workTeam = "team"
}
