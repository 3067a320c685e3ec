import Fluent

/// Every schema change, in order. A change to the schema is a new migration appended here,
/// never an edit of one that has shipped; each runs unchanged on SQLite and PostgreSQL.
enum ValidaMigrations {
    static let all: [any Migration] = [
        M001CreateReferentials(),
        M002CreateSchools(),
        M003CreateCohorts(),
        M004CreateCandidates(),
        M005CreateUsers(),
        SessionRecord.migration,
        M007CreateTeams(),
        M008CreateAssessmentSessions(),
        M009CreateGrids(),
        M010CreateSecurityTables(),
        M011CreateAuditLog(),
        M012CreateJuries(),
        M013CreateDecisions(),
        M014CreateDocumentsAndSettings(),
        M015CreateVAERequests(),
        M016CreateVAEDossiers(),
        M020CreateCorrespondences(),
        M021CreateCredentials(),
        M024CreateAuditCheckpoints(),
        M030SecuritySessionsAndTokens(),
        M027CreateLookupIndexes(),
        M031CreateResultsGeneration(),
        M032CreateOutbox(),
        M036AddSessionConvocation(),
        M033AccountsAndTokens(),
        M038CreateDoubleMarking(),
        M037CreateSubmissions(),
        M035CreatePersonalDataErasures(),
        M034CreateTwoFactor(),
        M040CreateSlots(),
        M041CreateAccommodations(),
    ]
}
