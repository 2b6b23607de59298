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

    /// Where a replay can start for the records received up to `t`: the
    /// snapshots saved by then, newest first, then the start of the journal (seq 0).
    public func points(upTo t: Instant) -> [Int64] {
        let header = Engine.snapshotHeader(for: policy)
        let saved = (try? journal.snapshots(header: header)) ?? []
        return saved.filter { $0.clock.map { $0 <= t } ?? false }.map(\.seq) + [0]
    }

    /// A player at a restore point; nil if that snapshot is gone or does not restore.
    public mutating func player(at seq: Int64, keep: Int, quietBefore: Instant?) -> (ReviewPlayer, Int64)? {
        var engine: Engine
        if seq == 0 {
            engine = Engine(policy: policy, mode: .live)
        } else if let hit = restored.first(where: { $0.seq == seq }) {
            engine = hit.engine
        } else {
            guard let e = JournalState.restore(journal, policy: policy, snapshot: seq) else { return nil }
            engine = e
            restored.append((seq, engine))
            if restored.count > JournalTape.restoredKept { restored.removeFirst() }
        }
        return (ReviewPlayer(engine: engine, keep: keep, quietBefore: quietBefore), seq)
    }

    /// Plays the records after `seq` received up to `t`; `step` after each (false: stop).
    public func play(_ p: inout ReviewPlayer, from seq: Int64, through t: Instant,
                     step: (inout ReviewPlayer) -> Bool) -> ReviewTapeError? {
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

    public func isStart(_ seq: Int64) -> Bool { seq == 0 }

    /// Going back to an older restore point to fill the events pane is worth
    /// it up to this many more records.
    static let cheapReplay: Int64 = 50_000
    public func worthGoingBack(from seq: Int64, to older: Int64) -> Bool { seq - older <= JournalTape.cheapReplay }

    /// How far back from the instant reminders are listed one by one (the
    /// live board lists the last hour's; a journal with many open incidents
    /// has four reminders an hour for each of them).
    static let remindersListed: Int64 = 3600
    public func quietWhilePlaying(at t: Instant) -> Instant? { t - JournalTape.remindersListed }
    public func quietAfterPlaying(at t: Instant, lastInput: Instant) -> Instant? { nil }
}
