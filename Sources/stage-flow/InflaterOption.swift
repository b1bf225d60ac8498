import ArgumentParser
import Common

/// `--inflater zlib|isal`: which library inflates the zips (ISA-L where this build has it).
struct InflaterOption: ParsableArguments {
    @Option(help: ArgumentHelp("The inflater of zip members: \(InflaterKind.available.map(\.rawValue).joined(separator: " or ")) (default \(InflaterKind.preferred)).",
                               valueName: "library"))
    var inflater: String = InflaterKind.preferred.rawValue

    mutating func validate() throws { _ = try kind() }

    func kind() throws -> InflaterKind {
        guard let kind = InflaterKind(rawValue: inflater) else {
            throw ValidationError("--inflater must be zlib or isal, got '\(inflater)'")
        }
        try kind.checkAvailable()
        return kind
    }
}
