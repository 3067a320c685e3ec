import Fluent
import Foundation
import Testing
import ValidaCore
import VaporTesting

@testable import ValidaServer

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13, point 1, printing half: what is printed reaches nothing but itself. A name
/// carrying an `<iframe src="file:///etc/passwd">` prints as text; a page with scripts,
/// local files and addresses on this machine prints without running or fetching any.
@Suite("Security: printing reaches nothing but the document")
struct PrintingSecurityTests {
    static let payload = #"Yanis"><iframe src="file:///etc/passwd" width=700 height=500></iframe>"#
    /// The first line of /etc/passwd on every Linux system.
    static let passwd = "root:x:0:0"

    @Test("the attestation and the minutes of a candidate and a jury named with a file:// iframe print no file")
    func payloadInNames() async throws {
        try await withTestApp { app in
            guard PrintingTools.available(app) else { return }
            let w = try await DeliberationTests.world(app)
            let candidate = w.f.candidates[0]
            candidate.firstNames = Self.payload
            try await candidate.save(on: app.db)
            let jury = try #require(try await DBJury.find(w.juryID, on: app.db))
            jury.name = Self.payload
            try await jury.save(on: app.db)
            try await DBDecision(
                candidateID: candidate.id!, juryID: w.juryID,
                decision: Decision(
                    id: "", scope: .certification, outcome: .validated, justification: Self.payload,
                    decidedBy: "Paule Présidente", decidedOn: CalendarDate(iso: "2026-07-03")!),
                decidedBy: w.president.id!
            ).create(on: app.db)
            let document = try DBDocument(
                candidateID: candidate.id!, juryID: w.juryID,
                document: DocumentFixture.content(
                    .blockAttestation, holder: "\(Self.payload) Martin", birthDate: "2000-01-01",
                    blocks: [DocumentFixture.analyse]),
                code: "EVIL-ABCD-2345")
            try await document.create(on: app.db)

            let manager = try await TestBrowser.signedIn(app, w.people.manager)
            for (what, path) in [
                ("attestation", SiteRoute.documentPDF(document.id).path),
                ("minutes", SiteRoute.minutesPDF(w.juryID).path),
            ] {
                let response = try await manager.get(path)
                #expect(response.status == .ok, "\(what)")
                let text = try PrintingTools.pages(response.bodyData).joined(separator: "\n")
                #expect(!text.contains(Self.passwd), "\(what): /etc/passwd printed")
                // The name prints as the text it is.
                let flat = text.replacingOccurrences(of: "\\s+", with: "", options: .regularExpression)
                #expect(
                    flat.contains(#"Yanis"><iframesrc="file:///etc/passwd""#),
                    "\(what): the name is not printed as text")
            }
        }
    }

    @Test("a printed page runs no script and loads no file or address, even without its CSP")
    func hostilePage() async throws {
        try await withTestApp { app in
            guard PrintingTools.available(app) else { return }
            let listener = try LoopbackListener()
            listener.start()
            defer { listener.stop() }
            let local = "http://127.0.0.1:\(listener.port)"
            // No Content-Security-Policy here: the browser's own settings must hold.
            let page = """
                <!doctype html><html><head><meta charset="utf-8">
                <link rel="stylesheet" href="\(local)/style.css">
                <style>@import url("\(local)/import.css"); body { background: url("\(local)/background.png"); }
                @font-face { font-family: x; src: url("\(local)/font.woff"); } p { font-family: x; }</style>
                </head><body>
                <p id="mark">Page hostile</p>
                <script>document.getElementById("mark").textContent = "SCRIPT EXECUTE"; fetch("\(local)/fetch");</script>
                <img src="file:///etc/passwd" alt="">
                <img src="\(local)/image.png" alt="">
                <iframe src="file:///etc/passwd" width="700" height="300"></iframe>
                <iframe src="\(local)/frame" width="700" height="300"></iframe>
                <object data="file:///etc/passwd" width="700" height="300"></object>
                <embed src="file:///etc/passwd" width="700" height="300">
                <video src="\(local)/video.mp4" poster="\(local)/poster.png"></video>
                <meta http-equiv="refresh" content="0; url=file:///etc/passwd">
                </body></html>
                """
            let pdf = try await PDFRenderer.render(html: page, on: app)
            let text = try PrintingTools.pages(pdf).joined(separator: "\n")
            #expect(text.contains("Page hostile"))
            #expect(!text.contains("SCRIPT EXECUTE"))
            #expect(!text.contains(Self.passwd))
            // Anything late would have arrived by now.
            try await Task.sleep(for: .milliseconds(500))
            #expect(listener.connections == 0, "requests reached the local listener: \(listener.connections)")
        }
    }
}

/// A TCP listener on 127.0.0.1 (a port between 18530 and 18559) that counts who connects.
final class LoopbackListener: @unchecked Sendable {
    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var count = 0
    private var running = true

    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var bound: UInt16?
        for candidate in UInt16(18530)...18559 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = candidate.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == 0 {
                bound = candidate
                break
            }
        }
        guard let bound, listen(fd, 16) == 0 else {
            close(fd)
            throw Abort(.internalServerError, reason: "no free port for the test listener")
        }
        port = bound
        socket = fd
    }

    /// Starts counting connections.
    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var connections: Int { lock.withLock { count } }

    func stop() {
        lock.withLock { running = false }
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func acceptLoop() {
        while lock.withLock({ running }) {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            lock.withLock { count += 1 }
            close(client)
        }
    }
}
