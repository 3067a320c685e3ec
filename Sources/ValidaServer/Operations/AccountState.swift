import Fluent
import Foundation
import ValidaCore

/// Where an account is in its life, as the accounts list shows and filters it.
enum AccountState: String, CaseIterable, Sendable {
    case active
    /// Invited, no password chosen yet.
    case pending
    case deactivated
    /// A guest whose last day of access has passed.
    case expired

    var label: String {
        switch self {
        case .active: "Actif"
        case .pending: "Invitation en attente"
        case .deactivated: "Désactivé"
        case .expired: "Expiré"
        }
    }

    /// The day `now` falls on in Paris: a guest's access runs through their last day there.
    static func day(of now: Date) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

extension DBUser {
    /// Whether a guest's access has ended by `now` (their last day is over in Paris).
    func accessEnded(now: Date = Date()) -> Bool {
        guard let accessUntil, let last = CalendarDate(iso: accessUntil) else { return false }
        return AccountState.day(of: now) > last
    }

    func state(now: Date = Date()) -> AccountState {
        if deactivatedAt != nil { return .deactivated }
        if accessEnded(now: now) { return .expired }
        if invitedAt != nil && passwordChosenAt == nil { return .pending }
        return .active
    }

    /// Why this account may not sign in or keep a session now, in French; nil when it may.
    func signInRefusal(now: Date = Date()) -> String? {
        if deactivatedAt != nil {
            return "Ce compte est désactivé. Adressez-vous au responsable de certification ou à votre école."
        }
        if accessEnded(now: now), let last = accessUntil.flatMap(CalendarDate.init(iso:)) {
            return
                "L'accès invité de ce compte a pris fin le \(last.french). Adressez-vous à la personne qui vous a invité."
        }
        return nil
    }
}
