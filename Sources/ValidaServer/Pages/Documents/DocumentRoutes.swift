import Vapor

/// Documents, a jury's documents as one archive, their public verification and the
/// candidate's space.
enum DocumentRoutes {
    /// The documents' print rules as a file: the site's Content Security Policy
    /// (`style-src 'self'`) blocks the inline copy in browsers. A constant path wins over
    /// `/documents/:id` in Vapor's router.
    static let printStylesheetPath = SiteRoute.documentPrintStylesheet.path

    static func register(_ routes: any RoutesBuilder) {
        routes.get(.verify, use: VerifyPage.form)
        routes.get(.verifyCode(nil), use: VerifyPage.show)
        routes.get(.documentPrintStylesheet) { _ in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(string: DocumentView.stylesheet))
        }
        routes.get(.document(nil), use: DocumentPage.show)
        routes.get(.documentPDF(nil), use: DocumentPage.pdf)
        routes.get(.juryDocumentsArchive(nil), use: DocumentArchive.download)
        routes.get(.mySpace, use: MySpacePage.show)
    }
}
