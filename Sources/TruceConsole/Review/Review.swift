import TruceEngine

/// What a review key asks for, from the instant on the board (the reviewed
/// one, or now when the board is live).
public enum ReviewRequest: Sendable, Equatable {
    /// The board at this instant (`@`).
    case at(Instant)
    /// This many seconds later (or earlier, negative) than the instant shown (`{` `}`).
    case by(seconds: Int64)
    /// The previous or next event of an incident, or of the whole board
    /// (`[` `]`), or the `count`-th one (a key held down: one step for the
    /// burst of keys). Events of one instant are one step. Reminders are
    /// passed over: they repeat an alert already shown.
    case event(forward: Bool, incident: String?, count: Int = 1)
}

/// A review request with what it is relative to.
public struct ReviewQuery: Sendable, Equatable {
    public var request: ReviewRequest
    /// The instant the board shows now.
    public var from: Instant
    /// The live board's time: a review never goes past it.
    public var now: Instant
    public init(request: ReviewRequest, from: Instant, now: Instant) {
        self.request = request; self.from = from; self.now = now
    }
}

/// An engine as it stood at a past instant, handed to the console by
/// identity (the engine itself is large; messages compare by reference).
public final class ReviewedEngine: Sendable, Equatable {
    public let at: Instant
    /// The engine at `at`, its newest events up to then (at most
    /// `Console.recentLimit`) in `events`.
    public let engine: Engine
    public init(at: Instant, engine: Engine) { self.at = at; self.engine = engine }
    public static func == (a: ReviewedEngine, b: ReviewedEngine) -> Bool { a === b }
}

/// The answer to a review query.
public enum ReviewAnswer: Sendable, Equatable {
    /// The board at that instant.
    case state(ReviewedEngine)
    /// The instant asked for is now or later: the live board.
    case live
    /// Nothing to step to, or the past cannot be read; the words say why.
    case refused(String)
}

/// Where a review reads the past from: the demo's own inputs
/// (`DemoTape`), or the journal (`JournalTape` in TruceStore). Each is a
/// replay of the same inputs the live engine took, so the board at an
/// instant is what `truce snapshot --at` would show for it. A tape says
/// where a replay can start (restore points) and how to play from one; the
/// steps themselves (`engine(at:)`, `lastEvent`, `firstEvent`) are the same
/// for both, below.
public protocol ReviewTape {
    /// A place a replay can start from: the start of all inputs, or a saved state.
    associatedtype Point
    /// Where a replay can start for the inputs up to `t`, newest first; the start of all inputs last.
    mutating func points(upTo t: Instant) -> [Point]
    /// A player at `point`, and the point it is really at (an older one when
    /// `point` cannot be read); nil when it cannot (the next point is tried).
    mutating func player(at point: Point, keep: Int, quietBefore: Instant?) -> (ReviewPlayer, Point)?
    /// Plays the inputs after `point` through `t`, `step` after each (false: stop).
    mutating func play(_ p: inout ReviewPlayer, from point: Point, through t: Instant,
                       step: (inout ReviewPlayer) -> Bool) -> ReviewTapeError?
    func isStart(_ point: Point) -> Bool
    /// Whether starting from `older` instead, to fill the events pane, is worth its cost.
    func worthGoingBack(from point: Point, to older: Point) -> Bool
    /// For the board at `t`: reminders before this are counted, not listed,
    /// while playing (nil: all listed), and once the inputs are played (the
    /// engine's clock is then the last input's time).
    func quietWhilePlaying(at t: Instant) -> Instant?
    func quietAfterPlaying(at t: Instant, lastInput: Instant) -> Instant?
}

extension ReviewTape {
    /// The engine at `t`: every input up to then, timers through it, with
    /// its newest events in `events` (at most `Console.recentLimit`).
    public mutating func engine(at t: Instant) -> Result<Engine, ReviewTapeError> {
        let from = points(upTo: t)
        var best: Engine?
        for (i, point) in from.enumerated() {
            guard let started = player(at: point, keep: Console.recentLimit, quietBefore: quietWhilePlaying(at: t)) else { continue }
            var p = started.0
            let at = started.1
            if let e = play(&p, from: at, through: t, step: { _ in true }) { return .failure(e) }
            if let last = p.engine.clock, let quiet = quietAfterPlaying(at: t, lastInput: last) { p.quiet(before: quiet) }
            p.finish(through: t)
            best = p.result()
            // Just after a restore point the events pane would be short (its
            // events came before it): start one further back while that is cheap.
            guard p.eventCount < Console.recentLimit, !isStart(at), i + 1 < from.count,
                  worthGoingBack(from: at, to: from[i + 1]) else { break }
        }
        return best.map { .success($0) } ?? .failure(ReviewTapeError("the past could not be read"))
    }

