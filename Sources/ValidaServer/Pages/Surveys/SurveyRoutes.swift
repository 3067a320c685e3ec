import Vapor

/// The insertion surveys' routes: the certifier's (and schools') page, its actions and CSV,
/// the holder's questionnaire by personal link and from their space.
enum SurveyRoutes {
    static func register(_ app: Application) {
        app.get(.insertionSurveys, use: InsertionSurveysPage.show)
        app.post(.insertionSurveysSend, use: InsertionSurveysPage.send)
        app.post(.insertionSurveysClose, use: InsertionSurveysPage.close)
        app.get(.insertionSurveysExport, use: InsertionSurveysPage.export)
        app.get(.survey(nil), use: SurveyAnswerPage.showByLink)
        app.post(.survey(nil), use: SurveyAnswerPage.submitByLink)
        app.get(.mySurvey(nil), use: SurveyAnswerPage.showOwn)
        app.post(.mySurvey(nil), use: SurveyAnswerPage.submitOwn)
    }
}
