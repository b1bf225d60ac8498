import Common
import Dispatch
import Synchronization

/// Reads a load's batches one ahead: while the load plans and applies batch i
/// (SQLite, on the database's thread), batch i + 1's files are parsed on another
/// core. Invariant: at most two batches' events are held at once, the one being
/// applied and the next; an error reading a batch is thrown when the load asks for
/// that batch, as if it were read then.
final class BatchReader: Sendable {
    private let batches: [LoadBatch]
    /// Batches read and not yet taken, by index.
    private let read = Mutex<[Int: Result<[PricedEvent], any Error>]>([:])
    /// Signalled once for each batch, when its read ends.
    private let done: [DispatchSemaphore]

    /// Starts reading the first batch.
    init(_ batches: [LoadBatch]) {
        self.batches = batches
        done = batches.map { _ in DispatchSemaphore(value: 0) }
        start(0)
    }

    /// The events of batch `index` (asked in order: 0, 1, 2…), once read; starts
    /// reading the next.
    func events(_ index: Int) throws -> [PricedEvent] {
        done[index].wait()
        let result = read.withLock { $0.removeValue(forKey: index)! }
        start(index + 1)
        return try result.get()
    }

    private func start(_ index: Int) {
        guard batches.indices.contains(index) else { return }
        let batch = batches[index]
        DispatchQueue.global().async { [self] in
            let result = Result { try batch.events() }
            read.withLock { $0[index] = result }
            done[index].signal()
        }
    }
}
