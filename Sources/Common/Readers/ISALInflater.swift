#if ISAL
import CISAL

/// Intel ISA-L's raw inflate (igzip), which also keeps the member's CRC-32 as it
/// writes. ISA-L counts no input total: `given` does, less what it has not decoded.
final class ISALInflater: RawInflater {
    /// ISA-L's `inflate_state` (~50 KB), allocated once for the member.
    private let state: UnsafeMutableRawPointer
    private let name: String
    /// Input bytes handed to ISA-L so far.
    private var given: UInt64 = 0

    /// `name` is the member as the user knows it (`BTCUSDT-aggTrades-2024-01.zip: …`).
    init(name: String) throws {
        self.name = name
        guard let state = backfill_isal_inflate_new() else {
            throw DataError(file: name, "ISA-L cannot start inflating: out of memory")
        }
        self.state = state
    }

    deinit { backfill_isal_inflate_free(state) }

    var needsInput: Bool { backfill_isal_inflate_needs_input(state) != 0 }
    var unusedInput: UInt64 { backfill_isal_inflate_unused(state) }
    var consumed: UInt64 { given - unusedInput }
    var crc32: UInt32? { backfill_isal_inflate_crc(state) }

    func setInput(_ input: UnsafeRawBufferPointer) {
        backfill_isal_inflate_set_input(state, input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(input.count))
        given += UInt64(input.count)
    }

    func inflate(into output: UnsafeMutableRawBufferPointer) throws -> (written: Int, ended: Bool) {
        var written: UInt32 = 0
        var finished: Int32 = 0
        let status = backfill_isal_inflate(state, output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                           UInt32(output.count), &written, &finished)
        // ISAL_DECOMP_OK, ISAL_END_INPUT and ISAL_OUT_OVERFLOW are progress; the rest are negative.
        guard status >= 0 else {
            throw DataError(file: name, "corrupt deflate stream after \(consumed) compressed bytes: \(Self.reason(status))")
        }
        return (Int(written), finished != 0)
    }

    private static func reason(_ status: Int32) -> String {
        switch status {
        case ISAL_INVALID_BLOCK: return "invalid block type or stored block length"
        case ISAL_INVALID_SYMBOL: return "invalid code (ISA-L: invalid symbol)"
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
        default: return "ISA-L status \(status)"
        }
    }
}
#endif
