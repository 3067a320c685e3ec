import Foundation

extension ResultsEngine {
    /// Results for many candidates, computed on every core in chunks large enough that
    /// scheduling costs nothing next to the work.
    public func results(forCohort records: [CandidateRecord]) -> [CandidateResults] {
        let workers = ProcessInfo.processInfo.activeProcessorCount
        guard records.count >= 256, workers > 1 else { return records.map(results(for:)) }
        let chunkCount = min(records.count / 128, workers * 8)
        let chunkSize = (records.count + chunkCount - 1) / chunkCount
        let output = ChunkedOutput(count: chunkCount)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(records.count, (chunk + 1) * chunkSize)
            output.store(range.map { results(for: records[$0]) }, at: chunk)
        }
        return output.joined()
    }
}

/// One slot per chunk, each written by exactly one worker before `joined()` reads them all
/// (after `concurrentPerform` returns), so the slots need no lock.
private final class ChunkedOutput: @unchecked Sendable {
    private var chunks: [[CandidateResults]]

    init(count: Int) {
        chunks = Array(repeating: [], count: count)
    }

    func store(_ results: [CandidateResults], at index: Int) {
        chunks.withUnsafeMutableBufferPointer { $0[index] = results }
    }

    func joined() -> [CandidateResults] {
        var all: [CandidateResults] = []
        all.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for chunk in chunks { all.append(contentsOf: chunk) }
        return all
    }
}

extension ResultsEngine {
    /// For each block of `version`, the blocks of earlier versions that count as it,
    /// following correspondence tables through as many versions as they chain.
    static func equivalents(
        to version: String, through tables: [CorrespondenceTable]
    ) -> [String: [(version: String, block: String)]] {
        struct Key: Hashable { let version: String, block: String }
        // (version, block) → the blocks of `version` it counts as.
        var counts: [Key: Set<String>] = [:]
        var changed = true
        while changed {
            changed = false
            for table in tables {
                for entry in table.entries {
                    var targets = Set<String>()
                    for to in entry.to {
                        if table.toVersion == version { targets.insert(to) }
                        targets.formUnion(counts[Key(version: table.toVersion, block: to)] ?? [])
                    }
                    let key = Key(version: table.fromVersion, block: entry.from)
                    let before = counts[key]?.count ?? 0
                    counts[key, default: []].formUnion(targets)
                    if counts[key]!.count != before { changed = true }
                }
            }
        }
        var result: [String: [(version: String, block: String)]] = [:]
        for (key, blocks) in counts.sorted(by: { ($0.key.version, $0.key.block) < ($1.key.version, $1.key.block) })
        where key.version != version {
            for block in blocks { result[block, default: []].append((key.version, key.block)) }
        }
        return result
    }
}
