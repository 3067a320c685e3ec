import Foundation
import Vapor

/// Prints an HTML page to PDF with headless Chromium: the documents and the jury minutes
/// are written once, as print-ready HTML, and the PDF is that page as Chromium prints it.
/// One Chromium stays alive for the application (`DocumentPrinter`), driven over its
/// DevTools pipe; each document is printed in a fresh tab with no script, no file and no
/// network. Pages must be self-contained (inline styles, `data:` images).
enum PDFRenderer {
    enum Failure: Error, CustomStringConvertible {
        case unavailable
        case timedOut(seconds: Int64)
        case failed(String)

        var description: String {
            switch self {
            case .unavailable:
                "Chromium n'est pas installé sur ce serveur (ni /usr/bin/chromium, ni la variable VALIDA_CHROMIUM)"
            case .timedOut(let seconds):
                "Chromium n'a pas produit le PDF en \(seconds) s"
            case .failed(let reason):
                "Chromium a échoué : \(reason)"
            }
        }
    }

    /// Where Chromium is looked for when `VALIDA_CHROMIUM` does not name it.
    static let knownLocations = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    /// The Chromium to run: the one `VALIDA_CHROMIUM` names (and then only that one, so a
    /// wrong setting is not hidden by another install), else the first known location.
    static func executable(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        isExecutable: (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }
    ) -> String? {
        if let named = environment["VALIDA_CHROMIUM"], !named.isEmpty {
            return isExecutable(named) ? named : nil
        }
        return knownLocations.first(where: isExecutable)
    }

    static var isAvailable: Bool { executable() != nil }

    /// Whether `app` can print: its own Chromium when one was set (`app.pdfChromium`).
    static func isAvailable(on app: Application) -> Bool { executable(on: app) != nil }

    static func executable(on app: Application) -> String? {
        guard let configured = app.pdfChromium else { return executable() }
        return FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
    }

    /// The page as PDF, laid out by `layout`.
    static func render(
        html: String, layout: PrintLayout = .portrait, on app: Application,
        timeout: Duration = .seconds(90)
    ) async throws -> Data {
        guard let chromium = executable(on: app) else { throw Failure.unavailable }
        do {
            let pdf = try await app.printer(executable: chromium).print(html: html, layout: layout, timeout: timeout)
            guard pdf.starts(with: Data("%PDF".utf8)) else { throw Failure.failed("la sortie n'est pas un PDF") }
            return pdf
        } catch let error as DevToolsError {
            if case .timedOut = error { throw Failure.timedOut(seconds: timeout.components.seconds) }
            throw Failure.failed(error.description)
        } catch let error as ChromiumProcess.LaunchError {
            throw Failure.failed(error.description)
        } catch let error as DocumentPrinter.Failure {
            throw Failure.failed(error.description)
        }
    }
}

extension Application {
    private struct PDFChromiumKey: StorageKey { typealias Value = String }

    /// The Chromium this application prints with, instead of the one found on the machine
    /// (a path that does not exist makes PDF unavailable, as on a server without Chromium).
    var pdfChromium: String? {
        get { storage[PDFChromiumKey.self] }
        set { storage[PDFChromiumKey.self] = newValue }
    }
}
