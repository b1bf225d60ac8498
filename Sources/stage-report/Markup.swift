import Common

/// Escaping for the page, which is written as XHTML-compatible markup (every
/// element closed, attributes quoted, only XML's five entities) so that an XML
/// parser can check it and a browser reads it as HTML5.
enum Markup {
    /// Text or an attribute value with `& < > " '` replaced by entities.
    static func escape(_ text: String) -> String { XMLText.escaped(text) }

    /// A coordinate or length for SVG: one decimal, no trailing `.0`.
    static func coordinate(_ x: Double) -> String {
        let tenths = (x * 10).rounded()
        guard tenths.isFinite, tenths.magnitude < 1e12 else { return "0" }
        let whole = Int64(tenths)
        let sign = whole < 0 ? "-" : ""
        let magnitude = whole.magnitude
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
