import TruceConsole
import TruceEngine

/// Carries out the live console's effects on the journal and answers with
/// messages: it journals operator actions (validated at the head of the
/// journal), reads feeds a bounded share at a time, and pulls what the
/// journal gained, in journal order. The console never touches the journal.
public final class LiveSession: ConsoleSession {
    public let log: LiveLog
    public let followers: [FeedFollower]
    /// The last record handed to the console.
    public private(set) var seq: Int64
    private let now: () -> Instant
    private var reportedHealth: FeedHealth?
    /// On a shared journal: why it cannot be reached now, or nil (read each tick).
    public var upstreamProblem: (() -> String?)?
    private var reportedProblem: String?
    private var reportedQueue: (count: Int, last: Int64) = (0, 0)
    /// On a shared journal: wakes the thread that pushes the outbox (called after an action is queued).
    public var upstreamWake: (() -> Void)?
    /// How many queued records the board describes (the header counts them all).
    public static let provisionalShown = 50
    /// On a shared journal: records the push rejected since the last look (read each tick).
    public var upstreamConflicts: (() -> [Journal.Queued])?
    /// The console's queued actions by idempotency key: their request is
    /// answered again (recorded, or rejected) once the shared journal has judged them.
    private var awaiting: [String: Int] = [:]
    /// Feed lines journaled per effect (each a durable append, well under a
    /// millisecond), before the board is redrawn and keys read again.
    public static let feedLinesPerWake = 200
    /// The journal's past, for review mode (made on the first review key).
    private var tape: JournalTape?

    /// - Parameters:
    ///   - seq: the last record the console's engine already holds.
    ///   - now: the wall clock, for receipt times.
    public init(log: LiveLog, followers: [FeedFollower], seq: Int64, now: @escaping () -> Instant) {
        self.log = log
        self.followers = followers
        self.seq = seq
        self.now = now
        feedNames = LiveSession.shownNames(followers.map(\.path))
    }

    /// How each feed is named in the console's messages, by follower.
    private let feedNames: [String]

    /// A feed's file name when no other followed feed has the same one, else
    /// its path as given: the message line is one terminal row, and a long
    /// directory in front would push the reason (`:LINE: why`) out of sight.
    public static func shownNames(_ paths: [String]) -> [String] {
        func fileName(_ p: String) -> String {
            let trimmed = p.hasSuffix("/") ? String(p.dropLast()) : p
            return trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? p
        }
        let names = paths.map(fileName)
        var seen: [String: Int] = [:]
        for n in names { seen[n, default: 0] += 1 }
        return zip(paths, names).map { path, name in name.isEmpty || seen[name]! > 1 ? path : name }
    }

    /// Opens the live console on a journal: its state loaded once (old
    /// reminders are not worth replaying one by one, so only the last hour's
    /// reach the ticker; enough records are replayed to fill it), feeds
    /// resumed where the journal says they were read to, and the session that
    /// will carry out the console's effects.
    public static func start(journal: Journal, policy: Policy, feeds: [String], operatorName: String, themes: [Theme],
                             source: String = "LIVE", bell: Bool = false, store: RecordStore? = nil, site: String? = nil,
                             now: @escaping () -> Instant) throws(JournalError) -> (Console, LiveSession) {
        let loaded = try JournalState.load(journal, policy: policy, quietRemindersBefore: now() - 3600,
                                           keepEvents: Console.recentLimit, replayAtLeast: Int64(Console.recentLimit),
                                           origins: store is Outbox)
        var followers: [FeedFollower] = []
        for path in feeds { followers.append(FeedFollower(path: path, resume: try journal.feedPosition(path))) }
        let log = try LiveLog(journal: journal, state: loaded, store: store, site: site)  // before the console's engine moves on
        var engine = loaded.engine
        engine.advance(through: now() - 3600)
        engine.quietRemindersBefore = nil
        let console = Console(engine: engine, operatorName: operatorName, themes: themes, live: true, source: source, bell: bell)
        return (console, LiveSession(log: log, followers: followers, seq: loaded.seq, now: now))
    }

