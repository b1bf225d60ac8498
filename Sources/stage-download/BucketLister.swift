import AsyncHTTPClient
import Common
import NIOCore

/// Reads the archive's bucket listing (`--list-url`, make's LIST_URL): every page of
/// `LIST_URL?delimiter=/&prefix=P`, following `NextMarker` while `IsTruncated`, with
/// the download's retries for transient failures. Any other failure (an HTTP error,
/// a page that is not a listing or is cut short) is a ListingFailed naming LIST_URL.
struct BucketLister: Sendable {
    /// `https://s3-ap-northeast-1.amazonaws.com/data.binance.vision`, no trailing slash.
    let listURL: String
    /// The requests: HTTPArchiveSource's GET and retries.
    let http: HTTPArchiveSource

    static let standard = "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision"
    /// A page is small (S3: 1,000 entries, ~250 KiB); anything far larger is not one.
    static let maximumPageBytes = 16 << 20
    /// More pages than any real folder needs means a listing that never ends.
    static let maximumPages = 10_000

    /// Checks the URL as `--base-url` is checked.
    static func validated(_ text: String) throws -> String {
        do {
            return try ArchiveURL(text).root
        } catch let error as UsageError {
            throw UsageError(error.message.replacingFirst("--base-url", with: "--list-url"))
        }
    }

    /// Every common prefix and object below `prefix`, from `marker` on, all pages.
    func list(prefix: String, marker: String = "") async throws -> (prefixes: [String], objects: [BucketListingPage.Object]) {
        var prefixes: [String] = [], objects: [BucketListingPage.Object] = []
        var marker = marker
        for _ in 0..<Self.maximumPages {
            let page = try await self.page(prefix: prefix, marker: marker)
            prefixes += page.prefixes
            objects += page.objects
            guard let next = page.nextMarker else { return (prefixes, objects) }
            guard next > marker else {
                throw ListingFailed(listURL: listURL, url: url(prefix: prefix, marker: marker),
                                    reason: "the next marker '\(next)' does not move past '\(marker)': the listing would never end")
            }
            marker = next
        }
        throw ListingFailed(listURL: listURL, url: url(prefix: prefix, marker: marker), reason: "more than \(Self.maximumPages) pages")
    }

    func url(prefix: String, marker: String) -> String {
        var url = "\(listURL)?delimiter=/&prefix=\(Self.encode(prefix))"
        if !marker.isEmpty { url += "&marker=\(Self.encode(marker))" }
        return url
    }

    private func page(prefix: String, marker: String) async throws -> BucketListingPage {
        let url = url(prefix: prefix, marker: marker)
        do {
            return try await http.withRetries(url) { () async throws -> BucketListingPage in
                guard let response = try await http.get(url) else {
                    throw ListingFailed(listURL: listURL, url: url, reason: "HTTP 404 Not Found: no bucket listing at this URL")
                }
                let body: ByteBuffer
                do {
                    body = try await response.body.collect(upTo: Self.maximumPageBytes)
                } catch is NIOTooManyBytesError {
                    throw ListingFailed(listURL: listURL, url: url, reason: "a page longer than \(Self.maximumPageBytes) bytes is not a listing")
                } catch {
                    throw try http.transportFailure(error, url: url)
                }
                do {
                    return try BucketListingPage(parsing: String(decoding: body.readableBytesView, as: UTF8.self), source: url)
                } catch let error as DataError {
                    throw ListingFailed(listURL: listURL, url: url, reason: error.message)
                }
            }
        } catch let error as ListingFailed {
            throw error
        } catch let error as RequestFailure {
            throw ListingFailed(listURL: listURL, url: url, reason: error.reason)
        } catch let error as GaveUp {
            throw ListingFailed(listURL: listURL, url: url, reason: "\(error.reason) (gave up after \(error.attempts) attempts)")
        } catch let error as Unreachable {
            throw ListingFailed(listURL: listURL, url: url, reason: error.what)
        }
    }

    /// Percent-encodes a query value; `/` stays as the archive's own page sends it.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}

/// The listing could not be read whole: which LIST_URL, which page, and why.
struct ListingFailed: Error, CustomStringConvertible, Sendable {
    let listURL: String
    let url: String
    let reason: String

    var description: String { "the archive's listing LIST_URL=\(listURL) could not be read: \(url): \(reason)" }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return self[..<range.lowerBound] + replacement + self[range.upperBound...]
    }
}
