import ArchiveFixture
import AsyncHTTPClient
import Common
import Testing

@Suite("the loopback archive server")
struct ArchiveServerTests {
    struct Answer {
        let status: UInt
        let contentLength: String?
        let retryAfter: String?
        let body: [UInt8]
    }

    func fetch(_ url: String, head: Bool = false) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        if head { request.method = .HEAD }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: response.status.code, contentLength: response.headers.first(name: "content-length"),
                      retryAfter: response.headers.first(name: "retry-after"), body: Array(body.readableBytesView))
    }

    @Test("GET and HEAD of in-memory and directory files, 404 otherwise, every request counted")
    func serves() async throws {
        let cache = try TemporaryCache()
        try AtomicFile.write("from disk", to: "\(cache.root)/data/x.zip")
        try await ArchiveServer.with(directory: cache.root, files: ["/mem.zip": Array("in memory".utf8)]) { server in
            let get = try await fetch(server.url("/mem.zip"))
            #expect(get.status == 200 && get.body == Array("in memory".utf8))
            #expect(get.contentLength == "9")
            let head = try await fetch(server.url("/mem.zip"), head: true)
            #expect(head.status == 200 && head.body.isEmpty && head.contentLength == "9")
            #expect(try await fetch(server.url("/data/x.zip")).body == Array("from disk".utf8))
            #expect(try await fetch(server.url("/nothing.zip")).status == 404)
            #expect(try await fetch(server.url("/data/../data/x.zip")).status == 404)
            #expect(server.requests(at: "/mem.zip") == 2)
            #expect(server.totalRequests == 5)
        }
    }

    @Test("faults play in order for their number of requests, then the file is served again")
    func faultsInOrder() async throws {
        try await ArchiveServer.with(files: ["/a.zip": Array("abc".utf8)]) { server in
            server.inject(.status(503, headers: [.init("Retry-After", "3")]), at: "/a.zip", times: 2)
            server.inject(.serve(Array("xyz".utf8)), at: "/a.zip")
            let first = try await fetch(server.url("/a.zip"))
            #expect(first.status == 503 && first.retryAfter == "3")
            #expect(try await fetch(server.url("/a.zip")).status == 503)
            #expect(try await fetch(server.url("/a.zip")).body == Array("xyz".utf8))
            #expect(try await fetch(server.url("/a.zip")).body == Array("abc".utf8))
            server.remove("/a.zip")
            #expect(try await fetch(server.url("/a.zip")).status == 404)
        }
    }
}
