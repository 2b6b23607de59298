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
    private func starts(upTo t: Instant) -> [Int] {
        checkpoints.indices.reversed().filter { checkpoints[$0].clock.map { $0 <= t } ?? true }
    }

    /// A player at checkpoint `k`, and the checkpoint it is at: the start,
    /// should `k`'s bytes not restore (this process's own bytes: that would be
    /// a bug, never met; the checkpoints are then dropped, not trusted).
    private mutating func player(at k: Int, keep: Int, quietBefore: Instant? = nil) -> (ReviewPlayer, Int) {
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

    /// Plays the inputs after checkpoint `k` through `t`; `step` after each
    /// input (false: stop). Saves a checkpoint every `checkpointEvery` inputs
    /// passed that has none yet.
    private mutating func play(_ p: inout ReviewPlayer, from k: Int, through t: Instant,
                               step: (inout ReviewPlayer) -> Bool = { _ in true }) {
        var n = checkpoints[k].lines, a = checkpoints[k].actions
        func save() {
            guard (n + a) % checkpointEvery == 0, let last = checkpoints.last, n + a > last.lines + last.actions else { return }
            checkpoints.append(Checkpoint(lines: n, actions: a, clock: p.engine.clock, bytes: p.engine.snapshot()))
        }
        while true {
            if a < actions.count, actions[a].afterLines <= n {
                let x = actions[a]
                guard p.take(.record(at: .absent, body: .success(.action(x.record))), number: x.line, clock: x.clock, through: t) else { return }
                a += 1
            } else if n < lines.count {
                guard p.take(lines[n].0, number: lines[n].1, through: t) else { return }
                n += 1
            } else {
                return
            }
            save()
            guard step(&p) else { return }
        }
    }

    public mutating func engine(at t: Instant) -> Result<Engine, ReviewTapeError> {
        let from = starts(upTo: t)
        var best: Engine?
        for (i, k) in from.enumerated() {
            var (p, k) = player(at: k, keep: Console.recentLimit)
            play(&p, from: k, through: t)
            // Long after the last record (a demo left running), reminders older than an hour are
            // counted, not listed: the board's state is the same, and the cost no longer grows with the gap.
            if let last = p.engine.clock { p.quiet(before: max(last, t - 3600)) }
            p.finish(through: t)
            best = p.result()
            // Just after a checkpoint the events pane would be short: start one further back.
            if p.eventCount >= Console.recentLimit || i + 1 == from.count || k == 0 { break }
        }
        return .success(best!)
    }

    public mutating func lastEvent(before t: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            var found: Instant?
            for k in starts(upTo: t) {
                var (p, k) = player(at: k, keep: 0, quietBefore: t)
                p.look(matching: matching, before: t, count: count)
                play(&p, from: k, through: t)
                p.finish(through: t)
                if p.lastMatchCount >= count || k == 0 { return .success(p.lastMatch) }
                found = p.lastMatch ?? found
            }
            return .success(found)
        }
    }

    public mutating func firstEvent(after t: Instant, until: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            var (p, k) = player(at: starts(upTo: t).first ?? 0, keep: 0, quietBefore: until)
            p.look(matching: matching, after: t, count: count)
            // Events come in time order (the timers before an input fire before it): the first matches are the earliest.
            play(&p, from: k, through: until) { $0.firstMatch == nil }
            if p.firstMatch == nil { p.finish(through: until) }
            return .success(p.firstMatch ?? p.lastFirstMatch)
        }
    }
}
