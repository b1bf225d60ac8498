/// The stages `backfill status` reports, in the order the pipeline runs them.
enum Stage: String, CaseIterable, Sendable {
    case download, flow, detect, prices, load
}
