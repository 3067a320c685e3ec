import NIOCore

/// Splits the server's bytes into lines (CRLF or LF), refusing a line longer than 4 KiB.
final class SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    static let maximumLength = 4096

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLength {
                throw SMTPError(.transient, "réponse du serveur SMTP trop longue")
            }
            return .needMoreData
        }
        let length = view.distance(from: view.startIndex, to: newline)
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.utf8.last == UInt8(ascii: "\r") { line = String(line.utf8.dropLast()) ?? line }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Hands the lines to the session's task through a stream, which ends when the connection
/// closes and fails on an error or when the server stays silent past the timeout.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = String
    let continuation: AsyncThrowingStream<String, any Error>.Continuation
    let timeoutSeconds: Int

    init(continuation: AsyncThrowingStream<String, any Error>.Continuation, timeoutSeconds: Int) {
        self.continuation = continuation
        self.timeoutSeconds = timeoutSeconds
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            continuation.finish(
                throwing: SMTPError(.transient, "le serveur SMTP n'a pas répondu en \(timeoutSeconds) s"))
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
