import TruceConsole
import TruceEngine

/// A journal's past, for the console's review mode: the engine at an
/// instant is the newest snapshot saved before it, and the records received
/// up to it played after that snapshot, then the timers through it (the same
/// replay that built the live board, stopped earlier).
public struct JournalTape: ReviewTape {
    let journal: Journal
    let policy: Policy
    /// Events carry the site and made time of their record (a shared journal's mirror).
    let origins: Bool
    /// Engines restored from snapshots, by seq: reading and restoring a large
    /// one is most of a step, and steps come in runs.
    private var restored: [(seq: Int64, engine: Engine)] = []
    private static let restoredKept = 2

    public init(journal: Journal, policy: Policy, origins: Bool) {
        self.journal = journal; self.policy = policy; self.origins = origins
    }

    /// Where a replay can start for an instant: the snapshots saved before
    /// it, newest first, then the start of the journal (seq 0).
    private func points(before t: Instant) -> [Int64] {
        let header = Engine.snapshotHeader(for: policy)
        let saved = (try? journal.snapshots(header: header)) ?? []
        return saved.filter { $0.clock.map { $0 < t } ?? false }.map(\.seq) + [0]
    }

    /// The engine at a restore point; nil if that snapshot is gone or does not restore.
    private mutating func engine(from seq: Int64) -> Engine? {
        if seq == 0 { return Engine(policy: policy, mode: .live) }
        if let hit = restored.first(where: { $0.seq == seq }) { return hit.engine }
        let header = Engine.snapshotHeader(for: policy)
        guard let bytes = try? journal.snapshotState(header: header, seq: seq),
              let engine = try? Engine(snapshot: bytes, policy: policy) else { return nil }
        restored.append((seq, engine))
        if restored.count > JournalTape.restoredKept { restored.removeFirst() }
        return engine
    }

    /// Plays the records after `seq` received up to `t`; `step` after each (false: stop).
    private func play(_ p: inout ReviewPlayer, after seq: Int64, through t: Instant,
                      step: (inout ReviewPlayer) -> Bool = { _ in true }) -> ReviewTapeError? {
        do {
            try journal.forEachRecord(after: seq) { r in
                guard p.take(RecordDecoder.decode(r.line), number: Int(r.seq), receivedAt: r.receivedAt,
                             origin: origins ? r.origin : nil, through: t) else { return false }
                return step(&p)
            }
            return nil
        } catch {
            return ReviewTapeError("the journal could not be read: \(error.message)")
        }
    }

    /// How far back from the instant reminders are listed one by one (the
    /// live board lists the last hour's; a journal with many open incidents
    /// has four reminders an hour for each of them).
    static let remindersListed: Int64 = 3600

    /// Going back to an older restore point to fill the events pane is worth
    /// it up to this many more records.
    static let cheapReplay: Int64 = 50_000

    public mutating func engine(at t: Instant) -> Result<Engine, ReviewTapeError> {
        let from = points(before: t)
        var best: Engine?
        for (i, seq) in from.enumerated() {
            guard let start = engine(from: seq) else { continue }
            // As the live board: the last hour's reminders are listed, older ones counted.
            var p = ReviewPlayer(engine: start, quietBefore: t - JournalTape.remindersListed)
            if let e = play(&p, after: seq, through: t) { return .failure(e) }
            p.finish(through: t)
            best = p.result()
            // Just after a snapshot the events pane would be nearly empty (its
            // events came before it): go back a snapshot, or to the start of a
            // small journal, until the pane can be filled as a full replay fills it.
            let older = i + 1 < from.count ? from[i + 1] : nil
            if p.eventCount >= Console.recentLimit || older.map({ seq - $0 > JournalTape.cheapReplay }) ?? true { break }
        }
        return best.map { .success($0) } ?? .failure(ReviewTapeError("the journal's past could not be read"))
    }

    public mutating func lastEvent(before t: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            // From the newest restore point back, until one holds `count` matching instants before `t`.
            var found: Instant?
            for seq in points(before: t) {
                guard let start = engine(from: seq) else { continue }
                var p = ReviewPlayer(engine: start, keep: 0, quietBefore: t)
                p.look(matching: matching, before: t, count: count)
                if let e = play(&p, after: seq, through: t) { return .failure(e) }
                p.finish(through: t)
                // Enough instants since this point, or no older point: the answer; else look further back.
                if p.lastMatchCount >= count || seq == 0 { return .success(p.lastMatch) }
                found = p.lastMatch ?? found
            }
            return .success(found)
        }
    }

    public mutating func firstEvent(after t: Instant, until: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            for seq in points(before: t + 1) {
                guard let start = engine(from: seq) else { continue }
                var p = ReviewPlayer(engine: start, keep: 0, quietBefore: until)
                p.look(matching: matching, after: t, count: count)
                // Events come in time order (the timers before a record fire before it): the first match is the earliest.
                if let e = play(&p, after: seq, through: until, step: { $0.firstMatch == nil }) { return .failure(e) }
                if p.firstMatch == nil { p.finish(through: until) }
                return .success(p.firstMatch ?? p.lastFirstMatch)
            }
            return .success(nil)
        }
    }
}
