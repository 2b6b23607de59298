import Foundation
import Testing
import TruceEngine
import TruceHeadless
@testable import TruceStore

/// Generated records (no scenario header: a journal has none), with the time each was received.
func generatedRecords(_ count: Int, seed: UInt64) -> [(line: String, at: Instant)] {
    var bytes: [UInt8] = []
    ScenarioGenerator(records: count, sectors: 20, seed: seed).generate { bytes += $0 }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
        guard case .record(.spec(.absolute(let t)), _) = RecordDecoder.decode(String(line)) else {
            fatalError("generated record without an absolute time: \(line)")
        }
        return (String(line), t)
    }
}

/// Stores records as if received at their times, in one transaction (fast, and no snapshot).
func bulkLoad(_ j: Journal, _ records: ArraySlice<(line: String, at: Instant)>) throws {
    _ = try j.transaction { records.map { Journal.NewRecord(receivedAt: $0.at, source: "bulk", line: $0.line) } }
}

/// The journal replayed from its first record, ignoring snapshots.
func fullReplay(_ j: Journal, policy: Policy = .standard) throws -> Engine {
    var e = Engine(policy: policy, mode: .live)
    try j.replay(into: &e)
    _ = e.takeEvents()
    return e
}

@Suite("Journal snapshots")
struct SnapshotStoreTests {
    let standard = Engine.snapshotHeader(for: .standard)
    static let records = generatedRecords(15_000, seed: 3)

