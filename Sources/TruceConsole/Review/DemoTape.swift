import TruceEngine

/// A demo's past: its scenario's records and the operator's actions, in
/// the order the demo's engine took them, played again. A long scenario is
/// not played from its first record at every step: the states passed on the
/// way are saved as checkpoints (snapshot bytes, a few at most) to start from.
public struct DemoTape: ReviewTape, Sendable {
    /// An operator action taken during the demo.
    public struct Action: Sendable {
        /// How many scenario lines had been fed when it was taken.
        public var afterLines: Int
        /// The engine's clock then.
        public var clock: Instant?
        public var line: Int
        public var record: ActionRecord
    }

    /// The state after the first `lines` scenario lines and `actions` operator actions.
    struct Checkpoint: Sendable {
        var lines: Int
        var actions: Int
        /// The engine's clock then: every input before it was at or before this time.
        var clock: Instant?
        var bytes: [UInt8]
    }

    let lines: [(DecodedLine, Int)]
    let actions: [Action]
    let policy: Policy
    /// Ascending; the first is always the start.
    private var checkpoints: [Checkpoint]
    /// Inputs between two checkpoints (at most about eight of them over a scenario).
    let checkpointEvery: Int

    public init(lines: [(DecodedLine, Int)], actions: [Action], policy: Policy, checkpointEvery: Int? = nil) {
        self.lines = lines; self.actions = actions; self.policy = policy
        self.checkpointEvery = checkpointEvery ?? max(10_000, (lines.count + actions.count) / 8)
        checkpoints = [Checkpoint(lines: 0, actions: 0, clock: nil, bytes: [])]
    }

    /// How many checkpoints are saved (the start included).
    public var checkpointCount: Int { checkpoints.count }

    /// The checkpoints to start from for inputs up to `t`, newest first (the start last).
    public func points(upTo t: Instant) -> [Int] {
        checkpoints.indices.reversed().filter { checkpoints[$0].clock.map { $0 <= t } ?? true }
    }

    /// A player at checkpoint `k`, and the checkpoint it is at: the start,
    /// should `k`'s bytes not restore (this process's own bytes: that would be
    /// a bug, never met; the checkpoints are then dropped, not trusted).
    public mutating func player(at k: Int, keep: Int, quietBefore: Instant?) -> (ReviewPlayer, Int)? {
        var k = k, engine = Engine(policy: policy)
        if k > 0 {
            if let restored = try? Engine(snapshot: checkpoints[k].bytes, policy: policy) {
                engine = restored
            } else {
                checkpoints.removeSubrange(1...)
                k = 0
            }
        }
        return (ReviewPlayer(engine: engine, keep: keep, quietBefore: quietBefore), k)
    }

    public func isStart(_ k: Int) -> Bool { k == 0 }
    public func worthGoingBack(from k: Int, to older: Int) -> Bool { true }  // a checkpoint's worth of inputs
    public func quietWhilePlaying(at t: Instant) -> Instant? { nil }  // a walkthrough's reminders, as snapshot lists them
    /// Long after the last record (a demo left running), reminders older than an hour are counted,
    /// not listed: the board's state is the same, and the cost no longer grows with the gap.
    public func quietAfterPlaying(at t: Instant, lastInput: Instant) -> Instant? { max(lastInput, t - 3600) }

    /// Plays the inputs after checkpoint `k` through `t`; `step` after each
    /// input (false: stop). Saves a checkpoint every `checkpointEvery` inputs
    /// passed that has none yet.
    public mutating func play(_ p: inout ReviewPlayer, from k: Int, through t: Instant,
                              step: (inout ReviewPlayer) -> Bool) -> ReviewTapeError? {
        var n = checkpoints[k].lines, a = checkpoints[k].actions
        func save() {
            guard (n + a) % checkpointEvery == 0, let last = checkpoints.last, n + a > last.lines + last.actions else { return }
            checkpoints.append(Checkpoint(lines: n, actions: a, clock: p.engine.clock, bytes: p.engine.snapshot()))
        }
        while true {
            if a < actions.count, actions[a].afterLines <= n {
                let x = actions[a]
                guard p.take(.record(at: .absent, body: .success(.action(x.record))), number: x.line, clock: x.clock, through: t) else { return nil }
                a += 1
            } else if n < lines.count {
                guard p.take(lines[n].0, number: lines[n].1, through: t) else { return nil }
                n += 1
            } else {
                return nil
            }
            save()
            guard step(&p) else { return nil }
        }
    }
}
