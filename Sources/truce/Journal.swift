import ArgumentParser
import Synchronization
import TruceEngine
import TruceHeadless
import TruceStore
import TruceTerminal

#if canImport(Glibc)
import Glibc
#endif

/// Where the journal lives, and the policy to judge records by.
struct JournalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Data directory: the local journal, and the mirrors of shared ones (default: $XDG_DATA_HOME/truce or ~/.local/share/truce).",
                               valueName: "dir"), completion: .directory)
    var data: String?

    @Option(name: .customLong("journal"), help: ArgumentHelp(
        "The journal (also TRUCE_JOURNAL): a directory or sqlite:PATH, or a shared one: postgres://user@host:port/db or a libpq string like \"host=/run/postgresql dbname=truce\".",
        valueName: "url"))
    var journalURL: String?

    @Option(help: ArgumentHelp("This site's name, recorded with every record it writes (also TRUCE_SITE; default: the host name).",
                               valueName: "name"))
    var site: String?

    @OptionGroup var policy: PolicyOption

    /// The journal named by --journal / TRUCE_JOURNAL, else --data.
    enum Target {
        case local(directory: String)
        case shared(url: String)
    }

    var dataDirectory: String { data ?? Journal.defaultDirectory(environment: ProcessInfoLite.environment) }

    func target() throws -> Target {
        let env = ProcessInfoLite.environment
        guard let spec = journalURL ?? env["TRUCE_JOURNAL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return .local(directory: dataDirectory)
        }
        return try JournalOptions.resolve(spec)
    }

    /// What a journal argument names: a shared journal's URL, or a local
    /// journal's directory (a directory, `sqlite:PATH`, or its journal.sqlite).
    static func resolve(_ spec: String, naming what: String = "--journal") throws -> Target {
        if SharedJournal.isShared(spec) { return .shared(url: spec) }
        var path = spec.hasPrefix("sqlite:") ? String(spec.dropFirst(7)) : spec
        guard !path.isEmpty else { throw fail("\(what) \(Sanitizer.clean(spec)): no path") }
        // The journal file itself names its directory.
        if path.hasSuffix("/" + Journal.fileName) { path = directory(of: path) } else if path == Journal.fileName { path = "." }
        return .local(directory: path)
    }

    /// The shared journal's URL, or nil when the journal is local.
    func sharedURL() throws -> String? {
        if case .shared(let url) = try target() { return url }
        return nil
    }

    /// The shared journal's URL, for a command that needs one.
    func requireSharedURL(for command: String) throws -> String {
        guard let url = try sharedURL() else {
            throw fail("\(command) needs a shared journal: --journal postgres://… (or TRUCE_JOURNAL)")
        }
        return url
    }

    /// This site's name: --site, TRUCE_SITE, or the host name.
    func siteName() throws -> String {
        let env = ProcessInfoLite.environment
        let name = site ?? env["TRUCE_SITE"].flatMap { $0.isEmpty ? nil : $0 } ?? hostName()
        guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "|" }),
              Sanitizer.clean(name) == name else {
            throw fail("--site \(Sanitizer.clean(name)): a site name is 1–64 printable characters without spaces or |")
        }
        return name
    }

    /// The shared journal: this site's outbox pushed, then its mirror
    /// brought to the head. Records the shared journal rejects on the push are
    /// kept as conflicts and said on standard error.
    func openShared(_ url: String) throws -> SharedJournal {
        do { return try connectShared(url) } catch let e as JournalError { throw fail(e.message) }
    }

    /// The console's shared journal: reached (this site's outbox pushed, its
    /// mirror at the head), or, while its server cannot be reached, this
    /// site's mirror as it is, and why (the console runs on it, OFFLINE).
    func openSharedOrMirror(_ url: String) throws -> (mirror: Journal, site: String, shown: String, unreachable: String?) {
        do {
            switch try reachShared(url, mirrorFor: "to show: reach it once first") {
            case .shared(let shared): return (shared.mirror, shared.site, shared.shown, nil)
            case .mirror(let mirror, let why): return (mirror, try siteName(), SharedJournal.shown(url), why.message)
            }
        } catch let e as JournalError {
            throw fail(e.message)
        }
    }

    /// A shared journal reached, or this site's mirror of it while its server cannot be.
    private enum Reached {
        case shared(SharedJournal)
        case mirror(Journal, unreachable: JournalError)
    }

    /// The shared journal at `url` (outbox pushed, mirror at the head); while
    /// its server cannot be reached, this site's mirror of it; and when the
    /// site has none either, an error saying what it was wanted for.
    private func reachShared(_ url: String, mirrorFor purpose: String) throws -> Reached {
        do {
            return .shared(try connectShared(url))
        } catch let e as JournalError where e.unreachable {
            guard let mirror = try SharedJournal.offlineMirror(url: url, dataDirectory: dataDirectory) else {
                throw JournalError(e.message + " (and this site has no mirror of it \(purpose))")
            }
            return .mirror(mirror, unreachable: e)
        }
    }

    private func connectShared(_ url: String) throws -> SharedJournal {
        let shared = try SharedJournal(url: url, site: try siteName(), dataDirectory: dataDirectory)
        let (stored, conflicts) = try shared.push(policy: try policy.load(), now: wallClock)
        let err = OutputSink.stderr()
        if stored > 0 { err.line("truce: pushed \(stored) queued record\(stored == 1 ? "" : "s") to the shared journal") }
        for c in conflicts {
            err.line("truce: conflict: the shared journal rejected a record queued at \(c.madeAt): \(Sanitizer.clean(c.conflict ?? "")) "
                     + "(kept: truce journal conflicts)")
        }
        err.flush()
        try shared.pull()
        return shared
    }

    /// The log to append through, and whether records go to the outbox
    /// (the shared journal is unreachable: they are pushed later).
    func open() throws -> (log: LiveLog, queued: Bool) {
        do {
            switch try target() {
            case .local(let dir):
                return (try LiveLog(journal: try Journal(directory: dir), policy: try policy.load(), site: try siteName()), false)
            case .shared(let url):
                switch try reachShared(url, mirrorFor: "to queue records in: reach it once first") {
                case .shared(let shared):
                    return (try LiveLog(journal: shared.mirror, policy: try policy.load(), store: shared, site: shared.site), false)
                case .mirror(let mirror, _):
                    let site = try siteName()
                    return (try LiveLog(journal: mirror, policy: try policy.load(), store: Outbox(mirror: mirror, site: site), site: site), true)
                }
            }
        } catch let e as JournalError {
            throw fail(e.message)
        }
    }

    /// The journal for `access`: reading commands never create or change a
    /// local journal; on a shared one they read the mirror, brought to the head first.
    func openJournal(_ access: Journal.Access) throws -> (Journal, Policy) {
        do {
            switch try target() {
            case .local(let dir): return (try Journal(directory: dir, access: access), try policy.load())
            case .shared(let url):
                switch try reachShared(url, mirrorFor: "to read") {
                case .shared(let shared):
                    return (shared.mirror, try policy.load())
                case .mirror(let mirror, _):
                    // Reading goes on from the mirror, and says how old it is.
                    let queued = try mirror.queuedCount()
                    let err = OutputSink.stderr()
                    err.line("truce: shared journal unreachable; read from this site's mirror, as of its record \(try mirror.lastSeq())"
                             + (queued > 0 ? ", with \(queued) record\(queued == 1 ? "" : "s") queued (not in it)" : ""))
                    err.flush()
                    return (mirror, try policy.load())
                }
            }
        } catch let e as JournalError { throw fail(e.message) }
    }
}

