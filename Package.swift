// swift-tools-version:6.2
import Foundation
import PackageDescription

// backfill: a staged pipeline that rebuilds a year of extreme market events
// for Binance USD-M perpetuals from the public archive. Each stage is a thin
// executable over `Common` plus its own files; see README.md and docs/DESIGN.md.

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")

// Intel ISA-L inflates zip members 2-3x faster than zlib. Optional: used where its header
// is installed (Debian: libisal-dev), zlib otherwise; BACKFILL_INFLATER=zlib builds
// without it even where it is installed. Common then compiles with ISAL defined.
let isalHeaders = ["/usr/include/isa-l.h", "/usr/local/include/isa-l.h", "/opt/homebrew/include/isa-l.h"]
let useISAL = ProcessInfo.processInfo.environment["BACKFILL_INFLATER"] != "zlib"
    && isalHeaders.contains { FileManager.default.fileExists(atPath: $0) }

let package = Package(
    name: "backfill",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Exact versions: every build, the image's included, resolves the same (a committed
        // Package.resolved would name commits this machine's package mirror does not have).
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
    ],
    targets: [
        // zlib from the system (Debian: zlib1g-dev), for inflating archive members.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // OpenSSL's libcrypto from the system (Debian: libssl-dev), for SHA-256.
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        // Intel ISA-L from the system (Debian: libisal-dev), when installed: see useISAL.
        .systemLibrary(name: "CISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),

        // What two stages share: ranges, archive paths, zip/CSV readers, atomic files, errors.
        .target(name: "Common", dependencies: ["CZlib", "CCrypto", argumentParser] + (useISAL ? ["CISAL"] : []),
                swiftSettings: useISAL ? [.define("ISAL")] : []),

        .executableTarget(name: "stage-download", dependencies: [
            "Common", argumentParser,
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .executableTarget(name: "stage-flow", dependencies: ["Common", argumentParser]),
        .executableTarget(name: "stage-detect", dependencies: ["Common", argumentParser]),
        .executableTarget(name: "stage-prices", dependencies: ["Common", argumentParser]),
        .executableTarget(name: "stage-report", dependencies: ["Common", argumentParser]),
        // The SQLite database (table extreme_events): schema, opening, errors; for
        // stage-load and `pipeline status`.
        .target(name: "EventStore", dependencies: [
            "Common",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "stage-load", dependencies: [
            "Common", "EventStore", argumentParser,
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // `backfill plan`, what make schedules from, and `backfill status` (`./pipeline status`).
        .executableTarget(name: "backfill", dependencies: ["Common", "EventStore", argumentParser]),

        // Sources/Support: what tests, the demo and fuzzing use, never a stage.
        // Archives for tests and the demo: zips the way the archive writes them (and breaks them),
        // and a loopback HTTP server that serves an archive tree with switchable faults.
        .target(name: "ArchiveFixture", dependencies: [
            "CZlib", "Common",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Sources/Support/ArchiveFixture"),
        // `make demo`: the synthetic archive, written and served on the loopback interface.
        .executableTarget(name: "demo-archive", dependencies: ["ArchiveFixture", "Common", argumentParser], path: "Sources/Support/demo-archive"),
        // `make fuzz`: libFuzzer over the zip and CSV readers (a replay tool in normal builds).
        .executableTarget(name: "fuzz-readers", dependencies: ["Common", "CZlib"], path: "Sources/Support/fuzz-readers"),

        // What every test target shares: one temporary-directory helper, one process runner.
        .target(name: "TestSupport", dependencies: ["Common"], path: "Tests/TestSupport"),

        .testTarget(name: "CommonTests", dependencies: ["TestSupport", "Common", "ArchiveFixture"]),
        .testTarget(name: "DownloadTests", dependencies: ["TestSupport", 
            "stage-download", "Common", "ArchiveFixture",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "FlowTests", dependencies: ["TestSupport", "stage-flow", "Common", "ArchiveFixture"]),
        .testTarget(name: "DetectTests", dependencies: ["TestSupport", "stage-detect", "Common", "ArchiveFixture"]),
        .testTarget(name: "PricesTests", dependencies: ["TestSupport", "stage-prices", "Common", "ArchiveFixture"]),
        .testTarget(name: "ReportTests", dependencies: ["TestSupport", "stage-report", "Common", "ArchiveFixture"]),
        // The whole pipeline through make, with the release binaries, against a loopback
        // archive that misbehaves on purpose; and `make demo`.
        .testTarget(name: "PipelineTests", dependencies: ["TestSupport", 
            "Common", "ArchiveFixture",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "LoadTests", dependencies: ["TestSupport", 
            "stage-load", "EventStore", "Common",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "BackfillTests", dependencies: ["TestSupport",
            "backfill", "EventStore", "Common",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

// `make test` runs every test against the release build, the one that makes the binaries
// the end-to-end tests run: the package's own modules are compiled for `@testable import`
// in release too, so that `swift build -c release` and the tests share one build.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enable-testing"], .when(configuration: .release))]
}
