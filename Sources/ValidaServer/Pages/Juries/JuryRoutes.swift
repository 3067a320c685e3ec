import Vapor

/// Juries, their deliberation and minutes, histories and settings.
enum JuryRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.juries, use: JuriesPage.show)
        routes.post(.juries, use: JuriesPage.create)
        routes.get(.jury(nil), use: JuryPage.show)
        routes.post(.juryMembers(nil), use: JuryPage.addMember)
        routes.post(.juryMember(nil, member: nil), use: JuryPage.removeMember)
        routes.post(.juryConflicts(nil), use: JuryPage.declareConflict)
        routes.get(.deliberation(nil), use: DeliberationPage.show)
        routes.post(.deliberationAdopt(nil), use: DeliberationPage.adopt)
        routes.post(.deliberationClose(nil), use: DeliberationPage.close)
        routes.get(.juryCandidate(nil, candidate: nil), use: JuryCandidatePage.show)
        routes.post(.juryCandidate(nil, candidate: nil), use: JuryCandidatePage.decide)
        routes.get(.decisionHistory(nil, candidate: nil), use: HistoryPage.decisions)
        routes.get(.minutes(nil), use: MinutesPage.show)
        routes.get(.minutesPDF(nil), use: MinutesPage.pdf)
        routes.get(.minutesStylesheet) { MinutesPage.stylesheet($0) }
        routes.get(.juryHolderDeclaration(nil), use: HolderDeclarationPage.show)
        routes.post(.juryHolderDeclarationFile(nil), use: HolderDeclarationPage.download)
        routes.get(.gridHistory(nil), use: HistoryPage.grid)
        routes.get(.settings, use: SettingsPage.show)
        routes.post(.settings, use: SettingsPage.save)
    }
}