/// The host name, or "localhost".
func hostName() -> String {
    var buf = [UInt8](repeating: 0, count: 256)
    guard gethostname(&buf, buf.count - 1) == 0 else { return "localhost" }
    let name = String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self)
    return name.isEmpty ? "localhost" : name
}

/// The wall clock, read only here in the executable (the engine never reads it).
func wallClock() -> Instant { Instant(seconds: Int64(time(nil))) }

/// A record from command-line options: a flat JSON object of the fields given,
/// as typed (the engine, not the option parser, judges the values).
func flatObject(_ fields: KeyValuePairs<StaticString, String?>) -> String {
    var w = JSONWriter()
    w.beginObject()
    for (key, value) in fields {
        guard let value else { continue }
        w.key(key)
        w.string(value)
    }
    w.endObject()
    return String(decoding: w.bytes, as: UTF8.self)
}

/// A record went to the outbox, not (yet) to the shared journal.
func saidQueued() {
    let err = OutputSink.stderr()
    err.line("queued: shared journal unreachable")
    err.flush()
}

/// Appends one record built from options (inside the writer lock, from the
/// journal's state then).
func appendOne(_ log: LiveLog, source: String, build: (Engine) -> String) throws -> Instant {
    let outcome: LiveLog.Outcome
    do { outcome = try log.append(source: source, now: wallClock, build: build) } catch { throw fail(error.message) }
    switch outcome {
    case .accepted(_, let at): return at
    case .rejected(let reason):
        OutputSink.stderr().line("truce: rejected: " + Sanitizer.clean(reason))
        throw ExitCode(Runner.rejected)
    case .skipped, .duplicate: throw fail("nothing to append")
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append a violation report (or an update of one) to the journal.",
        discussion: "Prints the report id (generated when --id is absent). A rejected report writes nothing and exits 1.")

    @Option(help: "Sector of the contact line.") var sector: String
    @Option(help: "reported, confirmed, disputed or retracted.", completion: .list(ReportStatus.allCases.map(\.rawValue)))
    var status: String
    @Option(help: "Report id; generated when absent.") var id: String?
    @Option(help: "artillery, drone, small-arms, armor, missile, …") var kind: String?
    @Option(help: "minor, major or offensive.", completion: .list(Scale.allCases.map(\.rawValue))) var scale: String?
    @Option(help: ArgumentHelp("When the violation happened (RFC 3339; default: now).", valueName: "time")) var observed: String?
    @Option(help: "Who reported it.") var source: String?
    @Option(help: "Free text.") var note: String?
    @OptionGroup var journal: JournalOptions

    func validate() throws {
        if let note, trimmed(note).isEmpty { throw ValidationError("--note must not be empty") }
    }

    func run() throws {
        let (log, queued) = try journal.open()
        defer { keepUntilExit(log.engine) }  // at the end, after the append: no copy; the journal still closes
        var reportID = id ?? ""
        let waiting = queued ? ((try? log.journal.outbox().map(\.line)) ?? []) : []
        _ = try appendOne(log, source: "report") { engine in
            // Queued while unreachable, a generated id names the site: another site may take the next R-n meanwhile.
            if id == nil { reportID = queued ? Report.nextFreeID(engine, site: log.site ?? "", queued: waiting) : Report.nextFreeID(engine) }
            return flatObject(["type": "report", "id": reportID, "sector": sector, "status": status, "kind": kind,
                               "scale": scale, "observed": observed, "source": source, "note": note])
        }
        OutputSink.stdout().line(Sanitizer.clean(reportID))
        if queued { saidQueued() }
    }

    /// `R-ops-3`: a free id of this site's, for a report queued offline.
    static func nextFreeID(_ engine: Engine, site: String, queued: [String]) -> String {
        var n = 1
        while engine.report(id: "R-\(site)-\(n)") != nil || queued.contains(where: { $0.contains("\"id\":\"R-\(site)-\(n)\"") }) { n += 1 }
        return "R-\(site)-\(n)"
    }

    /// `R-42`: the first `R-n` not taken, counting from the number of reports.
    /// Short enough to read out on a call and to fit the pending pane; chosen
    /// inside the writer lock, so two shells never get the same one (which would
    /// turn the second report into an update of the first).
    static func nextFreeID(_ engine: Engine) -> String {
        var n = engine.reports.count + 1
        while engine.report(id: "R-\(n)") != nil { n += 1 }
        return "R-\(n)"
    }
}

