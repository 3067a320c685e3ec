import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

/// A VAE world: the format doc's example référentiel with a second block (so a candidate
/// can validate one block, then come back for the rest) and its registration date (so a
/// diploma can be issued), a school, a cohort, a VAE candidate with an account, the
/// certifier, three jury-member accounts, and the document settings.
struct VAEWorld {
    let app: Application
    let referential: DBReferential
    let school: DBSchool
    let candidate: DBCandidate
    let account: DBUser
    let manager: DBUser
    let president: DBUser
    let member: DBUser
    let outsider: DBUser
    /// Another candidate's account, same school, not on the VAE route.
    let otherAccount: DBUser

    static func yaml() throws -> String {
        var text = try ServerFixture.exampleYAML()
        if !text.contains("registration-date:") {
            text = text.replacingOccurrences(of: "version:\n", with: "  registration-date: 2024-03-15\nversion:\n")
        }
        text = text.replacingOccurrences(
            of: "assessments:\n",
            with: """
                - id: BC02
                  code: RNCP00001BC02
                  title: Piloter un projet
                  activities:
                  - id: A2.1
                    title: Pilotage
                    tasks:
                    - Planification
                  competencies:
                  - id: C2.1
                    text: Planifier un projet et ses ressources.
                  - id: C2.2
                    text: Conduire une équipe projet.
                assessments:
                - id: E2.1
                  title: Mise en situation
                  kind: case-study
                  competencies:
                  - C2.1
                  - C2.2
                  work: individual
                  deliverables:
                  - mode: written
                  expected-production: Un plan de projet.
                  scale: binary
                  criteria:
                  - id: E2.1-1
                    text: Le plan est réaliste.
                    competencies:
                    - C2.1
                    - C2.2

                """)
        return text
    }

    static func make(_ app: Application) async throws -> VAEWorld {
        let db = app.db
        let referential = try await ReferentialStore.store(yaml: try yaml(), sourceName: "vae.yaml", on: db)
        let school = DBSchool(name: "École de l'Exemple", city: "Lyon")
        try await school.create(on: db)
        let cohort = DBCohort(schoolID: school.id!, referentialID: referential.id!, name: "VAE 2026")
        try await cohort.create(on: db)
        func candidate(_ name: String, _ first: String, _ route: AccessRoute) async throws -> DBCandidate {
            let c = DBCandidate(
                schoolID: school.id!, cohortID: cohort.id!, referentialID: referential.id!,
                identity: CandidateIdentity(
                    birthName: name, firstNames: first, birthDate: CalendarDate(year: 1985, month: 4, day: 2)!,
                    birthPlace: "Lyon",
                    birthPlaceINSEE: "69123", sex: .female, email: "\(first.lowercased())@example.fr",
                    accessRoute: route))
            try await c.create(on: db)
            return c
        }
        let vae = try await candidate("Durand", "Sophie", .vae)
        let other = try await candidate("Morel", "Paul", .continuingEducation)
        func user(_ email: String, _ name: String, _ role: Role, candidate: UUID? = nil) async throws -> DBUser {
            let user = DBUser(
                email: email, displayName: name, passwordHash: try Bcrypt.hash(ServerFixture.password, cost: 4),
                role: role, candidateID: candidate)
            try await user.create(on: db)
            return user
        }
        try await AppSettings(
            certifierName: "École de l'Exemple", deliveryPlace: "Lyon", signatoryName: "Rémi Responsable",
            signatoryTitle: "Directeur", cdcClientID: "CLIENT", cdcContractID: "CONTRAT",
            publicBaseURL: "https://valida.example.fr"
        ).save(on: db)
        return VAEWorld(
            app: app, referential: referential, school: school, candidate: vae,
            account: try await user("sophie@example.fr", "Sophie Durand", .candidate, candidate: vae.id),
            manager: try await user("resp@example.fr", "Rémi Responsable", .certificationManager),
            president: try await user("pres@example.fr", "Paule Présidente", .juryMember),
            member: try await user("pro@example.fr", "Marc Professionnel", .juryMember),
            outsider: try await user("autre-jury@example.fr", "Xavier Ailleurs", .juryMember),
            otherAccount: try await user("paul@example.fr", "Paul Morel", .candidate, candidate: other.id))
    }

    func request(_ n: Int = 0) async throws -> DBVAERequest {
        let all = try await DBVAERequest.query(on: app.db).sort(\.$createdAt).all()
        return try #require(all.count > n ? all[n] : nil)
    }

    /// A request (for BC01 unless `blocks` says) whose dossier is submitted, before a VAE jury
    /// meeting on `meetsOn` with the president (qualified, employers' side) and a member
    /// (employees' side).
    func submittedRequestBeforeJury(meetsOn: String, whole: Bool = false, blocks: [String] = ["BC01"])
        async throws -> (request: DBVAERequest, jury: DBJury)
    {
        let request = DBVAERequest(candidateID: candidate.id!, kind: .classic, whole: whole, blocks: blocks)
        request.status = .dossierSubmitted
        try await request.create(on: app.db)
        let jury = DBJury(
            kind: .vae, name: "Jury VAE", place: "Lyon", meetsOn: try #require(CalendarDate(iso: meetsOn)))
        try await jury.create(on: app.db)
        request.$jury.id = jury.id
        try await request.save(on: app.db)
        try await DBJuryMember(
            juryID: jury.id!, userID: president.id!, role: .president,
            qualities: [.qualified, .employerRepresentative]
        ).create(on: app.db)
        try await DBJuryMember(
            juryID: jury.id!, userID: member.id!, role: .member, qualities: [.employeeRepresentative]
        )
        .create(on: app.db)
        return (request, jury)
    }
}

extension TestBrowser {
    /// Posts a multipart form with one file, as a browser's file input sends it.
    @discardableResult
    func upload(_ path: String, fields: [String: String], file name: String, data: Data, csrf: String? = nil)
        async throws -> TestingHTTPResponse
    {
        var fields = fields
        let token = csrf ?? self.csrf ?? ""
        if !token.isEmpty { fields[CSRFMiddleware.field] = token }
        let boundary = "----valida-test-\(UUID().uuidString)"
        var body = Data()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(bytes: body))
    }
}

enum VAESamples {
    static let pdf = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
    static let executable = Data("MZ\u{90}\u{0}this program cannot be run in DOS mode".utf8)
}
