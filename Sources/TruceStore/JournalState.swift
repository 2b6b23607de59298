import TruceEngine

/// The engine state of a journal: the newest usable snapshot, then the
/// records after it. Every command that needs the state comes through here,
/// so a million-record journal costs a snapshot read and a short replay, not
/// a replay from the first record.
///
/// Snapshots are a cache: the records are the truth. A snapshot that is
/// damaged, of another format or saved under another policy is passed over;
/// one that disagrees with the records after it (one of them is rejected
/// from it) is dropped and the journal is replayed from the start.
public enum JournalState {
    /// How many records may pile up after the newest snapshot before a new one
    /// is saved: a hundredth of the journal, at least 5,000 (which replay in
    /// a few tens of milliseconds), so a command on a million-record journal
    /// replays at most 10,000 records after restoring. Saving costs about the
    /// size of the state (a copy, for the reports a restored engine never
    /// touched); appenders save at most every few seconds (`LiveLog`).
    public static func snapshotEvery(lastSeq: Int64) -> Int64 { max(5000, lastSeq / 100) }

    public struct Loaded {
        public var engine: Engine
        /// The last record applied.
        public var seq: Int64
        /// The snapshot the replay started from (0: the first record).
        public var restoredFrom: Int64
        /// The newest snapshot saved under this policy (0 if none): when to save the next.
        public var snapshotSeq: Int64
    }

    /// A snapshot saved while loading is taken this many records short of the
    /// end, so that a caller wanting the last records replayed (the console's
    /// ticker keeps 2,000 events) can still start from it.
    public static let snapshotLag: Int64 = 2000

    /// Loads the state of `journal` under `policy`.
    /// - Parameters:
    ///   - quietRemindersBefore: reminders due before this are skipped (see `Engine`).
    ///   - keepEvents: the events of the replayed tail left in `engine.events`, newest last.
    ///   - replayAtLeast: prefer a snapshot that leaves at least this many of the last
    ///     records to replay (for a caller that shows recent events).
    ///   - clockBefore: use only a snapshot taken before this instant (for a timeline
    ///     that starts there: every event at or after it then comes from the replay).
    ///   - save: save a snapshot when the tail replayed was long.
    public static func load(_ journal: Journal, policy: Policy, quietRemindersBefore: Instant? = nil,
                            keepEvents: Int = 0, replayAtLeast: Int64 = 0, clockBefore: Instant? = nil,
                            save: Bool = true, origins: Bool = false) throws(JournalError) -> Loaded {
        let last = try journal.lastSeq()
        let header = Engine.snapshotHeader(for: policy)
        var ours = try journal.snapshots(header: header).filter { $0.seq <= last }
        var newest: Int64 { ours.first?.seq ?? 0 }
        // Where to save a new snapshot on the way, if one is due.
        var target: Int64? {
            let t = last - snapshotLag
            return save && t - newest >= snapshotEvery(lastSeq: t) ? t : nil
        }
        // Snapshots that leave `replayAtLeast` records first, newest first; then the
        // others: a short ticker beats replaying a whole journal.
        let order = ours.filter { $0.seq <= last - replayAtLeast } + ours.filter { $0.seq > last - replayAtLeast }
        for s in order {
            if let limit = clockBefore, let c = s.clock, c >= limit { continue }
            guard let bytes = try journal.snapshotState(header: header, seq: s.seq) else { continue }
            // Ours by its header, so a failure to restore means damage, and a
            // rejected record after it means it is wrong: drop it either way.
            if var engine = try? Engine(snapshot: bytes, policy: policy),
               let last = try replay(journal, &engine, after: s.seq, quiet: quietRemindersBefore, keepEvents: keepEvents, origins: origins,
                                     mustAccept: true, saveAt: target, header: header) {
                return Loaded(engine: engine, seq: last, restoredFrom: s.seq, snapshotSeq: max(newest, target ?? 0))
            }
            try? journal.deleteSnapshot(header: header, seq: s.seq)
            ours.removeAll { $0.seq == s.seq }
        }
        var engine = Engine(policy: policy, mode: .live)
        let end = try replay(journal, &engine, after: 0, quiet: quietRemindersBefore, keepEvents: keepEvents, origins: origins,
                             mustAccept: false, saveAt: target, header: header)!
        return Loaded(engine: engine, seq: end, restoredFrom: 0, snapshotSeq: max(newest, target ?? 0))
    }

