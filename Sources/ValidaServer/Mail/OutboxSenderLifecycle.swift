import Foundation
import ValidaMail
import Vapor

/// Runs the sender while `valida serve` runs: a pass every `interval`, and one at once when
/// this process asks (`Application.wakeOutboxSender`, after a manual retry or a test message).
struct OutboxSenderLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable {
        var task: Task<Void, Never>?
        var wake: AsyncStream<Void>.Continuation?
    }

    let sender: OutboxSender
    var interval: Duration = .seconds(2)
    let box = Box()

    func didBootAsync(_ application: Application) async throws {
        let db = application.db
        let logger = application.logger
        let sender = self.sender
        let interval = self.interval
        let (wakes, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        box.wake = wake
        application.storage[OutboxWakeKey.self] = wake
        box.task = Task {
            // A tick every `interval` feeds the same stream as the wake-ups: one loop, one pass at a time.
            let ticker = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            defer { ticker.cancel() }
            for await _ in wakes {
                if Task.isCancelled { return }
                do {
                    // Passes until nothing is due, so a large outbox drains without waiting for ticks.
                    while try await sender.runOnce(on: db) == sender.batchSize, !Task.isCancelled {}
                } catch {
                    logger.error("Outbox sender: \(error)")
                }
            }
        }
        logger.info("Outbox sender started")
    }

    func shutdownAsync(_ application: Application) async {
        box.wake?.finish()
        box.task?.cancel()
        await box.task?.value
    }
}

struct OutboxWakeKey: StorageKey {
    typealias Value = AsyncStream<Void>.Continuation
}

extension Application {
    /// Asks the running sender for a pass now (nothing when none runs).
    func wakeOutboxSender() {
        storage[OutboxWakeKey.self]?.yield()
    }
}
