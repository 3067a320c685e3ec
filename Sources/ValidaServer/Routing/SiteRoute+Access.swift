import ValidaCore
import Vapor

extension SiteRoute {
    /// Who may use this route with `method`: one exhaustive switch, so a new page does not
    /// compile until its access is decided here. `.signedIn` routes say why their handler,
    /// not the route, scopes what it shows.
    func access(_ method: HTTPMethod) -> RouteAccess {
        let read = method == .GET || method == .HEAD
        switch self {
        case .login, .stylesheet, .health, .minutesStylesheet, .documentPrintStylesheet:
            return .public
        case .statisticsStylesheet:
            return .public
        // A coordinator naming another school is refused; naming none, the page counts theirs only.
        case .statistics, .statisticsExport, .statisticsPeople:
            return .requires(.view, .statistics)
        // Public verification of documents and credentials: anyone holding a code or a file.
        case .verify, .verifyCode, .jwks, .credentialIssuer, .credentialStatusList, .credentialVerify,
            .credentialVerifyAPI, .credentialPage:
            return .public
        // The user's own session and password: no resource beyond the account itself.
        case .logout, .password:
            return .signedIn
        // Each role lands on its own home; each shows only what the role gives access to.
        case .home:
            return .signedIn
        // An evaluator's grids: the page asks the core session by session which to list.
        case .myGrids:
            return .signedIn
        // The candidate's own space; other roles are sent home with an explanation.
        case .mySpace:
            return .signedIn
        // A user's own messages: the handler lists and opens only those addressed to them.
        case .myMessages, .myMessage:
            return .signedIn
        // One's own account and archive: the handler reads the signed-in person only (the
        // right of access is everyone's; a candidate is sent to their candidate's archive).
        case .myAccount, .myPersonalDataExport:
            return .signedIn
        // The certifier sees every request, a candidate is sent to their own, a school or a
        // jury member sees theirs; other roles are told they have no access.
        case .vaeRequests:
            return .signedIn
        case .apiTokens:
            return .requires(read ? .view : .create, .ownAPITokens)
        case .apiTokenRevoke:
            return .requires(.edit, .apiTokenOwner)

        case .referential, .referentialCASE, .referentialMoodle, .referentialYAML:
            return .requires(.view, .fixed(.referential))
        case .referentialVersions:
            return .requires(read ? .view : .edit, .fixed(.referential))
        case .referentialVersionConfirm, .referentialCorrespondence:
            return .requires(.edit, .fixed(.referential))
        case .schools:
            return .requires(read ? .view : .create, .fixed(.schools))
        // Searching candidates across the schools one may see.
        case .candidateSearch:
            return .requires(.view, .fixed(.schools))
        case .school:
            return .requires(read ? .view : .edit, .school { .school($0) })
        // A school's authorisations: read by its coordinator, recorded by the certifier.
        case .schoolAuthorizations:
            return .requires(read ? .view : .create, .school { .partnerAuthorization(school: $0) })
        case .partnerAuthorization, .partnerAuthorizationAgreement:
            return .requires(read ? .view : .edit, .partnerAuthorization)
        case .partnerAuthorizationEnd:
            return .requires(.edit, .partnerAuthorization)
        case .schoolCohorts:
            return .requires(.create, .school { .schoolRoster(school: $0) })
        case .cohort, .cohortCandidates:
            return .requires(.view, .cohort { .cohort(school: $0) })
        case .cohortNewCandidate, .cohortImport, .cohortImportConfirm, .cohortImportTemplate:
            return .requires(.create, .cohort { .schoolRoster(school: $0) })
        case .cohortTeams:
            return .requires(read ? .view : .create, .cohort { .team(school: $0) })
        case .cohortSessions:
            return read
                ? .requires(.view, .cohort { .cohort(school: $0) })
                : .requires(.create, .cohort { .schoolRoster(school: $0) })
        case .cohortResults:
            return .requires(.view, .cohort { .cohortResults(school: $0) })
        case .candidate:
            return .requires(.view, .candidate { .candidate(id: $0, school: $1) })
        case .candidateEdit:
            return .requires(.edit, .candidate { .candidate(id: $0, school: $1) })
        case .candidateResults:
            return .requires(.view, .candidate { .candidateResults(candidate: $0, school: $1) })

        case .team:
            return .requires(read ? .view : .edit, .team)
        case .session:
            return .requires(.view, .session)
        case .sessionEvaluators, .sessionConvocations:
            return .requires(.edit, .session)
        case .sessionSpreadsheet:
            return read ? .requires(.view, .session) : .requires(.rate, .sessionGrids)
        case .grid:
            return .requires(read ? .view : .rate, .grid)
        case .gridHistory:
            return .requires(.view, .grid)
        // Double marking: a grid's markings are its markers' (the core reads who they are).
        case .sessionDoubleMarking:
            return .requires(read ? .view : .edit, .session)
        case .marking:
            return .requires(read ? .view : .rate, .gridMarking)
        case .markingDisagreements:
            return .requires(read ? .view : .decide, .gridMarking)
        case .markingThird:
            return .requires(.edit, .gridMarking)
        case .raterAgreement:
            return .requires(.view, .fixed(.raterAgreement))

        case .juries:
            return .requires(read ? .view : .create, .fixed(.juries))
        case .juryMembers, .juryMember, .juryConflicts:
            return .requires(.edit, .fixed(.juries))
        case .jury, .deliberation, .decisionHistory, .minutes, .minutesPDF, .juryDocumentsArchive:
            return .requires(.view, .jury)
        case .deliberationAdopt, .deliberationClose:
            return .requires(.decide, .jury)
        case .juryCandidate:
            return .requires(read ? .view : .decide, .jury)
        case .juryHolderDeclaration:
            return .requires(.view, .fixed(.holderDeclaration))
        case .juryHolderDeclarationFile:
            return .requires(.edit, .fixed(.holderDeclaration))
        case .juryHolderDeclarationRejectedFile:
            return .requires(.edit, .fixed(.holderDeclaration))
        case .holderDeclarationReturns:
            return .requires(read ? .view : .edit, .fixed(.holderDeclaration))
        // The issuer keys are the settings' holder's (the manager); private keys are never shown.
        case .issuerKeys:
            return .requires(.view, .fixed(.settings))
        case .issuerKeysRotate:
            return .requires(.edit, .fixed(.settings))
        // CASE objects are public by design: their URIs are meant to be dereferenced by anyone.
        case .caseObject:
            return .public
        case .settings:
            return .requires(read ? .view : .edit, .fixed(.settings))
        // The outbox holds every person's mail: the settings' holder (the manager) alone.
        case .outbox, .outboxMessage:
            return .requires(.view, .fixed(.settings))
        case .outboxRetry, .outboxTest:
            return .requires(.edit, .fixed(.settings))

        case .document, .documentPDF:
            return .requires(.view, .document)
        // A candidate's credentials are their documents.
        case .candidateCredential, .candidateTranscript:
            return .requires(.view, .candidate { .document(candidate: $0, school: $1) })

        case .vaeRequestsExport:
            return .requires(.view, .fixed(.vaeRequests))
        case .vaeCandidate:
            return .requires(read ? .view : .create, .candidate { .vaeRequest(candidate: $0, school: $1, jury: nil) })
        case .vaeRequest:
            return .requires(.view, .vaeRequest)
        case .vaeExperiences, .vaeSubmit, .vaeSituations, .vaeEvidence:
            return .requires(.edit, .vaeRequest)
        case .vaeAdmissibility:
            return .requires(.decide, .vaeRequest)
        case .vaeEvidenceFile:
            return .requires(.view, .vaeEvidence)
        // Convening a VAE jury: creating a jury, for a request one may see.
        case .vaeJury, .vaeJuryMembers:
            return .requiresAll([
                .init(action: .create, resolver: .fixed(.juries)), .init(action: .view, resolver: .vaeRequest),
            ])
        case .vaeDecisions:
            return .requires(.decide, .vaeRequestJury)

        case .sessionSubmissionSettings:
            return .requires(.edit, .session)
        case .submissionUpload:
            return .requires(read ? .view : .create, .sessionSubmission)
        case .submissionFile:
            return .requires(.view, .submission)
        case .submissionCount:
            return .requires(.edit, .submission)

        // RGPD: the candidate downloads their own data, the manager anyone's; only the manager erases.
        case .personalData:
            return .requires(.view, .fixed(.personalDataRegister))
        case .candidatePersonalData:
            return .requires(.delete, .candidate { .personalData(candidate: $0, school: $1) })
        case .candidatePersonalDataExport:
            return .requires(.view, .candidate { .personalData(candidate: $0, school: $1) })
        case .accountPersonalData:
            return .requires(.delete, .fixed(.personalDataRegister))
        case .accountPersonalDataExport:
            return .requires(.view, .fixed(.personalDataRegister))

        // Forgotten passwords and the mailed one-time links: for people not signed in.
        case .passwordForgotten, .invitation, .passwordReset:
            return .public
        // The certifier sees every account; a coordinator, their school's (the list is scoped).
        case .accounts:
            return .requires(.view, .fixed(.accounts))
        case .accountInvite:
            return .requires(read ? .view : .create, .fixed(.accounts))
        case .account:
            return .requires(.view, .account)
        case .accountChange, .accountDeactivate, .accountReactivate, .accountEndSessions, .accountResendInvitation:
            return .requires(.edit, .account)
        case .cohortInviteCandidates:
            return .requires(.create, .cohort { .account(role: .candidate, school: $0) })
        // The second step of signing in: for a visitor holding a pending sign-in (the page
        // checks it), not yet signed in.
        case .secondFactor:
            return .public
        // One's own second factor: nothing beyond the account itself.
        case .twoFactor, .twoFactorEnrol, .twoFactorConfirm, .twoFactorRecoveryCodes, .twoFactorDisable:
            return .signedIn
        // Resetting someone's second factor (a lost phone): the certifier's, like every account.
        case .twoFactorReset:
            return .requires(.edit, .fixed(.users))
        case .sessionPlanning:
            return .requires(read ? .view : .edit, .session)
        case .sessionSlotNew, .sessionConvocationsArchive:
            return .requires(.edit, .session)
        case .slot:
            return .requires(read ? .view : .edit, .slotSession)
        case .slotDelete:
            return .requires(.edit, .slotSession)
        case .slotAttendance:
            return .requires(.edit, .slotAttendance)
        // The candidate's own convocation, or any of the school's for its coordinator.
        case .slotConvocation:
            return .requires(.view, .slotCandidate)
        // Each user's own slots: the handler reads them from the account (candidate or evaluator).
        case .myCalendar:
            return .signedIn
        case .candidateAccommodations:
            return .requires(read ? .view : .create, .candidate { .accommodation(candidate: $0, school: $1) })
        case .accommodationDecision:
            return .requires(.decide, .accommodation)
        // The candidate's own appeals: the handler reads the candidate from the account and
        // asks the core (`.appeal`) before filing.
        case .myAppeals:
            return .signedIn
        case .appeals:
            return .requires(.view, .fixed(.appeals))
        case .appeal:
            return .requires(read ? .view : .decide, .appeal)
        // The request's own situations and documents: the handler finds them in that request only.
        case .vaeSituation:
            return .requires(read ? .view : .edit, .vaeRequest)
        case .vaeSituationDelete, .vaeEvidenceDelete:
            return .requires(.edit, .vaeRequest)
        // Insertion surveys: the figures for whoever the core lets see a school's (the page keeps a
        // coordinator's own); sending and closing, the certifier's.
        case .insertionSurveys, .insertionSurveysExport:
            return .requires(.view, .insertionSurveys)
        case .insertionSurveysSend, .insertionSurveysClose:
            return .requires(.edit, .fixed(.insertionSurveys(school: nil)))
        // The holder's questionnaire by their personal link: the token is the access.
        case .survey:
            return .public
        // From the candidate's space: the handler opens only the signed-in candidate's own surveys.
        case .mySurvey:
            return .signedIn
        }
    }
}
