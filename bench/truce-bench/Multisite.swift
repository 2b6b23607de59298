// truce-bench multisite URL: the shared journal on a real PostgreSQL (bench/multisite.sh).
import Foundation
import Synchronization
import TruceEngine
import TruceStore

/// Appends/s with `sites` concurrent writers (each its own site, connection
/// and mirror), `perSite` reports each.
func appendRate(url: String, sites: Int, perSite: Int) throws -> Double {
    let dirs = (0..<sites).map { _ in NSTemporaryDirectory() + "truce-bench-site-\(UUID().uuidString)" }
    let logs = try (0..<sites).map { n -> LiveLog in
        let shared = try SharedJournal(url: url, site: "s\(n)", dataDirectory: dirs[n])
        try shared.pull()
        return try LiveLog(journal: shared.mirror, policy: .standard, store: shared, site: "s\(n)")
    }
    let failures = Atomic<Int>(0)
    let boxes = logs.map { UncheckedBox($0) }
    let start = seconds()
    DispatchQueue.concurrentPerform(iterations: sites) { n in
        let log = boxes[n].value
        for i in 0..<perSite {
            let line = "{\"type\":\"report\",\"id\":\"B-\(n)-\(i)-\(UUID().uuidString.prefix(6))\",\"sector\":\"S\(i % 50)\",\"status\":\"reported\"}"
            guard case .accepted? = try? log.append(line, source: "bench", now: { Instant(seconds: Int64(time(nil))) }) else {
                failures.add(1, ordering: .relaxed)
                continue
            }
        }
    }
    let elapsed = seconds() - start
    if failures.load(ordering: .relaxed) > 0 { print("  (\(failures.load(ordering: .relaxed)) appends failed)") }
    for d in dirs { try? FileManager.default.removeItem(atPath: d) }
    return Double(sites * perSite) / elapsed
}

/// A box for handing a non-Sendable value to exactly one other thread.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// From an append at site A to the record in site B's mirror (B's follower
/// thread: NOTIFY, then a pull), `samples` times.
func propagation(url: String, samples: Int) throws -> [Double] {
    let a = NSTemporaryDirectory() + "truce-bench-a-\(UUID().uuidString)"
    let b = NSTemporaryDirectory() + "truce-bench-b-\(UUID().uuidString)"
    defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
    let sharedA = try SharedJournal(url: url, site: "A", dataDirectory: a)
    try sharedA.pull()
    let logA = try LiveLog(journal: sharedA.mirror, policy: .standard, store: sharedA, site: "A")
    let mirrorB = try SharedJournal(url: url, site: "B", dataDirectory: b)
    try mirrorB.pull()
    _ = SharedFollower.start(url: url, site: "B", dataDirectory: b)
    usleep(300_000)
    var out: [Double] = []
    for i in 0..<samples {
        let line = "{\"type\":\"report\",\"id\":\"P-\(i)-\(UUID().uuidString.prefix(6))\",\"sector\":\"Lyman\",\"status\":\"reported\"}"
        let t0 = seconds()
        guard case .accepted(let seq, _) = try logA.append(line, source: "bench", now: { Instant(seconds: Int64(time(nil))) }) else { continue }
        while try mirrorB.mirror.lastSeq() < seq {
            if seconds() - t0 > 10 { throw JournalError("site B never saw seq \(seq)") }
            usleep(200)
        }
        out.append(seconds() - t0)
        usleep(20_000)
    }
    return out.sorted()
}

/// The console's path for an operator action at site A: judged and kept in
/// A's outbox (what the UI thread waits for), A's follower woken to push it,
/// then the record in site B's mirror. Returns (queue, end to end) seconds.
func consolePath(url: String, samples: Int) throws -> (queue: [Double], total: [Double]) {
    let a = NSTemporaryDirectory() + "truce-bench-ca-\(UUID().uuidString)"
    let b = NSTemporaryDirectory() + "truce-bench-cb-\(UUID().uuidString)"
    defer { for d in [a, b] { try? FileManager.default.removeItem(atPath: d) } }
    let sharedA = try SharedJournal(url: url, site: "A", dataDirectory: a)
    try sharedA.pull()
    let logA = try LiveLog(journal: sharedA.mirror, policy: .standard, store: Outbox(mirror: sharedA.mirror, site: "A"), site: "A")
    let followerA = SharedFollower.start(url: url, site: "A", dataDirectory: a, push: .standard,
                                         now: { Instant(seconds: Int64(time(nil))) })
    let mirrorB = try SharedJournal(url: url, site: "B", dataDirectory: b)
    try mirrorB.pull()
    _ = SharedFollower.start(url: url, site: "B", dataDirectory: b)
    usleep(300_000)
    var queue: [Double] = [], total: [Double] = []
    for i in 0..<samples {
        let line = "{\"type\":\"report\",\"id\":\"C-\(i)-\(UUID().uuidString.prefix(6))\",\"sector\":\"Lyman\",\"status\":\"reported\"}"
        let before = try mirrorB.mirror.lastSeq()
        let t0 = seconds()
        guard case .accepted(seq: 0, _) = try logA.append(line, source: "bench", now: { Instant(seconds: Int64(time(nil))) }) else { continue }
        queue.append(seconds() - t0)
        followerA.wake()
        while try mirrorB.mirror.lastSeq() <= before {
            if seconds() - t0 > 10 { throw JournalError("site B never saw the action queued at A") }
            usleep(200)
        }
        total.append(seconds() - t0)
        usleep(20_000)
    }
    return (queue.sorted(), total.sorted())
}

func multisite(_ url: String) {
    do {
        try SharedJournal.initialize(url: url)
        print("appends (each: lock, pull to the head, judge, truce_append, commit; the mirror's SQLite commit with fsync)")
        for sites in [1, 3] {
            let rate = try appendRate(url: url, sites: sites, perSite: 400)
            print(String(format: "  %d site%@ at once: %7.0f appends/s", sites, sites == 1 ? " " : "s", rate))
        }
        let lat = try propagation(url: url, samples: 200)
        func pct(_ p: Double) -> Double { lat[min(lat.count - 1, Int(Double(lat.count) * p))] * 1000 }
        print(String(format: "propagation, append at A → in B's mirror (%d samples): p50 %.1f ms  p95 %.1f ms  max %.1f ms",
                     lat.count, pct(0.5), pct(0.95), lat.last.map { $0 * 1000 } ?? 0))
        print("  (the console at B then shows it at its next look, at most 100 ms later)")
        let (queue, total) = try consolePath(url: url, samples: 200)
        func q(_ xs: [Double], _ p: Double) -> Double { xs[min(xs.count - 1, Int(Double(xs.count) * p))] * 1000 }
        print(String(format: "console action at A: kept in A's outbox (the UI thread's wait) p50 %.1f ms  p95 %.1f ms;",
                     q(queue, 0.5), q(queue, 0.95)))
        print(String(format: "  pushed by A's follower → in B's mirror (%d samples): p50 %.1f ms  p95 %.1f ms  max %.1f ms",
                     total.count, q(total, 0.5), q(total, 0.95), total.last.map { $0 * 1000 } ?? 0))
    } catch {
        print("truce-bench: \(error)")
        exit(1)
    }
}
