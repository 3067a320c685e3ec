import Vapor

/// The accounts pages, the invitation and reset links, and « Mot de passe oublié ? ».
enum AccountRoutes {
    static func register(_ app: Application) {
        app.get(.passwordForgotten, use: PasswordForgottenPage.show)
        app.post(.passwordForgotten, use: PasswordForgottenPage.submit)
        app.get(.invitation(nil), use: AccountLinkPage.showInvitation)
        app.post(.invitation(nil), use: AccountLinkPage.submitInvitation)
        app.get(.passwordReset(nil), use: AccountLinkPage.showReset)
        app.post(.passwordReset(nil), use: AccountLinkPage.submitReset)
        app.get(.accounts, use: AccountsPage.show)
        app.get(.accountInvite, use: InviteAccountPage.show)
        app.post(.accountInvite, use: InviteAccountPage.submit)
        app.get(.account(nil), use: AccountPage.show)
        app.post(.accountChange(nil), use: AccountPage.change)
        app.post(.accountDeactivate(nil), use: AccountPage.deactivate)
        app.post(.accountReactivate(nil), use: AccountPage.reactivate)
        app.post(.accountEndSessions(nil), use: AccountPage.endSessions)
        app.post(.accountResendInvitation(nil), use: AccountPage.resendInvitation)
        app.get(.cohortInviteCandidates(nil), use: CohortInvitePage.show)
        app.post(.cohortInviteCandidates(nil), use: CohortInvitePage.submit)
    }
}
