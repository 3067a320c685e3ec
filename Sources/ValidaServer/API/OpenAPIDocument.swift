import Foundation
import Vapor

/// The API's OpenAPI 3.1 description, built from `APIRoute` so that it lists exactly the
/// routes that exist.
enum OpenAPIDocument {
    typealias Object = [String: Any]

    static func json() -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: document(), options: [.sortedKeys, .prettyPrinted])) ?? Data()
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func document() -> Object {
        var paths: [String: Object] = [:]
        for route in APIRoute.allCases {
            var operation: Object = [
                "operationId": String(describing: route),
                "summary": route.summary,
                "responses": responses(for: route),
            ]
            if route != .openAPI { operation["security"] = [["bearer": [String]()]] }
            if !route.parameters.isEmpty {
                operation["parameters"] = route.parameters.map { name -> Object in
                    ["name": name, "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
                }
            }
            if let schema = route.requestSchema {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(schema)]]]
            }
            paths[route.openAPIPath, default: [:]][route.method.rawValue.lowercased()] = operation
        }
        // Served with the credentials' pages: public, no token.
        paths["/" + CredentialPages.verifyAPIPath.joined(separator: "/"), default: [:]]["post"] =
            [
                "operationId": "verifyCredential",
                "summary": "Verify an Open Badges 3.0 credential (VC-JWT): signature, dates, revocation",
                "requestBody": [
                    "required": true,
                    "content": [
                        "application/jwt": ["schema": ["type": "string"]],
                        "application/json": [
                            "schema": [
                                "type": "object", "properties": ["credential": ["type": "string"]],
                                "required": ["credential"],
                            ]
                        ],
                    ],
                ],
                "responses": [
                    "200": [
                        "description": "The verification, in French",
                        "content": ["application/json": ["schema": ["type": "object"]]],
                    ],
                    "400": ["description": "No credential in the body"],
                ],
            ] as Object
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Valida API", "version": "1.0.0",
                "description":
                    "The JSON API of Valida, for integrations: the same resources and rules as the web app. Authenticate with `Authorization: Bearer <token>` (`valida user token`).",
            ],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas.merging(JuryAPI.schemas) { a, _ in a },
            ],
        ]
    }

    static func ref(_ name: String) -> Object { ["$ref": "#/components/schemas/\(name)"] }

    static func responses(for route: APIRoute) -> Object {
        var responses: Object = [
            String(route.successStatus.code): [
                "description": "OK", "content": ["application/json": ["schema": ref(route.responseSchema)]],
            ]
        ]
        guard route != .openAPI else { return responses }
        let problem: Object = ["content": ["application/json": ["schema": ref("Problem")]]]
        for (status, description) in [
            (401, "No or unknown token"), (403, "The token's user may not do this"), (404, "Not found"),
        ] {
            responses[String(status)] = problem.merging(["description": description]) { a, _ in a }
        }
        if route.requestSchema != nil {
            responses["422"] = problem.merging(["description": "Invalid input, by field"]) { a, _ in a }
        }
        if route == .saveGrid {
            responses["409"] = problem.merging([
                "description": "Saved on a stale revision, or already submitted: what changed"
            ]) { a, _ in a }
        }
        return responses
    }

    static func object(_ properties: [String: Object], required: [String]) -> Object {
        ["type": "object", "properties": properties, "required": required]
    }

    // Schema fragments are computed properties: `[String: Any]` is not Sendable.
    static var string: Object { ["type": "string"] }
    static var optionalString: Object { ["type": ["string", "null"]] }
    static var uuid: Object { ["type": "string", "format": "uuid"] }
    static var optionalUUID: Object { ["type": ["string", "null"], "format": "uuid"] }
    static var day: Object { ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"] }
    /// A day sent: the operations take AAAA-MM-JJ and the pages' JJ/MM/AAAA alike.
    static var dayInput: Object {
        ["type": "string", "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4})$"]
    }
    /// A name of at most 200 characters, unique whatever its case and accents.
    static var name: Object { ["type": "string", "minLength": 1, "maxLength": 200] }
    static var status: Object { ["type": "string", "enum": ["validated", "not-validated", "deferred", "incomplete"]] }

    static func list(_ name: String) -> Object { ["type": "array", "items": ref(name)] }

    static var schemas: Object {
        let rating = object(
            [
                "criterion": string, "member": optionalUUID, "level": ["type": ["integer", "null"]],
                "mark": ["type": ["number", "null"]], "comment": optionalString, "evaluator": optionalUUID,
                "ratedAt": ["type": ["string", "null"], "format": "date-time"],
            ], required: ["criterion"])
        return [
            "OpenAPIDocument": ["type": "object"],
            "Problem": object(
                [
                    "error": string, "reason": string,
                    "fields": [
                        "type": "object", "additionalProperties": string,
                        "description": "The French message of each field at fault, by its JSON name",
                    ],
                    "conflicts": [
                        "type": "array",
                        "items": object(
                            [
                                "criterion": string, "member": optionalUUID, "yours": string, "theirs": string,
                                "by": string,
                                "at": ["type": ["string", "null"], "format": "date-time"],
                            ], required: ["criterion", "yours", "theirs", "by"]),
                    ],
                ], required: ["error", "reason"]),
            "ReferentialSummary": object(
                [
                    "id": uuid, "rncpCode": optionalString, "title": optionalString, "version": string,
                    "loadedAt": ["type": ["string", "null"], "format": "date-time"],
                ], required: ["id", "version"]),
            "ReferentialList": list("ReferentialSummary"),
            "Referential": [
                "type": "object",
                "description":
                    "The référentiel as Valida's model encodes it (certification, version, scales, rules, blocks, assessments, vae).",
            ],
            "School": object(
                ["id": uuid, "name": string, "city": optionalString, "siret": optionalString], required: ["id", "name"]),
            "SchoolList": list("School"),
            "SchoolInput": object(
                ["name": name, "city": optionalString, "siret": optionalString], required: ["name"]),
            "Cohort": object(
                [
                    "id": uuid, "school": uuid, "referential": uuid, "name": string, "startsOn": optionalString,
                    "endsOn": optionalString,
                ], required: ["id", "school", "referential", "name"]),
            "CohortList": list("Cohort"),
            "CohortInput": object(
                ["name": name, "referential": optionalUUID, "startsOn": dayInput, "endsOn": dayInput],
                required: ["name", "startsOn", "endsOn"]),
            "Candidate": object(
                [
                    "id": uuid, "school": uuid, "cohort": uuid, "birthName": string, "usualName": optionalString,
                    "firstNames": string, "birthDate": day, "birthPlace": string, "birthPlaceINSEE": optionalString,
                    "sex": ["type": "string", "enum": ["F", "M"]], "email": string, "accessRoute": string,
                ],
                required: [
                    "id", "school", "cohort", "birthName", "firstNames", "birthDate", "birthPlace", "sex", "email",
                    "accessRoute",
                ]),
            "CandidateList": list("Candidate"),
            "CandidateInput": object(
                [
                    "birthName": string, "usualName": optionalString, "firstNames": string, "birthDate": string,
                    "birthPlace": string, "birthPlaceINSEE": optionalString, "sex": string, "email": string,
                    "accessRoute": string,
                ], required: ["birthName", "firstNames", "birthDate", "birthPlace", "sex", "email", "accessRoute"]),
            "CandidateReport": [
                "type": "object",
                "description":
                    "Explained results: competencies, blocks, requirements and the certification, each with its status, evidence and French explanation.",
            ],
            "CohortResults": object(
                [
                    "cohort": uuid, "blocks": ["type": "array", "items": string],
                    "requirements": ["type": "array", "items": string],
                    "candidates": [
                        "type": "array",
                        "items": object(
                            [
                                "candidate": uuid, "name": string, "blocks": ["type": "array", "items": status],
                                "requirements": ["type": "array", "items": status], "certification": status,
                            ], required: ["candidate", "name", "blocks", "requirements", "certification"]),
                    ],
                ], required: ["cohort", "blocks", "requirements", "candidates"]),
            "Team": object(
                [
                    "id": uuid, "cohort": uuid, "name": string, "assessment": optionalString,
                    "members": ["type": "array", "items": uuid],
                ], required: ["id", "cohort", "name", "members"]),
            "TeamList": list("Team"),
            "TeamInput": object(
                [
                    "name": ["type": "string", "minLength": 1, "maxLength": 100], "assessment": string,
                    "members": ["type": "array", "items": uuid],
                ],
                required: ["name", "assessment", "members"]),
            "Session": object(
                [
                    "id": uuid, "cohort": uuid, "assessment": string, "attempt": ["type": "integer"],
                    "startsOn": optionalString, "endsOn": optionalString,
                    "evaluators": ["type": "array", "items": uuid],
                ], required: ["id", "cohort", "assessment", "attempt", "evaluators"]),
            "SessionList": list("Session"),
            "SessionInput": object(
                ["assessment": string, "attempt": ["type": "integer"], "startsOn": dayInput, "endsOn": dayInput],
                required: ["assessment", "attempt", "startsOn", "endsOn"]),
            "Grid": object(
                [
                    "id": uuid, "session": uuid, "assessment": string, "attempt": ["type": "integer"],
                    "candidate": optionalUUID,
                    "team": optionalUUID, "copy": ["type": "string"],
                    "status": ["type": "string", "enum": ["draft", "submitted"]],
                    "revision": ["type": "integer"],
                    "ratings": ["type": "array", "items": rating],
                ], required: ["id", "session", "assessment", "attempt", "status", "revision", "ratings"]),
            "GridInput": object(
                [
                    "revision": ["type": "integer"], "submit": ["type": "boolean"],
                    "ratings": ["type": "array", "items": rating],
                ], required: ["revision", "ratings"]),
        ]
    }
}
