import NIOCore
import NIOHTTP1

/// Answers GET and HEAD requests of one connection from the server's state.
final class ArchiveRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let state: ServerState
    private var head: HTTPRequestHead?

    init(state: ServerState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = request.isKeepAlive
        guard request.method == .GET || request.method == .HEAD else {
            send(status: 405, headers: [], body: Array("only GET and HEAD\n".utf8), includeBody: true, keepAlive: keepAlive, context: context)
            return
        }
        let path = String(request.uri.prefix { $0 != "?" })
        let query = request.uri.firstIndex(of: "?").map { String(request.uri[request.uri.index(after: $0)...]) }
        let includeBody = request.method == .GET
        switch state.respond(to: path, query: query) {
        case .whole(let status, let headers, let body):
            send(status: status, headers: headers, body: body, includeBody: includeBody, keepAlive: keepAlive, context: context)
        case .partial(let body, let sent, let after):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(body.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))), promise: nil)
            let part = context.channel.allocator.buffer(bytes: body[0..<sent])
            let written = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part))))
            if after == .close {
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
            // .stall: nothing more is ever sent on this connection.
        }
    }

    private func send(status: Int, headers extra: [Fault.Header], body: [UInt8], includeBody: Bool,
                      keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.count))
        for header in extra { headers.add(name: header.name, value: header.value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if includeBody && !body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
