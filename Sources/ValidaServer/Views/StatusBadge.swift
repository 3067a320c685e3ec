import Plot
import ValidaCore

/// A status shown as words, with a class for colour: colour is never the only cue. Every
/// page shows a status through here, so that one status reads and looks the same everywhere.
enum StatusBadge {
    /// The stylesheet's colours: done, refused, waiting.
    enum Tone: String {
        case validated
        case notValidated = "not-validated"
        case incomplete
    }

    static func badge<C: HTML.BodyContext>(_ label: String, _ tone: Tone) -> Node<C> {
        span(label, tone.rawValue)
    }

    static func outcome<C: HTML.BodyContext>(_ status: OutcomeStatus, certification: Bool = false) -> Node<C> {
        span(certification ? status.certificationLabel : status.label, status.rawValue)
    }

    static func competency<C: HTML.BodyContext>(_ status: CompetencyStatus) -> Node<C> {
        span(status.label, status.rawValue)
    }

    /// A jury's decision, or its absence while the jury has not decided.
    static func decision<C: HTML.BodyContext>(_ outcome: DecisionOutcome?) -> Node<C> {
        outcome.map { span($0.label, $0.rawValue) } ?? badge("Sans décision", .incomplete)
    }

    static func grid<C: HTML.BodyContext>(_ status: GridStatus) -> Node<C> {
        badge(AssessmentText.gridStatus(status), status == .submitted ? .validated : .incomplete)
    }

    static func deliberation<C: HTML.BodyContext>(_ status: DeliberationStatus) -> Node<C> {
        badge(status.label, status == .closed ? .validated : .incomplete)
    }

    static func document<C: HTML.BodyContext>(_ status: DocumentStatus) -> Node<C> {
        badge(status.label, status == .valid ? .validated : .notValidated)
    }

    static func vaeRequest<C: HTML.BodyContext>(_ status: VAEStatus) -> Node<C> {
        span(status.label, status.rawValue)
    }

    private static func span<C: HTML.BodyContext>(_ label: String, _ className: String) -> Node<C> {
        .span(.class("status \(className)"), .text(label))
    }
}
