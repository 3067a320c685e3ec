import Plot
import ValidaCore
import Vapor

/// What every page needs besides its own model: who is signed in, the form token, a
/// message left by the previous request.
struct PageContext: Sendable {
    let user: CurrentUser?
    let flash: String?
    let path: String
    private let request: Request?

    init(_ request: Request) {
        self.request = request
        user = request.currentUser
        path = request.url.path
        flash = request.userSession?.flash
        if flash != nil { request.userSession?.flash = nil }
    }

    /// The form token, asked for only by pages that show a form: an anonymous visitor's is
    /// a signed cookie, set only then.
    var csrf: String { request.map(CSRFMiddleware.token(for:)) ?? "" }
}

extension Request {
    /// A message shown once, on the next page (signed-in users only: nothing is stored for
    /// anonymous visitors).
    func flash(_ message: String) {
        userSession?.flash = message
    }
}

/// The page shell: header with the navigation the user's role allows, the main content, and
/// one small stylesheet. No script: every page works with a keyboard and without JavaScript.
enum Layout {
    static func page(_ title: String, _ context: PageContext, _ content: Node<HTML.BodyContext>...) -> HTML {
        HTML(
            .lang(.french),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(title) — Valida"),
                .link(.rel(.stylesheet), .href(SiteRoute.stylesheet.path))
            ),
            .body(
                .a(.class("skip"), .href("#contenu"), "Aller au contenu"),
                .header(
                    .class("site"),
                    .a(.class("brand"), .href(SiteRoute.home.path), "Valida"),
                    navigation(context),
                    phoneMenu(context)
                ),
                .main(
                    .id("contenu"),
                    .unwrap(context.flash) {
                        Form.alert($0, .notice)
                    },
                    .h1(.text(title)),
                    .group(content)
                )
            )
        )
    }

    /// On a phone, the same navigation folded in a « Menu » that opens without script; the
    /// stylesheet shows either this or the wide one, never both.
    static func phoneMenu(_ context: PageContext) -> Node<HTML.BodyContext> {
        guard context.user != nil else { return .empty }
        return .details(.class("phone-menu"), .summary("Menu"), navigation(context))
    }

    static func navigation<Context: HTML.BodyContext>(_ context: PageContext) -> Node<Context> {
        guard let user = context.user else { return .empty }
        var links: [(String, SiteRoute)] = [("Accueil", .home), ("Référentiel", .referential)]
        switch user.role {
        case .certificationManager:
            links += [("Écoles", .schools), ("Jurys", .juries), ("VAE", .vaeRequests), ("Paramètres", .settings)]
            links.append(("Données personnelles", .personalData))
            links.append(("Boîte d'envoi", .outbox))
            links.append(("Accord entre évaluateurs", .raterAgreement))
            links.append(("Recours", .appeals))
        // « Recours »: a jury president reviews the appeals on their juries' decisions.
        case .juryMember: links += [("Écoles", .schools), ("Jurys", .juries), ("Recours", .appeals)]
        case .schoolCoordinator: if let school = user.user.$school.id { links.append(("Mon école", .school(school))) }
        case .evaluator: links.append(("Mes grilles", .myGrids))
        case .candidate: links.append(("Mon espace", .mySpace))
        }
        if user.role == .certificationManager || user.role == .schoolCoordinator {
            links.append(("Comptes", .accounts))
            links.append(("Statistiques", .statistics))
        }
        // Password, second factor, API tokens and one's data are on « Mon compte ».
        links.append(("Mes messages", .myMessages))
        links.append(("Mon compte", .myAccount))
        return .nav(
            .attribute(named: "aria-label", value: "Navigation principale"),
            .ul(
                .forEach(links) { label, route in
                    .li(
                        .a(
                            .href(route.path),
                            .if(context.path == route.path, .attribute(named: "aria-current", value: "page")),
                            .text(label)))
                },
                .li(
                    .form(
                        .method(.post), .action(SiteRoute.logout.path), .class("inline"),
                        Form.csrf(context),
                        .button(.type(.submit), .class("link"), .text("Se déconnecter (\(user.user.displayName))"))
                    ))
            )
        )
    }
}

extension HTML {
    /// The page as a response, UTF-8 HTML.
    func response(_ status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: status, headers: headers, body: .init(string: render()))
    }
}
