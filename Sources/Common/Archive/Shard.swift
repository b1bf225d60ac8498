/// One of COUNT shards of the market (SPEC "Shards"): a symbol belongs to the shard
/// `FNV-1a-32(full name) mod COUNT`, a function of its name alone, so that no symbol
/// changes shard when the listing or the range moves. Written `INDEX/COUNT` (`2/4`).
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw UsageError("SHARD '\(index)/\(count)' must be INDEX/COUNT with 0 <= INDEX < COUNT, like 0/4")
        }
        self.index = index
        self.count = count
    }

    /// Parses `INDEX/COUNT`.
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (0..<count).contains(index) else {
            throw UsageError("SHARD '\(text)' must be INDEX/COUNT with 0 <= INDEX < COUNT, like 0/4")
        }
        try self.init(index: index, count: count)
    }

    /// The shard of `symbol` among `count`.
    public static func index(of symbol: Symbol, count: Int) -> Int {
        Int(fnv1a32(symbol.full) % UInt32(count))
    }

    public func owns(_ symbol: Symbol) -> Bool { Self.index(of: symbol, count: count) == index }

    /// FNV-1a, 32 bits, of the UTF-8 bytes of `text`.
    public static func fnv1a32(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    public var description: String { "\(index)/\(count)" }
}