    /// The `count`-th last instant strictly before `t` with an event that
    /// `matches` (the earliest there is, if there are fewer). Events of one
    /// instant are one.
    public mutating func lastEvent(before t: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            // From the newest restore point back, until one holds `count` matching instants before `t`.
            var found: Instant?
            for point in points(upTo: t) {
                guard let started = player(at: point, keep: 0, quietBefore: t) else { continue }
                var p = started.0
                let at = started.1
                p.look(matching: matching, before: t, count: count)
                if let e = play(&p, from: at, through: t, step: { _ in true }) { return .failure(e) }
                p.finish(through: t)
                if p.lastMatchCount >= count || isStart(at) { return .success(p.lastMatch) }
                found = p.lastMatch ?? found
            }
            return .success(found)
        }
    }

    /// The `count`-th instant strictly after `t`, up to `until`, with an
    /// event that `matches` (the latest there is, if there are fewer).
    public mutating func firstEvent(after t: Instant, until: Instant, count: Int, matching: (Event) -> Bool) -> Result<Instant?, ReviewTapeError> {
        withoutActuallyEscaping(matching) { matching in
            for point in points(upTo: t) {
                guard let started = player(at: point, keep: 0, quietBefore: until) else { continue }
                var p = started.0
                let at = started.1
                p.look(matching: matching, after: t, count: count)
                // Events come in time order (the timers before an input fire before it): the first matches are the earliest.
                if let e = play(&p, from: at, through: until, step: { $0.firstMatch == nil }) { return .failure(e) }
                if p.firstMatch == nil { p.finish(through: until) }
                return .success(p.firstMatch ?? p.lastFirstMatch)
            }
            return .success(nil)
        }
    }
}

/// The past could not be read (a journal error).
public struct ReviewTapeError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension ReviewTape {
    /// Answers a query: the instant it names, and the engine there.
    public mutating func answer(_ q: ReviewQuery) -> ReviewAnswer {
        let target: Instant
        switch q.request {
        case .at(let t): target = t
        case .by(let s): target = q.from + s
        case .event(let forward, let incident, let count):
            let matching: (Event) -> Bool = { e in
                e.kind != .alertReminder && e.kind != .rosterNotified && e.at != nil && (incident == nil || e.incident == incident)
            }
            let whose = incident ?? "the board"
            let found = forward ? firstEvent(after: q.from, until: q.now, count: max(1, count), matching: matching)
                : lastEvent(before: q.from, count: max(1, count), matching: matching)
            switch found {
            case .failure(let e): return .refused(e.message)
            case .success(nil):
                return .refused(forward ? "no later event of \(whose) before now (Esc returns to now)"
                                        : "no earlier event of \(whose)")
            case .success(let t?): target = t
            }
        }
        if target >= q.now { return .live }
        switch engine(at: target) {
        case .failure(let e): return .refused(e.message)
        case .success(let engine): return .state(ReviewedEngine(at: target, engine: engine))
        }
    }
}

/// Plays inputs into an engine up to an instant, keeping its newest events
/// and noting the events a review step looks for. Both tapes use it, so a
/// demo and a journal are played the same way: an input goes in if its time
/// is not after the instant; then timers fire through the instant.
public struct ReviewPlayer {
    public private(set) var engine: Engine
    private var sink: EventSink

    /// Where the engine's events go: the newest kept, the matching ones noted.
    struct EventSink {
        var events: [Event] = []
        let keep: Int
        var matching: ((Event) -> Bool)?
        var before: Instant?
        var after: Instant?
        /// How many instants with matching events are wanted.
        var count = 1
        /// The last (at most `count`) instants before `before`, and the first after `after`, ascending.
        var lastMatches: [Instant] = []
        var firstMatches: [Instant] = []

