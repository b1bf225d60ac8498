import Common
import EventStore

/// How a load, or a dry run, tells what it did: a summary per symbol for a load
/// (stderr, like every stage's progress), a table per symbol and dimension for a
/// dry run (stdout: it is what the user asked for).
enum LoadReport {
    /// One line per symbol, then the migration if there was one.
    static func summary(_ outcome: LoadOutcome, database: String) -> [String] {
        var lines: [String] = []
        if outcome.newDatabase { lines.append("\(database): created, with table \(EventsTable.name)") }
        if let migration = outcome.migration {
            lines.append("\(database): migrated the original tool's table: \(describe(migration)) dropped, added the unique key (\(EventsTable.key.joined(separator: ", ")))")
        }
        for (symbol, tally) in bySymbol(outcome.counts) {
            lines.append("\(database): \(symbol): \(tally.inserted) inserted, \(tally.updated) updated, \(tally.unchanged) unchanged, \(tally.retired) retired"
                         + (tally.history > 0 ? ", \(tally.history) rows before the range kept as history" : ""))
        }
        if outcome.counts.changesNothing { lines.append("\(database): nothing to change") }
        return lines
    }

    /// The one line a quiet load ends with: the counts of every symbol together.
    static func total(_ outcome: LoadOutcome, database: String) -> String {
        let total = outcome.counts.total
        let symbols = Set(outcome.counts.tallies.keys.map(\.symbol)).count
        return "\(database)\(outcome.newDatabase ? " (created)" : ""): \(symbols) symbol\(symbols == 1 ? "" : "s"): \(total.inserted) inserted, "
            + "\(total.updated) updated, \(total.unchanged) unchanged, \(total.retired) retired"
            + (outcome.migration == nil ? "" : "; migrated the original tool's table")
    }

    /// The dry run's table: what a load would insert, update and leave alone.
    static func dryRun(_ outcome: LoadOutcome, database: String) -> String {
        var out = "dry run: nothing is written to \(database)"
        if outcome.newDatabase { out += " (it does not exist: a load would create it)" }
        out += "\n"
        if let migration = outcome.migration {
            out += "the table is the original tool's: a load would drop \(describe(migration)) and add the unique key\n"
        }
        let header = ["symbol", "dimension", "insert", "update", "unchanged", "retire", "history"]
        var rows: [[String]] = []
        for group in outcome.counts.tallies.keys.sorted() {
            rows.append([group.symbol, group.dimension] + counts(outcome.counts.tallies[group]!))
        }
        rows.append(["total", ""] + counts(outcome.counts.total))
        out += table(header: header, rows: rows)
        out += """
            insert: events not in the table; update: a price became known, or value or percentile changed;
            unchanged: rows equal to their event, not rewritten; retire: rows in [range start + window, END) that no event
            of this load reproduces, deleted; history: rows before range start + window, kept.

            """
        return out
    }

    private static func describe(_ migration: KeyMigration) -> String {
        "\(migration.droppedIDs.count) duplicate row(s) of \(migration.duplicatedEvents) event(s)"
    }

    private static func counts(_ tally: LoadPlan.Tally) -> [String] {
        [tally.inserted, tally.updated, tally.unchanged, tally.retired, tally.history].map(String.init)
    }

    private static func bySymbol(_ counts: LoadCounts) -> [(String, LoadPlan.Tally)] {
        var totals: [String: LoadPlan.Tally] = [:]
        for (group, tally) in counts.tallies { totals[group.symbol, default: LoadPlan.Tally()] = totals[group.symbol, default: LoadPlan.Tally()] + tally }
        return totals.keys.sorted().map { ($0, totals[$0]!) }
    }

    /// Text columns left-aligned, numbers right-aligned, two spaces apart.
    private static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in all {
            let cells = row.indices.map { column -> String in
                let cell = row[column]
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < 2 ? cell + pad : pad + cell
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
