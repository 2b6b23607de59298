import TruceEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on a clock that never jumps (for spacing work, never for records).
enum Monotonic {
    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// The engine state of a journal, kept current, and the one way records get
/// in: each append validates the record against the state the journal holds
/// at that moment (inside the writer lock) and stores it only if accepted.
public final class LiveLog {
    public let journal: Journal
    /// Where appends go: the journal itself, or the shared journal it mirrors.
    public var store: RecordStore
    /// Written with every record this log stores (`--site`).
    public var site: String?
    public private(set) var engine: Engine
    private var lastSeq: Int64 = 0
    private var lastReceived: Instant?
    /// The newest snapshot in the journal, as far as this log knows.
    private var snapshotSeq: Int64 = 0
    /// Whether `engine` is exactly the replay of the journal (no rejected line
    /// has touched it), so that it may be saved as a snapshot.
    private var exact = true
    /// When to save the next snapshot (a knob for tests).
    var snapshotEvery: (Int64) -> Int64 = { JournalState.snapshotEvery(lastSeq: $0) }

    /// Keys starting with this had none in the journal when a run of appends
    /// began (`beginRun(keyPrefix:)`), and the run's keys never repeat.
    private var newKeyPrefix: [UInt8]?

    /// For a run of appends whose keys all start with `prefix` and never
    /// repeat within it (an ingest's name its file and line): when the journal
    /// holds none of them yet, the run's appends stop looking each up (an
    /// index lookup and a set insert a record, a tenth of an ingest). Should
    /// another process store one meanwhile, the key's unique index fails the
    /// insert, and the batch with it: never stored twice. Only for the
    /// journal itself; appends to a shared journal still look every key up.
    /// Returns whether the run is new.
    @discardableResult
    public func beginRun(keyPrefix prefix: String) throws(JournalError) -> Bool {
        newKeyPrefix = nil
        guard !prefix.isEmpty, (store as? Journal) === journal, try !journal.hasKey(withPrefix: prefix) else { return false }
        newKeyPrefix = Array(prefix.utf8)
        return true
    }

    /// Whether `key` is one of a new run's (see `beginRun(keyPrefix:)`).
    private func isNewRunKey(_ key: String) -> Bool {
        guard let p = newKeyPrefix else { return false }
        var key = key
        return key.withUTF8 { k in
            k.count >= p.count && p.withUnsafeBufferPointer { memcmp(k.baseAddress!, $0.baseAddress!, p.count) == 0 }
        }
    }

    /// What happened to one input line.
    public enum Outcome: Equatable, Sendable {
        case accepted(seq: Int64, at: Instant)
        case rejected(String)
        /// Blank or comment line.
        case skipped
        /// Its idempotency key is already in the journal: stored before, not again.
        case duplicate
    }

    /// One line of a batch, with its idempotency key.
    public struct BatchLine: Sendable {
        public var text: String
        public var number: Int
        public var key: String?
        /// When it was received, if not now (a record copied from another
        /// journal keeps its own; receipt times still never go backwards).
        public var receivedAt: Instant?
        /// The site that wrote it, if not this log's (a copied record keeps its own).
        public var site: String?
        public init(text: String, number: Int, key: String?, receivedAt: Instant? = nil, site: String? = nil) {
            self.text = text; self.number = number; self.key = key; self.receivedAt = receivedAt; self.site = site
        }
    }

    /// Validates and appends many lines in one durable transaction (one
    /// fsync for all): lines whose key is already stored are skipped. If the
    /// transaction fails nothing of the batch is stored, and this log's engine
    /// is put back as it was, so the batch can be retried.
    public func append(batch: [BatchLine], source: String, now: () -> Instant) throws(JournalError) -> [Outcome] {
        var outcomes: [Outcome] = []
        var made: [Journal.NewRecord] = []
        var keysInBatch: Set<String> = []
        let seqs = try restoringOnFailure { () throws(JournalError) in
            try store.transaction(feed: nil) { () throws(JournalError) -> [Journal.NewRecord] in
                try catchUp()
                var rows: [Journal.NewRecord] = []
                for l in batch {
                    let decoded = RecordDecoder.decode(l.text)
                    if case .skip = decoded { outcomes.append(.skipped); continue }
                    let newRunKey = l.key.map(isNewRunKey) ?? false
                    if !newRunKey, let k = l.key, keysInBatch.contains(k) {
                        outcomes.append(.duplicate)
                        continue
                    }
                    if !newRunKey, let k = l.key, try journal.contains(key: k) {
                        outcomes.append(.duplicate)
                        continue
                    }
                    let (outcome, row) = judge(decoded, text: l.text, number: l.number, key: l.key ?? queueKey(), site: l.site ?? site,
                                               source: source, now: { l.receivedAt ?? now() })
                    outcomes.append(outcome)
                    if let row {
                        if !newRunKey, let k = l.key { keysInBatch.insert(k) }
                        rows.append(row)
                    }
                }
                made = rows
                return rows
            }
        }
        // Number the accepted ones with their seqs.
        var next = seqs.makeIterator()
        outcomes = outcomes.map { o in
            if case .accepted(_, let at) = o, let seq = next.next() { return .accepted(seq: seq, at: at) }
            return o
        }
        committed(seqs)
        if seqs.isEmpty && !made.isEmpty { queuedElsewhere(made.compactMap(\.key)) }
        return outcomes
    }