struct Act: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append an operator action: ack, warning, response, resolve, escalate, commit, decline, note.",
        discussion: "A rejected action writes nothing and exits 1 with the reason.")

    @Argument(help: "ack, warning, response, resolve, escalate, commit, decline or note.",
              completion: .list(ActionKind.allCases.map(\.rawValue))) var action: String
    @Argument(help: "Incident id, like INC-0001.") var incident: String
    @Option(help: "Roster code, for commit and decline.", completion: .list(Policy.builtInRoster.map(\.code)))
    var member: String?
    @Option(help: "Who acts (default: $USER).") var by: String?
    @Option(help: "Free text (required for note).") var note: String?
    @OptionGroup var journal: JournalOptions

    func validate() throws {
        if let note, trimmed(note).isEmpty { throw ValidationError("--note must not be empty") }
        if action == "note" && note == nil { throw ValidationError("a note needs its text: --note TEXT") }
    }

    func run() throws {
        let (log, queued) = try journal.open()
        defer { keepUntilExit(log.engine) }  // at the end, after the append: no copy; the journal still closes
        let who = by ?? ProcessInfoLite.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"
        let line = flatObject(["type": "action", "action": action, "incident": incident, "by": who,
                               "member": member, "note": note])
        _ = try appendOne(log, source: "act") { _ in line }
        if queued { saidQueued() }
    }
}

