import TruceEngine

/// A record read back from the journal, in journal order.
public struct JournalLine: Sendable, Equatable {
    public var seq: Int64
    public var line: String
    public var receivedAt: Instant
    /// The site that wrote it and when it was made there, on a shared journal.
    public var origin: RecordOrigin?
    public init(seq: Int64, line: String, receivedAt: Instant, origin: RecordOrigin? = nil) {
        self.seq = seq; self.line = line; self.receivedAt = receivedAt; self.origin = origin
    }
}

/// What became of an append.
public enum AppendOutcome: Sendable, Equatable {
    case accepted
    /// The engine at the head of the journal refused it; nothing was stored.
    case rejected(String)
    /// The journal could not be written; nothing was stored.
    case failed(String)
    /// Kept in this site's outbox (durably), to be pushed to the shared
    /// journal and judged at its head off the UI loop; shown as provisional
    /// until it comes back in the mirror.
    case queued
}

/// A record this site made that the shared journal does not hold yet (it
/// waits in the site's outbox): the board shows it as provisional until it
/// comes back through the mirror, or a conflict is said.
public struct Provisional: Sendable, Equatable {
    /// When it was made here.
    public var madeAt: Instant
    /// The incident it acts on (nil for a report or narration).
    public var incident: String?
    /// `ack by alice`, `report R-hq-3 Pokrovsk confirmed`.
    public var text: String
    /// An acknowledgement (the incidents list marks the row).
    public var isAck: Bool
    public init(madeAt: Instant, incident: String?, text: String, isAck: Bool) {
        self.madeAt = madeAt; self.incident = incident; self.text = text; self.isAck = isAck
    }

    /// What a queued record line says, for the board; nil for a line that is not a record.
    public static func describe(line: String, madeAt: Instant) -> Provisional? {
        guard case .record(_, .success(let body)) = RecordDecoder.decode(line) else { return nil }
        switch body {
        case .action(let a):
            var text = a.action.rawValue
            if let m = a.member { text += " " + m }
            if let by = a.by { text += " by " + by }
            if let n = a.note { text += ": " + n }
            return Provisional(madeAt: madeAt, incident: a.incident, text: Sanitizer.clean(text), isAck: a.action == .ack)
        case .report(let r):
            return Provisional(madeAt: madeAt, incident: nil,
                               text: Sanitizer.clean("report \(r.id) \(r.sector) \(r.status.rawValue)"), isAck: false)
        case .narrate(let t):
            return Provisional(madeAt: madeAt, incident: nil, text: Sanitizer.clean("narration: " + t), isAck: false)
        case .scenario:
            return nil
        }
    }
}

/// Everything that happens to the console. `Console.update` is the only
/// place its state changes, one message at a time.
public enum Message: Sendable, Equatable {
    /// A key from the terminal.
    case key(Key)
    /// The terminal's size (at start and after every resize).
    case resize(width: Int, height: Int)
    /// Time passed: a monotonic reading (seconds) and the wall clock
    /// (seconds since 1970, with its fraction, for waking on the second).
    case tick(monotonic: Double, wall: Double)
    /// The last frame reached the screen: what the operator can see now.
    case frameShown
    /// Records read from the journal (ours and other processes'), in
    /// order; afterwards the engine's clock may move to `through`.
    case pulled([JournalLine], through: Instant?)
    /// An append the console asked for (`Effect.append`) was carried out.
    case appended(request: Int, AppendOutcome)
    /// A feed line that could not be a record or was refused.
    case feedRejected(String, at: Instant)
    /// Whether a feed still has lines waiting (wake again at once).
    case backlog(Bool)
    /// The journal could not be read or written.
    case journalError(String)
    /// Something to tell the operator (a theme that could not be loaded).
    case notice(String, error: Bool)
    /// How the feeds are doing (sent when that changes).
    case feeds(FeedHealth)
    /// The shared journal could not be reached since `since` (why), or nil:
    /// it is reachable; `queued` records wait in the outbox, the first of
    /// them described in `provisional` (sent when any of that changes).
    case upstream(problem: String?, since: Instant, queued: Int, provisional: [Provisional])
    /// The answer to a review query (`Effect.review`).
    case reviewed(ReviewAnswer)
}

/// The live console's feeds: how many are read, and what is wrong with the others.
public struct FeedHealth: Sendable, Equatable {
    public var ok: Int
    /// `path: missing`, `path: Permission denied`, one a feed.
    public var problems: [String]
    public init(ok: Int, problems: [String]) { self.ok = ok; self.problems = problems }
}

/// An operator action for the journal, with the words to report it by.
public struct AppendRequest: Sendable, Equatable {
    public var id: Int
    public var record: ActionRecord
    /// `ack INC-0004 Siversk`, for the message line.
    public var label: String
}

/// What the console asks its session to do; the session answers with messages.
public enum Effect: Sendable, Equatable {
    /// Journal an operator action (validated at the head of the journal).
    case append(AppendRequest)
    /// Read a bounded share of each feed and journal it.
    case pollFeeds
    /// Read what the journal gained since the last pull; the engine's clock
    /// may then move to `through`.
    case pull(through: Instant)
    /// Repaint every cell of the terminal (Ctrl-L): the run loop's job.
    case repaint
    /// The board at a past instant: read the journal's past (review mode).
    case review(ReviewQuery)
    /// Ring the terminal's bell (a new alert, with the bell on): the run loop's job.
    case bell
    /// Stop: restore the terminal and exit.
    case quit
}

/// Carries out effects for a console: the live journal (`LiveSession` in
/// TruceStore), or nothing at all for a demo.
public protocol ConsoleSession: AnyObject {
    func perform(_ effect: Effect) -> [Message]
}
