import Foundation
import JWTKit
import ValidaCore

/// Where the verifier finds status lists.
public enum StatusListSource: Sendable {
    /// Do not check revocation (the result says `notChecked`).
    case notChecked
    /// Lists the caller already trusts, by `statusListCredential` URL: the server's own.
    case lists([String: BitstringStatusList])
    /// Fetches the signed status list credential (a VC-JWT) published at a URL; nil when there
    /// is none. Its signature is checked with the same JWK Set, and its issuer must be the
    /// credential's.
    case fetch(@Sendable (_ url: String) async throws -> String?)
}

/// Verifies VC-JWTs against the issuer's published JWK Set: signature (and which key),
/// registered claims, dates, and revocation.
public struct CredentialVerifier: Sendable {
    public var keys: JSONWebKeySet
    public var statusLists: StatusListSource

    public init(keys: JSONWebKeySet, statusLists: StatusListSource = .notChecked) {
        self.keys = keys
        self.statusLists = statusLists
    }

    /// Verifies an Open Badges credential.
    public func verify(jwt: String, now: Date = Date()) async -> CredentialVerification<OpenBadgeCredential> {
        await verify(jwt: jwt, as: OpenBadgeCredential.self, expectedType: "OpenBadgeCredential", now: now)
    }

    /// Verifies a transcript, then each block credential it carries.
    public func verifyTranscript(jwt: String, now: Date = Date()) async -> TranscriptVerification {
        let outer = await verify(jwt: jwt, as: ClrCredential.self, expectedType: "ClrCredential", now: now)
        guard let transcript = outer.credential else {
            return TranscriptVerification(transcript: outer, credentials: [])
        }
        var inner: [CredentialVerification<OpenBadgeCredential>] = []
        for (i, enveloped) in transcript.credentialSubject.verifiableCredential.enumerated() {
            guard let token = enveloped.jwt else {
                inner.append(
                    .init(
                        failure: .init(
                            .malformed,
                            "Badge n° \(i + 1) du relevé : pas un VC-JWT (data:application/vc+jwt,… attendu).")))
                continue
            }
            var result = await verify(jwt: token, now: now)
            if let credential = result.credential {
                if credential.issuer.id != transcript.issuer.id {
                    result.problems.append(
                        .init(
                            .foreignCredential,
                            "Le badge « \(credential.name) » a été émis par un autre organisme que le relevé."))
                }
                if credential.credentialSubject.identifier != transcript.credentialSubject.identifier
                    || credential.credentialSubject.id != transcript.credentialSubject.id
                {
                    result.problems.append(
                        .init(
                            .foreignCredential,
                            "Le badge « \(credential.name) » appartient à un autre titulaire que le relevé."))
                }
            }
            inner.append(result)
        }
        return TranscriptVerification(transcript: outer, credentials: inner)
    }

    /// Verifies a status list credential (its signature and dates; it has no status itself).
    public func verifyStatusList(jwt: String, now: Date = Date()) async -> CredentialVerification<
        BitstringStatusListCredential
    > {
        await verify(
            jwt: jwt, as: BitstringStatusListCredential.self, expectedType: "BitstringStatusListCredential", now: now)
    }

