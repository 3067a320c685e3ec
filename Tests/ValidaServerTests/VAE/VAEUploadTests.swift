import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Evidence uploads under abuse: each refused with a message that says what is wrong, and
/// nothing stored — no row, no file, not even a temporary one. And files served only to
/// those allowed, as attachments.
@Suite("VAE: evidence uploads and their serving")
struct VAEUploadTests {
    struct Setup {
        let w: VAEWorld
        let request: DBVAERequest
        let situation: DBVAESituation
        let sophie: TestBrowser
    }

    /// An admissible request on BC01 with one situation, and the candidate on its page.
    static func setup(_ app: Application) async throws -> Setup {
        let w = try await VAEWorld.make(app)
        let request = DBVAERequest(candidateID: w.candidate.id!, kind: .classic, whole: false, blocks: ["BC01"])
        request.status = .admissible
        try await request.create(on: app.db)
        let situation = DBVAESituation(
            requestID: request.id!, blockID: "BC01", title: "Étude", description: "Une étude de marché",
            competencies: ["C1.1"])
        try await situation.create(on: app.db)
        let sophie = try await TestBrowser.signedIn(app, w.account)
        try await sophie.get(SiteRoute.vaeRequest(request.id).path)
        return Setup(w: w, request: request, situation: situation, sophie: sophie)
    }

    static func expectNothingStored(_ app: Application) async throws {
        #expect(try await DBVAEEvidence.query(on: app.db).count() == 0)
        #expect(app.vaeEvidence.storedNames() == [])
    }

