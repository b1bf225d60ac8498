/// A zip the cache holds, read by a stage after stage-download verified it.
///
/// Its bytes can still be wrong: a disk error, a hand edit, or another program
/// writing the cache. A stage that fails to read one leaves `NAME.zip.suspect`
/// beside it (the error, one line); the next download hashes the zip against its
/// CHECKSUM and fetches it again when they differ, so the cache heals itself
/// instead of failing every run. When the hashes agree the archive's own file is
/// broken: the download says so and keeps it.
public enum HeldFile {
    /// Runs `body`, which reads the held `file`; when it throws, marks the file
    /// suspect and rethrows.
    public static func reading<T>(_ file: ArchiveFile, in layout: CacheLayout, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            markSuspect(file, in: layout, because: error)
            throw error
        }
    }

    public static func markSuspect(_ file: ArchiveFile, in layout: CacheLayout, because error: any Error) {
        if file.isTail {
            // The tail has no CHECKSUM to heal against: a tail file that cannot be read goes,
            // and the next download asks the REST API for its hours again.
            do {
                try FileSystem.remove(layout.held(file))
                Log.warning("\(file.csvName) is removed (\(layout.held(file))): the next run's download fetches its hours from the REST API again")
            } catch {
                Log.warning("could not remove the unreadable \(file.csvName): \(error)")
            }
            return
        }
        let marker = layout.suspect(file)
        let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        do {
            try AtomicFile.write(reason + "\n", to: marker)
            Log.warning("\(file.zipName) is marked suspect (\(marker)): the next run's download hashes it against its CHECKSUM and fetches it again if the bytes differ")
        } catch {
            Log.warning("could not mark \(file.zipName) suspect: \(error)")
        }
    }
}
