import Vapor

/// Open Badges credentials: the issuer's public keys, status lists and profile, the public
/// verification of a credential, and a candidate's downloads.
enum CredentialRoutes {
    static func register(public: any RoutesBuilder, signedIn: any RoutesBuilder) {
        `public`.get(.jwks, use: CredentialPages.jwks)
        `public`.get(.credentialIssuer, use: CredentialPages.issuerProfile)
        `public`.get(.credentialStatusList(nil), use: CredentialPages.statusList)
        `public`.get(.credentialVerify, use: CredentialPages.verifyForm)
        `public`.post(.credentialVerify, use: CredentialPages.verify)
        // Outside the CSRF check (the /api/ prefix) and without a token: anyone may verify.
        `public`.post(CredentialPages.verifyAPIPath.map(PathComponent.constant), use: CredentialPages.verifyAPI)
        `public`.get(.credentialPage(nil), use: CredentialPages.show)
        signedIn.get(.candidateCredential(nil, scope: nil), use: CredentialPages.download)
        signedIn.get(.candidateTranscript(nil), use: CredentialPages.downloadTranscript)
    }
}
