import Vapor

/// The Caisse des Dépôts' return files and the rejected holders declared again; the issuer
/// keys' page; the CASE objects at their URIs.
enum HolderDeclarationReturnRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.holderDeclarationReturns, use: HolderDeclarationReturnPage.show)
        routes.on(
            .POST, .holderDeclarationReturns, body: .collect(maxSize: "21mb"), use: HolderDeclarationReturnPage.upload)
        routes.post(
            .juryHolderDeclarationRejectedFile(nil), then: [VAEJuryGuard()], use: HolderDeclarationPage.downloadRejected
        )
        routes.get(.issuerKeys, use: IssuerKeysPage.show)
        routes.post(.issuerKeysRotate, use: IssuerKeysPage.rotate)
        routes.get(.caseObject(collection: nil, identifier: nil), use: CASEObjects.show)
    }
}
