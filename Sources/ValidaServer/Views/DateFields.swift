import Plot
import ValidaCore

/// A date typed into a form's field (JJ/MM/AAAA), read once for every form so that each says
/// the same thing: missing, not a date, or a day the calendar does not have (« 31/02/2026 »).
enum DateFields {
    static func day(_ text: String?, field: String, label: String, into errors: inout [String: String]) -> CalendarDate?
    {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors[field] = "Indiquez la date de \(label) (JJ/MM/AAAA)."
            return nil
        }
        if let date = CalendarDate(french: trimmed) { return date }
        if case .failure(.nonexistent(_, let why)) = DateInput.parse(trimmed) {
            errors[field] = "La date de \(label) « \(trimmed) » n'existe pas : \(why)."
        } else {
            errors[field] = "La date de \(label) « \(trimmed) » n'est pas une date valide au format JJ/MM/AAAA."
        }
        return nil
    }
}

extension Form {
    /// A day typed in the browser's own date picker (`type=date`): it sends AAAA-MM-JJ, which
    /// the operations read as they read JJ/MM/AAAA, so a browser without the picker, where
    /// the field is a text box, still works. A value typed JJ/MM/AAAA is shown back as the
    /// picker reads it; one that is no date is shown as typed, beside its error.
    static func dateField(
        _ name: String, _ label: String, _ state: State, required: Bool = false, hint: String? = nil
    ) -> Node<HTML.FormContext> {
        var shown = state
        let typed = state.value(name).trimmingCharacters(in: .whitespacesAndNewlines)
        if let day = CalendarDate(french: typed) { shown.values[name] = day.iso }
        return field(name, label, shown, type: "date", required: required, hint: hint)
    }
}
