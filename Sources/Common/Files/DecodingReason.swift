extension DataError {
    /// What a JSON decoding error says about the line, in a few words for a `DataError`:
    /// `no "price_4h"`, `"value" has the wrong type`, `malformed JSON`.
    public static func reason(decoding error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case DecodingError.dataCorrupted: return "malformed JSON"
        default: return "\(error)"
        }
    }
}
