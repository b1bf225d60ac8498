import Common
import Synchronization
import Testing

/// Lines a Progress writes, recorded instead of sent to stderr.
final class Recorder: Sendable {
    private let lines = Mutex<[String]>([])
    var written: [String] { lines.withLock { $0 } }
    var sink: @Sendable (String) -> Void { { [self] text in lines.withLock { $0.append(text) } } }
}

@Suite("progress on stderr: a live line on a terminal, plain lines otherwise, nothing when quiet")
struct ProgressTests {
    @Test("sizes in powers of 1000", arguments: [
        (Int64(0), "0 B"), (812, "812 B"), (1000, "1.00 kB"), (41_300_000, "41.3 MB"), (1_200_000_000, "1.20 GB"),
    ])
    func bytes(_ n: Int64, _ text: String) {
        #expect(Progress.bytes(n) == text)
    }

    @Test("durations as m:ss or h:mm:ss, rounded up", arguments: [(0.2, "0:01"), (7.0, "0:07"), (750.0, "12:30"), (3723.0, "1:02:03")])
    func duration(_ seconds: Double, _ text: String) {
        #expect(Progress.duration(seconds) == text)
    }

    @Test("periodic: whole lines with files done/total and bytes, and a last line at the end")
    func periodic() {
        let recorder = Recorder()
        let progress = Progress(label: "BTCUSDT", total: 3, style: .periodic(seconds: 0), sink: recorder.sink)
        progress.itemStarted(expectedBytes: 2000)
        progress.received(bytes: 2000)
        progress.itemFinished()
        progress.finish()
        let lines = recorder.written
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
        #expect(lines[0].contains("BTCUSDT 0/3 files, 2.00 kB, "))
        #expect(lines[1].contains("BTCUSDT 1/3 files, 2.00 kB, "))
        #expect(lines[2].contains("BTCUSDT 1/3 files, 2.00 kB"))
    }

    @Test("live: one line redrawn with \\r, cleared for a note, ended by finish")
    func live() {
        let recorder = Recorder()
        let progress = Progress(label: "BTCUSDT", total: 2, style: .live, sink: recorder.sink)
        progress.itemStarted(expectedBytes: nil)
        progress.received(bytes: 500)
        progress.note("retrying")
        progress.finish()
        let lines = recorder.written
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("\r\u{1B}[K") && lines[0].contains("BTCUSDT 0/2 files, 500 B") && !lines[0].contains("\n"))
        // the note clears the line, is written whole, and the line is drawn again after it
        #expect(lines[1].hasPrefix("\r\u{1B}[K") && lines[1].contains(": retrying\n\r\u{1B}[K"))
        #expect(lines[2].hasPrefix("\r\u{1B}[K") && lines[2].hasSuffix("\n"))
    }

    @Test("silent (--quiet): no progress and no notes; warnings still show")
    func silent() {
        let recorder = Recorder()
        let progress = Progress(label: "BTCUSDT", total: 1, style: .silent, sink: recorder.sink)
        progress.itemStarted(expectedBytes: 10)
        progress.received(bytes: 10)
        progress.note("retrying")
        progress.itemFinished()
        progress.warning("not published")
        progress.finish()
        #expect(recorder.written.count == 1)
        #expect(recorder.written.first?.hasSuffix(": warning: not published\n") == true)
    }
}
