import Vapor

/// Double marking and rater agreement: a session's option and pairs, each marker's own
/// marking, the disagreements and their settlement, and the certifier's agreement page.
enum DoubleMarkingRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.sessionDoubleMarking(nil), use: DoubleMarkingSessionPage.show)
        routes.post(.sessionDoubleMarking(nil), use: DoubleMarkingSessionPage.update)
        routes.get(.marking(nil), use: MarkingPage.show)
        routes.post(.marking(nil), use: MarkingPage.save)
        routes.get(.markingDisagreements(nil), use: DisagreementsPage.show)
        routes.post(.markingDisagreements(nil), use: DisagreementsPage.settle)
        routes.post(.markingThird(nil), use: DisagreementsPage.assignThird)
        routes.get(.raterAgreement, use: AgreementPage.show)
    }
}
