import ArgumentParser
import Common

/// `backfill`: the pipeline's own plan, and what the cache holds against it.
/// `backfill plan` is what make schedules from (the Makefile's one source of symbols,
/// months, artifacts and knob checks); `backfill status` is `./pipeline status`.
@main
struct Backfill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "The plan make schedules from, and the status of a cache against it.",
        subcommands: [PlanCommand.self, StatusCommand.self])

    static func main() { StageEntry.main(Self.self) }
}
