import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

/// Where appends are stored: the local journal itself, or a shared journal
/// (with the local journal as its mirror). Reading is always from the local
/// journal, so the engine, the console and the reading commands never know
/// which one they run on.
public protocol RecordStore: AnyObject {
    /// Runs `body` at the head of the journal, with other writers held off,
    /// and stores the records it returns; returns their seqs.
    func transaction(feed: Journal.FeedPosition?, _ body: () throws(JournalError) -> [Journal.NewRecord]) throws(JournalError) -> [Int64]
}

extension Journal: RecordStore {}

/// A journal in PostgreSQL that several sites append to and follow, with a
/// local SQLite mirror under the site's data directory.
///
/// One total order: every append runs in one PostgreSQL transaction that
/// first takes the journal's advisory lock, then brings the mirror to the
/// shared head, judges the records there, and stores them with the next
/// seqs through `truce_append` (which checks that the head it was judged at
/// is still the head). Writers are serialised, so seq order is commit order
/// and a reader that has seen seq n has seen every seq below it. Every record
/// carries an idempotency key (site + a random id, made once per record), so
/// a retry after a lost reply is stored once.
public final class SharedJournal: RecordStore {
    /// The schema this truce writes; `journal init` migrates older ones.
    public static let schemaVersion = 1
    /// The advisory lock key of appends: "TRCE".
    static let appendLock: Int64 = 0x5452_4345
    /// The advisory lock key of migrations.
    static let migrateLock: Int64 = 0x5452_4346

    public let site: String
    /// The local mirror: every record of the shared journal up to the last pull.
    public let mirror: Journal
    /// The shared journal's id (made by `journal init`): names the mirror.
    public let journalID: String
    /// The connection string with any password hidden.
    public let shown: String
    private let conninfo: String
    private var conn: PGConnection
    var connection: PGConnection { conn }

    /// Connects, checks the schema and opens (or creates) this journal's
    /// mirror under `dataDirectory`/shared/ID.
    public init(url: String, site: String, dataDirectory: String) throws(JournalError) {
        conninfo = url
        self.site = site
        conn = try PGConnection(url)
        shown = conn.shown
        journalID = try SharedJournal.check(conn)
        try Journal.makeDirectory(dataDirectory + "/shared")
        mirror = try Journal(directory: dataDirectory + "/shared/" + journalID)
        try SharedJournal.remember(url: url, id: journalID, dataDirectory: dataDirectory)
    }

    /// The file that names the journal a URL reached last, so the site finds
    /// its mirror while the server is unreachable: `shared/URLHASH.id`.
    static func idFile(url: String, dataDirectory: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in PGConnection.redacted(url).utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let hex = String(h, radix: 16)
        return dataDirectory + "/shared/" + String(repeating: "0", count: 16 - hex.count) + hex + ".id"
    }

    static func remember(url: String, id: String, dataDirectory: String) throws(JournalError) {
        let path = idFile(url: url, dataDirectory: dataDirectory)
        if SharedJournal.smallFile(path) == id { return }
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { throw JournalError("\(tmp): \(String(cString: strerror(errno)))") }
        fputs(id, f)
        fflush(f)
        fsync(fileno(f))
        fclose(f)
        guard rename(tmp, path) == 0 else { throw JournalError("\(path): \(String(cString: strerror(errno)))") }
    }

    /// This site's mirror of the shared journal at `url`, for working on while
    /// its server is unreachable; nil if the site has never reached it.
    public static func offlineMirror(url: String, dataDirectory: String) throws(JournalError) -> Journal? {
        guard let id = SharedJournal.smallFile(idFile(url: url, dataDirectory: dataDirectory)),
              !id.isEmpty, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        return try Journal(directory: dataDirectory + "/shared/" + id)
    }

    /// The text of a small file (at most 4 KiB), or nil if it cannot be read.
    static func smallFile(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = fread(&buf, 1, buf.count, f)
        guard ferror(f) == 0 else { return nil }
        return String(decoding: buf[..<n], as: UTF8.self)
    }

    /// A connection string as it may be shown: any password hidden.
    public static func shown(_ conninfo: String) -> String { PGConnection.redacted(conninfo) }

    /// Where a shared journal is, short, for the header: `db.example/truce`
    /// from a URL (no user, no password), or the `host=` and `dbname=` of a
    /// connection string.
    public static func place(_ conninfo: String) -> String {
        if let scheme = conninfo.firstRange(of: "://") {
            var rest = Substring(conninfo[scheme.upperBound...])
            if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            return String(rest)
        }
        var host = "", db = ""
        for w in conninfo.split(separator: " ") {
            if w.hasPrefix("host=") { host = String(w.dropFirst(5)) }
            if w.hasPrefix("dbname=") { db = String(w.dropFirst(7)) }
        }
        return host.isEmpty ? db : db.isEmpty ? host : host + "/" + db
    }

