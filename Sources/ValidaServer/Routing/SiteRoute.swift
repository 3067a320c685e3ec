import Foundation
import Vapor

/// Every page of the site, once: links are built from these cases and routes are
/// registered from the same cases, so a path is never typed twice. An id left `nil`
/// stands for the route parameter when registering.
enum SiteRoute: Hashable, Sendable {
    case home
    case login
    case logout
    case password
    case apiTokens
    case apiTokenRevoke(UUID?)
    /// The manager's mail outbox, one message, sending a failed one again, a test message.
    case outbox
    case outboxMessage(UUID?)
    case outboxRetry(UUID?)
    case outboxTest
    case stylesheet
    /// Plain text, no database, no session: for load balancers and the load benchmark.
    case health
    case referential
    case referentialVersions
    case referentialVersionConfirm
    case referentialCorrespondence(UUID?)
    case referentialCASE(UUID?)
    case referentialMoodle(UUID?)
    case referentialYAML(UUID?)
    case schools
    case school(UUID?)
    case schoolCohorts(UUID?)
    /// A school's authorisations (habilitations): the list and a new one; one's dates, its
    /// early end, its agreement (PDF: uploaded, downloaded).
    case schoolAuthorizations(UUID?)
    case partnerAuthorization(UUID?)
    case partnerAuthorizationEnd(UUID?)
    case partnerAuthorizationAgreement(UUID?)
    case cohort(UUID?)
    case cohortNewCandidate(UUID?)
    case cohortImportConfirm(UUID?)
    case candidateSearch
    case cohortCandidates(UUID?)
    case cohortImport(UUID?)
    case cohortImportTemplate(UUID?)
    case cohortTeams(UUID?)
    case cohortSessions(UUID?)
    case cohortResults(UUID?)
    case candidate(UUID?)
    case candidateEdit(UUID?)
    case candidateResults(UUID?)
    case session(UUID?)
    case myGrids
    case grid(UUID?)
    case team(UUID?)
    case sessionEvaluators(UUID?)
    case sessionSpreadsheet(UUID?)
    case gridHistory(UUID?)
    case sessionDoubleMarking(UUID?)
    case marking(UUID?)
    case markingDisagreements(UUID?)
    case markingThird(UUID?)
    case raterAgreement
    case juries
    case jury(UUID?)
    case juryMembers(UUID?)
    case juryMember(UUID?, member: UUID?)
    case juryConflicts(UUID?)
    case deliberation(UUID?)
    case deliberationAdopt(UUID?)
    case deliberationClose(UUID?)
    case juryCandidate(UUID?, candidate: UUID?)
    case decisionHistory(UUID?, candidate: UUID?)
    case minutes(UUID?)
    case minutesPDF(UUID?)
    /// Every document the jury issued, as PDF, in one ZIP archive.
    case juryDocumentsArchive(UUID?)
    case minutesStylesheet
    case juryHolderDeclaration(UUID?)
    case juryHolderDeclarationFile(UUID?)
    /// A new file declaring again only the holders the Caisse des Dépôts rejected.
    case juryHolderDeclarationRejectedFile(UUID?)
    /// The Caisse des Dépôts' return files: those imported, and the form to import one.
    case holderDeclarationReturns
    /// The credentials' issuer keys: the current one, those still verifying, rotation.
    case issuerKeys
    case issuerKeysRotate
    /// One object of a référentiel's CASE package, as JSON at its own URI (`/case/CFItems/ID`).
    case caseObject(collection: String?, identifier: String?)
    case settings
    case mySpace
    /// The messages mailed to the signed-in user, and one of them.
    case myMessages
    case myMessage(UUID?)
    /// The signed-in person's account, security and messages, and their personal data's archive.
    case myAccount
    case myPersonalDataExport
    /// Sending a session's convocations (and setting its place and instructions).
    case sessionConvocations(UUID?)
    case document(UUID?)
    case documentPDF(UUID?)
    /// The documents' print rules as a file (the Content Security Policy blocks inline styles).
    case documentPrintStylesheet
    case verify
    case verifyCode(String?)
    case vaeRequests
    case vaeRequestsExport
    case vaeCandidate(UUID?)
    case vaeRequest(UUID?)
    case vaeExperiences(UUID?)
    case vaeSubmit(UUID?)
    case vaeAdmissibility(UUID?)
    case vaeSituations(UUID?)
    case vaeEvidence(UUID?)
    case vaeEvidenceFile(UUID?)
    case vaeJury(UUID?)
    case vaeJuryMembers(UUID?)
    case vaeDecisions(UUID?)
    case jwks
    case credentialIssuer
    case credentialStatusList(Int?)
    case credentialVerify
    /// The JSON form of `credentialVerify`, under `/api/` but public and without a token.
    case credentialVerifyAPI
    case credentialPage(UUID?)
    case candidateCredential(UUID?, scope: String?)
    case candidateTranscript(UUID?)
    /// A session's deadline and anonymity settings for written work.
    case sessionSubmissionSettings(UUID?)
    /// Handing in a written work for a session, from the candidate's space.
    case submissionUpload(UUID?)
    /// A handed-in version, downloaded; and choosing it as the one that counts.
    case submissionFile(UUID?)
    case submissionCount(UUID?)
    /// RGPD: the people past the retention period; one candidate's erasure; their archive.
    case personalData
    case candidatePersonalData(UUID?)
    case candidatePersonalDataExport(UUID?)
    case accountPersonalData(UUID?)
    case accountPersonalDataExport(UUID?)
    case accounts
    case accountInvite
    case account(UUID?)
    case accountChange(UUID?)
    case accountDeactivate(UUID?)
    case accountReactivate(UUID?)
    case accountEndSessions(UUID?)
    case accountResendInvitation(UUID?)
    /// Inviting, in one go, a cohort's candidates who have no account yet.
    case cohortInviteCandidates(UUID?)
    case passwordForgotten
    /// The one-time links mailed to choose a password: an invitation, a password reset.
    case invitation(String?)
    case passwordReset(String?)
    /// Signing in, second step: the code of the authenticator app.
    case secondFactor
    /// One's own second factor (« Double authentification »), and the manager's reset of someone's.
    case twoFactor
    case twoFactorEnrol
    case twoFactorConfirm
    case twoFactorRecoveryCodes
    case twoFactorDisable
    case twoFactorReset(UUID?)
    /// A session's oral slots: the schedule, its generation, a slot added by hand.
    case sessionPlanning(UUID?)
    case sessionSlotNew(UUID?)
    /// One slot: changing it, deleting it, marking who came, a candidate's convocation PDF.
    case slot(UUID?)
    case slotDelete(UUID?)
    case slotAttendance(UUID?)
    case slotConvocation(UUID?, candidate: UUID?)
    /// A session's convocations as PDF files in one ZIP.
    case sessionConvocationsArchive(UUID?)
    /// One's own slots as a calendar file (candidate or evaluator).
    case myCalendar
    /// A candidate's accommodations: the requests, the form, the certifier's decision.
    case candidateAccommodations(UUID?)
    case accommodationDecision(UUID?)
    /// The statistics (filters in the query), their CSV, the people behind a figure, their print rules.
    case statistics
    case statisticsExport
    case statisticsPeople
    case statisticsStylesheet
    /// A candidate's own appeals (recours) and the form to file one; the list of every appeal;
    /// one appeal with its review.
    case myAppeals
    case appeals
    case appeal(UUID?)
    /// A VAE dossier's situation changed (its form) or removed, a document removed: until submitted.
    case vaeSituation(UUID?, situation: UUID?)
    case vaeSituationDelete(UUID?, situation: UUID?)
    case vaeEvidenceDelete(UUID?, evidence: UUID?)
    /// Insertion surveys: the manager's (or a school's) figures, sending the due ones, closing a
    /// wave, the results as CSV; the holder's questionnaire by personal link, or from their space.
    case insertionSurveys
    case insertionSurveysSend
    case insertionSurveysClose
    case insertionSurveysExport
    case survey(String?)
    case mySurvey(UUID?)

