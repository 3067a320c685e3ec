import Vapor

/// The référentiel, schools, cohorts, candidates and their import.
enum RosterRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.referential, use: ReferentialPage.show)
        routes.get(.referentialVersions, use: ReferentialVersionsPage.show)
        routes.post(.referentialVersions, use: ReferentialVersionsPage.upload)
        routes.post(.referentialVersionConfirm, use: ReferentialVersionsPage.confirm)
        routes.get(.referentialCorrespondence(nil), use: CorrespondencePage.show)
        routes.post(.referentialCorrespondence(nil), use: CorrespondencePage.save)
        routes.get(.referentialCASE(nil), use: ReferentialDownloads.caseJSON)
        routes.get(.referentialMoodle(nil), use: ReferentialDownloads.moodleCSV)
        routes.get(.referentialYAML(nil), use: ReferentialDownloads.yaml)

        routes.get(.schools, use: SchoolsPage.show)
        routes.post(.schools, use: SchoolsPage.create)
        routes.get(.school(nil), use: SchoolPage.show)
        routes.post(.school(nil), use: SchoolPage.update)
        routes.post(.schoolCohorts(nil), use: SchoolPage.createCohort)

        routes.get(.cohort(nil), use: CohortPage.show)
        routes.get(.cohortCandidates(nil), use: CohortCandidatesPage.show)
        routes.get(.cohortNewCandidate(nil), use: CandidateFormPage.new)
        routes.post(.cohortNewCandidate(nil), use: CandidateFormPage.create)
        routes.get(.cohortImport(nil), use: CandidateImportPage.show)
        routes.post(.cohortImport(nil), use: CandidateImportPage.upload)
        routes.post(.cohortImportConfirm(nil), use: CandidateImportPage.confirm)
        routes.get(.cohortImportTemplate(nil), use: CandidateImportPage.template)

        routes.get(.candidateSearch, use: CandidateSearchPage.show)
        routes.get(.candidate(nil), use: CandidatePage.show)
        routes.get(.candidateEdit(nil), use: CandidateFormPage.edit)
        routes.post(.candidateEdit(nil), use: CandidateFormPage.update)
    }
}
