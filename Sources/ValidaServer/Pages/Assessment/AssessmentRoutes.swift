import Vapor

/// Teams, assessment sessions and their evaluators, grids, and results. Every handler
/// asks the core's authorization about the resource it serves before reading it.
enum AssessmentRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.cohortTeams(nil), use: TeamsPage.show)
        routes.post(.cohortTeams(nil), use: TeamsPage.create)
        routes.get(.team(nil), use: TeamPage.show)
        routes.post(.team(nil), use: TeamPage.update)

        routes.get(.cohortSessions(nil), use: SessionsPage.show)
        routes.post(.cohortSessions(nil), use: SessionsPage.create)
        routes.get(.session(nil), use: SessionPage.show)
        routes.post(.sessionEvaluators(nil), use: SessionPage.assign)
        routes.get(.sessionSpreadsheet(nil), use: GridSpreadsheetTransfer.download)
        routes.post(.sessionSpreadsheet(nil), use: GridSpreadsheetTransfer.upload)

        routes.get(.myGrids, use: MyGridsPage.show)
        routes.get(.grid(nil), use: GridPage.show)
        routes.post(.grid(nil), use: GridPage.save)

        routes.get(.candidateResults(nil), use: CandidateResultsPage.show)
        routes.get(.cohortResults(nil), use: CohortResultsPage.show)
    }
}
