/// The rows of the small lists stage-download writes (`files.csv`, `missing.csv`):
/// a fixed header line, then one line of comma-separated fields per archive file,
/// no quoting. Errors name the list's path and the line.
public enum ListingRows {
    /// The fields of each line after `header`, each line holding exactly `fields` of them.
    public static func parse(_ text: String, path: String, header: String, fields: Int) throws -> [(line: Int, fields: [String])] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard lines.first == Substring(header) else {
            throw DataError(file: path, line: 1, "expected header '\(header)', got '\(lines.first ?? "")'")
        }
        return try lines.enumerated().dropFirst().map { index, line in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count == fields else {
                throw DataError(file: path, line: index + 1, "expected \(fields) fields, got \(values.count)")
            }
            return (index + 1, values)
        }
    }

    /// The archive file of a row's `dataset` and `file` fields.
    public static func archiveFile(dataset: String, path file: String, in path: String, line: Int) throws -> ArchiveFile {
        guard let archiveFile = ArchiveFile(path: file), archiveFile.dataset.rawValue == dataset else {
            throw DataError(file: path, line: line, "'\(file)' is not an archive file path of dataset '\(dataset)'")
        }
        return archiveFile
    }
}
