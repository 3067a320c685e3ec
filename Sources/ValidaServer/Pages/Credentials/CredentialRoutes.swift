import Vapor

/// Open Badges credentials: the issuer's public keys, status lists and profile, the public
/// verification of a credential, and a candidate's downloads.
enum CredentialRoutes {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(.jwks, use: CredentialPages.jwks)
        routes.get(.credentialIssuer, use: CredentialPages.issuerProfile)
        routes.get(.credentialStatusList(nil), use: CredentialPages.statusList)
        routes.get(.credentialVerify, use: CredentialPages.verifyForm)
        routes.post(.credentialVerify, use: CredentialPages.verify)
        // Outside the CSRF check (the /api/ prefix) and without a token: anyone may verify.
        routes.post(.credentialVerifyAPI, use: CredentialPages.verifyAPI)
        routes.get(.credentialPage(nil), use: CredentialPages.show)
        routes.get(.candidateCredential(nil, scope: nil), use: CredentialPages.download)
        routes.get(.candidateTranscript(nil), use: CredentialPages.downloadTranscript)
    }
}
