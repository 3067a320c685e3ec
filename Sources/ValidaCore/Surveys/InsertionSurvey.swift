import Foundation

/// The two insertion surveys (enquêtes d'insertion) a holder receives after their
/// certification: 6 months and 2 years after the deliberation.
public enum SurveyWave: String, Sendable, Hashable, Codable, CaseIterable {
    case sixMonths = "6-mois"
    case twoYears = "2-ans"

    /// Months after the deliberation when the survey is due.
    public var months: Int {
        switch self {
        case .sixMonths: 6
        case .twoYears: 24
        }
    }

    public var label: String {
        switch self {
        case .sixMonths: "À 6 mois"
        case .twoYears: "À 2 ans"
        }
    }
}

/// Where a survey stands: opened but not mailed, mailed, mailed again, answered, closed.
public enum SurveyState: String, Sendable, Hashable, Codable, CaseIterable {
    case toSend = "a-envoyer"
    case sent = "envoyee"
    case reminded = "relancee"
    case answered = "repondue"
    case closed = "close"

    public var label: String {
        switch self {
        case .toSend: "À envoyer"
        case .sent: "Envoyée"
        case .reminded: "Relancée"
        case .answered: "Répondue"
        case .closed: "Close"
        }
    }
}

/// What the holder was awarded by the deliberation the survey follows.
public enum HolderOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The whole certification.
    case full = "totale"
    /// One or more blocks, not the whole certification.
    case partial = "partielle"

    public var label: String {
        switch self {
        case .full: "Certification totale"
        case .partial: "Certification partielle (blocs)"
        }
    }
}

public enum ContractType: String, Sendable, Hashable, Codable, CaseIterable {
    case permanent = "cdi"
    case fixedTerm = "cdd"
    case temporary = "interim"
    case selfEmployed = "independant"
    case workStudy = "alternance"
    case other = "autre"

    public var label: String {
        switch self {
        case .permanent: "CDI"
        case .fixedTerm: "CDD"
        case .temporary: "Intérim"
        case .selfEmployed: "Indépendant"
        case .workStudy: "Alternance"
        case .other: "Autre"
        }
    }
}

/// Net monthly salary, by fixed bands, so that answers can be counted.
public enum SalaryBand: String, Sendable, Hashable, Codable, CaseIterable {
    case under1500 = "moins-1500"
    case from1500 = "1500-2000"
    case from2000 = "2000-2500"
    case from2500 = "2500-3000"
    case from3000 = "3000-3500"
    case over3500 = "plus-3500"
    case undisclosed = "non-communique"

    public var label: String {
        switch self {
        case .under1500: "Moins de 1 500 € nets par mois"
        case .from1500: "De 1 500 à 2 000 € nets par mois"
        case .from2000: "De 2 000 à 2 500 € nets par mois"
        case .from2500: "De 2 500 à 3 000 € nets par mois"
        case .from3000: "De 3 000 à 3 500 € nets par mois"
        case .over3500: "Plus de 3 500 € nets par mois"
        case .undisclosed: "Je préfère ne pas répondre"
        }
    }
}

/// A holder's answers. Without a job, the job's questions have no answer.
public struct SurveyAnswers: Sendable, Hashable, Codable {
    public var employed: Bool
    public var jobTitle: String?
    public var inField: Bool?
    public var contract: ContractType?
    public var salary: SalaryBand?

    public init(
        employed: Bool, jobTitle: String? = nil, inField: Bool? = nil, contract: ContractType? = nil,
        salary: SalaryBand? = nil
    ) {
        self.employed = employed
        self.jobTitle = jobTitle
        self.inField = inField
        self.contract = contract
        self.salary = salary
    }
}

/// The refused fields of a questionnaire, each with its French message.
public struct SurveyAnswerErrors: Error, Sendable, Hashable {
    public var messages: [SurveyField: String]

    public init(_ messages: [SurveyField: String]) {
        self.messages = messages
    }

    public subscript(field: SurveyField) -> String? { messages[field] }
    public var fields: Set<SurveyField> { Set(messages.keys) }
}

/// The questionnaire's fields, named as the form names them.
public enum SurveyField: String, Sendable, Hashable, CaseIterable {
    case employed = "emploi"
    case jobTitle = "intitule"
    case inField = "domaine"
    case contract = "contrat"
    case salary = "salaire"
}