    /// Accepted records went to an outbox, not the journal: the engine holds
    /// records the journal does not (yet). It keeps them, so the next record
    /// is judged against the journal and this site's queue (a feed's report,
    /// then an action on the incident it opens); when the journal gains
    /// records (the push brings them back, in the shared journal's order) it
    /// is rebuilt: the journal, then what is still queued. Never saved as a
    /// snapshot meanwhile.
    private func queuedElsewhere(_ keys: [String]) {
        overlaid = true
        exact = false
        overlayKeys += keys
    }

    /// A key for a record that goes to an outbox without one, so that it is
    /// known when it comes back; nil for a journal that gives none.
    func queueKey() -> String? {
        (store as? Outbox).map { Outbox.newKey(site: $0.site) }
    }

    /// The engine holds queued records on top of the journal's: these, in the order applied.
    private var overlaid = false
    private var overlayKeys: [String] = []
    /// Incidents the journal itself holds: one numbered above is opened only
    /// by a queued record, and its number is not final (another site may
    /// open an incident first), so no action may name it yet.
    private var journalIncidents = 0

    /// Applies the outbox's queued records (not yet in the journal) on top of
    /// the journal's state, in the order they were queued.
    private func applyQueued() throws(JournalError) {
        guard store is Outbox else { return }
        journalIncidents = engine.incidents.count
        for q in try journal.outbox() where !(try journal.contains(key: q.key)) {
            let t = max(q.madeAt, lastReceived ?? Instant(seconds: .min))
            engine.process(RecordDecoder.decode(q.line), line: 0, receivedAt: t)
            _ = engine.takeEvents()
            lastReceived = t
            queuedElsewhere([q.key])
        }
    }

    /// Judges one line received now against the journal's state (inside the
    /// writer lock): the record to store with its receipt time written in, or
    /// why it is rejected. Receipt times never run backwards, even if the
    /// wall clock does, and not below a rejected line's either (the engine's
    /// clock has moved to it).
    /// The events of the record judged last.
    private var judged: [Event] = []

    private func judge(_ decoded: DecodedLine, text: String, number: Int, key: String?, site: String?, source: String,
                       now: () -> Instant) -> (Outcome, Journal.NewRecord?) {
        let t = max(now(), lastReceived ?? Instant(seconds: .min))
        if overlaid, case .record(_, .success(.action(let a))) = decoded, let n = Incident.number(fromID: a.incident),
           n > journalIncidents, n <= engine.incidents.count {
            return (.rejected("\(a.incident) is not in the shared journal yet (a record queued here opened it, and its number is "
                              + "final only once the shared journal has it); act on it when it shows there"), nil)
        }
        let before = engine.rejectedCount
        engine.process(decoded, line: number, receivedAt: t)
        engine.takeEvents(into: &judged)  // into the same array each time: no allocation a record
        let events = judged
        lastReceived = t
        if engine.rejectedCount > before {
            exact = false
            // Before the journal's first record there is no clock: the engine holds the reason until there is one.
            let reason = events.last { $0.kind == .inputRejected }?.reason ?? engine.unstampedRejections.last?.reason
            return (.rejected(reason ?? "rejected"), nil)
        }
        var stored = trimmed(text)
        // The receipt time becomes the record's "at" when it has none. Not for
        // a scenario header: it has no time of its own (its decoder never
        // reads "at"), and one stored before with an "at" would get a second.
        if case .record(.absent, let body) = decoded {
            if case .success(.scenario) = body {} else { stored = LiveLog.insertAt(t, into: stored) }
        }
        return (.accepted(seq: 0, at: t), Journal.NewRecord(receivedAt: t, source: source, line: stored, key: key, site: site))
    }

    /// Runs an append; if it throws, nothing was stored, so the engine is put
    /// back to the journal's state and the same lines can be tried again.
    ///
    /// Putting back reloads the state from the journal (its snapshot and the
    /// records after it) rather than keeping a copy of the engine from before:
    /// a copy would share the engine's storage, so the first change of every
    /// append would copy the whole state (a million reports for one `truce
    /// report`, and again for every batch of an ingest). A failed transaction
    /// is rare (a full disk); an append is not.
    private func restoringOnFailure<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        try reloadIfNeeded()
        let floor = lastReceived
        do {
            return try body()
        } catch {
            needsReload = true
            lastReceived = floor  // receipt times still never run backwards
            try? reloadIfNeeded()  // if this fails too, the next append tries again first
            throw error
        }
    }