    /// Whether a journal argument names a shared journal (a PostgreSQL URL or
    /// a libpq `key=value` string) rather than a local path.
    public static func isShared(_ spec: String) -> Bool {
        spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") || spec.contains("=")
    }

    /// The schema version and journal id, or a clear error.
    static func check(_ conn: PGConnection) throws(JournalError) -> String {
        let meta: PGConnection.Rows
        switch conn.run("SELECT name, value FROM truce_meta") {
        case .success(let r): meta = r
        case .failure(let e) where e.state == "42P01":
            throw JournalError("shared journal \(conn.shown): no truce journal there; create it with `truce journal init`")
        case .failure(let e): throw JournalError("shared journal \(conn.shown): \(e.message)")
        }
        var values: [String: String] = [:]
        for row in meta.values { if let k = row[0], let v = row[1] { values[k] = v } }
        let version = Int(values["schema_version"] ?? "") ?? 0
        if version > schemaVersion {
            throw newerSchema(conn, version)
        }
        if version < schemaVersion {
            throw JournalError("shared journal \(conn.shown) has schema \(version), older than this truce's (\(schemaVersion)); upgrade it with `truce journal init`")
        }
        guard let id = values["journal_id"], !id.isEmpty, id.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw JournalError("shared journal \(conn.shown): its truce_meta has no usable journal_id; nothing was changed")
        }
        return id
    }

    // MARK: - Schema

    static func newerSchema(_ conn: PGConnection, _ version: Int) -> JournalError {
        JournalError("shared journal \(conn.shown) has schema \(version), newer than this truce understands (\(schemaVersion)); nothing was changed")
    }

    /// Migrations by the version they produce.
    static let migrations: [Int: String] = [
        1: """
            CREATE TABLE truce_records (
                seq         bigint PRIMARY KEY,         -- 1, 2, 3, … with no gaps: commit order
                key         text   NOT NULL UNIQUE,     -- idempotency key: site + a per-record id
                site        text   NOT NULL,            -- the site that wrote it
                made_at     bigint NOT NULL,            -- when it was made at the site (Unix seconds)
                received_at bigint NOT NULL,            -- when the shared journal accepted it (never decreasing)
                source      text   NOT NULL,            -- report, act, ingest:FILE, console
                line        text   NOT NULL,            -- the record (spec §3), with its "at"
                stored_at   timestamptz NOT NULL DEFAULT now()
            );
            CREATE FUNCTION truce_lock() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT
                AS $$ SELECT pg_advisory_xact_lock(\(appendLock)) $$;
            CREATE FUNCTION truce_append(p_head bigint, p_key text, p_site text, p_made_at bigint, p_received_at bigint,
                                         p_source text, p_line text)
                RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
            DECLARE
                head_seq bigint;
                head_at  bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(\(appendLock));
                IF coalesce(p_key, '') = '' OR coalesce(p_site, '') = '' OR p_line IS NULL THEN
                    RAISE EXCEPTION 'truce_append: a record needs its key, site and line';
                END IF;
                SELECT seq, received_at INTO head_seq, head_at FROM truce_records ORDER BY seq DESC LIMIT 1;
                IF coalesce(head_seq, 0) <> p_head THEN
                    RAISE EXCEPTION 'truce_append: judged at seq % but the head is %', p_head, coalesce(head_seq, 0)
                        USING ERRCODE = 'TR001';
                END IF;
                IF p_received_at < coalesce(head_at, p_received_at) THEN
                    RAISE EXCEPTION 'truce_append: receipt time % is before the head''s (%)', p_received_at, head_at
                        USING ERRCODE = 'TR002';
                END IF;
                INSERT INTO truce_records (seq, key, site, made_at, received_at, source, line)
                    VALUES (p_head + 1, p_key, p_site, p_made_at, p_received_at, p_source, p_line);
                PERFORM pg_notify('truce_records', (p_head + 1)::text);
                RETURN p_head + 1;
            END $$;
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'truce_console') THEN
                    CREATE ROLE truce_console NOLOGIN;
                END IF;
            END $$;
            REVOKE ALL ON truce_records, truce_meta FROM PUBLIC;
            GRANT SELECT ON truce_records, truce_meta TO truce_console;
            REVOKE ALL ON FUNCTION truce_lock(), truce_append(bigint, text, text, bigint, bigint, text, text) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION truce_lock(), truce_append(bigint, text, text, bigint, bigint, text, text) TO truce_console;
            """,
    ]

    /// Creates or upgrades the schema (idempotent). Returns the version it
    /// was at before (0: none) and the journal's id.
    @discardableResult
    public static func initialize(url: String) throws(JournalError) -> (from: Int, id: String) {
        let conn = try PGConnection(url)
        try conn.exec("BEGIN")
        do throws(JournalError) {
            try conn.exec("SELECT pg_advisory_xact_lock($1)", [String(migrateLock)])
            try conn.exec("CREATE TABLE IF NOT EXISTS truce_meta (name text PRIMARY KEY, value text NOT NULL)")
            let rows = try conn.exec("SELECT value FROM truce_meta WHERE name = 'schema_version'")
            let from = Int(rows.values.first?[0] ?? "0") ?? 0
            if from > schemaVersion {
                throw newerSchema(conn, from)
            }
            if from < schemaVersion {
                for v in (from + 1)...schemaVersion { try conn.exec(migrations[v]!) }
            }
            try conn.exec("INSERT INTO truce_meta VALUES ('schema_version', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                          [String(schemaVersion)])
            try conn.exec("INSERT INTO truce_meta VALUES ('journal_id', gen_random_uuid()::text) ON CONFLICT (name) DO NOTHING")
            let id = try conn.exec("SELECT value FROM truce_meta WHERE name = 'journal_id'").values.first?[0] ?? ""
            try conn.exec("COMMIT")
            return (from, id)
        } catch {
            _ = conn.run("ROLLBACK")
            throw error
        }
    }

    // MARK: - Pulling

    /// Brings the mirror to the shared head. Returns how many records came.
    @discardableResult
    public func pull() throws(JournalError) -> Int {
        var total = 0
        try forEachPage(after: try mirror.lastSeq()) { (rows) throws(JournalError) in
            try mirror.mirror(rows)
            total += rows.count
        }
        return total
    }

    /// The shared records after `seq`, in order, a bounded page at a time.
    private func forEachPage(after seq: Int64, _ body: ([Journal.NewRecord]) throws(JournalError) -> Void) throws(JournalError) {
        var after = seq
        while true {
            let page = try fetch(after: after, limit: 10_000)
            guard let last = page.last?.seq else { return }
            try body(page)
            after = last
        }
    }

    /// Shared records after `seq`, in order.
    func fetch(after seq: Int64, limit: Int) throws(JournalError) -> [Journal.NewRecord] {
        let rows = try reconnectingExec(
            "SELECT seq, key, site, received_at, source, line, made_at FROM truce_records WHERE seq > $1 ORDER BY seq LIMIT \(limit)",
            [String(seq)])
        var out: [Journal.NewRecord] = []
        out.reserveCapacity(rows.values.count)
        for r in rows.values {
            guard let s = r[0].flatMap({ Int64($0) }), let at = r[3].flatMap({ Int64($0) }), let source = r[4], let line = r[5] else {
                throw JournalError("shared journal \(shown): a record after seq \(seq) is malformed; the mirror was left as it was")
            }
            out.append(Journal.NewRecord(receivedAt: Instant(seconds: at), source: source, line: line, key: r[1], site: r[2], seq: s,
                                         madeAt: r[6].flatMap { Int64($0) }.map { Instant(seconds: $0) }))
        }
        return out
    }

    /// A query outside a transaction, on a fresh connection if the old one broke.
    private func reconnectingExec(_ sql: String, _ params: [String?]) throws(JournalError) -> PGConnection.Rows {
        if !conn.isOK { conn = try PGConnection(conninfo) }
        return try conn.exec(sql, params)
    }

    // MARK: - Appending

    /// A new idempotency key: this site and 128 random bits.
    public func newKey() -> String { Outbox.newKey(site: site) }

    public func transaction(feed: Journal.FeedPosition?,
                            _ body: () throws(JournalError) -> [Journal.NewRecord]) throws(JournalError) -> [Int64] {
        guard feed == nil else { throw JournalError("shared journal \(shown): feeds are followed only into a local journal") }
        if !conn.isOK { conn = try PGConnection(conninfo) }
        try conn.exec("BEGIN")
        var keys: [String] = []
        var committing = false
        do throws(JournalError) {
            try conn.exec("SELECT truce_lock()")
            return try mirror.transaction(
                pulled: { () throws(JournalError) -> [Journal.NewRecord] in
                    var all: [Journal.NewRecord] = []
                    try forEachPage(after: try mirror.lastSeq()) { all += $0 }
                    return all
                },
                body,
                upstream: { (rows) throws(JournalError) -> [Journal.NewRecord] in
                    guard !rows.isEmpty else {
                        try conn.exec("COMMIT")
                        return []
                    }
                    var head = try mirror.lastSeq()
                    var stored: [Journal.NewRecord] = []
                    for var r in rows {
                        if r.key == nil { r.key = newKey() }
                        r.site = r.site ?? site
                        keys.append(r.key!)
                        let made = madeAt[r.key!] ?? r.receivedAt
                        let seq = try conn.exec("SELECT truce_append($1, $2, $3, $4, $5, $6, $7)",
                                                [String(head), r.key, r.site, String(made.seconds), String(r.receivedAt.seconds), r.source, r.line])
                        guard let s = seq.values.first?[0].flatMap({ Int64($0) }), s == head + 1 else {
                            throw JournalError("shared journal \(shown): truce_append gave no seq")
                        }
                        head = s
                        r.seq = s
                        r.madeAt = made
                        stored.append(r)
                    }
                    committing = true
                    try conn.exec("COMMIT")
                    return stored
                })
        } catch {
            if committing {
                // The commit's answer was lost: it may have been stored. The
                // keys tell: ask on a new connection.
                if let found = try? storedSeqs(keys), found.count == keys.count {
                    _ = try? pull()
                    return found
                }
            }
            _ = conn.run("ROLLBACK")
            throw error
        }
    }

    /// When queued records were made, by key, while they are pushed.
    private var madeAt: [String: Instant] = [:]

    /// Pushes the outbox in order, each record judged at the shared head:
    /// stored (or found stored already: a push whose answer was lost) leaves
    /// the outbox; rejected stays there as a conflict, with the reason.
    /// Returns how many were stored and how many conflicted.
    @discardableResult
    public func push(policy: Policy, now: () -> Instant) throws(JournalError) -> (stored: Int, conflicts: [Journal.Queued]) {
        let queued = try mirror.outbox()
        guard !queued.isEmpty else { return (0, []) }
        let log = try LiveLog(journal: mirror, policy: policy, store: self, site: site)
        var stored = 0
        var conflicts: [Journal.Queued] = []
        for q in queued {
            madeAt[q.key] = q.madeAt
            defer { madeAt[q.key] = nil }
            let outcome = try log.append(batch: [LiveLog.BatchLine(text: q.line, number: 1, key: q.key)], source: q.source, now: now).first
            switch outcome {
            case .accepted?: stored += 1; try mirror.settle(key: q.key, conflict: nil)
            case .duplicate?: try mirror.settle(key: q.key, conflict: nil)
            case .rejected(let why)?:
                try mirror.settle(key: q.key, conflict: why)
                var c = q
                c.conflict = why
                conflicts.append(c)
            case .skipped?, nil: try mirror.settle(key: q.key, conflict: "not a record")
            }
        }
        return (stored, conflicts)
    }

    /// The seqs of the records with these keys that the shared journal holds.
    func storedSeqs(_ keys: [String]) throws(JournalError) -> [Int64] {
        conn = try PGConnection(conninfo)
        // A text[] literal: each key quoted, with \ and " escaped.
        func element(_ key: String) -> String {
            var out = "\""
            for ch in key {
                if ch == "\\" || ch == "\"" { out.append("\\") }
                out.append(ch)
            }
            return out + "\""
        }
        let rows = try conn.exec("SELECT seq FROM truce_records WHERE key = ANY($1::text[]) ORDER BY seq",
                                 ["{" + keys.map(element).joined(separator: ",") + "}"])
        return rows.values.compactMap { $0[0].flatMap { Int64($0) } }
    }
}