/// The insertion surveys' rules: when each wave is due, when a holder is reminded, and
/// which answers are accepted.
public enum SurveyRules {
    /// Days after the first mailing when a reminder goes out, one per entry.
    public static let reminderDays = [14, 28]
    public static let jobTitleMaximum = 150

    /// The deliberation day plus the wave's months; a day the month lacks becomes its last
    /// (31 August + 6 months: 28 or 29 February).
    public static func dueDate(deliberation: CalendarDate, wave: SurveyWave) -> CalendarDate {
        let total = deliberation.year * 12 + (deliberation.month - 1) + wave.months
        let year = total / 12
        let month = total % 12 + 1
        let day = min(deliberation.day, CalendarDate.daysIn(month: month, year: year))
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// Whether the wave is due on `today`: from its due date on.
    public static func isDue(deliberation: CalendarDate, wave: SurveyWave, today: CalendarDate) -> Bool {
        dueDate(deliberation: deliberation, wave: wave) <= today
    }

    /// Whether a reminder is owed at `now` to a survey first mailed at `sentAt` that has had
    /// `remindersSent` reminders: the next one once its day has come, never more than
    /// `reminderDays` lists, never to an answered or closed survey.
    public static func reminderDue(state: SurveyState, sentAt: Date?, remindersSent: Int, now: Date) -> Bool {
        guard state == .sent || state == .reminded, let sentAt, remindersSent >= 0,
            remindersSent < reminderDays.count
        else { return false }
        return now >= sentAt.addingTimeInterval(Double(reminderDays[remindersSent]) * 86_400)
    }

    /// Whether the holder may still change their answers.
    public static func isEditable(_ state: SurveyState) -> Bool { state != .closed }

    /// The day in Paris of `date`.
    public static func day(of date: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    /// The answers of a submitted form (`oui`/`non` for yes-no questions, the enums' raw
    /// values for the lists), or a French message per field at fault. Without a job, the
    /// job's fields are ignored.
    public static func answers(_ form: [SurveyField: String]) -> Result<SurveyAnswers, SurveyAnswerErrors> {
        func text(_ field: SurveyField) -> String {
            (form[field] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var errors: [SurveyField: String] = [:]
        func yesNo(_ field: SurveyField, _ question: String) -> Bool? {
            switch text(field) {
            case "oui": return true
            case "non": return false
            case "": errors[field] = "\(question) : répondez par oui ou par non."
            default: errors[field] = "\(question) : la réponse « \(text(field)) » n'est pas oui ou non."
            }
            return nil
        }
        guard let employed = yesNo(.employed, "Occupez-vous un emploi") else {
            return .failure(SurveyAnswerErrors(errors))
        }
        guard employed else { return .success(SurveyAnswers(employed: false)) }
        let title = text(.jobTitle)
        if title.isEmpty {
            errors[.jobTitle] = "Intitulé du poste : indiquez l'intitulé de votre emploi."
        } else if title.count > jobTitleMaximum {
            errors[.jobTitle] =
                "Intitulé du poste : \(jobTitleMaximum) caractères au plus (vous en avez saisi \(title.count))."
        } else if title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            errors[.jobTitle] = "Intitulé du poste : une seule ligne de texte, sans caractère de contrôle."
        }
        let inField = yesNo(.inField, "Emploi dans le domaine de la certification")
        let contract = ContractType(rawValue: text(.contract))
        if contract == nil {
            errors[.contract] =
                text(.contract).isEmpty
                ? "Type de contrat : choisissez-en un dans la liste."
                : "Type de contrat : « \(text(.contract)) » n'est pas dans la liste."
        }
        let salary = SalaryBand(rawValue: text(.salary))
        if salary == nil {
            errors[.salary] =
                text(.salary).isEmpty
                ? "Salaire : choisissez une tranche dans la liste (ou « Je préfère ne pas répondre »)."
                : "Salaire : « \(text(.salary)) » n'est pas une tranche de la liste."
        }
        guard errors.isEmpty else { return .failure(SurveyAnswerErrors(errors)) }
        return .success(
            SurveyAnswers(employed: true, jobTitle: title, inField: inField, contract: contract, salary: salary))
    }
}