    @Test func savedOnALongReplayThenUsedAndAlwaysEqualToAFullReplay() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<12_000])
        let first = try JournalState.load(j, policy: .standard)
        #expect(first.restoredFrom == 0)
        #expect(first.engine.snapshot() == (try fullReplay(j)).snapshot())
        // Saved short of the end, so the console (which replays the last 2,000) can use it too.
        #expect(try j.snapshots(header: standard).map(\.seq) == [10_000])
        var at10k = Engine(policy: .standard, mode: .live)
        try j.replay(into: &at10k) { _, r in r.seq < 10_000 }
        #expect(try j.snapshotState(header: standard, seq: 10_000) == at10k.snapshot())

        try bulkLoad(j, SnapshotStoreTests.records[12_000...])
        let second = try JournalState.load(j, policy: .standard)
        #expect(second.restoredFrom == 10_000)
        #expect(second.seq == 15_000)
        #expect(try j.snapshots(header: standard).map(\.seq) == [10_000], "3,000 more records are not worth a new snapshot")
        let full = try fullReplay(j)
        #expect(second.engine.snapshot() == full.snapshot())

        // The read-outs agree with a replay from scratch.
        let now = SnapshotStoreTests.records.last!.at + 86_400
        var fullNow = full
        fullNow.advance(through: now)
        #expect(StateOutput.json(try LiveLog.state(j, policy: .standard, at: now), at: now) == StateOutput.json(fullNow, at: now))
        let since = SnapshotStoreTests.records[13_000].at
        #expect(try JournalState.load(j, policy: .standard, clockBefore: since).restoredFrom == 10_000)
        let (_, tail) = try LiveLog.timeline(j, policy: .standard, since: since, until: now)
        var reference = Engine(policy: .standard, mode: .live)
        try j.replay(into: &reference)
        reference.advance(through: now)
        reference.finish()
        let all = reference.takeEvents()
        #expect(tail.count > 1000)
        // (Compared outside #expect, which would print both timelines whole.)
        let sameTail = tail == all.filter { $0.at! >= since }
        #expect(sameTail, "log --since from a snapshot differs from the full timeline")
        let sameWhole = try LiveLog.timeline(j, policy: .standard, until: now).1 == all
        #expect(sameWhole)
    }

    /// The console wants the last records replayed (its ticker) and finds a snapshot that leaves them.
    @Test func aCallerWantingRecentRecordsGetsThem() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<8_000])
        _ = try JournalState.load(j, policy: .standard)
        #expect(try j.snapshots(header: standard).map(\.seq) == [6_000])
        let console = try JournalState.load(j, policy: .standard, keepEvents: 500, replayAtLeast: 2000)
        #expect(console.restoredFrom == 6_000)
        #expect(console.engine.events.count == 500)
        #expect(console.engine.snapshot() == (try fullReplay(j)).snapshot())
        // Asking for more than any snapshot leaves still starts from the newest, not from the first record.
        #expect(try JournalState.load(j, policy: .standard, replayAtLeast: 2001).restoredFrom == 6_000)
        try bulkLoad(j, SnapshotStoreTests.records[8_000..<14_000])
        _ = try JournalState.load(j, policy: .standard)
        #expect(try j.snapshots(header: standard).map(\.seq) == [12_000, 6_000])
    }

    @Test func aDamagedSnapshotIsDroppedAndTheJournalReplayed() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<8_000])
        _ = try JournalState.load(j, policy: .standard)
        let good = try j.snapshotState(header: standard, seq: 6_000)
        try sqlite3(j.path, "UPDATE snapshots SET state = substr(state, 1, 3000) || x'00' || substr(state, 3002)")
        #expect(try j.snapshotState(header: standard, seq: 6_000) != good)
        let loaded = try JournalState.load(j, policy: .standard)
        #expect(loaded.restoredFrom == 0)
        #expect(loaded.engine.snapshot() == (try fullReplay(j)).snapshot())
        #expect(try j.snapshotState(header: standard, seq: 6_000) == good, "replaced by a sound one")
    }

    @Test func aSnapshotTheRecordsContradictIsDropped() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<7_000])
        // The state after 6,000 records, filed as if after 5,000: record 5,001 is then older than its clock.
        var ahead = Engine(policy: .standard, mode: .live)
        try j.replay(into: &ahead) { _, r in r.seq < 6_000 }
        try j.saveSnapshot(seq: 5_000, header: standard, clock: ahead.clock, state: ahead.snapshot())
        let loaded = try JournalState.load(j, policy: .standard, save: false)
        #expect(loaded.restoredFrom == 0)
        #expect(loaded.engine.snapshot() == (try fullReplay(j)).snapshot())
        #expect(try j.snapshots(header: standard).isEmpty)
    }

    /// Under a policy that rejects some of the journal's records (a member
    /// taken off the roster), a snapshot with a rejected record after it
    /// would be dropped by the next load as contradicted, and the journal
    /// replayed in full every time: the load saves the state after the last
    /// record instead, and the next load starts there.
    @Test func aPolicyThatRejectsRecordsStillGetsAUsableSnapshot() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<8_000])
        var smaller = Policy.standard
        smaller.roster.removeAll { $0.code == "NO" }
        let first = try JournalState.load(j, policy: smaller)
        #expect(first.restoredFrom == 0)
        let full = try fullReplay(j, policy: smaller)
        #expect(full.rejectedCount > 0)
        let second = try JournalState.load(j, policy: smaller)
        #expect(second.restoredFrom == 8_000)
        #expect(second.engine.snapshot() == full.snapshot())
        #expect(try JournalState.load(j, policy: smaller).restoredFrom == 8_000)
    }

    @Test func anotherPolicysSnapshotIsLeftForIt() throws {
        let j = try Journal(directory: freshDirectory())
        try bulkLoad(j, SnapshotStoreTests.records[..<8_000])
        _ = try JournalState.load(j, policy: .standard)
        var fast = Policy.standard
        fast.tier1Window = 3600
        let other = try JournalState.load(j, policy: fast)
        #expect(other.restoredFrom == 0)
        #expect(other.engine.snapshot() == (try fullReplay(j, policy: fast)).snapshot())
        #expect(try JournalState.load(j, policy: .standard).restoredFrom == 6_000)
        #expect(try JournalState.load(j, policy: fast).restoredFrom == 6_000)
        #expect(try j.snapshots(header: standard).map(\.seq) == [6_000])
        #expect(try j.snapshots(header: Engine.snapshotHeader(for: fast)).map(\.seq) == [6_000])
    }

    /// Snapshots saved every hundredth of a growing journal leave the newest two
    /// and a ladder over the rest: never more than ten, never more than about a
    /// fifth of the journal between two of them (review mode replays at most that).
    @Test func olderSnapshotsAreKeptAsALadderOverTheJournal() throws {
        var kept: [Int64] = []
        var seq: Int64 = 0
        var worst = 0.0
        while seq < 2_000_000 {
            seq += max(5000, seq / 100)
            kept = Journal.snapshotsKept(kept + [seq], keep: 2, rungs: Journal.snapshotRungs).sorted()
            #expect(kept.count <= 2 + Journal.snapshotRungs)
            #expect(kept.last == seq)
            let points = [0] + kept
            let gap = zip(points, points.dropFirst()).map { $1 - $0 }.max()!
            if seq > 100_000 { worst = max(worst, Double(gap) / Double(seq)) }
        }
        #expect(worst < 0.22, "the widest stretch without a snapshot was \(worst) of the journal")
        // Saved for real: the journal keeps exactly those.
        let j = try Journal(directory: freshDirectory())
        var all: [Int64] = []
        for n in 1...30 {
            try j.saveSnapshot(seq: Int64(n * 1000), header: standard, clock: nil, state: [UInt8(n)])
            all = Journal.snapshotsKept(all + [Int64(n * 1000)], keep: 2, rungs: Journal.snapshotRungs).sorted()
        }
        #expect(try j.snapshots(header: standard).map(\.seq).sorted() == all)
        #expect(all.count > 2 + Journal.snapshotRungs / 2 && all.count <= 2 + Journal.snapshotRungs, "\(all)")
    }

    /// Two appenders do not save snapshots close together (which would leave the
    /// console, wanting 2,000 records after one, neither).
    @Test func anAppenderSkipsASaveAnotherProcessJustMade() throws {
        let dir = freshDirectory()
        let a = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        let b = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        a.snapshotEvery = { _ in 50 }
        b.snapshotEvery = { _ in 50 }
        a.secondsBetweenSaves = 0
        b.secondsBetweenSaves = 0
        for (n, r) in SnapshotStoreTests.records[..<120].enumerated() {
            _ = try (n % 2 == 0 ? a : b).append(r.line, source: "t", now: { r.at })
        }
        let seqs = try a.journal.snapshots(header: standard).map(\.seq)
        #expect(seqs.count == 2 && seqs[0] - seqs[1] >= 50, "\(seqs)")
    }

    /// A long-running appender (ingest, the console) saves snapshots as it goes,
    /// and stops once a rejected line has touched its engine.
    @Test func anAppenderSavesAsItGoesUntilALineIsRejected() throws {
        let dir = freshDirectory()
        let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        log.snapshotEvery = { _ in 50 }
        log.secondsBetweenSaves = 0
        for r in SnapshotStoreTests.records[..<120] {
            guard case .accepted = try log.append(r.line, source: "t", now: { r.at }) else { Issue.record("rejected \(r.line)"); return }
        }
        #expect(try log.journal.snapshots(header: standard).map(\.seq) == [100, 50])
        let loaded = try JournalState.load(log.journal, policy: .standard)
        #expect(loaded.restoredFrom == 100)
        #expect(loaded.engine.snapshot() == (try fullReplay(log.journal)).snapshot())

        let t = SnapshotStoreTests.records[119].at
        #expect(try log.append(#"{"type":"action","action":"ack","incident":"INC-9999"}"#, source: "t") { t } == .rejected("unknown incident \"INC-9999\""))
        for r in SnapshotStoreTests.records[120..<200] { _ = try log.append(r.line, source: "t", now: { r.at }) }
        #expect(try log.journal.snapshots(header: standard).map(\.seq) == [100, 50])
        let reopened = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        reopened.snapshotEvery = { _ in 50 }
        reopened.secondsBetweenSaves = 0
        #expect(reopened.engine.snapshot() == (try fullReplay(log.journal)).snapshot())
    }
}
