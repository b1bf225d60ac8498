import Foundation
import Testing

/// deploy/kubernetes/render: a claim and a Job per shard, and the merge Job that mounts
/// every shard's claim. No cluster here: what is checked is what the script writes, and,
/// when `kubernetes-validate` (PyPI) is installed, that Kubernetes' schemas accept it
/// (with CI=true, its absence is a failure naming it).
@Suite("Kubernetes: a PersistentVolumeClaim per shard cache")
struct KubernetesRenderTests {
    static let render = Repository.root + "/deploy/kubernetes/render"
    static let validator = Requirement.tool("kubernetes-validate", hint: "pip install kubernetes-validate")

    func rendered(_ arguments: [String]) async throws -> String {
        let result = try await Run.process(Self.render, arguments)
        try #require(result.succeeded, "\(result)")
        return result.output
    }

    /// The documents of a YAML stream, without the comment before the first.
    func documents(_ yaml: String) -> [String] {
        yaml.components(separatedBy: "---\n").dropFirst().map { $0 }
    }

    @Test("shard k of N mounts its own claim backfill-cache-k at /cache and runs deploy/shard.sh k N")
    func claimPerShard() async throws {
        let docs = documents(try await rendered(["--shards", "3", "--end", "2026-11-28", "--storage", "200Gi"]))
        #expect(docs.count == 6)
        for k in 0..<3 {
            let claim = docs[2 * k], job = docs[2 * k + 1]
            #expect(claim.contains("kind: PersistentVolumeClaim\n") && claim.contains("name: backfill-cache-\(k)\n"))
            #expect(claim.contains(#"accessModes: ["ReadWriteOnce"]"#) && claim.contains("storage: 200Gi"))
            #expect(job.contains("kind: Job\n") && job.contains("name: backfill-shard-\(k)\n"))
            #expect(job.contains(#"command: ["deploy/shard.sh", "\#(k)", "3"]"#))
            #expect(job.contains("claimName: backfill-cache-\(k)\n"))
            #expect(!docs.enumerated().contains { $0.offset != 2 * k + 1 && $0.element.contains("claimName: backfill-cache-\(k)\n") })
            #expect(job.contains("mountPath: /cache\n") && job.contains("value: /cache/monitor.db"))
            #expect(job.contains(#"value: "2026-11-28""#))
        }
    }

    @Test("the merge Job mounts every shard's claim and merges their databases into backfill-db")
    func merge() async throws {
        let docs = documents(try await rendered(["--shards", "2", "--end", "2026-11-28", "--merge"]))
        #expect(docs.count == 2)
        #expect(docs[0].contains("name: backfill-db\n"))
        let job = docs[1]
        #expect(job.contains(#""merge", "DB=/data/monitor.db""#))
        #expect(job.contains(#"value: "/shards/0/monitor.db /shards/1/monitor.db""#))
        for k in 0..<2 {
            #expect(job.contains("mountPath: /shards/\(k)\n") && job.contains("claimName: backfill-cache-\(k)\n"))
        }
        #expect(job.contains("claimName: backfill-db\n") && job.contains(#"value: "2026-11-28""#))
    }

    @Test("bad arguments are refused with exit 64, naming what is wrong", arguments: [
        (["--shards", "0"], "--shards must be a whole number >= 1, got '0'"),
        (["--end", "2026-13-45"], "--end must be a day, YYYY-MM-DD, got '2026-13-45'"),
        (["--storage", "lots"], "--storage must be a size like 400Gi, got 'lots'"),
        (["--shard", "2"], "unknown argument '--shard'"),
    ])
    func badArguments(_ arguments: [String], _ message: String) async throws {
        let result = try await Run.process(Self.render, arguments)
        #expect(result.status == 64)
        #expect(result.output.contains(message), "\(result)")
    }

    @Test("kubernetes-validate --strict accepts every manifest: the rendered ones, job.yaml and pvc.yaml",
          .requires(validator))
    func validates() async throws {
        let validator = try Self.validator.path()
        let dir = try TemporaryDirectory()
        let shards = try dir.write("shards.yaml", try await rendered(["--shards", "4", "--storage-class", "standard-rwo"]))
        let merge = try dir.write("merge.yaml", try await rendered(["--shards", "4", "--merge"]))
        let result = try await Run.process(validator, ["--strict", shards, merge,
                                                             Repository.root + "/deploy/kubernetes/job.yaml",
                                                             Repository.root + "/deploy/kubernetes/pvc.yaml"])
        #expect(result.succeeded, "\(result)")
        #expect(result.output.components(separatedBy: " passed for resource ").count - 1 == 4 * 2 + 2 + 2, "\(result)")
    }
}
