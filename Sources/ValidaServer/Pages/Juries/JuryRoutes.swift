import Vapor

/// Juries, their deliberation and minutes, histories and settings.
enum JuryRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.juries, use: JuriesPage.show)
        routes.post(.juries, use: JuriesPage.create)
        // A VAE jury opened here is sent to its own pages.
        let jury = routes.grouped(VAEJuryGuard())
        jury.get(.jury(nil), use: JuryPage.show)
        jury.post(.juryMembers(nil), use: JuryPage.addMember)
        jury.post(.juryMember(nil, member: nil), use: JuryPage.removeMember)
        jury.post(.juryConflicts(nil), use: JuryPage.declareConflict)
        jury.get(.deliberation(nil), use: DeliberationPage.show)
        // Adopting and closing: GET shows what will happen, POST with `confirm=oui` does it.
        jury.get(.deliberationAdopt(nil), use: DeliberationConfirmPage.adoptPage)
        jury.post(.deliberationAdopt(nil), use: DeliberationConfirmPage.adopt)
        jury.get(.deliberationClose(nil), use: DeliberationConfirmPage.closePage)
        jury.post(.deliberationClose(nil), use: DeliberationConfirmPage.close)
        jury.get(.juryCandidate(nil, candidate: nil), use: JuryCandidatePage.show)
        jury.post(.juryCandidate(nil, candidate: nil), use: JuryCandidatePage.decide)
        jury.get(.decisionHistory(nil, candidate: nil), use: HistoryPage.decisions)
        jury.get(.minutes(nil), use: MinutesPage.show)
        jury.get(.minutesPDF(nil), use: MinutesPage.pdf)
        routes.get(.minutesStylesheet) { MinutesPage.stylesheet($0) }
        jury.get(.juryHolderDeclaration(nil), use: HolderDeclarationPage.show)
        jury.post(.juryHolderDeclarationFile(nil), use: HolderDeclarationPage.download)
        routes.get(.gridHistory(nil), use: HistoryPage.grid)
        routes.get(.settings, use: SettingsPage.show)
        routes.post(.settings, use: SettingsPage.save)
    }
}
