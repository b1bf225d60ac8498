/// Numbers in the files are written in the shortest form that reads back to the
/// same double (SPEC "Interface"), the form Python's `repr` and Swift's
/// `description` share: `811209.83`, `100000.0`, `1e-05`, `-0.0`.
public enum NumberFormat {
    @inline(__always)
    public static func shortest(_ value: Double) -> String { value.description }

    /// JSON has no NaN or infinity; the pipeline never writes them.
    public static func json(_ value: Double?) -> String {
        guard let value else { return "null" }
        precondition(value.isFinite, "non-finite number \(value) cannot be written")
        return value.description
    }
}