/// Where a site's appends go while its shared journal is unreachable: the
/// mirror's outbox, judged against the mirror as it is, pushed in order later.
public final class Outbox: RecordStore {
    public let mirror: Journal
    public let site: String
    public init(mirror: Journal, site: String) { self.mirror = mirror; self.site = site }

    /// Queues what `body` accepts; returns no seqs (none is given until the push).
    /// A record queued without its own `at` is queued without one: its time
    /// is the time the shared journal accepts it (a record cannot be older
    /// than what the journal already holds); when it was made is kept beside
    /// it and stored with it (`made_at`).
    /// A feed's records are queued with how far it is read, in one
    /// transaction of the mirror: each line is queued once.
    public func transaction(feed: Journal.FeedPosition?,
                            _ body: () throws(JournalError) -> [Journal.NewRecord]) throws(JournalError) -> [Int64] {
        let queued = try body().map { r in
            Journal.Queued(key: r.key ?? Outbox.newKey(site: site), madeAt: r.receivedAt, source: r.source,
                           line: LiveLog.removeInsertedAt(r.receivedAt, from: r.line))
        }
        try mirror.enqueue(queued, feed: feed)
        return []
    }

    static func newKey(site: String) -> String {
        var g = SystemRandomNumberGenerator()
        let a = g.next() as UInt64, b = g.next() as UInt64
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return "\(site)|\(hex(a))\(hex(b))"
    }
}
