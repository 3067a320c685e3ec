import Vapor

/// The second step of signing in, one's own second factor, and the manager's reset.
enum TwoFactorRoutes {
    static func register(_ app: Application) {
        app.get(.secondFactor, use: SecondFactorPage.show)
        app.post(.secondFactor, use: SecondFactorPage.submit)
        app.get(.twoFactor, use: TwoFactorPage.show)
        app.post(.twoFactorEnrol, use: TwoFactorPage.enrol)
        app.post(.twoFactorConfirm, use: TwoFactorPage.confirm)
        app.post(.twoFactorRecoveryCodes, use: TwoFactorPage.regenerate)
        app.post(.twoFactorDisable, use: TwoFactorPage.disable)
        app.post(.twoFactorReset(nil), use: TwoFactorPage.reset)
    }

    /// The pages an account the settings require a second factor of may still reach before
    /// enrolling: these, signing out, and the password page.
    static let reachableBeforeEnrolment: Set<String> = [
        SiteRoute.twoFactor.path, SiteRoute.twoFactorEnrol.path, SiteRoute.twoFactorConfirm.path,
        SiteRoute.logout.path, SiteRoute.password.path,
    ]
}