    /// The route parameter names, used by `Request.id(_:)`.
    enum Parameter: String {
        case outboxMessage
        case school, cohort, candidate, session, grid, team, jury, member, document, code, version
        case vaeRequest, evidence, apiToken
        case submission
        case slot, accommodation
        case partnerAuthorization
        case appeal
        case situation
        case message
        case statusList, credential, credentialScope
        case account, accountToken
        case caseCollection, caseIdentifier
        case survey, surveyToken
    }

    private var parts: [(String, Parameter?, String?)] {
        func p(_ name: String) -> (String, Parameter?, String?) { (name, nil, nil) }
        func id(_ parameter: Parameter, _ value: UUID?) -> (String, Parameter?, String?) {
            ("", parameter, value?.uuidString)
        }
        func text(_ parameter: Parameter, _ value: String?) -> (String, Parameter?, String?) { ("", parameter, value) }
        return switch self {
        case .home: []
        case .login: [p("login")]
        case .logout: [p("logout")]
        case .password: [p("account"), p("password")]
        case .apiTokens: [p("account"), p("tokens")]
        case .apiTokenRevoke(let v): [p("account"), p("tokens"), id(.apiToken, v), p("revoke")]
        case .outbox: [p("outbox")]
        case .outboxMessage(let v): [p("outbox"), id(.outboxMessage, v)]
        case .outboxRetry(let v): [p("outbox"), id(.outboxMessage, v), p("retry")]
        case .outboxTest: [p("outbox"), p("test")]
        case .stylesheet: [p("styles.css")]
        case .health: [p("health")]
        case .referential: [p("referential")]
        case .referentialVersions: [p("referential"), p("versions")]
        case .referentialVersionConfirm: [p("referential"), p("versions"), p("confirm")]
        case .referentialCorrespondence(let v): [p("referential"), p("versions"), id(.version, v), p("correspondence")]
        case .referentialCASE(let v): [p("referential"), p("versions"), id(.version, v), p("case.json")]
        case .referentialMoodle(let v): [p("referential"), p("versions"), id(.version, v), p("moodle.csv")]
        case .schools: [p("schools")]
        case .school(let v): [p("schools"), id(.school, v)]
        case .schoolCohorts(let v): [p("schools"), id(.school, v), p("cohorts")]
        case .schoolAuthorizations(let v): [p("schools"), id(.school, v), p("authorizations")]
        case .partnerAuthorization(let v): [p("authorizations"), id(.partnerAuthorization, v)]
        case .partnerAuthorizationEnd(let v): [p("authorizations"), id(.partnerAuthorization, v), p("end")]
        case .partnerAuthorizationAgreement(let v):
            [p("authorizations"), id(.partnerAuthorization, v), p("agreement.pdf")]
        case .cohortNewCandidate(let v): [p("cohorts"), id(.cohort, v), p("candidates"), p("new")]
        case .cohortImportConfirm(let v): [p("cohorts"), id(.cohort, v), p("import"), p("confirm")]
        case .candidateSearch: [p("candidates")]
        case .cohort(let v): [p("cohorts"), id(.cohort, v)]
        case .cohortCandidates(let v): [p("cohorts"), id(.cohort, v), p("candidates")]
        case .cohortImport(let v): [p("cohorts"), id(.cohort, v), p("import")]
        case .cohortImportTemplate(let v): [p("cohorts"), id(.cohort, v), p("import"), p("template.csv")]
        case .cohortTeams(let v): [p("cohorts"), id(.cohort, v), p("teams")]
        case .cohortSessions(let v): [p("cohorts"), id(.cohort, v), p("sessions")]
        case .cohortResults(let v): [p("cohorts"), id(.cohort, v), p("results")]
        case .candidate(let v): [p("candidates"), id(.candidate, v)]
        case .candidateEdit(let v): [p("candidates"), id(.candidate, v), p("edit")]
        case .candidateResults(let v): [p("candidates"), id(.candidate, v), p("results")]
        case .session(let v): [p("sessions"), id(.session, v)]
        case .myGrids: [p("grids")]
        case .grid(let v): [p("grids"), id(.grid, v)]
        case .team(let v): [p("teams"), id(.team, v)]
        case .sessionEvaluators(let v): [p("sessions"), id(.session, v), p("evaluators")]
        case .sessionSpreadsheet(let v): [p("sessions"), id(.session, v), p("grids.csv")]
        case .gridHistory(let v): [p("grids"), id(.grid, v), p("history")]
        case .sessionDoubleMarking(let v): [p("sessions"), id(.session, v), p("double-marking")]
        case .marking(let v): [p("grids"), id(.grid, v), p("marking")]
        case .markingDisagreements(let v): [p("grids"), id(.grid, v), p("disagreements")]
        case .markingThird(let v): [p("grids"), id(.grid, v), p("third-evaluator")]
        case .raterAgreement: [p("agreement")]
        case .juries: [p("juries")]
        case .jury(let v): [p("juries"), id(.jury, v)]
        case .juryMembers(let v): [p("juries"), id(.jury, v), p("members")]
        case .juryMember(let v, let m): [p("juries"), id(.jury, v), p("members"), id(.member, m), p("remove")]
        case .juryConflicts(let v): [p("juries"), id(.jury, v), p("conflicts")]
        case .referentialYAML(let v): [p("referential"), p("versions"), id(.version, v), p("referentiel.yaml")]
        case .deliberation(let v): [p("juries"), id(.jury, v), p("deliberation")]
        case .deliberationAdopt(let v): [p("juries"), id(.jury, v), p("deliberation"), p("adopt")]
        case .deliberationClose(let v): [p("juries"), id(.jury, v), p("deliberation"), p("close")]
        case .juryCandidate(let v, let c): [p("juries"), id(.jury, v), p("candidates"), id(.candidate, c)]
        case .decisionHistory(let v, let c):
            [p("juries"), id(.jury, v), p("candidates"), id(.candidate, c), p("history")]
        case .minutes(let v): [p("juries"), id(.jury, v), p("minutes")]
        case .minutesPDF(let v): [p("juries"), id(.jury, v), p("minutes.pdf")]
        case .juryDocumentsArchive(let v): [p("juries"), id(.jury, v), p("documents.zip")]
        case .minutesStylesheet: [p("minutes.css")]
        case .juryHolderDeclaration(let v): [p("juries"), id(.jury, v), p("holder-declaration")]
        case .juryHolderDeclarationFile(let v): [p("juries"), id(.jury, v), p("holder-declaration.xml")]
        case .juryHolderDeclarationRejectedFile(let v):
            [p("juries"), id(.jury, v), p("holder-declaration-rejected.xml")]
        case .holderDeclarationReturns: [p("holder-declaration"), p("returns")]
        case .issuerKeys: [p("settings"), p("keys")]
        case .issuerKeysRotate: [p("settings"), p("keys"), p("rotate")]
        case .caseObject(let collection, let identifier):
            [p("case"), text(.caseCollection, collection), text(.caseIdentifier, identifier)]
        case .settings: [p("settings")]
        case .mySpace: [p("me")]
        case .myMessages: [p("me"), p("messages")]
        case .myAccount: [p("me"), p("account")]
        case .myPersonalDataExport: [p("me"), p("personal-data.zip")]
        case .myMessage(let v): [p("me"), p("messages"), id(.message, v)]
        case .sessionConvocations(let v): [p("sessions"), id(.session, v), p("convocations")]
        case .document(let v): [p("documents"), id(.document, v)]
        case .documentPDF(let v): [p("documents"), id(.document, v), p("pdf")]
        case .documentPrintStylesheet: [p("documents"), p("print.css")]
        case .verify: [p("verify")]
        case .verifyCode(let v): [p("verify"), text(.code, v)]
        case .vaeRequests: [p("vae")]
        case .vaeRequestsExport: [p("vae"), p("requests.csv")]
        case .vaeCandidate(let v): [p("vae"), p("candidates"), id(.candidate, v)]
        case .vaeRequest(let v): [p("vae"), p("requests"), id(.vaeRequest, v)]
        case .vaeExperiences(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("experiences")]
        case .vaeSubmit(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("submit")]
        case .vaeAdmissibility(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("admissibility")]
        case .vaeSituations(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("situations")]
        case .vaeEvidence(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("evidence")]
        case .vaeEvidenceFile(let v): [p("vae"), p("evidence"), id(.evidence, v)]
        case .vaeJury(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("jury")]
        case .vaeJuryMembers(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("jury"), p("members")]
        case .vaeDecisions(let v): [p("vae"), p("requests"), id(.vaeRequest, v), p("decisions")]
        case .jwks: [p(".well-known"), p("jwks.json")]
        case .credentialIssuer: [p("credentials"), p("issuer")]
        case .credentialStatusList(let n): [p("credentials"), p("status"), text(.statusList, n.map(String.init))]
        case .credentialVerify: [p("credentials"), p("verify")]
        case .credentialVerifyAPI: CredentialPages.verifyAPIPath.map(p)
        case .credentialPage(let v): [p("credentials"), id(.credential, v)]
        case .candidateCredential(let v, let s):
            [p("candidates"), id(.candidate, v), p("credentials"), text(.credentialScope, s)]
        case .candidateTranscript(let v): [p("candidates"), id(.candidate, v), p("credentials"), p("transcript.jwt")]
        case .sessionSubmissionSettings(let v): [p("sessions"), id(.session, v), p("submission-settings")]
        case .submissionUpload(let v): [p("me"), p("sessions"), id(.session, v), p("submission")]
        case .submissionFile(let v): [p("submissions"), id(.submission, v)]
        case .submissionCount(let v): [p("submissions"), id(.submission, v), p("count")]
        case .personalData: [p("personal-data")]
        case .candidatePersonalData(let v): [p("candidates"), id(.candidate, v), p("personal-data")]
        case .candidatePersonalDataExport(let v): [p("candidates"), id(.candidate, v), p("personal-data.zip")]
        case .accountPersonalData(let v): [p("accounts"), id(.account, v), p("personal-data")]
        case .accountPersonalDataExport(let v): [p("accounts"), id(.account, v), p("personal-data.zip")]
        case .accounts: [p("accounts")]
        case .accountInvite: [p("accounts"), p("invite")]
        case .account(let v): [p("accounts"), id(.account, v)]
        case .accountChange(let v): [p("accounts"), id(.account, v), p("change")]
        case .accountDeactivate(let v): [p("accounts"), id(.account, v), p("deactivate")]
        case .accountReactivate(let v): [p("accounts"), id(.account, v), p("reactivate")]
        case .accountEndSessions(let v): [p("accounts"), id(.account, v), p("end-sessions")]
        case .accountResendInvitation(let v): [p("accounts"), id(.account, v), p("resend-invitation")]
        case .cohortInviteCandidates(let v): [p("cohorts"), id(.cohort, v), p("invite")]
        case .passwordForgotten: [p("password"), p("forgotten")]
        case .invitation(let v): [p("invitation"), text(.accountToken, v)]
        case .passwordReset(let v): [p("password"), p("reset"), text(.accountToken, v)]
        case .secondFactor: [p("login"), p("code")]
        case .twoFactor: [p("account"), p("two-factor")]
        case .twoFactorEnrol: [p("account"), p("two-factor"), p("enrol")]
        case .twoFactorConfirm: [p("account"), p("two-factor"), p("confirm")]
        case .twoFactorRecoveryCodes: [p("account"), p("two-factor"), p("recovery-codes")]
        case .twoFactorDisable: [p("account"), p("two-factor"), p("disable")]
        case .twoFactorReset(let v): [p("accounts"), id(.account, v), p("two-factor"), p("reset")]
        case .sessionPlanning(let v): [p("sessions"), id(.session, v), p("planning")]
        case .sessionSlotNew(let v): [p("sessions"), id(.session, v), p("planning"), p("slots")]
        case .slot(let v): [p("slots"), id(.slot, v)]
        case .slotDelete(let v): [p("slots"), id(.slot, v), p("delete")]
        case .slotAttendance(let v): [p("slots"), id(.slot, v), p("attendance")]
        case .slotConvocation(let v, let c): [p("slots"), id(.slot, v), p("convocations"), id(.candidate, c)]
        case .sessionConvocationsArchive(let v): [p("sessions"), id(.session, v), p("convocations.zip")]
        case .myCalendar: [p("me"), p("calendar.ics")]
        case .candidateAccommodations(let v): [p("candidates"), id(.candidate, v), p("accommodations")]
        case .accommodationDecision(let v): [p("accommodations"), id(.accommodation, v), p("decision")]
        case .statistics: [p("statistics")]
        case .statisticsExport: [p("statistics"), p("statistiques.csv")]
        case .statisticsPeople: [p("statistics"), p("people")]
        case .statisticsStylesheet: [p("statistics.css")]
        case .myAppeals: [p("me"), p("appeals")]
        case .appeals: [p("appeals")]
        case .appeal(let v): [p("appeals"), id(.appeal, v)]
        case .vaeSituation(let v, let s):
            [p("vae"), p("requests"), id(.vaeRequest, v), p("situations"), id(.situation, s)]
        case .vaeSituationDelete(let v, let s):
            [p("vae"), p("requests"), id(.vaeRequest, v), p("situations"), id(.situation, s), p("delete")]
        case .vaeEvidenceDelete(let v, let e):
            [p("vae"), p("requests"), id(.vaeRequest, v), p("evidence"), id(.evidence, e), p("delete")]
        case .insertionSurveys: [p("surveys")]
        case .insertionSurveysSend: [p("surveys"), p("send")]
        case .insertionSurveysClose: [p("surveys"), p("close")]
        case .insertionSurveysExport: [p("surveys"), p("results.csv")]
        case .survey(let v): [p("survey"), text(.surveyToken, v)]
        case .mySurvey(let v): [p("me"), p("surveys"), id(.survey, v)]
        }
    }

    /// The path to link to: `/cohorts/5D3…/candidates`.
    var path: String {
        "/"
            + parts.map { name, parameter, value in
                parameter == nil ? name : (value.map(Self.escape) ?? ":\(parameter!.rawValue)")
            }.joined(separator: "/")
    }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? segment
    }

    /// The path with `?key=value` appended, values escaped.
    func path(query: [String: String]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.string ?? path
    }

    /// The components to register a route with.
    var pattern: [PathComponent] {
        parts.map { name, parameter, _ in
            parameter.map { .parameter($0.rawValue) } ?? .constant(name)
        }
    }
}

extension Request {
    /// A UUID route parameter, or 404 when it is not one.
    func id(_ parameter: SiteRoute.Parameter) throws -> UUID {
        guard let text = parameters.get(parameter.rawValue), let id = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: "Identifiant « \(parameters.get(parameter.rawValue) ?? "") » invalide.")
        }
        return id
    }

    func redirect(to route: SiteRoute) -> Response {
        redirect(to: route.path, redirectType: .normal)
    }
}
