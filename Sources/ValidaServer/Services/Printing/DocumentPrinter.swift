import Foundation
import Vapor

/// The application's printer: one headless Chromium, started at the first document and
/// kept for the next ones, started again when it dies, stopped with the application.
/// At most `concurrency` documents print at once; the others wait their turn.
///
/// Several Valida instances may run on one machine: each printer has its own directory
/// (profile, HOME, log) named after its process and a random id, and its browser is
/// reachable only through its own socket.
actor DocumentPrinter {
    struct Configuration: Sendable {
        var executable: String
        /// Documents printed at the same time (Chromium uses a renderer process per tab).
        var concurrency = max(2, min(4, ProcessInfo.processInfo.activeProcessorCount))
        /// Tabs kept open ahead of demand (at least one per concurrent document).
        var spareTabs = 2
        /// Documents printed in one tab (its own browser context) before it is closed and
        /// replaced. A fresh tab for every document (1) costs a renderer's start each time:
        /// measured 680–710 ms a warm attestation against 145–160 ms when a tab prints 50
        /// (debug build, loaded machine). Reuse leaks nothing from one document to the
        /// next: no script runs and no request leaves, so nothing is stored, and each
        /// document replaces the whole page.
        var documentsPerTab = 50
        /// Under this directory, the printer makes its own.
        var temporaryDirectory = FileManager.default.temporaryDirectory
    }

    enum Failure: Error, CustomStringConvertible {
        case stopped

        var description: String { "l'impression est arrêtée (le serveur s'arrête)" }
    }

    let configuration: Configuration
    let directory: URL
    private let slots: AsyncSlots
    private var browser: ChromiumBrowser?
    private var starting: Task<ChromiumBrowser, any Error>?
    private var launches = 0
    private var stopped = false
    private let logger: Logger

    init(_ configuration: Configuration, logger: Logger = Logger(label: "valida.printer")) {
        self.configuration = configuration
        self.logger = logger
        slots = AsyncSlots(configuration.concurrency)
        directory = configuration.temporaryDirectory.appendingPathComponent(
            "valida-printer-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())", isDirectory: true)
    }

    /// How many times Chromium was started (1 while it stays alive).
    var launchCount: Int { launches }

    /// The running browser's process id, if one runs.
    var browserProcessID: Int32? { browser.flatMap { $0.isRunning ? $0.process.pid : nil } }

    /// `html` as PDF. A browser that died before or during the document is started again
    /// and the document printed once more; a document that takes longer than `timeout`
    /// fails, and its browser is ended (it may be stuck) and replaced for the next one.
    func print(html: String, layout: PrintLayout = .portrait, timeout: Duration = .seconds(60)) async throws -> Data {
        try await slots.acquire()
        defer { slots.release() }
        var attempt = 0
        while true {
            attempt += 1
            let browser = try await running()
            do {
                return try await browser.print(html: html, layout: layout, timeout: timeout)
            } catch DevToolsError.disconnected where attempt == 1 {
                logger.warning("Chromium stopped while printing; starting it again")
                discard(browser)
            } catch let error as DevToolsError {
                if case .timedOut = error {
                    logger.error("Chromium did not answer in time; ending it: \(error)")
                    discard(browser)
                    await browser.shutdown()
                }
                throw error
            }
        }
    }

    /// Stops the browser and refuses further documents; waits until Chromium has exited.
    func shutdown() async {
        stopped = true
        starting?.cancel()
        let current = browser
        browser = nil
        if let started = try? await starting?.value { await started.shutdown() }
        starting = nil
        await current?.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    private func discard(_ dead: ChromiumBrowser) {
        if browser === dead { browser = nil }
    }

    /// Removes the directories that printers of processes no longer running left behind
    /// (a server killed outright); those of live processes, other instances included, stay.
    static func sweep(in folder: URL) {
        let files = FileManager.default
        guard let names = try? files.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix("valida-printer-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 4, let pid = Int32(parts[2]), pid > 0 else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                try? files.removeItem(at: folder.appendingPathComponent(name, isDirectory: true))
            }
        }
    }

    /// The live browser, started when there is none (one start at a time).
    private func running() async throws -> ChromiumBrowser {
        if stopped { throw Failure.stopped }
        if let browser, browser.isRunning { return browser }
        browser = nil
        if let starting { return try await starting.value }
        if launches == 0 { Self.sweep(in: configuration.temporaryDirectory) }
        launches += 1
        let launch = launches
        let configuration = configuration
        let directory = directory
        let task = Task {
            try await ChromiumBrowser(
                executable: configuration.executable,
                directory: directory.appendingPathComponent("browser-\(launch)", isDirectory: true),
                spareTabs: max(configuration.spareTabs, configuration.concurrency),
                documentsPerTab: configuration.documentsPerTab, onExit: {})
        }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        if stopped {
            await started.shutdown()
            throw Failure.stopped
        }
        browser = started
        logger.info("Chromium started for printing (pid \(started.process.pid))")
        return started
    }
}

/// A counting semaphore for tasks: `acquire` waits while every slot is taken.
final class AsyncSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async throws {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted: Bool = lock.withLock {
                if free > 0 {
                    free -= 1
                    return true
                }
                waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiting.isEmpty {
                free += 1
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}

extension Application {
    private struct PrinterKey: StorageKey, LockKey { typealias Value = DocumentPrinter }
    private struct PrinterTuningKey: StorageKey { typealias Value = PrinterTuning }

    /// Settings for the printer made after this is set (the benchmark compares them).
    struct PrinterTuning: Sendable {
        var concurrency: Int?
        var documentsPerTab: Int?
    }

    var printerTuning: PrinterTuning? {
        get { storage[PrinterTuningKey.self] }
        set { storage[PrinterTuningKey.self] = newValue }
    }

    /// Stops the printer's browser when the application shuts down.
    private struct PrinterLifecycle: LifecycleHandler {
        let printer: DocumentPrinter

        func shutdownAsync(_ application: Application) async {
            await printer.shutdown()
        }
    }

    /// The application's printer, made at first use with the Chromium `PDFRenderer` finds.
    func printer(executable: String) -> DocumentPrinter {
        let (printer, replaced): (DocumentPrinter, DocumentPrinter?) = locks.lock(for: PrinterKey.self).withLock {
            let previous = storage[PrinterKey.self]
            if let previous, previous.configuration.executable == executable { return (previous, nil) }
            var configuration = DocumentPrinter.Configuration(executable: executable)
            if let tuning = storage[PrinterTuningKey.self] {
                configuration.concurrency = tuning.concurrency ?? configuration.concurrency
                configuration.documentsPerTab = tuning.documentsPerTab ?? configuration.documentsPerTab
            }
            let printer = DocumentPrinter(configuration, logger: logger)
            storage[PrinterKey.self] = printer
            lifecycle.use(PrinterLifecycle(printer: printer))
            return (printer, previous)
        }
        // Another Chromium was configured since (tests do): the old browser ends.
        if let replaced { Task { await replaced.shutdown() } }
        return printer
    }
}