        mutating func take(_ new: [Event]) {
            guard !new.isEmpty else { return }
            if let matching {
                for e in new where matching(e) {
                    guard let at = e.at else { continue }
                    if let b = before, at < b, lastMatches.last != at {
                        lastMatches.append(at)
                        if lastMatches.count > count { lastMatches.removeFirst() }
                    }
                    if let a = after, at > a, firstMatches.count < count, firstMatches.last != at { firstMatches.append(at) }
                }
            }
            events.append(contentsOf: new)
            if events.count > 2 * keep { events.removeFirst(events.count - keep) }
        }
    }

    /// - Parameter quietBefore: reminders due before this instant are counted,
    ///   not made into events (`Engine.quietRemindersBefore`): a looking step
    ///   never stops at a reminder, and a long past full of them costs nothing.
    public init(engine: Engine, keep: Int = Console.recentLimit, quietBefore: Instant? = nil) {
        self.engine = engine
        self.engine.tracksTouched = false
        self.engine.quietRemindersBefore = quietBefore
        sink = EventSink(keep: keep)
        sink.take(self.engine.takeEvents())
    }

    /// From here on, reminders due before `t` are counted, not made into events.
    public mutating func quiet(before t: Instant) {
        engine.quietRemindersBefore = t
    }

    /// Notes matching events from here on: the last instants strictly before
    /// `before` (`lastMatch`), the first ones strictly after `after` (`firstMatch`).
    public mutating func look(matching: @escaping (Event) -> Bool, before: Instant? = nil, after: Instant? = nil, count: Int = 1) {
        sink.matching = matching
        sink.count = max(1, count)
        sink.before = before
        sink.after = after
    }

    /// How many events are kept so far (at most `keep`).
    public var eventCount: Int { min(sink.events.count, sink.keep) }
    /// The `count`-th last matching instant before `before` (the earliest seen, if fewer).
    public var lastMatch: Instant? { sink.lastMatches.first }
    /// How many of those there are (at most `count`).
    public var lastMatchCount: Int { sink.lastMatches.count }
    /// The `count`-th matching instant after `after`, once there are that many.
    public var firstMatch: Instant? { sink.firstMatches.count == sink.count ? sink.firstMatches.last : nil }
    /// The latest matching instant after `after` seen so far.
    public var lastFirstMatch: Instant? { sink.firstMatches.last }

    /// The time an input goes in at: a journal record's receipt, a scenario
    /// record's own time (resolved against the scenario start); nil: at the
    /// engine's clock when it is reached.
    public func time(of line: DecodedLine, receivedAt: Instant?) -> Instant? {
        if let receivedAt { return receivedAt }
        guard case .record(.spec(let spec), _) = line else { return nil }
        return spec.resolve(start: engine.scenario?.start)
    }

    /// Takes one input unless its time is after `through`; false if it was
    /// left (the inputs after it are all later: the caller stops). `clock`:
    /// the engine's clock when a demo's operator action went in (its timers
    /// up to then fire first).
    public mutating func take(_ line: DecodedLine, number: Int, receivedAt: Instant? = nil, origin: RecordOrigin? = nil,
                              clock: Instant? = nil, through: Instant) -> Bool {
        if let t = clock ?? time(of: line, receivedAt: receivedAt), t > through { return false }
        var sink = self.sink
        self.sink = EventSink(keep: 0)  // moved out while the engine runs (no copy of its events)
        defer { self.sink = sink }
        if let c = clock, let now = engine.clock, c > now { engine.advance(through: c, drain: { sink.take($0.takeEvents()) }) }
        engine.process(line, line: number, receivedAt: receivedAt, origin: origin, drain: { sink.take($0.takeEvents()) })
        sink.take(engine.takeEvents())
        return true
    }

    /// Fires the timers through `t` (the clock moves there).
    public mutating func finish(through t: Instant) {
        guard let c = engine.clock, t >= c else { return }
        var sink = self.sink
        self.sink = EventSink(keep: 0)
        defer { self.sink = sink }
        engine.advance(through: t, drain: { sink.take($0.takeEvents()) })
        sink.take(engine.takeEvents())
    }

    /// The engine, with its newest events in `events`.
    public func result() -> Engine {
        var e = engine
        e.events = Array(sink.events.suffix(sink.keep))
        return e
    }
}
