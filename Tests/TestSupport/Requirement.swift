import Common
import Foundation
import Glibc
import Testing

/// Something a test needs from the machine: a program on PATH, or ISA-L in this build.
/// Without it the test is skipped, saying what is missing; with `CI=true` in the
/// environment (`.ci/run` sets it) it fails instead, naming it, so that CI cannot be
/// green with tests left unrun.
///
///     @Test("…", .requires(.tool("python3")))
///     func f() async throws {
///         let python3 = try Requirement.tool("python3").path()
///
/// A test that needs a user who is not root is not skipped when run as root: it runs
/// the command it checks as an unprivileged user (`Unprivileged`).
public struct Requirement: Sendable, CustomStringConvertible {
    /// What is needed, as a message names it: `python3`, `ISA-L (libisal-dev)`.
    public let name: String
    /// How to get it, for the skip and failure messages.
    public let hint: String
    /// Where it is: a program's path; nil when missing.
    private let found: @Sendable () -> String?

    public var description: String { name }

    /// A program found on PATH (or in /usr/bin, /usr/local/bin, /usr/sbin).
    public static func tool(_ name: String, hint: String? = nil) -> Requirement {
        Requirement(name: name, hint: hint ?? "install it") { which(name) }
    }

    /// Whether CI asked for every test to run (`CI=true`).
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    public var isMet: Bool { found() != nil }

    /// Where the requirement is met (a program's path); throws, naming it, when it is not.
    public func path() throws -> String {
        guard let path = found() else { throw Missing(requirement: self) }
        return path
    }

    /// The trait's condition: true when met; false (skip) when not, outside CI; throws
    /// (the test fails naming what is missing) in CI.
    public func check(inCI: Bool = Requirement.inCI) throws -> Bool {
        if isMet { return true }
        if inCI { throw Missing(requirement: self) }
        return false
    }

    public init(name: String, hint: String, found: @escaping @Sendable () -> String?) {
        self.name = name
        self.hint = hint
        self.found = found
    }

    public struct Missing: Error, CustomStringConvertible {
        public let requirement: Requirement
        public var description: String {
            "\(requirement.name) is missing (\(requirement.hint)); CI=true runs every test, so a test that needs it fails"
        }
    }

    /// The first executable named `name` on PATH or in the usual directories.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

extension Requirement {
    /// Intel ISA-L compiled into this build (its header was installed when it was built).
    public static let isal = Requirement(name: "ISA-L", hint: "Debian: libisal-dev, then rebuild") {
        InflaterKind.available.contains(.isal) ? "built in" : nil
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when every requirement is met; otherwise skips it, naming what is
    /// missing, or, with `CI=true`, fails it naming what is missing.
    public static func requires(_ requirements: Requirement...) -> Self {
        let missing = requirements.filter { !$0.isMet }.map { "\($0.name) is missing (\($0.hint))" }
        return .enabled(missing.isEmpty ? nil : Comment(rawValue: missing.joined(separator: "; "))) {
            var met = true
            for requirement in requirements where try !requirement.check() { met = false }
            return met
        }
    }
}

/// Running a command as a user who is not root, for the checks that mean nothing to
/// root (root writes read-only files): as root, through `setpriv` as nobody
/// (uid and gid 65534); as anyone else, as that user.
public enum Unprivileged {
    public static let nobody: uid_t = 65534

    /// `setpriv`, needed when the tests run as root.
    public static let setpriv = Requirement.tool("setpriv", hint: "Debian: util-linux")

    /// Whether the tests run as root (so that commands need `setpriv`).
    public static var asRoot: Bool { geteuid() == 0 }

    /// The executable and arguments that run `command` as a user other than root.
    public static func command(_ command: [String]) throws -> (String, [String]) {
        guard asRoot else { return (command[0], Array(command.dropFirst())) }
        return (try setpriv.path(), ["--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"] + command)
    }
}
