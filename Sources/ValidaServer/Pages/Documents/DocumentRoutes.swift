import Vapor

/// Documents, a jury's documents as one archive, their public verification and the
/// candidate's space.
enum DocumentRoutes {
    /// The documents' print rules as a file: the site's Content Security Policy
    /// (`style-src 'self'`) blocks the inline copy in browsers. A constant path wins over
    /// `/documents/:id` in Vapor's router.
    static let printStylesheetPath = "/documents/print.css"

    static func register(public: any RoutesBuilder, signedIn: any RoutesBuilder) {
        `public`.get(.verify, use: VerifyPage.form)
        `public`.get(.verifyCode(nil), use: VerifyPage.show)
        `public`.get("documents", "print.css") { _ in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: DocumentView.stylesheet))
        }
        signedIn.get(.document(nil), use: DocumentPage.show)
        signedIn.get(.documentPDF(nil), use: DocumentPage.pdf)
        signedIn.get(.juryDocumentsArchive(nil), use: DocumentArchive.download)
        signedIn.get(.mySpace, use: MySpacePage.show)
    }
}
