import Foundation

/// The writer driven one passage at a time, for a caller whose passages arrive between
/// suspension points (pages read from a database): the same checks and output as
/// `HolderDeclarationWriter.write`, in the same flat memory.
public struct HolderDeclarationStream {
    let writer: HolderDeclarationWriter
    let sink: (Data) throws -> Void
    var buffer: HolderDeclarationBuffer
    var validator = HolderDeclarationValidator()
    var count = 0
    var bytes = 0

    public init(writer: HolderDeclarationWriter, sink: @escaping (Data) throws -> Void) {
        self.writer = writer
        self.sink = sink
        buffer = HolderDeclarationBuffer(capacity: writer.chunkSize + 4096)
    }

    /// Checks and writes one passage; the first with a problem throws `invalidPassage`.
    public mutating func append(_ passage: HolderPassage) throws {
        let problems = validator.check(passage)
        if !problems.isEmpty { throw HolderDeclarationError.invalidPassage(problems) }
        if count == 0 { writer.writeHeader(into: &buffer) }
        HolderDeclarationWriter.writePassage(passage, into: &buffer)
        count += 1
        if buffer.count >= writer.chunkSize { try flush() }
    }

    /// Writes the footer; throws `noPassages` when nothing was appended.
    public mutating func finish() throws -> HolderDeclarationSummary {
        guard count > 0 else { throw HolderDeclarationError.noPassages }
        writer.writeFooter(into: &buffer)
        try flush()
        return HolderDeclarationSummary(passageCount: count, byteCount: bytes)
    }

    mutating func flush() throws {
        bytes += buffer.count
        try sink(buffer.take())
    }
}