    /// Set when an append failed and the engine may hold records the journal does not.
    private var needsReload = false

    /// How often the state was rebuilt from the journal (for tests).
    private(set) var rebuilds = 0

    private func reloadIfNeeded() throws(JournalError) {
        guard needsReload else { return }
        rebuilds += 1
        let state = try JournalState.load(journal, policy: engine.policy, quietRemindersBefore: Instant(seconds: .max))
        engine = LiveLog.judging(state.engine)
        lastSeq = state.seq
        snapshotSeq = max(snapshotSeq, state.snapshotSeq)
        exact = true
        overlaid = false
        overlayKeys = []
        needsReload = false
        try applyQueued()
    }

    /// After a commit: the newest seq, and a snapshot when one is due.
    private func committed(_ seqs: [Int64]) {
        guard let last = seqs.last else { return }
        lastSeq = last
        saveSnapshotIfDue(waited: Monotonic.seconds() - lastSave >= secondsBetweenSaves)
    }

    /// Saves a snapshot if enough records have piled up since the last one
    /// (and `waited`): a bulk ingest would otherwise save one every 5,000
    /// records while its journal is small, writing (and checkpointing) its
    /// whole state each time; most of its disk time went there.
    private func saveSnapshotIfDue(waited: Bool) {
        guard exact, waited, lastSeq - snapshotSeq >= snapshotEvery(lastSeq) else { return }
        snapshotSeq = JournalState.saveSnapshot(journal, &engine, seq: lastSeq, minGap: snapshotEvery(lastSeq)) ?? snapshotSeq
        lastSave = Monotonic.seconds()
    }

    /// At the end of a run of appends (an ingest): the snapshot that is due,
    /// however soon after the last one, so the next command starts from it.
    public func saveSnapshotIfDue() { saveSnapshotIfDue(waited: true) }

    /// An appender saves at most one snapshot per this many seconds, until
    /// `saveSnapshotIfDue()` (a knob for tests).
    var secondsBetweenSaves = 2.0
    private var lastSave = -Double.infinity

    public convenience init(journal: Journal, policy: Policy, store: RecordStore? = nil, site: String? = nil) throws(JournalError) {
        // This engine only judges appends; reminders change nothing it judges.
        try self.init(journal: journal, state: JournalState.load(journal, policy: policy, quietRemindersBefore: Instant(seconds: .max)),
                      store: store, site: site)
    }

    /// Starts from a state already loaded (the live console's), instead of
    /// loading it again. It must be the journal's state exactly: loaded, and
    /// not advanced since.
    public init(journal: Journal, state: JournalState.Loaded, store: RecordStore? = nil, site: String? = nil) throws(JournalError) {
        self.journal = journal
        self.store = store ?? journal
        self.site = site
        engine = LiveLog.judging(state.engine)
        lastSeq = state.seq
        snapshotSeq = state.snapshotSeq
        lastReceived = engine.lastAcceptedAt
        try catchUp()
        try applyQueued()
    }

    /// A loaded engine made ready to judge appends: reminders change nothing
    /// it judges, so it skips them, and the events of its load are not news.
    private static func judging(_ loaded: Engine) -> Engine {
        var e = loaded
        e.quietRemindersBefore = Instant(seconds: .max)
        _ = e.takeEvents()
        return e
    }

    /// Applies records appended since the last look (by any process).
    public func catchUp() throws(JournalError) {
        if overlaid, try journal.lastSeq() > lastSeq {
            // What the journal gained: if it is this site's queued records
            // coming back, in the order they were applied, the engine holds
            // them already (no rebuild: that would restore the whole state).
            // Anything else goes before what is still queued: rebuild.
            var gained: [StoredRecord] = []
            try journal.forEachRecord(after: lastSeq, keys: true) { gained.append($0); return gained.count <= overlayKeys.count }
            if gained.count <= overlayKeys.count, zip(gained, overlayKeys).allSatisfy({ $0.key == $1 }) {
                overlayKeys.removeFirst(gained.count)
                lastSeq = gained.last!.seq
                lastReceived = max(lastReceived ?? gained.last!.receivedAt, gained.last!.receivedAt)
                if overlayKeys.isEmpty { overlaid = false }  // still not exact: its receipt times are the made ones
            } else {
                needsReload = true
                try reloadIfNeeded()
            }
        }
        var received = lastReceived
        lastSeq = try journal.replay(into: &engine, after: lastSeq) { engine, r in
            _ = engine.takeEvents()
            received = r.receivedAt
            return true
        }
        lastReceived = received
        if !overlaid { journalIncidents = engine.incidents.count }
    }