/// Set by SIGINT, SIGTERM or SIGHUP during `truce ingest`: commit what was
/// read, say so, and stop.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append JSON Lines records (spec §3) to the journal; - reads standard input.",
        discussion: """
            Rejected lines are reported as FILE:LINE: reason and the valid ones are kept; exits 1 if any \
            was rejected. Records are committed in batches (at most \(Ingest.batchLimit) lines, and \
            whenever the input pauses); every record carries a key made from the file and its line, so \
            ingesting the same file again, or the rest of it after an interruption, stores nothing twice. \
            On any stop it says which lines are committed.
            """)

    @Argument(help: ArgumentHelp("Records file, or - for standard input.", valueName: "file"), completion: .file())
    var file: String
    @OptionGroup var journal: JournalOptions

    static let batchLimit = 4096

    func run() throws {
        let (log, queued) = try journal.open()
        defer { keepUntilExit(log.engine) }  // at the end, after the append: no copy; the journal still closes
        if queued { throw fail("the shared journal is unreachable; ingest it when it is back (nothing was read)") }
        let name = Sanitizer.clean(file == "-" ? "<stdin>" : file)
        let source = "ingest:" + (file == "-" ? "stdin" : file)
        // The key names the file by its absolute path, so the same file is the
        // same file from any working directory.
        let keySource: String = file == "-" ? "stdin" : {
            guard let p = realpath(file, nil) else { return file }
            defer { free(p) }
            return String(cString: p)
        }()
        let run = BatchAppender(log: log, name: name)
        let keyName = Ingest.keyName(source: keySource)
        // A file never ingested here: its lines' keys need no lookup one by one.
        do { try log.beginRun(keyPrefix: keyName + "|") } catch { throw fail(error.message) }
        do {
            let reader = try LineReader(path: file)
            reader.beforeRead = { run.commit(source: source) }
            reader.interrupted = { ingestStop.load(ordering: .relaxed) != 0 }
            try reader.forEachLine { line, number in
                if run.stopping { return false }
                switch line {
                case .bytes(let b):
                    // Refused as replay refuses it: held as a String, a bad byte would be replaced unseen.
                    if let reason = RecordDecoder.utf8Rejection(b) {
                        run.reject(number, reason)
                        return run.failure == nil
                    }
                    run.batch.append(LiveLog.BatchLine(text: String(decoding: b, as: UTF8.self), number: number,
                                                       key: Ingest.contentKey(prefix: keyName, line: number, bytes: b)))
                case .tooLong(let n):
                    run.reject(number, "line is too long (\(n) bytes)")
                }
                if run.batch.count >= Ingest.batchLimit { run.commit(source: source) }
                return run.failure == nil
            }
        } catch {
            throw fail(error.message)
        }
        run.commit(source: source)
        log.saveSnapshotIfDue()
        try run.finish(.init(units: "lines", done: "ingested", partial: "committed", into: "", already: "in the journal",
                             rest: "ingest the rest"))
    }

    /// `ingest|/abs/file`: with the line and a 128-bit hash of it after it
    /// (`contentKey`), the key that makes the same line of the same file the
    /// same record, however often it is ingested.
    static func keyName(source: String) -> String { "ingest|" + source }

    /// `PREFIX|LINE|<128-bit hash of bytes>`: a key made from where a record
    /// was and what it says, the same however often it is made.
    static func contentKey(prefix: String, line: Int, bytes: UnsafeBufferPointer<UInt8>) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b &+ UInt64(byte)) &* 0x9E37_79B9_7F4A_7C15
            b ^= b >> 29
        }
        // Written straight into the string's storage: interpolation, String(radix:)
        // and an intermediate array cost more than the hashing.
        var prefix = prefix
        return prefix.withUTF8 { p in
            String(unsafeUninitializedCapacity: p.count + 1 + 20 + 1 + 32) { out in
                var n = 0
                for c in p { out[n] = c; n += 1 }
                out[n] = UInt8(ascii: "|"); n += 1
                if line < 0 { out[n] = UInt8(ascii: "-"); n += 1 }
                var digits = 1, t = line.magnitude
                while t >= 10 { t /= 10; digits += 1 }
                var v = line.magnitude
                for k in stride(from: n + digits - 1, through: n, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
                n += digits
                out[n] = UInt8(ascii: "|"); n += 1
                func hex(_ w: UInt64) {
                    for shift in stride(from: 60, through: 0, by: -4) {
                        let d = UInt8((w >> UInt64(shift)) & 0xF)
                        out[n] = d < 10 ? 48 + d : 87 + d  // 0-9, a-f
                        n += 1
                    }
                }
                hex(a)
                hex(b)
                return n
            }
        }
    }


    /// `184,302`.
    static func grouped(_ n: Int) -> String { ReminderFolder.grouped(n) }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The state of the journal now (the state document).")
    @Flag(help: "One JSON object, as `truce state --json`.") var json = false
    @OptionGroup var journal: JournalOptions

    func run() throws {
        let (j, policy) = try journal.openJournal(.read)
        let now = wallClock()
        let engine: Engine
        do {
            engine = try LiveLog.state(j, policy: policy, at: now)
        } catch { throw fail(error.message) }
        keepUntilExit(engine)
        OutputSink.stdout().line(json ? StateOutput.json(engine, at: now) : StateOutput.text(engine, at: now))
        try refuseQuietDrops(engine)
    }
}

