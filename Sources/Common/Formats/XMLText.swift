/// XML's five special characters as entities, for text and attribute values: what the
/// report's page and SVG write, and what the test archive's bucket listing writes (and
/// `BucketListing` decodes).
public enum XMLText {
    /// `text` with `& < > " '` replaced by entities.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
