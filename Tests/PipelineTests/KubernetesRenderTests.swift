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
        #expect(job.contains(#""merge", "DB=/data/monitor.db", "CACHE=/data/cache""#))
        #expect(job.contains(#"value: "/shards/0/monitor.db /shards/1/monitor.db""#))
        // the whole-market report is made from the shards' caches (SHARD_CACHES)
        #expect(job.contains("name: SHARD_CACHES\n") && job.contains(#"value: "/shards/0 /shards/1""#))
        for k in 0..<2 {
            #expect(job.contains("mountPath: /shards/\(k)\n") && job.contains("claimName: backfill-cache-\(k)\n"))
        }
        #expect(job.contains("claimName: backfill-db\n") && job.contains(#"value: "2026-11-28""#))
    }

    @Test("a shard's claim defaults to docs/SCALE.md's heavy bound plus a quarter, shared by the shards: 2560Gi / N",
          arguments: [(1, "2560Gi"), (4, "640Gi"), (16, "160Gi"), (3, "854Gi")])
    func defaultStorage(_ shards: Int, _ size: String) async throws {
        let docs = documents(try await rendered(["--shards", "\(shards)"]))
        #expect(docs.count == 2 * shards)
        #expect(docs.filter { $0.contains("kind: PersistentVolumeClaim\n") }.allSatisfy { $0.contains("storage: \(size)\n") })
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

    @Test("kubernetes-validate --strict accepts every manifest: the rendered ones, job.yaml, pvc.yaml and cronjob.yaml (its RBAC too)",
          .requires(validator))
    func validates() async throws {
        let validator = try Self.validator.path()
        let dir = try TemporaryDirectory()
        let shards = try dir.write("shards.yaml", try await rendered(["--shards", "4", "--storage-class", "standard-rwo"]))
        let merge = try dir.write("merge.yaml", try await rendered(["--shards", "4", "--merge"]))
        let result = try await Run.process(validator, ["--strict", shards, merge,
                                                             Repository.root + "/deploy/kubernetes/job.yaml",
                                                             Repository.root + "/deploy/kubernetes/pvc.yaml",
                                                             Repository.root + "/deploy/kubernetes/cronjob.yaml"])
        #expect(result.succeeded, "\(result)")
        // 4 claims and Jobs, the merge's claim and Job, job.yaml, pvc.yaml, and cronjob.yaml's
        // ServiceAccount, Role, RoleBinding and CronJob
        #expect(result.output.components(separatedBy: " passed for resource ").count - 1 == 4 * 2 + 2 + 2 + 4, "\(result)")
    }
}

/// deploy/kubernetes/daily.sh, the CronJob's driver. No cluster here: a stand-in `kubectl`
/// first on PATH logs each call, keeps what is applied, and answers the Jobs' states, so what
/// is checked is the driver's own logic: END, the order of its steps, and a failed shard.
@Suite("Kubernetes: the CronJob's driver, against a stand-in kubectl")
struct KubernetesDriverTests {
    static let driver = Repository.root + "/deploy/kubernetes/daily.sh"
    static let kubectl = """
        #!/usr/bin/env bash
        dir=$(dirname "$0")
        echo "$*" >> "$dir/calls"
        case "$1 $2" in
          "get job") echo -n 2026-12-05T06:30:00Z ;;
          "apply -f") cat >> "$dir/applied" ;;
          "get jobs")
            if [[ $* == *component=shard* ]]; then
              echo "backfill-shard-0 Complete"; echo "backfill-shard-1 $SHARD_1"; echo "backfill-shard-2 Complete"
            else echo "backfill-merge Complete"; fi ;;
          "logs job/"*) echo "the log of ${2#job/}" ;;
        esac

        """

    /// Runs the driver with 3 shards as the CronJob's pod would (JOB_NAME set); shard 1's state is `shard1`.
    func drive(_ dir: TemporaryDirectory, shard1: String) async throws -> ProcessResult {
        let kubectl = try dir.write("kubectl", Self.kubectl)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: kubectl)
        let path = dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try await Run.process("/usr/bin/env", ["PATH=\(path)", "JOB_NAME=backfill-daily-29421330", "SHARD_1=\(shard1)",
                                                      Self.driver, "--shards", "3", "--poll", "1", "--timeout", "5"])
    }

    @Test("END is the schedule's date; yesterday's Jobs are deleted, then 3 shards applied and waited for, then the merge")
    func morning() async throws {
        let dir = try TemporaryDirectory()
        let result = try await drive(dir, shard1: "Complete")
        #expect(result.succeeded, "\(result)")
        #expect(result.output.contains("END 2026-12-05: the date of the schedule (2026-12-05T06:30:00Z, Job backfill-daily-29421330)"))
        let calls = try String(contentsOfFile: dir.path + "/calls", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
                == ["get job", "delete jobs", "apply -f", "get jobs", "apply -f", "get jobs"], "\(calls)")
        let applied = try String(contentsOfFile: dir.path + "/applied", encoding: .utf8)
        for name in ["backfill-shard-0", "backfill-shard-1", "backfill-shard-2", "backfill-merge"] {
            #expect(applied.contains("kind: Job\nmetadata:\n  name: \(name)\n"))
        }
        // every Job of the morning has the one END
        let ends = applied.components(separatedBy: "- name: END\n              value: ").dropFirst().map { $0.prefix(12) }
        #expect(ends.count == 4 && ends.allSatisfy { $0 == #""2026-12-05""# }, "\(ends)")
    }

    @Test("a failed shard stops the morning before the merge, exit 1, with its log")
    func failedShard() async throws {
        let dir = try TemporaryDirectory()
        let result = try await drive(dir, shard1: "Failed")
        #expect(result.status == 1, "\(result)")
        #expect(result.output.contains("backfill-shard-1 failed; the end of its log:\nthe log of backfill-shard-1"), "\(result)")
        #expect(result.output.contains("the shard Jobs failed: backfill-shard-1; the morning stops here (END 2026-12-05)"))
        let applied = try String(contentsOfFile: dir.path + "/applied", encoding: .utf8)
        #expect(!applied.contains("backfill-merge"))
    }
}