    /// Validates one input line received `now` and appends it if accepted.
    /// `number` is its line number in the input, for the rejection.
    public func append(_ line: String, number: Int = 1, source: String, feed: Journal.FeedPosition? = nil,
                       now: () -> Instant) throws(JournalError) -> Outcome {
        try append(number: number, source: source, feed: feed, now: now) { _ in line }
    }

    /// Like `append(_:)`, with the line built from the journal's state inside
    /// the writer lock: what it reads (a free report id) cannot be taken by
    /// another process before the line is stored.
    public func append(number: Int = 1, source: String, feed: Journal.FeedPosition? = nil, now: () -> Instant,
                       build: (Engine) -> String) throws(JournalError) -> Outcome {
        var outcome = Outcome.skipped
        var made: [Journal.NewRecord] = []
        let seqs = try restoringOnFailure { () throws(JournalError) in
            try store.transaction(feed: feed) { () throws(JournalError) -> [Journal.NewRecord] in
                try catchUp()
                let line = build(engine)
                let decoded = RecordDecoder.decode(line)
                if case .skip = decoded { return [] }
                let (judged, row) = judge(decoded, text: line, number: number, key: queueKey(), site: site, source: source, now: now)
                outcome = judged
                made = row.map { [$0] } ?? []
                return made
            }
        }
        if let seq = seqs.first, case .accepted(_, let at) = outcome { outcome = .accepted(seq: seq, at: at) }
        committed(seqs)
        if seqs.isEmpty, !made.isEmpty { queuedElsewhere(made.compactMap(\.key)) }
        return outcome
    }

    /// The record with `"at"` first: `{"at":"…",` + the rest of the object.
    static func insertAt(_ t: Instant, into object: String) -> String {
        guard let brace = object.firstIndex(of: "{") else { return object }
        let rest = object[object.index(after: brace)...]
        let isEmpty = trimmed(String(rest)).hasPrefix("}")
        return "{\"at\":\"\(t)\"" + (isEmpty ? "" : ",") + rest
    }

    /// The inverse of `insertAt`: the record as it was before its receipt time was written in.
    static func removeInsertedAt(_ t: Instant, from line: String) -> String {
        let prefix = "{\"at\":\"\(t)\""
        guard line.hasPrefix(prefix) else { return line }
        let rest = line.dropFirst(prefix.count)
        return "{" + (rest.hasPrefix(",") ? rest.dropFirst() : rest)
    }

    /// The state of the journal at `now`: for reading, not for a timeline
    /// (reminders before `now` are skipped).
    public static func state(_ journal: Journal, policy: Policy, at now: Instant) throws(JournalError) -> Engine {
        var engine = try JournalState.load(journal, policy: policy, quietRemindersBefore: now).engine
        engine.advance(through: now)
        _ = engine.takeEvents()
        return engine
    }

    /// The whole timeline in memory (tests, small journals).
    public static func timeline(_ journal: Journal, policy: Policy, since: Instant? = nil,
                                until: Instant) throws(JournalError) -> (Engine, [Event]) {
        var all: [Event] = []
        let engine = try timeline(journal, policy: policy, since: since, until: until) { _, events in all += events }
        return (engine, all)
    }

    /// The timeline of the journal with timers run up to `until`: every event
    /// at or after `since` (all of them when nil), handed to `sink` as it is
    /// made, so memory stays flat however long the journal or the time it
    /// covers. Returns the engine at the end.
    /// With `origins` (a shared journal's mirror), the events each record
    /// causes carry its site and made time.
    public static func timeline(_ journal: Journal, policy: Policy, since: Instant? = nil, until: Instant, origins: Bool = false,
                                sink: (inout Engine, [Event]) -> Void) throws(JournalError) -> Engine {
        // Start from a snapshot taken before `since` (events before it are not
        // wanted); reminders before it would be dropped anyway: skip them.
        var engine: Engine
        let seq: Int64
        (engine, seq) = since.map { JournalState.restore(journal, policy: policy, clockBefore: $0) }
            ?? (Engine(policy: policy, mode: .live), 0)
        engine.quietRemindersBefore = since
        func pass(_ e: inout Engine) {
            var events = e.takeEvents()
            if let since { events.removeAll { ($0.at ?? Instant(seconds: .min)) < since } }
            if !events.isEmpty { sink(&e, events) }
        }
        _ = try journal.replay(into: &engine, after: seq, origins: origins, each: { e, _ in pass(&e); return true }, drain: pass)
        engine.advance(through: until, drain: pass)
        engine.finish()
        pass(&engine)
        return engine
    }
}
