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
