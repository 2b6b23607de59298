import TruceEngine

/// Feeds a scenario's records into the engine on an accelerated clock.
///
/// The clock is simulated: `advance(realSeconds:)` moves it by real time
/// times the speed. Records are processed when the simulated clock reaches
/// their `at`; timers fire only up to just before the next record, so the
/// engine sees exactly the order a replay would (R11).
public struct DemoClock: Sendable {
    /// Decoded scenario lines with their line numbers.
    public private(set) var lines: [(DecodedLine, Int)]
    public private(set) var next = 0
    public private(set) var now: Instant
    /// Fraction of a simulated second carried between ticks.
    private var carry: Double = 0
    public var speed: Double
    public var paused: Bool
    public let title: String?

    public static let speeds: [Double] = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400]

    /// Prepares a scenario. The clock starts at the scenario start, or at the
    /// first record's time.
    public init(text: String, speed: Double? = nil, paused: Bool = false) {
        var decoded: [(DecodedLine, Int)] = []
        var n = 0
        var header: ScenarioHeader?
        var firstAt: Instant?
        for raw in TextLines.split(text) {
            n += 1
            let d = RecordDecoder.decode(String(raw))
            if case .skip = d { continue }
            if decoded.isEmpty, case .record(_, .success(.scenario(let h))) = d { header = h }
            if firstAt == nil, case .record(.spec(.absolute(let t)), _) = d { firstAt = t }
            decoded.append((d, n))
        }
        lines = decoded
        title = header?.title
        now = header?.start ?? firstAt ?? Instant(seconds: 0)
        self.speed = speed ?? header?.speed ?? 60
        self.paused = paused
    }

    public var finished: Bool { next >= lines.count }

    /// The `at` of the next record, if it names one.
    public func nextAt(start: Instant?) -> Instant? {
        guard next < lines.count, case .record(.spec(let spec), _) = lines[next].0 else { return nil }
        return spec.resolve(start: start)
    }

    /// Moves simulated time by real seconds × speed (nothing while paused).
    public mutating func advance(realSeconds: Double) {
        guard !paused, realSeconds > 0 else { return }
        let sim = realSeconds * speed + carry
        let whole = sim.rounded(.down)
        carry = sim - whole
        now = now + Int64(whole)
    }

    /// Feeds the engine every record due by now, and fires timers up to now
    /// (but never past the next record's time). Returns whether anything happened.
    @discardableResult
    public mutating func feed(_ engine: inout Engine) -> Bool {
        var any = false
        while next < lines.count {
            let start = engine.scenario?.start
            if let at = nextAt(start: start), at > now { break }
            let (d, n) = lines[next]
            engine.process(d, line: n)
            next += 1
            any = true
        }
        let bound = nextAt(start: engine.scenario?.start).map { min(now, $0 - 1) } ?? now
        if let c = engine.clock, bound > c {
            engine.advance(through: bound)
            any = true
        }
        return any
    }

    /// Jumps to the next record's time and processes it (and any record with
    /// the same time): the `.` key.
    public mutating func step(_ engine: inout Engine) {
        if let at = nextAt(start: engine.scenario?.start), at > now { now = at }
        carry = 0
        let before = next
        feed(&engine)
        if next == before, next < lines.count {
            // A record without a time of its own: take it at the current clock.
            let (d, n) = lines[next]
            engine.process(d, line: n)
            next += 1
        }
    }

    public mutating func faster() { speed = DemoClock.speeds.first { $0 > speed } ?? speed }
    public mutating func slower() { speed = DemoClock.speeds.last { $0 < speed } ?? speed }
}
