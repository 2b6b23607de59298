import TruceEngine

/// The headless commands of spec §4, independent of argument parsing so tests
/// can drive them in-process.
public enum Runner {
    /// Exit statuses: 0 all good, 1 some record was rejected, 2 the command
    /// could not run (missing file, bad policy, bad option).
    public static let ok: Int32 = 0
    public static let rejected: Int32 = 1
    public static let failure: Int32 = 2

    /// How a scenario is fed through the engine.
    public struct Feed {
        public var policy: Policy
        /// Stop reading at the first record after this, and run timers up to it.
        public var until: TimeSpec?
        public init(policy: Policy = .standard, until: TimeSpec? = nil) {
            self.policy = policy
            self.until = until
        }
    }

    /// Reads `path` through the engine, handing each batch of events to
    /// `sink` as it is produced. When there is no `until`, timers run to
    /// `tier3_after` past the last accepted record. Returns the engine and the
    /// instant the run ended at.
    ///
    /// Memory stays constant whatever the time between records: events reach
    /// `sink` at least every `Engine.drainEvery` of them. With `timeline`
    /// false (validate, state) reminders are not even computed: they change
    /// no state.
    public static func run(
        path: String, feed: Feed, runTimers: Bool = true, timeline: Bool = true, sink: (inout Engine, [Event]) -> Void
    ) throws(HeadlessError) -> (engine: Engine, end: Instant?) {
        let reader = try LineReader(path: path)
        var engine = Engine(policy: feed.policy)
        // A report line is rarely under 128 bytes and some lines update a report
        // already there: room for size/256 new ones spares most of the table's
        // growing (copies of all it holds) and costs only address space.
        if let size = reader.regularFileSize { engine.reserveReports(size / 256) }
        if !timeline { engine.quietRemindersBefore = Instant(seconds: .max) }
        var batch: [Event] = []
        func drain(_ e: inout Engine) {
            e.takeEvents(into: &batch)
            sink(&e, batch)
        }
        var bound: Instant?
        var boundError: HeadlessError?
        var seenRecord = false
        var interner = StringInterner()

        func resolveBound(_ engine: Engine) -> Bool {
            guard bound == nil, let until = feed.until else { return true }
            if let t = until.resolve(start: engine.scenario?.start) {
                bound = t
                return true
            }
            boundError = HeadlessError("--until/--at is relative but \(displayName(path)) has no scenario start")
            return false
        }

        try reader.forEachLine { line, number in
            let decoded: DecodedLine
            switch line {
            case .bytes(let b):
                // The report lookup's first read is a cache miss in a big table:
                // asked for as soon as the id is found, it arrives while the
                // rest of the line is decoded and the timers before it fire.
                decoded = RecordDecoder.decode(b, interning: &interner) { engine.prefetchReport(id: $0) }
            case .tooLong(let n): decoded = .malformed("line is too long (\(n) bytes; the limit is \(LineReader.defaultMaxLineBytes))")
            }
            if case .skip = decoded { return true }
            if seenRecord, feed.until != nil, !resolveBound(engine) { return false }
            seenRecord = true
            if let b = bound, case .record(let at, _) = decoded, case .spec(let spec) = at,
               let t = spec.resolve(start: engine.scenario?.start), t > b {
                return false  // reading stops at the first record after the bound
            }
            engine.process(decoded, line: number, drain: drain)
            if !engine.events.isEmpty { drain(&engine) }
            return true
        }
        if let boundError { throw boundError }
        if feed.until != nil, !resolveBound(engine) { throw boundError! }
        let end = bound ?? engine.lastAcceptedAt.map { $0 + feed.policy.tier3After }
        if runTimers, let end { engine.advance(through: end, drain: drain) }
        engine.finish()
        if !engine.events.isEmpty { drain(&engine) }
        return (engine, end)
    }

    /// `truce replay`: the timeline, as text or JSON Lines. `keep` is given
    /// the engine at the end (a command about to exit keeps it rather than
    /// free a million reports one by one).
    public static func replay(
        path: String, feed: Feed, json: Bool, out: OutputSink, keep: (Engine) -> Void = { _ in }
    ) throws(HeadlessError) -> Int32 {
        var writer = JSONWriter(capacity: 1 << 17)
        let (engine, _) = try run(path: path, feed: feed) { engine, events in
            if json {
                EventJSON.write(events, to: &writer)
                if writer.count > 1 << 16 {
                    writer.withBytes { out.write($0) }
                    writer.reset()
                }
            } else {
                for l in TimelineText.lines(events, origin: engine.origin) { out.line(l) }
            }
        }
        writer.withBytes { out.write($0) }
        out.flush()
        keep(engine)
        return engine.rejectedCount > 0 ? rejected : ok
    }

    /// `truce state --at T`.
    public static func state(
        path: String, feed: Feed, json: Bool, out: OutputSink, keep: (Engine) -> Void = { _ in }
    ) throws(HeadlessError) -> Int32 {
        let (engine, end) = try run(path: path, feed: feed, timeline: false) { _, _ in }
        defer { keep(engine) }
        let at = end ?? engine.clock ?? Instant(seconds: 0)
        out.line(json ? StateOutput.json(engine, at: at) : StateOutput.text(engine, at: at))
        out.flush()
        return engine.rejectedCount > 0 ? rejected : ok
    }

    /// `truce validate FILE…`: `FILE:LINE: reason` for every record replay
    /// would reject. `keep` is given the last file's engine.
    public static func validate(
        paths: [String], policy: Policy, out: OutputSink, err: OutputSink, keep: (Engine) -> Void = { _ in }
    ) -> Int32 {
        var status = ok
        for (k, path) in paths.enumerated() {
            do {
                let name = Sanitizer.clean(displayName(path))
                let (engine, _) = try run(path: path, feed: Feed(policy: policy), runTimers: false, timeline: false) { _, events in
                    for i in events.indices where events[i].kind == .inputRejected {
                        out.line("\(name):\(events[i].line ?? 0): \(Sanitizer.clean(events[i].reason ?? ""))")
                        status = max(status, rejected)
                    }
                }
                if k == paths.count - 1 { keep(engine) }  // the others are freed as the next is read
            } catch {
                err.line("truce: \(Sanitizer.clean(error.message))")
                status = failure
            }
        }
        out.flush()
        err.flush()
        return status
    }

    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }
}
