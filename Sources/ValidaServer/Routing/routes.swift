import Vapor

/// Every route of the site, registered from `SiteRoute` with the access each case declares
/// (`SiteRoute.access`), and the JSON API from `APIRoute`.
func routes(_ app: Application) throws {
    app.get(.stylesheet) { Stylesheet.response($0) }
    app.get(.health) { _ in Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ok\n")
    }
    app.get(.login, use: LoginController.show)
    app.post(.login, use: LoginController.submit)
    app.post(.logout, use: LoginController.logout)
    app.get(.password, use: PasswordPage.show)
    app.post(.password, use: PasswordPage.submit)
    app.get(.apiTokens, use: APITokensPage.show)
    app.post(.apiTokens, use: APITokensPage.create)
    app.post(.apiTokenRevoke(nil), use: APITokensPage.revoke)
    app.get(.home, use: HomePage.show)
    RosterRoutes.register(app)
    PartnerAuthorizationRoutes.register(app)
    AssessmentRoutes.register(app)
    DoubleMarkingRoutes.register(app)
    DocumentRoutes.register(app)
    JuryRoutes.register(app)
    HolderDeclarationReturnRoutes.register(app)
    VAERoutes.register(app)
    CredentialRoutes.register(app)
    SubmissionRoutes.register(app)
    ScheduleRoutes.register(app)
    MessageRoutes.register(app)
    MyAccountPage.register(app)
    OutboxRoutes.register(app)
    AccountRoutes.register(app)
    PersonalDataRoutes.register(app)
    TwoFactorRoutes.register(app)
    AppealRoutes.register(app)
    SurveyRoutes.register(app)
    StatisticsRoutes.register(app)
    APIController.register(app)
}
