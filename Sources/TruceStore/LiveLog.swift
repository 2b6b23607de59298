import TruceEngine

/// The engine state of a journal, kept current, and the one way records get
/// in: each append validates the record against the state the journal holds
/// at that moment (inside the writer lock) and stores it only if accepted.
public final class LiveLog {
    public let journal: Journal
    public private(set) var engine: Engine
    private var lastSeq: Int64 = 0
    private var lastReceived: Instant?

    /// What happened to one input line.
    public enum Outcome: Equatable, Sendable {
        case accepted(seq: Int64, at: Instant)
        case rejected(String)
        /// Blank or comment line.
        case skipped
    }

    public init(journal: Journal, policy: Policy) throws(JournalError) {
        self.journal = journal
        engine = Engine(policy: policy, mode: .live)
        // This engine only judges appends; reminders change nothing it judges.
        engine.quietRemindersBefore = Instant(seconds: .max)
        try catchUp()
    }

    /// Starts from an engine that has already replayed the journal up to
    /// `lastSeq` (the live console's), instead of replaying it again.
    public init(journal: Journal, engine: Engine, lastSeq: Int64) throws(JournalError) {
        self.journal = journal
        self.engine = engine
        self.engine.quietRemindersBefore = Instant(seconds: .max)
        self.lastSeq = lastSeq
        lastReceived = engine.lastAcceptedAt
        try catchUp()
    }

    /// Applies records appended since the last look (by any process).
    public func catchUp() throws(JournalError) {
        var received = lastReceived
        lastSeq = try journal.replay(into: &engine, after: lastSeq) { engine, r in
            _ = engine.takeEvents()
            received = r.receivedAt
        }
        lastReceived = received
    }

    /// Validates one input line received `now` and appends it if accepted.
    /// `number` is its line number in the input, for the rejection.
    public func append(_ line: String, number: Int = 1, source: String, feed: Journal.FeedPosition? = nil,
                       now: () -> Instant) throws(JournalError) -> Outcome {
        var outcome = Outcome.skipped
        let seqs = try journal.transaction(feed: feed) { () throws(JournalError) -> [(receivedAt: Instant, source: String, line: String)] in
            try catchUp()
            let decoded = RecordDecoder.decode(line)
            if case .skip = decoded { return [] }
            // Receipt times never run backwards, even if the wall clock does.
            let t = max(now(), lastReceived ?? Instant(seconds: .min))
            let before = engine.rejectedCount
            engine.process(decoded, line: number, receivedAt: t)
            let events = engine.takeEvents()
            if engine.rejectedCount > before {
                outcome = .rejected(events.last { $0.kind == .inputRejected }?.reason ?? "rejected")
                return []
            }
            var stored = trimmed(line)
            if case .record(.absent, _) = decoded { stored = LiveLog.insertAt(t, into: stored) }
            outcome = .accepted(seq: 0, at: t)
            lastReceived = t
            return [(t, source, stored)]
        }
        if let seq = seqs.first, case .accepted(_, let at) = outcome {
            lastSeq = seq
            outcome = .accepted(seq: seq, at: at)
        }
        return outcome
    }

    /// The record with `"at"` first: `{"at":"…",` + the rest of the object.
    static func insertAt(_ t: Instant, into object: String) -> String {
        guard let brace = object.firstIndex(of: "{") else { return object }
        let rest = object[object.index(after: brace)...]
        let isEmpty = trimmed(String(rest)).hasPrefix("}")
        return "{\"at\":\"\(t)\"" + (isEmpty ? "" : ",") + rest
    }

    /// The full timeline of the journal with timers run up to `until`.
    /// `quietRemindersBefore` skips old reminders (for state only, never for a timeline).
    /// Without `collectEvents` only the state is wanted and the events are dropped as they come.
    public static func timeline(_ journal: Journal, policy: Policy, until: Instant,
                                quietRemindersBefore: Instant? = nil, collectEvents: Bool = true) throws(JournalError) -> (Engine, [Event]) {
        var engine = Engine(policy: policy, mode: .live)
        engine.quietRemindersBefore = quietRemindersBefore
        var events: [Event] = []
        func take(_ engine: inout Engine) {
            let e = engine.takeEvents()
            if collectEvents { events += e }
        }
        try journal.replay(into: &engine) { engine, _ in take(&engine) }
        engine.advance(through: until)
        engine.finish()
        take(&engine)
        return (engine, events)
    }
}
