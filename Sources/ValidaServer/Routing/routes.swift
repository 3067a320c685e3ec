import Vapor

/// Every route of the site, registered from `SiteRoute`.
func routes(_ app: Application) throws {
    app.get(.stylesheet) { Stylesheet.response($0) }
    app.get(.health) { _ in Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ok\n")
    }
    app.get(.login, use: LoginController.show)
    app.post(.login, use: LoginController.submit)

    let signedIn = app.grouped(RequireLoginMiddleware())
    signedIn.post(.logout, use: LoginController.logout)
    signedIn.get(.password, use: PasswordPage.show)
    signedIn.post(.password, use: PasswordPage.submit)
    signedIn.get(.apiTokens, use: APITokensPage.show)
    signedIn.post(.apiTokens, use: APITokensPage.create)
    signedIn.post(.apiTokenRevoke(nil), use: APITokensPage.revoke)
    signedIn.get(.home, use: HomePage.show)
    RosterRoutes.register(signedIn)
    AssessmentRoutes.register(signedIn)
    DocumentRoutes.register(public: app, signedIn: signedIn)
    JuryRoutes.register(signedIn)
    VAERoutes.register(signedIn)
    CredentialRoutes.register(public: app, signedIn: signedIn)
    APIController.register(app)
}
