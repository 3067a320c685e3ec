import Vapor

/// A school's authorisations and their agreements.
enum PartnerAuthorizationRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.schoolAuthorizations(nil), use: PartnerAuthorizationsPage.show)
        routes.post(.schoolAuthorizations(nil), use: PartnerAuthorizationsPage.create)
        routes.get(.partnerAuthorization(nil), use: PartnerAuthorizationsPage.showRow)
        routes.post(.partnerAuthorization(nil), use: PartnerAuthorizationsPage.changeDates)
        routes.post(.partnerAuthorizationEnd(nil), use: PartnerAuthorizationsPage.end)
        routes.get(.partnerAuthorizationAgreement(nil), use: PartnerAuthorizationsPage.download)
        routes.on(
            .POST, .partnerAuthorizationAgreement(nil), body: .collect(maxSize: SubmissionRoutes.uploadBody),
            use: PartnerAuthorizationsPage.upload)
    }
}