    /// An engine restored from the newest snapshot under `policy` taken
    /// before `clockBefore`, and the seq it stands at; a fresh engine at 0
    /// when there is none that restores. (For a timeline that starts at
    /// `clockBefore`: every event from there on comes from the replay.)
    public static func restore(_ journal: Journal, policy: Policy, clockBefore: Instant) -> (Engine, Int64) {
        if let saved = try? journal.snapshots(header: Engine.snapshotHeader(for: policy)) {
            for s in saved where s.clock.map({ $0 < clockBefore }) ?? true {
                if let engine = restore(journal, policy: policy, snapshot: s.seq) { return (engine, s.seq) }
            }
        }
        return (Engine(policy: policy, mode: .live), 0)
    }

    /// The engine saved as the snapshot after record `seq` under `policy`;
    /// nil if it is gone, or cannot be read or restored.
    public static func restore(_ journal: Journal, policy: Policy, snapshot seq: Int64) -> Engine? {
        guard let bytes = try? journal.snapshotState(header: Engine.snapshotHeader(for: policy), seq: seq) else { return nil }
        return try? Engine(snapshot: bytes, policy: policy)
    }

    /// Replays the records after `seq` into `engine`, saving a snapshot (with
    /// `header`) after the record `saveAt`. Returns the last seq, or nil if `mustAccept` and
    /// a record was rejected.
    private static func replay(_ journal: Journal, _ engine: inout Engine, after seq: Int64, quiet: Instant?,
                               keepEvents: Int, origins: Bool, mustAccept: Bool, saveAt: Int64?,
                               header: [UInt8]) throws(JournalError) -> Int64? {
        engine.quietRemindersBefore = quiet
        let rejectedBefore = engine.rejectedCount
        var consistent = true
        var pending: (seq: Int64, clock: Instant?, state: [UInt8])?
        var rejections = rejectedBefore, lastRejected: Int64 = 0
        let last = try journal.replay(into: &engine, after: seq, origins: origins) { engine, r in
            if mustAccept && engine.rejectedCount != rejectedBefore {
                consistent = false
                return false
            }
            if engine.rejectedCount != rejections {
                rejections = engine.rejectedCount
                lastRejected = r.seq
            }
            if engine.events.count > 2 * keepEvents {
                engine.events.removeFirst(engine.events.count - keepEvents)
            }
            if r.seq == saveAt { pending = (r.seq, engine.clock, engine.snapshot()) }
            return true
        }
        guard consistent else { return nil }
        if engine.events.count > keepEvents { engine.events.removeFirst(engine.events.count - keepEvents) }
        // A record this policy rejects after the planned snapshot (a journal
        // read under another roster, say) would make the next load take that
        // snapshot for a wrong one, drop it and replay everything again, every
        // time: the state after the last record is saved instead.
        if pending != nil, lastRejected > pending!.seq {
            pending = (last, engine.clock, engine.snapshot())
        }
        // Saved only once the whole tail agreed with it. A cache that cannot be
        // written (a full disk, a read-only copy) costs only speed: not an error.
        if let p = pending {
            try? journal.saveSnapshot(seq: p.seq, header: header, clock: p.clock, state: p.state)
        }
        return last
    }

    /// Saves `engine`, the state after the records up to `seq`, unless another
    /// process saved one less than `minGap` records before; returns the newest snapshot's seq,
    /// or nil if it could not be written (that costs only speed).
    /// The engine reads its reports from the saved bytes afterwards (see
    /// `Engine.snapshotKeepingReports`), so the next save copies them.
    public static func saveSnapshot(_ journal: Journal, _ engine: inout Engine, seq: Int64, minGap: Int64) -> Int64? {
        do {
            let header = Engine.snapshotHeader(for: engine.policy)
            // Two close together would leave the console (which wants 2,000 records after one) neither.
            if let newest = try journal.snapshots(header: header).first?.seq, seq - newest < minGap {
                return newest
            }
            try journal.saveSnapshot(seq: seq, header: header, clock: engine.clock, state: engine.snapshotKeepingReports())
            return seq
        } catch {
            return nil
        }
    }
}
