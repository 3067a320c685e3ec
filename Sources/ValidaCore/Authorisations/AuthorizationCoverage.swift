import Foundation

/// Whether a school's authorisations cover a cohort or a session, and which end soon. A
/// period is covered when every one of its days falls in some authorisation of the school on
/// the version whose scope gives what is needed: two agreements that follow each other
/// (a renewal) cover a cohort that straddles them.
public enum AuthorizationCoverage {
    /// The first day of `from…to` (both included) that no authorisation of `school` on
    /// `version` covers for `need`; nil when the whole period is covered.
    public static func firstUncoveredDay(
        _ authorizations: [PartnerAuthorization], school: String, version: String, need: PartnerAuthorization.Need,
        from: CalendarDate, to: CalendarDate
    ) -> CalendarDate? {
        let usable = authorizations.filter {
            $0.school == school && $0.version == version && $0.scope.satisfies(need) && $0.startsOn <= $0.endsOn
        }
        var cursor = from
        while cursor <= to {
            guard let reach = usable.filter({ $0.covers(cursor) }).map(\.endsOn).max() else { return cursor }
            if reach >= to { return nil }
            cursor = reach.adding(days: 1)
        }
        return nil
    }

    /// Whether `school` may prepare for `need` of `version` on `day`.
    public static func isCovered(
        _ authorizations: [PartnerAuthorization], school: String, version: String, need: PartnerAuthorization.Need,
        on day: CalendarDate
    ) -> Bool {
        firstUncoveredDay(authorizations, school: school, version: version, need: need, from: day, to: day) == nil
    }

    /// What is missing for a period: the first need left uncovered and its first uncovered
    /// day; nil when every need is covered throughout.
    public static func gap(
        _ authorizations: [PartnerAuthorization], school: String, version: String, needs: [PartnerAuthorization.Need],
        from: CalendarDate, to: CalendarDate
    ) -> (need: PartnerAuthorization.Need, day: CalendarDate)? {
        for need in needs {
            if let day = firstUncoveredDay(
                authorizations, school: school, version: version, need: need, from: from, to: to)
            {
                return (need, day)
            }
        }
        return nil
    }

    /// The authorisations that end between `today` and `days` days later (both included) and
    /// that no other authorisation of the school takes over the next day for everything they
    /// cover: those the certifier must renew or let lapse knowingly. Soonest first.
    public static func endingSoon(
        _ authorizations: [PartnerAuthorization], today: CalendarDate, within days: Int = 60
    ) -> [PartnerAuthorization] {
        let limit = today.adding(days: days)
        return authorizations.filter { authorization in
            guard today <= authorization.endsOn, authorization.endsOn <= limit else { return false }
            let others = authorizations.filter { $0.id != authorization.id }
            let next = authorization.endsOn.adding(days: 1)
            let needs: [PartnerAuthorization.Need] =
                switch authorization.scope {
                case .wholeCertification: [.wholeCertification]
                case .blocks(let blocks): blocks.sorted().map { .block($0) }
                }
            return needs.contains { need in
                !isCovered(others, school: authorization.school, version: authorization.version, need: need, on: next)
            }
        }.sorted { ($0.endsOn, $0.id) < ($1.endsOn, $1.id) }
    }

    /// The French refusal of a cohort or a session outside the school's authorisations: it
    /// names the school, the version and the block (or the whole certification), the period
    /// asked, the first day not covered and what the school is authorised for on the version.
    public static func refusal(
        school: String, version: String, need: PartnerAuthorization.Need, blockTitle: String? = nil,
        from: CalendarDate, to: CalendarDate, uncovered: CalendarDate, periods: [PartnerAuthorization]
    ) -> String {
        let what: String =
            switch need {
            case .anyPart: "la version « \(version) » du référentiel"
            case .wholeCertification: "la certification complète (version « \(version) » du référentiel)"
            case .block(let id):
                "le bloc \(id)" + (blockTitle.map { " « \($0) »" } ?? "")
                    + " de la version « \(version) » du référentiel"
            }
        let asked = from == to ? "le \(from.french)" : "du \(from.french) au \(to.french)"
        var text =
            "L'école « \(school) » n'est pas habilitée pour \(what) \(asked) : aucune habilitation ne couvre le \(uncovered.french)."
        let listed = periods.sorted { $0.startsOn < $1.startsOn }
        if listed.isEmpty {
            text += " Elle n'a aucune habilitation pour cette version."
        } else {
            text +=
                " Ses habilitations pour cette version : "
                + listed.map { "du \($0.startsOn.french) au \($0.endsOn.french)" + scopeText($0.scope) }
                .joined(separator: " ; ") + "."
        }
        return text + " Le responsable de certification les enregistre sur la page de l'école."
    }

    static func scopeText(_ scope: PartnerAuthorization.Scope) -> String {
        switch scope {
        case .wholeCertification: " (certification complète)"
        case .blocks(let blocks):
            " (" + (blocks.count > 1 ? "blocs " : "bloc ") + blocks.sorted().joined(separator: ", ") + ")"
        }
    }
}
