import TruceEngine

/// A demo's past: its scenario's records and the operator's actions, in
/// the order the demo's engine took them, played again from the start
/// (a walkthrough is small).
public struct DemoTape: ReviewTape {
    /// An operator action taken during the demo.
    public struct Action: Sendable {
        /// How many scenario lines had been fed when it was taken.
        public var afterLines: Int
        /// The engine's clock then.
        public var clock: Instant?
        public var line: Int
        public var record: ActionRecord
    }

    let lines: [(DecodedLine, Int)]
    let actions: [Action]
    let policy: Policy

    public init(lines: [(DecodedLine, Int)], actions: [Action], policy: Policy) {
        self.lines = lines; self.actions = actions; self.policy = policy
    }

    /// Plays the inputs through `t` (all of them when `t` is nil, then stops);
    /// `step` after each input (false: stop).
    private func play(_ p: inout ReviewPlayer, through t: Instant, step: (inout ReviewPlayer) -> Bool = { _ in true }) {
        var a = 0
        func actionsBefore(_ n: Int) -> Bool {
            while a < actions.count, actions[a].afterLines <= n {
                let x = actions[a]
                guard p.take(.record(at: .absent, body: .success(.action(x.record))), number: x.line, clock: x.clock, through: t),
                      step(&p) else { return false }
                a += 1
            }
            return true
        }
        for (n, (line, number)) in lines.enumerated() {
            guard actionsBefore(n), p.take(line, number: number, through: t), step(&p) else { return }
        }
        _ = actionsBefore(lines.count)
    }

    public mutating func engine(at t: Instant) -> Result<Engine, ReviewTapeError> {
        var p = ReviewPlayer(engine: Engine(policy: policy))
        play(&p, through: t)
        // Long after the last record (a demo left running), reminders older than an hour are
        // counted, not listed: the board's state is the same, and the cost no longer grows with the gap.
        if let last = p.engine.clock { p.quiet(before: max(last, t - 3600)) }
        p.finish(through: t)
        return .success(p.result())
    }

    public mutating func lastEvent(before t: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            var p = ReviewPlayer(engine: Engine(policy: policy), keep: 0, quietBefore: t)
            p.look(matching: matching, before: t, count: count)
            play(&p, through: t)
            p.finish(through: t)
            return .success(p.lastMatch)
        }
    }

    public mutating func firstEvent(after t: Instant, until: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            var p = ReviewPlayer(engine: Engine(policy: policy), keep: 0, quietBefore: until)
            p.look(matching: matching, after: t, count: count)
            // Events come in time order (the timers before an input fire before it): the first match is the earliest.
            play(&p, through: until) { $0.firstMatch == nil }
            if p.firstMatch == nil { p.finish(through: until) }
            return .success(p.firstMatch ?? p.lastFirstMatch)
        }
    }
}