    public func perform(_ effect: Effect) -> [Message] {
        switch effect {
        case .append(let request):
            var out: [Message] = []
            do {
                // Queued for a shared journal, it carries its key from the start, to be recognised when it is back.
                let key = log.queueKey()
                let outcome = try log.append(batch: [LiveLog.BatchLine(text: RecordJSON.line(.action(request.record)), number: 1, key: key)],
                                             source: "console", now: now).first ?? .skipped
                switch outcome {
                case .accepted(seq: 0, _) where key != nil:
                    awaiting[key!] = request.id
                    upstreamWake?()
                    out.append(.appended(request: request.id, .queued))
                case .accepted: out.append(.appended(request: request.id, .accepted))
                case .rejected(let why): out.append(.appended(request: request.id, .rejected(why)))
                case .skipped, .duplicate: out.append(.appended(request: request.id, .failed("empty record")))
                }
            } catch {
                out.append(.appended(request: request.id, .failed(error.message)))
            }
            // The board shows it once it is back from the journal.
            return pull(through: nil) + out
        case .review(let query):
            if tape == nil { tape = JournalTape(journal: log.journal, policy: log.engine.policy, origins: log.store is Outbox) }
            return [.reviewed(tape!.answer(query))]
        case .pollFeeds:
            var out: [Message] = []
            var more = false
            for (f, name) in zip(followers, feedNames) {
                do {
                    more = try f.poll(limit: LiveSession.feedLinesPerWake) { line, position in
                        switch line {
                        case .text(let text, let number):
                            let outcome = try log.append(text, number: number, source: "feed:" + f.path, feed: position, now: now)
                            if case .accepted(seq: 0, _) = outcome, log.store is Outbox { upstreamWake?() }  // queued: push it
                            out += pull(through: nil)  // an accepted line shows before anything after it
                            if case .rejected(let reason) = outcome {
                                out.append(.feedRejected("\(name):\(number): \(reason)", at: now()))
                            }
                        case .rejected(let reason, let number):
                            _ = try log.journal.transaction(feed: position) { () throws(JournalError) in [] }
                            out.append(.feedRejected("\(name):\(number): \(reason)", at: now()))
                        }
                    } || more
                } catch {
                    out.append(.journalError("feed \(name): \(error)"))
                }
            }
            out.append(.backlog(more))
            let health = FeedHealth(ok: followers.filter { $0.problem == nil }.count,
                                    problems: zip(followers, feedNames).compactMap { f, name in f.problem.map { "\(name): \($0)" } })
            if !followers.isEmpty && health != reportedHealth {
                reportedHealth = health
                out.append(.feeds(health))
            }
            return out
        case .pull(let through):
            var out = pull(through: through)
            if let upstreamProblem {
                let problem = upstreamProblem()
                let queue = (try? log.journal.queueMark()) ?? reportedQueue
                if problem != reportedProblem || queue != reportedQueue {
                    reportedProblem = problem
                    reportedQueue = queue
                    let pending = ((try? log.journal.outbox(limit: LiveSession.provisionalShown)) ?? [])
                        .compactMap { Provisional.describe(line: $0.line, madeAt: $0.madeAt) }
                    out.append(.upstream(problem: problem.map { Sanitizer.clean($0) }, since: now(), queued: queue.count,
                                         provisional: pending))
                }
            }
            for c in upstreamConflicts?() ?? [] {
                let why = Sanitizer.clean(c.conflict ?? "rejected")
                if let id = awaiting.removeValue(forKey: c.key) {
                    out.append(.appended(request: id, .rejected("\(why) (at the shared journal; kept: truce journal conflicts)")))
                } else {
                    out.append(.notice("conflict: queued at \(c.madeAt): \(why) (kept: truce journal conflicts)", error: true))
                }
            }
            // A queued action of this console's is in the mirror: the shared journal has it.
            for (key, id) in awaiting where (try? log.journal.contains(key: key)) == true {
                awaiting[key] = nil
                out.append(.appended(request: id, .accepted))
            }
            return out
        case .quit, .repaint, .bell:
            return []
        }
    }

    /// What the journal gained since the last pull, as one message.
    private func pull(through: Instant?) -> [Message] {
        do {
            let records = try log.journal.records(after: seq)
            if let last = records.last { seq = last.seq }
            guard !records.isEmpty || through != nil else { return [] }
            let shared = log.store is Outbox  // a shared journal's records name their site
            return [.pulled(records.map { JournalLine(seq: $0.seq, line: $0.line, receivedAt: $0.receivedAt, origin: shared ? $0.origin : nil) },
                            through: through)]
        } catch {
            return [.journalError(error.message)]
        }
    }
}
