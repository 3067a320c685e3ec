import Foundation

/// A cohort's results in flat storage: one array per kind of outcome for the whole cohort,
/// so that computing 100,000 candidates allocates a handful of arrays, not a few per
/// candidate. Read it as a collection of `CandidateResults`, or outcome by outcome.
public struct CohortResults: Sendable, RandomAccessCollection {
    public let ids: [String]
    let competencyCount: Int
    let blockCount: Int
    let requirementCount: Int
    let groupCount: Int
    let competencies: [CompetencyOutcome]
    let blocks: [Outcome]
    let requirements: [Outcome]
    let certifications: [Outcome]
    let evidenceGrids: [Int32]

    public var startIndex: Int { 0 }
    public var endIndex: Int { ids.count }

    public subscript(i: Int) -> CandidateResults {
        CandidateResults(
            candidate: ids[i],
            competencies: Array(competencies[i * competencyCount..<(i + 1) * competencyCount]),
            blocks: Array(blocks[i * blockCount..<(i + 1) * blockCount]),
            requirements: Array(requirements[i * requirementCount..<(i + 1) * requirementCount]),
            certification: certifications[i],
            evidenceGrids: Array(evidenceGrids[i * groupCount..<(i + 1) * groupCount]))
    }

    public func certification(at i: Int) -> Outcome { certifications[i] }
    public func block(_ b: Int, at i: Int) -> Outcome { blocks[i * blockCount + b] }
    public func competency(_ c: Int, at i: Int) -> CompetencyOutcome { competencies[i * competencyCount + c] }
}

extension ResultsEngine {
    /// Results for many candidates, computed on every core in chunks large enough that
    /// scheduling costs nothing next to the work, each written in place.
    public func results(forCohort records: [CandidateRecord]) -> CohortResults {
        let n = records.count
        let (nc, nb, nr, ng) = (plan.competencies.count, plan.blocks.count, plan.requirements.count, plan.groups.count)
        // Left uninitialised: `compute` writes every slot of every candidate.
        var competencies = Self.uninitialised(CompetencyOutcome.self, n * nc)
        var blocks = Self.uninitialised(Outcome.self, n * nb)
        var requirements = Self.uninitialised(Outcome.self, n * nr)
        var certifications = Self.uninitialised(Outcome.self, n)
        var evidenceGrids = Self.uninitialised(Int32.self, n * ng)
        competencies.withUnsafeMutableBufferPointer { c in
            blocks.withUnsafeMutableBufferPointer { b in
                requirements.withUnsafeMutableBufferPointer { r in
                    certifications.withUnsafeMutableBufferPointer { cert in
                        evidenceGrids.withUnsafeMutableBufferPointer { e in
                            let storage = CohortStorage(
                                competencies: c, blocks: b, requirements: r, certifications: cert, evidenceGrids: e)
                            let workers = ProcessInfo.processInfo.activeProcessorCount
                            let chunkCount = n < 512 || workers < 2 ? 1 : min(n / 256, workers * 8)
                            let chunkSize = (n + chunkCount - 1) / max(chunkCount, 1)
                            records.withUnsafeBufferPointer { records in
                                // Records are borrowed through the buffer: copying one would retain its arrays.
                                let records = UnsafeSendable(records)
                                DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
                                    let scratch = Scratch()
                                    let end = min(n, (chunk + 1) * chunkSize)
                                    for i in (chunk * chunkSize)..<end {
                                        storage.certifications[i] = compute(
                                            records.value[i],
                                            into: Output(
                                                competencies: storage.slice(storage.competencies, i, nc),
                                                blocks: storage.slice(storage.blocks, i, nb),
                                                requirements: storage.slice(storage.requirements, i, nr),
                                                evidenceGrids: storage.slice(storage.evidenceGrids, i, ng)),
                                            scratch: scratch)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return CohortResults(
            ids: records.map(\.id), competencyCount: nc, blockCount: nb, requirementCount: nr, groupCount: ng,
            competencies: competencies, blocks: blocks, requirements: requirements,
            certifications: certifications, evidenceGrids: evidenceGrids)
    }
}

/// A read-only buffer handed to the workers, which only read it while it is alive.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The cohort's buffers, shared by the workers: each candidate's slots are written by
/// exactly one worker, and read only after `concurrentPerform` returns.
private struct CohortStorage: @unchecked Sendable {
    let competencies: UnsafeMutableBufferPointer<CompetencyOutcome>
    let blocks: UnsafeMutableBufferPointer<Outcome>
    let requirements: UnsafeMutableBufferPointer<Outcome>
    let certifications: UnsafeMutableBufferPointer<Outcome>
    let evidenceGrids: UnsafeMutableBufferPointer<Int32>

    func slice<T>(_ buffer: UnsafeMutableBufferPointer<T>, _ i: Int, _ width: Int) -> UnsafeMutableBufferPointer<T> {
        UnsafeMutableBufferPointer(rebasing: buffer[(i * width)..<((i + 1) * width)])
    }
}

extension ResultsEngine {
    /// An array of trivial values whose every element the caller writes before reading.
    static func uninitialised<T: BitwiseCopyable>(_ type: T.Type, _ count: Int) -> [T] {
        Array(unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

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
