import Vapor

/// Juries, their deliberation and minutes, histories and settings.
enum JuryRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.juries, use: JuriesPage.show)
        routes.post(.juries, use: JuriesPage.create)
        // A VAE jury opened here is sent to its own pages.
        let vaeGuard: [any Middleware] = [VAEJuryGuard()]
        routes.get(.jury(nil), then: vaeGuard, use: JuryPage.show)
        routes.post(.juryMembers(nil), then: vaeGuard, use: JuryPage.addMember)
        routes.post(.juryMember(nil, member: nil), then: vaeGuard, use: JuryPage.removeMember)
        routes.post(.juryConflicts(nil), then: vaeGuard, use: JuryPage.declareConflict)
        routes.get(.deliberation(nil), then: vaeGuard, use: DeliberationPage.show)
        // Adopting and closing: GET shows what will happen, POST with `confirm=oui` does it.
        routes.get(.deliberationAdopt(nil), then: vaeGuard, use: DeliberationConfirmPage.adoptPage)
        routes.post(.deliberationAdopt(nil), then: vaeGuard, use: DeliberationConfirmPage.adopt)
        routes.get(.deliberationClose(nil), then: vaeGuard, use: DeliberationConfirmPage.closePage)
        routes.post(.deliberationClose(nil), then: vaeGuard, use: DeliberationConfirmPage.close)
        routes.get(.juryCandidate(nil, candidate: nil), then: vaeGuard, use: JuryCandidatePage.show)
        routes.post(.juryCandidate(nil, candidate: nil), then: vaeGuard, use: JuryCandidatePage.decide)
        routes.get(.decisionHistory(nil, candidate: nil), then: vaeGuard, use: HistoryPage.decisions)
        routes.get(.minutes(nil), then: vaeGuard, use: MinutesPage.show)
        routes.get(.minutesPDF(nil), then: vaeGuard, use: MinutesPage.pdf)
        routes.get(.minutesStylesheet) { MinutesPage.stylesheet($0) }
        routes.get(.juryHolderDeclaration(nil), then: vaeGuard, use: HolderDeclarationPage.show)
        routes.post(.juryHolderDeclarationFile(nil), then: vaeGuard, use: HolderDeclarationPage.download)
        routes.get(.gridHistory(nil), use: HistoryPage.grid)
        routes.get(.settings, use: SettingsPage.show)
        routes.post(.settings, use: SettingsPage.save)
    }
}
