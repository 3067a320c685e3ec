import FluentPostgresDriver
import Foundation
import SQLiteNIO
import Vapor

/// A write the disk refused: the database or the evidence folder is read-only, or the disk
/// is full. People get a page that says so (503, nothing was saved, tell the administrator)
/// rather than "une erreur interne" or a misleading "formulaire expiré"; the log gets one
/// line naming the fault and the underlying error.
enum DiskFault: Sendable, Equatable {
    case readOnly
    case full

    init?(_ error: any Error) {
        if let fault = Self.recognise(error) { self = fault } else { return nil }
    }

    static func recognise(_ error: any Error) -> DiskFault? {
        switch error {
        case let sqlite as SQLiteError:
            switch sqlite.reason {
            case .readOnly, .readonlyCantLock, .readonlyInRecovery, .readonlyInRollback, .readonlyBackingMoved,
                .readonlyDirectory:
                return .readOnly
            case .full:
                return .full
            default:
                return nil
            }
        case let postgres as PSQLError:
            // 53100 disk_full, 53000 insufficient_resources; 25006 read_only_sql_transaction.
            switch postgres.serverInfo?[.sqlState] {
            case "53100", "53000": return .full
            case "25006": return .readOnly
            default: return nil
            }
        case let posix as POSIXError:
            return fault(errno: posix.code.rawValue)
        case let io as IOError:
            return fault(errno: io.errnoCode)
        default:
            let ns = error as NSError
            if ns.domain == NSPOSIXErrorDomain { return fault(errno: Int32(ns.code)) }
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
                return fault(errno: Int32(underlying.code))
            }
            // Foundation on Linux reports a full or read-only disk as these Cocoa codes.
            if ns.domain == NSCocoaErrorDomain {
                if ns.code == CocoaError.fileWriteOutOfSpace.rawValue { return .full }
                if ns.code == CocoaError.fileWriteVolumeReadOnly.rawValue { return .readOnly }
            }
            return nil
        }
    }

    static func fault(errno code: Int32) -> DiskFault? {
        switch code {
        case ENOSPC, EDQUOT: .full
        case EROFS: .readOnly
        default: nil
        }
    }

    var status: HTTPResponseStatus { .serviceUnavailable }

    /// What the person reads.
    var message: String {
        switch self {
        case .readOnly:
            "Le serveur ne peut plus écrire : sa base de données ou son dossier de fichiers est en lecture seule. "
                + "Rien n'a été enregistré. Prévenez l'administrateur de Valida ; gardez vos saisies, vous pourrez les renvoyer."
        case .full:
            "Le disque du serveur est plein. Rien n'a été enregistré. "
                + "Prévenez l'administrateur de Valida ; gardez vos saisies, vous pourrez les renvoyer."
        }
    }

    /// The log line, with the underlying error.
    func log(_ error: any Error, request: Request) {
        let what = self == .full ? "disque plein" : "écriture impossible (lecture seule)"
        request.logger.critical(
            "Panne de disque : \(what) — \(request.method) \(request.url.path) — \(String(reflecting: error))")
    }

    /// The status and reason the error page shows, the log line written.
    static func answer(_ error: any Error, _ request: Request) -> (HTTPResponseStatus, String)? {
        guard let fault = DiskFault(error) else { return nil }
        fault.log(error, request: request)
        return (fault.status, fault.message)
    }
}