    /// The generic path: header, key, signature, content, claims, dates, revocation.
    public func verify<Credential: VerifiableCredentialDocument>(
        jwt: String, as type: Credential.Type, expectedType: String, now: Date = Date()
    ) async -> CredentialVerification<Credential> {
        let token = jwt.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            return .init(
                failure: .init(
                    .malformed,
                    "Ce n'est pas un badge signé : un JWT a trois parties séparées par des points, celui-ci en a \(parts.count)."
                ))
        }
        guard let headerBytes = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: Data(headerBytes))
        else {
            return .init(failure: .init(.malformed, "En-tête du JWT illisible : le badge est altéré ou tronqué."))
        }
        if let typ = header.typ, !["JWT", "vc+jwt", "vc+ld+json+jwt"].contains(typ) {
            return .init(
                failure: .init(.malformed, "Type de jeton « \(typ) » inattendu (JWT attendu)."), algorithm: header.alg)
        }
        guard let algorithm = SigningAlgorithm(rawValue: header.alg) else {
            return .init(
                failure: .init(
                    .unsupportedAlgorithm, "Algorithme de signature « \(header.alg) » refusé (RS256 ou EdDSA attendus)."
                ), algorithm: header.alg)
        }

        // The candidate keys: the one the header names, else every key of that algorithm.
        let candidates: [JSONWebKey]
        if let kid = header.kid {
            guard let key = keys.key(kid: kid) else {
                return .init(
                    failure: .init(
                        .unknownKey,
                        "Signé par une clé inconnue (« \(kid) ») : ce badge n'a pas été émis par cet organisme, ou sa clé a été retirée."
                    ),
                    algorithm: header.alg)
            }
            guard key.signingAlgorithm == algorithm else {
                return .init(
                    failure: .init(
                        .unsupportedAlgorithm,
                        "L'algorithme annoncé (\(header.alg)) n'est pas celui de la clé « \(kid) »."),
                    algorithm: header.alg)
            }
            candidates = [key]
        } else {
            candidates = keys.keys.filter { $0.signingAlgorithm == algorithm }
            guard !candidates.isEmpty else {
                return .init(
                    failure: .init(
                        .unknownKey,
                        "Aucune clé \(header.alg) publiée par cet organisme : ce badge n'a pas été émis par lui."),
                    algorithm: header.alg)
            }
        }
        guard Base64URL.decode(String(parts[2])) != nil else {
            return .init(failure: Self.badSignature, algorithm: header.alg)
        }

        var lastFailure = Self.badSignature
        for key in candidates {
            let collection = JWTKeyCollection()
            do {
                try await key.addVerifier(to: collection, field: "jwks.keys[\(key.kid ?? "?")]")
                let payload = try await collection.verify(token, as: VCJWTPayload<Credential>.self)
                var result = CredentialVerification(
                    keyID: key.kid ?? "", algorithm: header.alg, credential: payload.credential)
                result.problems = contentProblems(payload, expectedType: expectedType, now: now)
                if !result.problems.contains(where: { $0.kind == .notACredential }) {
                    await checkStatus(of: payload.credential, now: now, into: &result)
                }
                return result
            } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
                continue
            } catch let error as CredentialError {
                lastFailure = .init(.unknownKey, "Clé publique de l'organisme inutilisable : \(error.message).")
            } catch {
                // The signature held (jwt-kit checks it first) but the content does not decode.
                var result = CredentialVerification<Credential>(
                    failure: .init(
                        .notACredential,
                        "Signature valide, mais le contenu n'est pas un \(expectedType) lisible : \(Self.describe(error))."
                    ),
                    algorithm: header.alg)
                result.keyID = key.kid
                result.signatureValid = true
                return result
            }
        }
        return .init(failure: lastFailure, algorithm: header.alg)
    }

    static let badSignature = VerificationProblem(
        .badSignature,
        "Signature invalide : ce badge a été modifié après sa signature, ou n'a pas été signé par cet organisme.")

    private func contentProblems<Credential>(
        _ payload: VCJWTPayload<Credential>, expectedType: String, now: Date
    ) -> [VerificationProblem] {
        let credential = payload.credential
        var problems: [VerificationProblem] = []
        if !credential.type.contains("VerifiableCredential") || !credential.type.contains(expectedType) {
            problems.append(
                .init(
                    .notACredential,
                    "Ce n'est pas un \(expectedType) (types : \(credential.type.joined(separator: ", ")))."))
        }
        let mismatches = payload.claimMismatches
        if !mismatches.isEmpty {
            problems.append(
                .init(
                    .claimsMismatch,
                    "Les champs \(mismatches.joined(separator: ", ")) du JWT contredisent le badge qu'il porte."))
        }
        if now < credential.validFrom {
            problems.append(
                .init(
                    .notYetValid,
                    "Pas encore valide : valable à partir du \(FrenchDate.moment(credential.validFrom, in: FrenchDate.utc)) UTC."
                )
            )
        }
        if let validUntil = credential.validUntil, now >= validUntil {
            problems.append(
                .init(.expired, "Expiré depuis le \(FrenchDate.moment(validUntil, in: FrenchDate.utc)) UTC."))
        }
        return problems
    }

    private func checkStatus<Credential>(
        of credential: Credential, now: Date, into result: inout CredentialVerification<Credential>
    ) async {
        let entries = credential.statusEntries.filter { $0.statusPurpose == "revocation" }
        guard !entries.isEmpty else { return }
        for entry in entries {
            guard let index = entry.index else {
                result.revocation = .unavailable
                result.problems.append(
                    .init(.statusUnavailable, "Index de révocation « \(entry.statusListIndex) » invalide."))
                return
            }
            let list: BitstringStatusList
            switch await statusList(at: entry.statusListCredential, issuer: credential.issuerID, now: now) {
            case .none: return
            case .failure(let problem):
                result.revocation = .unavailable
                result.problems.append(problem)
                return
            case .success(let found): list = found
            }
            guard let revoked = try? list.isRevoked(index) else {
                result.revocation = .unavailable
                result.problems.append(
                    .init(.statusUnavailable, "Index de révocation \(index) hors de la liste (\(list.count) entrées)."))
                return
            }
            if revoked {
                result.revocation = .revoked
                result.problems.append(.init(.revoked, "Ce badge a été révoqué par l'organisme émetteur."))
                return
            }
        }
        result.revocation = .notRevoked
    }

    private enum ListLookup {
        case none
        case success(BitstringStatusList)
        case failure(VerificationProblem)
    }

    private func statusList(at url: String, issuer: String, now: Date) async -> ListLookup {
        switch statusLists {
        case .notChecked:
            return .none
        case .lists(let lists):
            guard let list = lists[url] else {
                return .failure(
                    .init(
                        .statusUnavailable,
                        "Liste de révocation introuvable (\(url)) : impossible de dire si le badge a été révoqué."))
            }
            return .success(list)
        case .fetch(let fetch):
            let token: String?
            do {
                token = try await fetch(url)
            } catch {
                return .failure(.init(.statusUnavailable, "Liste de révocation inaccessible (\(url)) : \(error)."))
            }
            guard let token else {
                return .failure(
                    .init(
                        .statusUnavailable,
                        "Liste de révocation introuvable (\(url)) : impossible de dire si le badge a été révoqué."))
            }
            let verified = await verifyStatusList(jwt: token, now: now)
            guard verified.isValid, let statusCredential = verified.credential else {
                return .failure(
                    .init(.statusUnavailable, "Liste de révocation non fiable (\(url)) : \(verified.summary)"))
            }
            guard statusCredential.issuer.id == issuer else {
                return .failure(
                    .init(
                        .statusUnavailable,
                        "Liste de révocation émise par un autre organisme (\(statusCredential.issuer.id))."))
            }
            do {
                return .success(try statusCredential.list())
            } catch {
                return .failure(.init(.statusUnavailable, "Liste de révocation illisible (\(url)) : \(error)."))
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? JWTError, let underlying = error.underlying {
            return DecodingErrors.describe(underlying)
        }
        if let error = error as? JWTError { return error.reason ?? String(describing: error) }
        return DecodingErrors.describe(error)
    }
}

/// The JOSE header fields the verifier reads.
struct JOSEHeader: Decodable {
    var alg: String
    var kid: String?
    var typ: String?
}
