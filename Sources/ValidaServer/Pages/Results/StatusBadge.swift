import Plot
import ValidaCore

/// A status shown as words, with a class for colour: colour is never the only cue.
enum StatusBadge {
    static func outcome<C: HTML.BodyContext>(_ status: OutcomeStatus, certification: Bool = false) -> Node<C> {
        .span(.class("status \(status.rawValue)"), .text(certification ? status.certificationLabel : status.label))
    }

    static func competency<C: HTML.BodyContext>(_ status: CompetencyStatus) -> Node<C> {
        .span(.class("status \(status.rawValue)"), .text(status.label))
    }

    static func grid<C: HTML.BodyContext>(_ status: GridStatus) -> Node<C> {
        .span(
            .class("status \(status == .submitted ? "validated" : "incomplete")"),
            .text(AssessmentText.gridStatus(status)))
    }
}
