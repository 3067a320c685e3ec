import Foundation
import ValidaCore

/// The grid form's fields and their reading. A criterion's value is `c-<criterion>` (a
/// member's own, `m-<member>-<criterion>`), as `GridEditing` names them; its comment adds
/// `-comment`. Fields are looked up by the names built from the référentiel, never parsed
/// back from names, so a criterion id may contain any character.
enum GridForm {
    static let revision = "revision"
    static let action = "action"
    static let submitAction = "submit"
    static let draftAction = "draft"

    static func comment(_ field: String) -> String { "\(field)-comment" }

    /// What a rating value is in the form: a level's index, or a mark with a point.
    static func raw(_ value: RatingValue) -> String {
        switch value {
        case .level(let index): String(index)
        case .mark(let mark): mark == mark.rounded() ? String(Int(mark)) : String(mark)
        }
    }

    /// Stored ratings as the form's values.
    static func values(_ ratings: [DBRating]) -> [String: String] {
        var values: [String: String] = [:]
        for rating in ratings {
            let field = GridEditing.field(rating.criterionID, member: rating.$member.id)
            if let value = GridEditing.value(of: rating) { values[field] = raw(value) }
            if let note = rating.comment { values[comment(field)] = note }
        }
        return values
    }

    struct Parsed: Sendable {
        var submission: GridEditing.Submission
        /// The values as typed, to show the form again.
        var values: [String: String]
        /// Fields that could not be read, by field name.
        var errors: [String: String]
    }

    /// Reads a posted grid form: an empty value is "not rated" (for a member, "the team's
    /// rating"), a level is its index, a mark takes a comma or a point. What cannot be read
    /// is a field error; whether a value is on the scale is `GridEditing`'s to say.
    static func parse(_ fields: [String: String], assessment: Assessment, scale: Scale, members: [UUID]) -> Parsed {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        let base = Int(fields[revision]?.trimmingCharacters(in: .whitespaces) ?? "")
        if base == nil {
            errors["grid"] = "La version de la grille manque au formulaire : rechargez la page et recommencez."
        }
        func entries(member: UUID?) -> [String: GridEditing.Entry] {
            var entries: [String: GridEditing.Entry] = [:]
            for criterion in assessment.criteria {
                let name = GridEditing.field(criterion.id, member: member)
                let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
                let note = (fields[comment(name)] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                values[name] = text
                values[comment(name)] = note
                var value: RatingValue?
                if !text.isEmpty {
                    if scale.isMark {
                        if let mark = Double(text.replacingOccurrences(of: ",", with: ".")), mark.isFinite {
                            value = .mark(mark)
                        } else {
                            errors[name] =
                                "« \(criterion.text) » : la note « \(text) » n'est pas un nombre (par exemple 12 ou 12,5)."
                        }
                    } else if let index = Int(text) {
                        value = .level(index)
                    } else {
                        errors[name] =
                            "« \(criterion.text) » : le niveau « \(text) » n'existe pas dans l'échelle \(scale.label)."
                    }
                }
                if value != nil || !note.isEmpty {
                    entries[criterion.id] = GridEditing.Entry(value: value, comment: note.isEmpty ? nil : note)
                }
            }
            return entries
        }
        let own = entries(member: nil)
        var byMember: [UUID: [String: GridEditing.Entry]] = [:]
        for member in members {
            let mine = entries(member: member)
            if !mine.isEmpty { byMember[member] = mine }
        }
        values[revision] = fields[revision] ?? ""
        return Parsed(
            submission: GridEditing.Submission(
                baseRevision: base ?? -1, ratings: own, memberRatings: byMember, submit: fields[action] == submitAction),
            values: values, errors: errors)
    }
}