    @Test(
        "refused: too large, content not matching the name, a path or control characters in the name",
        arguments: [
            (
                "preuve.pdf", Data("%PDF-1.7\n".utf8) + Data(count: EvidenceFileCheck.maxSize),
                "la limite est de 8 Mo par fichier"
            ),
            ("preuve.pdf", VAESamples.png, "son contenu (png) ne correspond pas à son extension"),
            ("photo.png", VAESamples.executable, "son contenu n'est ni un PDF"),
            ("outil.exe", VAESamples.executable, "seuls les PDF, images PNG ou JPEG et documents bureautiques"),
            ("../../etc/passwd.pdf", VAESamples.pdf, "un nom de fichier ne contient pas de chemin"),
            ("..\\boot.pdf", VAESamples.pdf, "un nom de fichier ne contient pas de chemin"),
            ("..preuve.pdf", VAESamples.pdf, "« .. » n'est pas permis"),
            ("pre\tuve.pdf", VAESamples.pdf, "le nom contient des caractères de contrôle"),
            ("vide.pdf", Data(), "Le fichier est vide"),
        ])
    func refused(name: String, data: Data, message: String) async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let response = try await s.sophie.upload(
                SiteRoute.vaeEvidence(s.request.id).path,
                fields: ["situation": s.situation.id!.uuidString], file: name, data: data)
            #expect(response.status == .unprocessableEntity)
            #expect(pageText(response).contains(message), "\(name): \(pageText(response).prefix(400))")
            try await Self.expectNothingStored(app)
        }
    }

    /// Over a real connection the route refuses such a body (413) before reading it all; the
    /// in-memory test client hands the body over whole, and the file check refuses it (422).
    @Test("a body over the route's limit is refused; nothing stored")
    func overBodyLimit() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let huge = Data("%PDF-1.7\n".utf8) + Data(count: Int(VAERoutes.uploadBody.value) + 1)
            let response = try await s.sophie.upload(
                SiteRoute.vaeEvidence(s.request.id).path,
                fields: ["situation": s.situation.id!.uuidString], file: "gros.pdf", data: huge)
            #expect([.payloadTooLarge, .unprocessableEntity].contains(response.status))
            try await Self.expectNothingStored(app)
        }
    }

    @Test("a request interrupted mid-upload stores nothing, and the server goes on")
    func interrupted() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            let boundary = "----raw-upload"
            func head(_ name: String) -> Data {
                Data(
                    ("--\(boundary)\r\nContent-Disposition: form-data; name=\"situation\"\r\n\r\n\(s.situation.id!.uuidString)\r\n"
                        + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n\r\n")
                        .utf8)
            }
            func request(length: Int) -> Data {
                let cookie = s.sophie.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
                return Data(
                    ("POST \(SiteRoute.vaeEvidence(s.request.id).path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(length)\r\n"
                        + "Cookie: \(cookie)\r\n\(CSRFMiddleware.header): \(s.sophie.csrf ?? "")\r\n\r\n").utf8)
            }
            // Over the same raw connection, a whole upload is stored: the path works.
            let content = VAESamples.pdf + Data(count: 300_000)
            let whole = head("complet.pdf") + content + Data("\r\n--\(boundary)--\r\n".utf8)
            try Self.sendAndHangUp(port: port, request(length: whole.count) + whole)
            try await Self.waitFor { try await DBVAEEvidence.query(on: app.db).count() == 1 }
            // The same, cut off after 200 kB of the 800 kB announced: nothing more is stored.
            let partial = head("coupe.pdf") + VAESamples.pdf + Data(count: 200_000)
            try Self.sendAndHangUp(port: port, request(length: partial.count + 600_000) + partial)
            try await Task.sleep(for: .milliseconds(800))
            await app.server.shutdown()
            let rows = try await DBVAEEvidence.query(on: app.db).all()
            #expect(rows.map(\.originalName) == ["complet.pdf"] && rows[0].size == content.count)
            #expect(app.vaeEvidence.storedNames() == [rows[0].storedName])
            // The server went on serving.
            #expect(try await s.sophie.get(SiteRoute.vaeRequest(s.request.id).path).status == .ok)
        }
    }

    /// Polls `condition` for up to 10 s: the raw request is handled on the server's own time.
    static func waitFor(_ condition: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("condition not met within 10 s")
    }

    /// Connects, sends `bytes`, and closes without sending the rest the headers announced.
    static func sendAndHangUp(port: Int, _ bytes: Data) throws {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        var sent = 0
        try bytes.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = send(fd, raw.baseAddress! + sent, raw.count - sent, 0)
                try #require(n > 0)
                sent += n
            }
        }
    }

    @Test("a file is kept with its hash and detected type, and served as an attachment to those allowed only")
    func serving() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let name = "Relevé final.pdf"
            #expect(
                try await s.sophie.upload(
                    SiteRoute.vaeEvidence(s.request.id).path,
                    fields: ["situation": s.situation.id!.uuidString], file: name, data: VAESamples.pdf
                )
                .status == .seeOther)
            let evidence = try #require(try await DBVAEEvidence.query(on: app.db).first())
            #expect(evidence.detectedType == .pdf && evidence.size == VAESamples.pdf.count)
            #expect(evidence.sha256 == VAEEvidenceStorage.sha256(VAESamples.pdf))
            #expect(evidence.storedName != name && app.vaeEvidence.storedNames() == [evidence.storedName])
            let path = SiteRoute.vaeEvidenceFile(evidence.id).path
            let own = try await s.sophie.get(path)
            #expect(own.status == .ok)
            #expect(own.headers.first(name: .contentType) == "application/pdf")
            let disposition = own.headers.first(name: .contentDisposition) ?? ""
            #expect(
                disposition.hasPrefix(
                    "attachment; filename=\"Relev_ final.pdf\"; filename*=UTF-8''Relev%C3%A9%20final.pdf"))
            #expect(Data(own.body.readableBytesView) == VAESamples.pdf)
            let paul = try await TestBrowser.signedIn(app, s.w.otherAccount)
            #expect(try await paul.get(path).status == .forbidden)
            let outsider = try await TestBrowser.signedIn(app, s.w.outsider)
            #expect(try await outsider.get(path).status == .forbidden)
            let manager = try await TestBrowser.signedIn(app, s.w.manager)
            #expect(try await manager.get(path).status == .ok)
            // The file lives outside anything the site serves statically.
            #expect(try await s.sophie.get("/" + evidence.storedName).status == .notFound)
        }
    }
}