/// A journal's records were all accepted when they were appended; if some are
/// rejected now, the state was read under another policy or roster than the
/// one they were written under, and what was printed leaves them out. Say so,
/// and exit 1 like any command that rejected a record.
func refuseQuietDrops(_ engine: Engine) throws {
    guard engine.rejectedCount > 0 else { return }
    let err = OutputSink.stderr()
    err.line("truce: \(engine.rejectedCount) journal record\(engine.rejectedCount == 1 ? " was" : "s were") rejected under this "
             + "policy (written under another --policy or roster?); the output leaves \(engine.rejectedCount == 1 ? "it" : "them") out")
    err.flush()
    throw ExitCode(Runner.rejected)
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The engine timeline of the journal, up to now.",
        discussion: """
            Each incident's run of 15-minute reminders is one line (reminder ×N from …), written where \
            the run ends; --all prints every reminder. --json always prints every event.
            """)
    @Flag(help: "One JSON object per event.") var json = false
    @Flag(help: "Every reminder on its own line.") var all = false
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Only events at or after this time: RFC 3339, +DURATION after the journal's first record, or -DURATION before now.",
        valueName: "time")) var since: String?
    @OptionGroup var journal: JournalOptions

    func run() throws {
        let (j, policy) = try journal.openJournal(.read)
        var from: Instant?
        if let since {
            if since.hasPrefix("-") {
                switch DurationText.parse(String(since.dropFirst())) {
                case .success(let d): from = wallClock() - d
                case .failure(let e): throw fail("--since \(Sanitizer.clean(since)): \(e.message)")
                }
            } else {
                switch try parseTime(since, option: "--since") {
                case .absolute(let t): from = t
                case .relative(let d):
                    let first: Instant?
                    do { first = try journalOrigin(j) } catch { throw fail(error.message) }
                    guard let origin = first else {
                        throw fail("--since \(Sanitizer.clean(since)) counts from the journal's first record, and it has none")
                    }
                    from = origin + d
                }
            }
        }
        let out = OutputSink.stdout()
        var writer = JSONWriter(capacity: 1 << 17)
        var folder: ReminderFolder?
        let engine: Engine
        let shared = try journal.sharedURL() != nil  // events name the site of the record behind them
        do {
            engine = try LiveLog.timeline(j, policy: policy, since: from, until: wallClock(), origins: shared) { engine, events in
                if json {
                    EventJSON.write(events, to: &writer)
                    if writer.count > 1 << 16 {
                        writer.withBytes { out.write($0) }
                        writer.reset()
                    }
                } else if all {
                    for l in TimelineText.lines(events, origin: engine.origin) { out.line(l) }
                } else {
                    if folder == nil { folder = ReminderFolder(origin: engine.origin) }
                    for l in folder!.lines(events) { out.line(l) }
                }
            }
        } catch { throw fail(error.message) }
        if var f = folder { for l in f.finish() { out.line(l) } }
        writer.withBytes { out.write($0) }
        out.flush()
        try refuseQuietDrops(engine)
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the journal as spec §3 records; `truce replay` of it reproduces the journal's timeline.")
    @OptionGroup var journal: JournalOptions

    func run() throws {
        let (j, _) = try journal.openJournal(.read)
        let shared = try journal.sharedURL() != nil
        let out = OutputSink.stdout()
        do {
            try j.forEachRecord { r in
                out.line(shared ? Export.withOrigin(r.line, r.origin) : r.line)
                return true
            }
        } catch { throw fail(error.message) }
        out.flush()
    }

    /// A shared journal's record with the site that wrote it and, if it was
    /// made before it was received (queued offline), when: `"site"` and
    /// `"made_at"` added at the end (fields spec §3 lets a reader ignore),
    /// unless the record already has a field of that name.
    static func withOrigin(_ line: String, _ origin: RecordOrigin?) -> String {
        guard let o = origin, line.hasSuffix("}") else { return line }
        var w = JSONWriter()
        w.beginObject()
        if !line.contains("\"site\"") { w.key("site"); w.string(o.site) }
        if let m = o.madeAt, !line.contains("\"made_at\"") { w.key("made_at"); w.instant(m) }
        w.endObject()
        guard w.count > 2 else { return line }
        return String(line.dropLast()) + "," + String(decoding: w.bytes.dropFirst(), as: UTF8.self)
    }
}

/// When the journal's first record happened (its `at`; every stored record has one).
func journalOrigin(_ j: Journal) throws(JournalError) -> Instant? {
    var first: StoredRecord?
    try j.forEachRecord { first = $0; return false }
    guard let first else { return nil }
    if case .record(.spec(let spec), _) = RecordDecoder.decode(first.line), let t = spec.resolve(start: nil) { return t }
    return first.receivedAt
}
