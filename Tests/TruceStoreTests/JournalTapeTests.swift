import Foundation
import Testing
import TruceConsole
import TruceEngine
import TruceHeadless
@testable import TruceStore

/// Review mode's journal past: the engine at an instant, from a snapshot and
/// the records after it, is the full replay stopped there; event steps find
/// the events a full replay shows.
@Suite("Journal tape (review mode)")
struct JournalTapeTests {
    /// The journal replayed from its first record up to `t`, timers through `t`, and its events.
    func replay(_ j: Journal, through t: Instant, quietBefore: Instant? = nil) throws -> (Engine, [Event]) {
        var e = Engine(policy: .standard, mode: .live)
        e.quietRemindersBefore = quietBefore
        var events: [Event] = []
        try j.forEachRecord { r in
            guard r.receivedAt <= t else { return false }
            e.process(RecordDecoder.decode(r.line), line: Int(r.seq), receivedAt: r.receivedAt)
            events += e.takeEvents()
            return true
        }
        e.advance(through: t)
        events += e.takeEvents()
        return (e, events)
    }

    @Test func theEngineAtAnInstantIsTheFullReplayStoppedThere() throws {
        let j = try Journal(directory: freshDirectory())
        let records = SnapshotStoreTests.records
        try bulkLoad(j, records[..<12_000])
        _ = try JournalState.load(j, policy: .standard)  // saves a snapshot on the way
        let saved = try j.snapshots(header: Engine.snapshotHeader(for: .standard))
        try #require(!saved.isEmpty)
        let snapClock = try #require(saved.first?.clock)
        var tape = JournalTape(journal: j, policy: .standard, origins: false)
        let first = records[0].at, last = records[11_999].at
        // Before the first record, before and after the snapshot, at a record's own second, at the end.
        for t in [first - 60, first + 3600, snapClock - 1, snapClock, snapClock + 1, records[11_000].at, last, last + 86_400] {
            let got = try tape.engine(at: t).get()
            let (want, _) = try replay(j, through: t)
            #expect(got.snapshot() == want.snapshot(), "state at \(t)")
            // The events pane lists the last hour's reminders, as the live board does.
            let (_, events) = try replay(j, through: t, quietBefore: t - 3600)
            #expect(got.clock == want.clock)
            // The newest events are those of the full replay (as many as the tape kept).
            let kept = got.events.count
            #expect(kept == min(events.count, Console.recentLimit), "events kept at \(t)")
            #expect(got.events == Array(events.suffix(kept)), "events at \(t)")
        }
    }

    @Test func eventStepsFindWhatTheFullReplayShows() throws {
        let j = try Journal(directory: freshDirectory())
        let records = SnapshotStoreTests.records
        try bulkLoad(j, records[..<12_000])
        _ = try JournalState.load(j, policy: .standard)
        var tape = JournalTape(journal: j, policy: .standard, origins: false)
        let end = records[11_999].at
        let (_, all) = try replay(j, through: end)
        let steps = all.filter { $0.kind != .alertReminder && $0.kind != .rosterNotified && $0.at != nil }
        for t in [records[500].at + 1, records[6_000].at, records[11_990].at - 1] {
            for incident in [nil, "INC-0003"] as [String?] {
                let matching = { (e: Event) in e.kind != .alertReminder && e.kind != .rosterNotified && (incident == nil || e.incident == incident) }
                // Instants with a matching event (several events at one instant are one step).
                var instants: [Instant] = []
                for e in steps where matching(e) && instants.last != e.at! { instants.append(e.at!) }
                for count in [1, 3] {
                    let earlier = instants.filter { $0 < t }, later = instants.filter { $0 > t && $0 <= end }
                    let before = earlier.isEmpty ? nil : earlier[max(0, earlier.count - count)]
                    let after = later.isEmpty ? nil : later[min(later.count, count) - 1]
                    #expect(try tape.lastEvent(before: t, count: count, matching: matching).get() == before,
                            "\(count) before \(t), \(incident ?? "board")")
                    #expect(try tape.firstEvent(after: t, until: end, count: count, matching: matching).get() == after,
                            "\(count) after \(t), \(incident ?? "board")")
                }
            }
        }
        // The whole query: the board at the event found.
        let q = ReviewQuery(request: .event(forward: false, incident: nil), from: records[6_000].at, now: end)
        guard case .state(let r) = tape.answer(q) else { Issue.record("no state"); return }
        #expect(r.at == steps.filter { $0.at! < records[6_000].at }.last?.at)
    }
}

/// A demo's past from checkpoints is the past played from the first record.
@Suite("Demo tape (review mode)")
struct DemoTapeTests {
    @Test func checkpointsGiveWhatAPlayFromTheStartGives() throws {
        var bytes: [UInt8] = []
        ScenarioGenerator(records: 10_000, sectors: 50, seed: 7).generate { bytes += $0 }
        let lines = DemoClock(text: String(decoding: bytes, as: UTF8.self)).lines
        var saved = DemoTape(lines: lines, actions: [], policy: .standard, checkpointEvery: 1_500)
        var plain = DemoTape(lines: lines, actions: [], policy: .standard, checkpointEvery: .max)
        var start = Engine(policy: .standard)
        start.process(lines[0].0, line: lines[0].1)
        let times = lines.compactMap { line -> Instant? in
            guard case .record(.spec(let s), _) = line.0 else { return nil }
            return s.resolve(start: start.scenario?.start)
        }
        let first = times.first!, last = times.last!
        let span = last - first
        // Forward and back, between and on checkpoints, and past the end.
        for f in [0.9, 0.2, 0.5, 0.51, 0.05, 0.99, 1.2] {
            let t = first + Int64(Double(span) * f)
            let a = try saved.engine(at: t).get(), b = try plain.engine(at: t).get()
            #expect(a.snapshot() == b.snapshot(), "state at \(f)")
            #expect(a.events == b.events, "events at \(f)")
            let matching = { (e: Event) in e.kind != .alertReminder && e.kind != .rosterNotified }
            for count in [1, 3] {
                #expect(try saved.lastEvent(before: t, count: count, matching: matching).get()
                        == plain.lastEvent(before: t, count: count, matching: matching).get(), "\(count) before \(f)")
                #expect(try saved.firstEvent(after: t, until: last, count: count, matching: matching).get()
                        == plain.firstEvent(after: t, until: last, count: count, matching: matching).get(), "\(count) after \(f)")
            }
        }
        #expect(saved.checkpointCount > 5)
        #expect(plain.checkpointCount == 1)
    }
}
