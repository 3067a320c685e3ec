#!/usr/bin/env python3
"""Independent check of Valida's Open Badges 3.0 VC-JWTs, with PyJWT and Python's gzip.

Verifies a credential's signature against the issuer's exported JWK Set, checks the
Open Badges 3.0 shape (contexts, types, achievement, status entry), then verifies the
status list credential, decompresses its encodedList with Python's own gzip and checks
the bits the caller names. Exit 0 when everything holds; 1 with the reasons otherwise.

    pip install 'pyjwt[crypto]'
    check_vc_jwt.py --jwt credential.jwt --jwks jwks.json --status-list status.jwt \
        --expect-revoked 42 --expect-clear 7
"""
import argparse
import base64
import datetime
import gzip
import json
import sys

import jwt

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
# Open Badges 3.0 AchievementType values Valida may write.
ACHIEVEMENT_TYPES = {"Certificate", "Certification", "Diploma"}
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def verify(token, jwks, label):
    """Verifies a compact JWT against the JWK Set; returns (header, payload) or None."""
    header = jwt.get_unverified_header(token)
    check(header.get("typ") == "JWT", f"{label}: typ {header.get('typ')!r}, 'JWT' attendu")
    kid = header.get("kid")
    if not check(kid is not None, f"{label}: pas de kid dans l'en-tête"):
        return None
    try:
        key = jwks[kid]
    except KeyError:
        check(False, f"{label}: kid {kid!r} absent du JWK Set")
        return None
    try:
        payload = jwt.decode(
            token, key=key.key, algorithms=[header["alg"]], options={"verify_aud": False})
    except jwt.InvalidTokenError as error:
        check(False, f"{label}: signature ou dates refusées par PyJWT : {error}")
        return None
    return header, payload


def seconds(date_time):
    return int(datetime.datetime.fromisoformat(date_time.replace("Z", "+00:00")).timestamp())


def check_claims(payload, label):
    check("vc" not in payload, f"{label}: claim 'vc' présent (forme VCDM 1.1)")
    check(payload.get("iss") == payload["issuer"]["id"], f"{label}: iss != issuer.id")
    check(payload.get("jti") == payload["id"], f"{label}: jti != id")
    check(payload.get("nbf") == seconds(payload["validFrom"]), f"{label}: nbf != validFrom")
    if "validUntil" in payload:
        check(payload.get("exp") == seconds(payload["validUntil"]), f"{label}: exp != validUntil")


def check_credential(payload):
    label = "badge"
    check(payload.get("@context") == CONTEXTS, f"{label}: @context {payload.get('@context')}")
    check(payload.get("type") == ["VerifiableCredential", "OpenBadgeCredential"], f"{label}: type {payload.get('type')}")
    check("Profile" in payload["issuer"].get("type", []), f"{label}: issuer n'est pas un Profile")
    check_claims(payload, label)
    subject = payload["credentialSubject"]
    check(subject.get("type") == ["AchievementSubject"], f"{label}: credentialSubject.type {subject.get('type')}")
    identities = subject.get("identifier", [])
    check(any(i.get("identityType") == "emailAddress" and i.get("hashed") and i.get("identityHash", "").startswith("sha256$")
              for i in identities), f"{label}: pas d'e-mail haché")
    achievement = subject["achievement"]
    check(achievement.get("type") == ["Achievement"], f"{label}: achievement.type {achievement.get('type')}")
    check(achievement.get("achievementType") in ACHIEVEMENT_TYPES, f"{label}: achievementType {achievement.get('achievementType')}")
    for field in ("id", "name", "description", "humanCode"):
        check(achievement.get(field), f"{label}: achievement.{field} manquant")
    lines = achievement.get("criteria", {}).get("narrative", "").split("\n")
    check(lines and all(" — " in line for line in lines), f"{label}: criteria.narrative pas « code — texte » par ligne")
    alignment = achievement.get("alignment", [])
    check(alignment, f"{label}: aucun alignment")
    for target in alignment:
        check(target.get("targetType") == "CFItem", f"{label}: alignment {target.get('targetName')} sans targetType CFItem")
        check(target.get("targetUrl", "").startswith("http"), f"{label}: alignment {target.get('targetName')} sans targetUrl")
    status = payload.get("credentialStatus", {})
    check(status.get("type") == "BitstringStatusListEntry", f"{label}: credentialStatus.type {status.get('type')}")
    check(status.get("statusPurpose") == "revocation", f"{label}: statusPurpose {status.get('statusPurpose')}")
    check(str(status.get("statusListIndex", "")).isdigit(), f"{label}: statusListIndex pas un entier en texte")
    return status


def check_status_list(payload, status, revoked, clear):
    label = "liste de statut"
    check(payload.get("type") == ["VerifiableCredential", "BitstringStatusListCredential"], f"{label}: type {payload.get('type')}")
    check(payload.get("id") == status.get("statusListCredential"), f"{label}: id != statusListCredential du badge")
    check_claims(payload, label)
    subject = payload["credentialSubject"]
    check(subject.get("type") == "BitstringStatusList", f"{label}: credentialSubject.type {subject.get('type')}")
    encoded = subject.get("encodedList", "")
    if not check(encoded.startswith("u"), f"{label}: encodedList sans préfixe multibase 'u'"):
        return
    compressed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    bits = gzip.decompress(compressed)
    check(len(bits) * 8 >= 131072, f"{label}: {len(bits) * 8} entrées, 131072 au moins")

    def bit(index):
        return (bits[index // 8] >> (7 - index % 8)) & 1

    for index in revoked:
        check(bit(index) == 1, f"{label}: bit {index} non positionné")
    for index in clear:
        check(bit(index) == 0, f"{label}: bit {index} positionné")
    print(f"liste de statut : {len(bits)} octets, bits {revoked} révoqués, {clear} libres")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jwt", required=True)
    parser.add_argument("--jwks", required=True)
    parser.add_argument("--status-list")
    parser.add_argument("--expect-revoked", type=int, action="append", default=[])
    parser.add_argument("--expect-clear", type=int, action="append", default=[])
    args = parser.parse_args()

    with open(args.jwks, encoding="utf-8") as file:
        jwks = jwt.PyJWKSet.from_json(file.read())
    with open(args.jwt, encoding="utf-8") as file:
        verified = verify(file.read().strip(), jwks, "badge")
    if verified:
        header, payload = verified
        check(header.get("alg") == "RS256", f"badge: alg {header.get('alg')}, RS256 attendu")
        status = check_credential(payload)
        print(f"badge : signature {header['alg']} valide (kid {header['kid']}), « {payload['name']} »")
        if args.status_list:
            with open(args.status_list, encoding="utf-8") as file:
                verified_list = verify(file.read().strip(), jwks, "liste de statut")
            if verified_list:
                check_status_list(verified_list[1], status, args.expect_revoked, args.expect_clear)

    if failures:
        for failure in failures:
            print(f"ÉCHEC : {failure}", file=sys.stderr)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
