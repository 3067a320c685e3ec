import Foundation

/// One running Chromium and what prints with it. Tabs are opened each in a browser context
/// of its own, with scripts disabled before anything is loaded and every request refused;
/// a document is written into the tab's blank page with `Page.setDocumentContent`, never
/// read from a file. A tab prints up to `documentsPerTab` documents, one at a time, then
/// is closed; a few tabs are kept open ahead, so a document does not wait for a renderer.
final class ChromiumBrowser: @unchecked Sendable {
    struct Tab: Sendable {
        var context: String
        var target: String
        var session: String
        var frame: String
        /// Documents printed in it so far.
        var uses = 0
    }

    let process: ChromiumProcess
    let connection: DevToolsConnection
    let started = ContinuousClock.now
    private let lock = NSLock()
    private var spares: [Tab] = []
    private var opening = 0
    private let spareCount: Int
    private let documentsPerTab: Int

    /// Starts Chromium and waits until it answers.
    init(
        executable: String, directory: URL, spareTabs: Int, documentsPerTab: Int,
        onExit: @escaping @Sendable () -> Void
    ) async throws {
        process = try ChromiumProcess(executable: executable, directory: directory)
        let process = self.process
        connection = DevToolsConnection(process: process) {
            onExit()
            // Reaping waits for the process: never on the reader's or a caller's thread.
            DispatchQueue.global().async { process.reap() }
        }
        spareCount = spareTabs
        self.documentsPerTab = max(1, documentsPerTab)
        do {
            _ = try await connection.send("Browser.getVersion", timeout: .seconds(30))
        } catch {
            connection.disconnect()
            throw error
        }
        refill()
    }

    var isRunning: Bool { connection.isConnected }

    /// The PDF of `html`, printed in a tab of its own while it prints.
    func print(html: String, layout: PrintLayout, timeout: Duration) async throws -> Data {
        var tab = try await takeTab()
        var reusable = false
        defer {
            if reusable {
                giveBack(tab)
            } else {
                close(tab)
                if documentsPerTab > 1 { refill() }
            }
        }
        _ = try await connection.send(
            "Page.setDocumentContent", ["frameId": .string(tab.frame), "html": .string(html)],
            session: tab.session, timeout: timeout)
        let result = try await connection.send(
            "Page.printToPDF", layout.parameters, session: tab.session, timeout: timeout)
        guard let base64 = result["data"]?.string, let pdf = Data(base64Encoded: base64) else {
            throw DevToolsError.unexpectedReply(method: "Page.printToPDF")
        }
        tab.uses += 1
        reusable = tab.uses < documentsPerTab
        return pdf
    }

    /// A tab that may print more documents goes back among the spares.
    private func giveBack(_ tab: Tab) {
        let kept: Bool = lock.withLock {
            guard connection.isConnected, spares.count < spareCount else { return false }
            spares.append(tab)
            return true
        }
        if !kept { close(tab) }
    }

    /// Ends the browser: asks it to close, then `ChromiumProcess.reap` makes sure.
    func shutdown() async {
        if connection.isConnected {
            _ = try? await connection.send("Browser.close", timeout: .seconds(2))
        }
        connection.disconnect()
        // Waiting for the process blocks: not on the caller's executor thread.
        let process = self.process
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.reap()
                done.resume()
            }
        }
    }

    private func takeTab() async throws -> Tab {
        let spare: Tab? = lock.withLock { spares.popLast() }
        // A tab per document: its successor starts opening now, while this one prints.
        if documentsPerTab == 1 { refill() }
        if let spare { return spare }
        return try await openTab()
    }

    /// Opens tabs in the background until `spareCount` are ready or being opened.
    private func refill() {
        let missing: Int = lock.withLock {
            let missing = max(0, spareCount - spares.count - opening)
            opening += missing
            return missing
        }
        for _ in 0..<missing {
            Task {
                let tab = try? await openTab()
                let keep: Bool = lock.withLock {
                    opening -= 1
                    guard let tab, connection.isConnected, spares.count < spareCount else { return false }
                    spares.append(tab)
                    return true
                }
                if !keep, let tab { close(tab) }
            }
        }
    }

    private func openTab() async throws -> Tab {
        let context = try await connection.send("Target.createBrowserContext", ["disposeOnDetach": true])
        guard let contextID = context["browserContextId"]?.string else {
            throw DevToolsError.unexpectedReply(method: "Target.createBrowserContext")
        }
        do {
            let target = try await connection.send(
                "Target.createTarget", ["url": "about:blank", "browserContextId": .string(contextID)])
            guard let targetID = target["targetId"]?.string else {
                throw DevToolsError.unexpectedReply(method: "Target.createTarget")
            }
            let attached = try await connection.send(
                "Target.attachToTarget", ["targetId": .string(targetID), "flatten": true])
            guard let session = attached["sessionId"]?.string else {
                throw DevToolsError.unexpectedReply(method: "Target.attachToTarget")
            }
            // Before any content: no script runs, and every request (file, network) is
            // paused so that `DevToolsConnection` refuses it.
            _ = try await connection.send("Emulation.setScriptExecutionDisabled", ["value": true], session: session)
            _ = try await connection.send("Fetch.enable", ["patterns": [["urlPattern": "*"]]], session: session)
            let tree = try await connection.send("Page.getFrameTree", session: session)
            guard let frame = tree["frameTree"]?["frame"]?["id"]?.string else {
                throw DevToolsError.unexpectedReply(method: "Page.getFrameTree")
            }
            return Tab(context: contextID, target: targetID, session: session, frame: frame)
        } catch {
            connection.post("Target.disposeBrowserContext", ["browserContextId": .string(contextID)])
            throw error
        }
    }

    /// Disposing of the context closes its tab; nobody waits for it.
    private func close(_ tab: Tab) {
        connection.post("Target.disposeBrowserContext", ["browserContextId": .string(tab.context)])
    }
}
