import CZlib
#if ISAL
import CISAL
#endif

/// Which library inflates zip members and computes their CRC-32: zlib is always
/// built; Intel ISA-L (2-3x faster) where its header was installed at build time
/// (see Package.swift). `stage-flow --inflater` picks one at run time.
public enum InflaterKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case zlib
    case isal

    /// The kinds this build has.
    public static var available: [InflaterKind] {
        #if ISAL
        return [.zlib, .isal]
        #else
        return [.zlib]
        #endif
    }

    /// The fastest kind this build has: ISA-L where built, else zlib.
    public static var preferred: InflaterKind { available.last! }

    public var description: String { rawValue }

    /// Throws when this build lacks the kind (ISA-L without libisal-dev at build time).
    public func checkAvailable() throws {
        guard Self.available.contains(self) else {
            throw UsageError("this build has no ISA-L inflater (install libisal-dev and rebuild); available: \(Self.available.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// A raw deflate inflater of this kind for the member `name`.
    func inflater(name: String) throws -> RawInflater {
        switch self {
        case .zlib:
            return try ZlibInflater(name: name)
        case .isal:
            #if ISAL
            return try ISALInflater(name: name)
            #else
            try checkAvailable()
            fatalError("unreachable: checkAvailable threw")
            #endif
        }
    }

    /// The CRC-32 of zip (and gzip), `crc` extended by `bytes`, with this kind's library.
    @inline(__always)
    func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        #if ISAL
        if self == .isal { return crc32_gzip_refl(crc, base.assumingMemoryBound(to: UInt8.self), UInt64(bytes.count)) }
        #endif
        return UInt32(CZlib.crc32_z(UInt(crc), base.assumingMemoryBound(to: Bytef.self), bytes.count))
    }
}

/// A raw deflate decoder (the deflate method of zip members), fed its input in pieces
/// and emptied one output buffer at a time.
protocol RawInflater: AnyObject {
    /// Whether the input given last has been taken in whole.
    var needsInput: Bool { get }
    /// Compressed bytes decoded so far, for messages.
    var consumed: UInt64 { get }
    /// Bytes given but not part of the deflate stream (meaningful once it ended).
    var unusedInput: UInt64 { get }
    /// The CRC-32 of everything written, where the inflater keeps it (ISA-L);
    /// nil when the caller computes it.
    var crc32: UInt32? { get }
    /// The next input; the bytes must stay valid until `needsInput`.
    func setInput(_ input: UnsafeRawBufferPointer)
    /// Inflates into `output`; returns the bytes written and whether the deflate stream ended.
    /// Throws a DataError naming the member when the stream is corrupt.
    func inflate(into output: UnsafeMutableRawBufferPointer) throws -> (written: Int, ended: Bool)
}
