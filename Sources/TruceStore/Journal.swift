import CSQLite
import TruceEngine

#if canImport(Glibc)
import Glibc
#endif

/// A journal problem: a file that is not a truce journal, a schema from a
/// newer truce, an I/O failure. The message names the file.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// A shared journal's server could not be reached (refused, timed out,
    /// no route): the site may work on from its mirror and outbox.
    public var unreachable = false
    public init(_ message: String, unreachable: Bool = false) { self.message = message; self.unreachable = unreachable }
    public var description: String { message }
}

/// One stored input record.
public struct StoredRecord: Sendable, Equatable {
    public var seq: Int64
    public var receivedAt: Instant
    public var source: String
    /// The record as a spec §3 JSON object, always with its `at`.
    public var line: String
    /// The site that wrote it (`--site`); nil in journals from before sites.
    public var site: String? = nil
    /// When it was made at its site, if that is not its receipt time (a
    /// record queued while the shared journal was unreachable); nil otherwise.
    public var madeAt: Instant? = nil

    /// Its idempotency key; nil for records stored without one (before
    /// schema 4, or appended by hand to a local journal).
    public var key: String? = nil

    /// Where it came from, for the events it causes (on a shared journal).
    public var origin: RecordOrigin? { site.map { RecordOrigin(site: $0, madeAt: madeAt) } }
}

/// The durable journal: every accepted input record (reports, report updates,
/// operator actions, narration) with its receipt time, in SQLite (WAL mode).
/// Engine state is the replay of the journal, so it is the single source of
/// truth and the audit trail. Several processes may append at once: each
/// append is one IMMEDIATE transaction that validates against the state it
/// locked.
public final class Journal {
    public static let fileName = "journal.sqlite"
    /// `PRAGMA application_id`: "TRCE".
    public static let applicationID: Int32 = 0x5452_4345
    public static let schemaVersion: Int32 = 7
    /// Reading commands read journals back to this schema without upgrading them.
    static let oldestReadable: Int32 = 3
    /// Schema migrations by the version they produce; version 1 creates the schema.
    static let migrations: [Int32: String] = [
        1: """
            CREATE TABLE records (
                seq         INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at INTEGER NOT NULL,  -- Unix seconds, UTC
                source      TEXT    NOT NULL,  -- report, act, ingest:FILE, console
                line        TEXT    NOT NULL   -- the record (spec §3), with its "at"
            );
            """,
        2: """
            CREATE TABLE feeds (
                path   TEXT PRIMARY KEY,      -- as given to --feed
                device INTEGER NOT NULL,      -- the file followed: device and inode
                inode  INTEGER NOT NULL,
                offset INTEGER NOT NULL,      -- bytes consumed: the next line starts here
                line   INTEGER NOT NULL       -- lines consumed
            );
            """,
        3: """
            CREATE TABLE snapshots (
                seq    INTEGER NOT NULL,      -- engine state after the records up to this seq
                header BLOB    NOT NULL,      -- how the state begins: its format and policy
                clock  INTEGER,               -- the engine's clock then (Unix seconds), NULL if none
                state  BLOB    NOT NULL,      -- Engine.snapshot(): a cache of the replay, safe to delete
                PRIMARY KEY (header, seq)
            );
            """,
        4: """
            ALTER TABLE records ADD COLUMN key TEXT;  -- idempotency key: a retried or re-read record is stored once
            CREATE UNIQUE INDEX records_key ON records(key) WHERE key IS NOT NULL;
            """,
        5: """
            ALTER TABLE records ADD COLUMN site TEXT;  -- the site that wrote it (--site); NULL before sites
            """,
        6: """
            CREATE TABLE outbox (              -- a shared journal's mirror: records made while its server was unreachable
                id      INTEGER PRIMARY KEY AUTOINCREMENT,  -- push order
                key     TEXT    NOT NULL UNIQUE,            -- the record's idempotency key, kept across retries
                made_at INTEGER NOT NULL,                   -- when it was made here (Unix seconds)
                source  TEXT    NOT NULL,
                line    TEXT    NOT NULL,                   -- the record, with its "at" (when it was made)
                state   TEXT    NOT NULL DEFAULT 'queued',  -- queued, or conflict (the shared journal rejected it)
                reason  TEXT                                -- why, for a conflict
            );
            """,
        7: """
            ALTER TABLE records ADD COLUMN made_at INTEGER;  -- when it was made at its site, if not its receipt time (a queued record)
            """,
    ]

    public let path: String
    private var db: OpaquePointer?
    /// Statements kept prepared for the append path.
    private var insert: OpaquePointer?
    private var keyLookup: OpaquePointer?
    /// Whether the records carry their site (schema 5 on) and made time (7 on).
    private var hasSite = true
    private var hasMadeAt = true
    private var hasKey = true

    /// `$XDG_DATA_HOME/truce`, else `~/.local/share/truce`.
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let x = environment["XDG_DATA_HOME"], !x.isEmpty { return x + "/truce" }
        return (environment["HOME"] ?? ".") + "/.local/share/truce"
    }

    /// How a command uses the journal.
    public enum Access: Sendable {
        /// Appends (report, act, ingest, the console): creates the directory
        /// (0700) and the file (0600) when missing, and migrates the schema.
        case write
        /// Reads only (status, log, export): never creates, migrates or
        /// changes modes; a missing journal is an error.
        case read
    }

    /// Opens the journal in `directory`. A file that is not a truce journal,
    /// or is damaged, is an error and is never modified; so is a symbolic
    /// link at the journal's path, and a directory that others can write
    /// and that is not ours (as ssh refuses such a directory).
    public init(directory: String, access: Access = .write) throws(JournalError) {
        path = directory + "/" + Journal.fileName
        if access == .read {
            var st = stat()
            guard stat(directory, &st) == 0, lstat(path, &st) == 0 else {
                throw JournalError("no journal at \(path) (nothing has been recorded there; truce report, act, ingest or the console create it)")
            }
        } else {
            try Journal.makeDirectory(directory)
        }
        try Journal.checkDirectory(directory)
        try Journal.checkNotSymlink(path)
        if access == .read {
            try Journal.inspect(path)
            try open(flags: SQLITE_OPEN_READONLY, access: access)
            let version = try intValue("PRAGMA user_version")
            hasSite = version >= 5
            hasMadeAt = version >= 7
            hasKey = version >= 4
            if version < Journal.oldestReadable {
                throw JournalError("\(path) has journal schema \(version), older than this truce's (\(Journal.schemaVersion)); "
                                   + "a command that writes (report, act, ingest, the console) upgrades it")
            }
            return
        }
        if Glibc.access(directory, W_OK) != 0 { throw Journal.cannotWrite(directory, errno: errno, directory: true) }
        if Glibc.access(path, F_OK) == 0, Glibc.access(path, W_OK) != 0 { throw Journal.cannotWrite(path, errno: errno) }
        // Opening (inspection, creation, WAL, migration) is serialised across
        // processes, so a second opener never sees a journal half made.
        let lock = Glibc.open(directory + "/journal.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lock >= 0 else { throw Journal.cannotWrite(directory + "/journal.lock", errno: errno) }
        defer { close(lock) }  // releases the lock
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw JournalError("\(directory)/journal.lock: \(String(cString: strerror(errno)))") }
        }
        var st = stat()
        let exists = stat(path, &st) == 0
        if exists { try Journal.inspect(path) }
        let mask = umask(0o077)
        defer { umask(mask) }
        try open(flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, access: access)
        if !exists { chmod(path, 0o600) }
        if !exists { try exec("PRAGMA page_size=16384") }
        try exec("PRAGMA journal_mode=WAL")
        try exec("PRAGMA synchronous=FULL")
        try migrate()
    }

    /// Done once, before the first connection (later it would be refused, harmlessly).
    private static let configured: Bool = { truce_sqlite_without_memstatus() == SQLITE_OK }()

    private func open(flags: Int32, access: Access) throws(JournalError) {
        _ = Journal.configured
        let (name, extra) = access == .read ? Journal.readOnlyName(path) : (path, 0)
        // No mutex around the connection: a Journal is not Sendable, so the
        // compiler keeps each one (and its connection) on one thread at a time
        // (the shared journal's follower thread opens its own). Serialized
        // mode took ~24 mutex round trips a stored record for nothing.
        guard sqlite3_open_v2(name, &db, flags | extra | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, nil) == SQLITE_OK else {
            let m = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            db = nil
            throw JournalError("\(path): \(m)")
        }
        sqlite3_busy_timeout(db, 30_000)
    }

    /// How to open `path` for reading without writing anything beside it. A
    /// WAL database read normally creates its `-shm` (with the database's
    /// mode: a read-only journal would leave a read-only `-shm` that later
    /// breaks every writer) and cannot be opened at all in a directory we
    /// cannot write. When we cannot write the file or its directory, no
    /// writer of ours can be at work, so it is opened as immutable instead.
    static func readOnlyName(_ path: String) -> (String, Int32) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard Glibc.access(path, W_OK) != 0 || Glibc.access(dir.isEmpty ? "." : dir, W_OK) != 0 else { return (path, 0) }
        var uri = "file:"
        for b in path.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "/-._~".contains(c) { uri.append(c) } else {
                uri += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return (uri + "?immutable=1", SQLITE_OPEN_URI)
    }

    /// Says exactly that a journal (or its directory) cannot be written, and
    /// that reading still works: never "not a journal" for a good one.
    static func cannotWrite(_ path: String, errno e: Int32, directory: Bool = false) -> JournalError {
        let why = String(cString: strerror(e))
        return JournalError("\(path) cannot be written (\(why))\(directory ? ": truce needs to write in the journal's directory" : ""); "
                            + "the journal was left untouched; truce status, log and export can still read it")
    }

    /// Refuses a directory that others may write into and that is not ours:
    /// anyone could swap the journal under us.
    static func checkDirectory(_ dir: String) throws(JournalError) {
        var st = stat()
        guard stat(dir, &st) == 0 else { throw JournalError("\(dir): \(String(cString: strerror(errno)))") }
        if st.st_mode & 0o022 != 0, st.st_uid != geteuid() {
            throw JournalError("\(dir) is writable by others and not owned by you; refusing to keep a journal there "
                               + "(use --data with a directory of your own)")
        }
    }

    /// The journal is opened only as a regular file, never through a link.
    static func checkNotSymlink(_ path: String) throws(JournalError) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }  // not there yet
        if st.st_mode & S_IFMT == S_IFLNK {
            throw JournalError("\(path) is a symbolic link; truce opens its journal only as a regular file (the link was left untouched)")
        }
        if st.st_mode & S_IFMT != S_IFREG {
            throw JournalError("\(path) is not a regular file; it was left untouched")
        }
    }

    deinit {
        sqlite3_finalize(insert)
        sqlite3_finalize(keyLookup)
        sqlite3_close(db)
    }

    static func makeDirectory(_ dir: String) throws(JournalError) {
        var st = stat()
        if stat(dir, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else { throw JournalError("\(dir): not a directory") }
            return
        }
        let parent = dir.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !parent.isEmpty && parent != dir { try makeDirectory(parent) }
        guard mkdir(dir, 0o700) == 0 || errno == EEXIST else {
            throw JournalError("\(dir): \(String(cString: strerror(errno)))")
        }
    }

    /// Checks an existing file read-only before anything writes to it. Only
    /// a file that is not SQLite, or a database without truce's id, is "not
    /// a truce journal"; a journal that cannot be opened for another reason
    /// (a directory we cannot write, say) says that instead.
    static func inspect(_ path: String) throws(JournalError) {
        let notJournal = "\(path) is not a truce journal (or is damaged); it was left untouched"
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw JournalError("\(path) cannot be read (\(String(cString: strerror(errno))))") }
        var magic = [UInt8](repeating: 0, count: 16)
        let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        close(fd)
        // An empty file holds nothing: a journal another process is creating
        // right now (or an empty file). The writer lock sorts it out.
        if n == 0 { return }
        guard n == 16, magic == Array("SQLite format 3\0".utf8) else { throw JournalError(notJournal) }
        var ro: OpaquePointer?
        defer { sqlite3_close(ro) }
        func cannotRead(_ code: Int32) -> JournalError {
            code == SQLITE_NOTADB || code == SQLITE_CORRUPT ? JournalError(notJournal)
                : JournalError("\(path) cannot be read (\(ro.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open")); it was left untouched")
        }
        let (name, extra) = readOnlyName(path)
        var rc = sqlite3_open_v2(name, &ro, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | extra, nil)
        guard rc == SQLITE_OK else { throw cannotRead(rc) }
        sqlite3_busy_timeout(ro, 30_000)  // another process may be writing: wait, do not misjudge
        func int(_ sql: String) throws(JournalError) -> Int32 {
            var stmt: OpaquePointer?
            defer { sqlite3_finalize(stmt) }
            rc = sqlite3_prepare_v2(ro, sql, -1, &stmt, nil)
            if rc == SQLITE_OK { rc = sqlite3_step(stmt) }
            guard rc == SQLITE_ROW else { throw cannotRead(sqlite3_extended_errcode(ro) & 0xFF) }
            return sqlite3_column_int(stmt, 0)
        }
        let app = try int("PRAGMA application_id"), version = try int("PRAGMA user_version")
        let tables = try int("SELECT count(*) FROM sqlite_master")
        // A database with no tables and no id holds nothing: a journal being made.
        if app == 0 && version == 0 && tables == 0 { return }
        guard app == applicationID else { throw JournalError(notJournal) }
        if version > schemaVersion {
            throw JournalError("\(path) has journal schema \(version), newer than this truce understands (\(schemaVersion)); it was left untouched")
        }
    }

    private func migrate() throws(JournalError) {
        try immediate { () throws(JournalError) in
            let version = try intValue("PRAGMA user_version")
            if version < Journal.schemaVersion {
                for v in (version + 1)...Journal.schemaVersion {
                    try exec(Journal.migrations[v]!)
                }
                try exec("PRAGMA application_id=\(Journal.applicationID)")
                try exec("PRAGMA user_version=\(Journal.schemaVersion)")
            }
        }
    }

    // MARK: - Reading

    /// Records after `seq`, in order.
    public func records(after seq: Int64 = 0) throws(JournalError) -> [StoredRecord] {
        var out: [StoredRecord] = []
        try forEachRecord(after: seq) { out.append($0); return true }
        return out
    }

    /// Streams the records after `seq`, in order, until `body` returns false.
    /// With `keys`, each record comes with its idempotency key (a string
    /// per record: only the commands that need it ask).
    public func forEachRecord(after seq: Int64 = 0, keys: Bool = false,
                              _ body: (StoredRecord) throws(JournalError) -> Bool) throws(JournalError) {
        let stmt = try prepare("SELECT seq, received_at, source, line, \(hasSite ? "site" : "NULL"), \(hasMadeAt ? "made_at" : "NULL"), "
                               + "\(hasKey && keys ? "key" : "NULL") FROM records WHERE seq > ? ORDER BY seq")
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_int64(stmt, 1, seq)
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error("read") }
            let r = StoredRecord(
                seq: sqlite3_column_int64(stmt, 0), receivedAt: Instant(seconds: sqlite3_column_int64(stmt, 1)),
                source: String(cString: sqlite3_column_text(stmt, 2)), line: String(cString: sqlite3_column_text(stmt, 3)),
                site: sqlite3_column_text(stmt, 4).map { String(cString: $0) },
                madeAt: sqlite3_column_type(stmt, 5) == SQLITE_NULL ? nil : Instant(seconds: sqlite3_column_int64(stmt, 5)),
                key: sqlite3_column_text(stmt, 6).map { String(cString: $0) })
            guard try body(r) else { return }
        }
    }

    /// Feeds the records after `seq` into `engine` as they were received,
    /// calling `each` after every one (to drain or trim events) and stopping
    /// when it returns false. Returns the last seq fed. The one way journal
    /// records reach an engine. With `origins`, the events each record causes
    /// carry its site and made time (a shared journal's mirror).
    @discardableResult
    public func replay(into engine: inout Engine, after seq: Int64 = 0, origins: Bool = false,
                       each: (inout Engine, StoredRecord) -> Bool = { _, _ in true },
                       drain: (inout Engine) -> Void = { _ in }) throws(JournalError) -> Int64 {
        var last = seq
        try forEachRecord(after: seq) { (r) throws(JournalError) -> Bool in
            engine.process(RecordDecoder.decode(r.line), line: Int(r.seq), receivedAt: r.receivedAt,
                           origin: origins ? r.origin : nil, drain: drain)
            last = r.seq
            return each(&engine, r)
        }
        return last
    }

    /// The seq of the newest record; 0 when there is none.
    public func lastSeq() throws(JournalError) -> Int64 {
        let stmt = try prepare("SELECT coalesce(max(seq), 0) FROM records")
        defer { sqlite3_finalize(stmt) }
        guard sqlite3_step(stmt) == SQLITE_ROW else { throw error("query") }
        return sqlite3_column_int64(stmt, 0)
    }

    // MARK: - Snapshots

    /// The saved engine states that begin with `header` (one format and
    /// policy), newest first: a cache that saves replaying the whole journal.
    /// Any of them may be deleted without loss.
    public func snapshots(header: [UInt8]) throws(JournalError) -> [(seq: Int64, clock: Instant?)] {
        let stmt = try prepare("SELECT seq, clock FROM snapshots WHERE header = ? ORDER BY seq DESC")
        defer { sqlite3_finalize(stmt) }
        bind(header, to: stmt, at: 1)
        var out: [(seq: Int64, clock: Instant?)] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw error("read snapshots") }
            let clock = sqlite3_column_type(stmt, 1) == SQLITE_NULL ? nil : Instant(seconds: sqlite3_column_int64(stmt, 1))
            out.append((sqlite3_column_int64(stmt, 0), clock))
        }
    }

    private func bind(_ bytes: [UInt8], to stmt: OpaquePointer?, at index: Int32) {
        _ = bytes.withUnsafeBytes { sqlite3_bind_blob64(stmt, index, $0.baseAddress, sqlite3_uint64($0.count), truce_sqlite_transient()) }
    }

    /// Drops a snapshot found wrong (damaged, or contradicted by the records).
    public func deleteSnapshot(header: [UInt8], seq: Int64) throws(JournalError) {
        let stmt = try prepare("DELETE FROM snapshots WHERE header = ? AND seq = ?")
        defer { sqlite3_finalize(stmt) }
        bind(header, to: stmt, at: 1)
        sqlite3_bind_int64(stmt, 2, seq)
        guard sqlite3_step(stmt) == SQLITE_DONE else { throw error("delete snapshot") }
    }

    /// The bytes of a snapshot, if it is still there.
    public func snapshotState(header: [UInt8], seq: Int64) throws(JournalError) -> [UInt8]? {
        let stmt = try prepare("SELECT rowid, length(state) FROM snapshots WHERE header = ? AND seq = ?")
        defer { sqlite3_finalize(stmt) }
        bind(header, to: stmt, at: 1)
        sqlite3_bind_int64(stmt, 2, seq)
        guard sqlite3_step(stmt) == SQLITE_ROW else { return nil }
        let rowid = sqlite3_column_int64(stmt, 0)
        let n = Int(sqlite3_column_int64(stmt, 1))
        guard n > 0 else { return [] }
        guard n <= Int(Int32.max) else { return nil }  // not one this truce wrote
        // Read straight into the array (a column read would copy the whole
        // blob into SQLite's own buffer first: tens of megabytes, twice).
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db, "main", "snapshots", "state", rowid, 0, &blob) == SQLITE_OK else {
            sqlite3_blob_close(blob)
            throw error("read snapshot")
        }
        defer { sqlite3_blob_close(blob) }
        var ok = false
        let state = [UInt8](unsafeUninitializedCapacity: n) { buffer, count in
            Journal.preferHugePages(UnsafeMutableRawBufferPointer(buffer))
            ok = sqlite3_blob_read(blob, buffer.baseAddress, Int32(n), 0) == SQLITE_OK
            count = ok ? n : 0
        }
        guard ok else { throw error("read snapshot") }
        return state
    }

    /// Asks the kernel to back the untouched memory of a large buffer with
    /// 2 MiB pages (transparent huge pages, where the system allows them on
    /// request). Filling a 31 MiB snapshot otherwise takes ~8,000 page faults,
    /// which were a third of a `report`'s time on a million-record journal.
    /// Only whole 2 MiB stretches inside the buffer are named; nothing else
    /// changes, and a refusal costs nothing.
    static func preferHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        let huge = 2 << 20
        guard let base = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(p, end - start, MADV_HUGEPAGE)
        #endif
    }

    /// Saves the engine state after the records up to `seq`. Of the
    /// snapshots with its header (other policies keep theirs), it keeps the
    /// newest `keep` and a ladder of older ones (`snapshotsKept`).
    public func saveSnapshot(seq: Int64, header: [UInt8], clock: Instant?, state: [UInt8], keep: Int = 2,
                             rungs: Int = Journal.snapshotRungs) throws(JournalError) {
        try immediate { () throws(JournalError) in
            let ins = try prepare("INSERT OR REPLACE INTO snapshots (seq, header, clock, state) VALUES (?, ?, ?, ?)")
            defer { sqlite3_finalize(ins) }
            sqlite3_bind_int64(ins, 1, seq)
            bind(header, to: ins, at: 2)
            if let clock { sqlite3_bind_int64(ins, 3, clock.seconds) } else { sqlite3_bind_null(ins, 3) }
            bind(state, to: ins, at: 4)
            guard sqlite3_step(ins) == SQLITE_DONE else { throw error("save snapshot") }
            let all = try snapshots(header: header).map(\.seq)
            let kept = Journal.snapshotsKept(all, keep: keep, rungs: rungs)
            let old = try prepare("DELETE FROM snapshots WHERE header = ? AND seq = ?")
            defer { sqlite3_finalize(old) }
            for s in all where !kept.contains(s) {
                sqlite3_reset(old)
                bind(header, to: old, at: 1)
                sqlite3_bind_int64(old, 2, s)
                guard sqlite3_step(old) == SQLITE_DONE else { throw error("prune snapshots") }
            }
        }
    }

    /// Older snapshots kept besides the newest two, spread over the journal.
    public static let snapshotRungs = 8

    /// The snapshots to keep of `seqs`: the newest `keep`, and of the older
    /// ones a ladder: the one nearest each of `rungs` evenly spaced points of
    /// the journal (a ninth, two ninths, … of the newest seq, for 8). Review
    /// mode reads the journal's past from them, so an instant anywhere in a
    /// long journal is a replay of at most about a fifth of it (simulated
    /// over two million records saved every hundredth), not of all of it; the
    /// ladder takes about five times the newest snapshot's room.
    public static func snapshotsKept(_ seqs: [Int64], keep: Int, rungs: Int) -> Set<Int64> {
        let desc = seqs.sorted(by: >)
        var kept = Set(desc.prefix(keep))
        let older = desc.dropFirst(keep)
        guard let newest = desc.first, !older.isEmpty, rungs > 0 else { return kept }
        for k in 1...rungs {
            let target = newest / Int64(rungs + 1) * Int64(k)
            if let nearest = older.min(by: { abs($0 - target) < abs($1 - target) }) { kept.insert(nearest) }
        }
        return kept
    }

    // MARK: - Appending

    /// Where a followed feed file has been read to.
    public struct FeedPosition: Sendable, Equatable {
        public var path: String
        public var device: UInt64
        public var inode: UInt64
        public var offset: Int64
        public var line: Int
        public init(path: String, device: UInt64, inode: UInt64, offset: Int64, line: Int) {
            self.path = path; self.device = device; self.inode = inode; self.offset = offset; self.line = line
        }
    }

    /// The stored position of a feed, if it was followed before.
    public func feedPosition(_ path: String) throws(JournalError) -> FeedPosition? {
        let stmt = try prepare("SELECT device, inode, offset, line FROM feeds WHERE path = ?")
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_text(stmt, 1, path, -1, truce_sqlite_transient())
        guard sqlite3_step(stmt) == SQLITE_ROW else { return nil }
        return FeedPosition(path: path, device: UInt64(bitPattern: sqlite3_column_int64(stmt, 0)),
                            inode: UInt64(bitPattern: sqlite3_column_int64(stmt, 1)),
                            offset: sqlite3_column_int64(stmt, 2), line: Int(sqlite3_column_int64(stmt, 3)))
    }

    /// Runs `body` inside one IMMEDIATE transaction (other writers wait).
    /// `body` returns the rows to insert; they are committed together, with
    /// the feed position when one is given (so a line is never read twice).
    /// A record to store.
    public struct NewRecord: Sendable {
        public var receivedAt: Instant
        public var source: String
        public var line: String
        /// Idempotency key: a record whose key is already stored is not stored again.
        public var key: String?
        /// The site that writes it.
        public var site: String?
        /// Its place in the journal when it comes with one (a mirror of a
        /// shared journal stores the shared seq); nil: the next one.
        public var seq: Int64?
        /// When it was made at its site, if not its receipt time (a queued record).
        public var madeAt: Instant?
        public init(receivedAt: Instant, source: String, line: String, key: String? = nil, site: String? = nil, seq: Int64? = nil,
                    madeAt: Instant? = nil) {
            self.receivedAt = receivedAt; self.source = source; self.line = line; self.key = key; self.site = site; self.seq = seq
            self.madeAt = madeAt
        }
    }

    /// Whether a record with this idempotency key is stored.
    /// Whether any record's key starts with `prefix` (not empty), in one
    /// look at the key index.
    public func hasKey(withPrefix prefix: String) throws(JournalError) -> Bool {
        var low = Array(prefix.utf8)
        precondition(!low.isEmpty)
        // Keys compare as bytes: every key starting with `prefix` lies in
        // [prefix, prefix with its last byte raised by one) (the bytes of
        // UTF-8 text never reach 0xFF, so raising one cannot carry).
        var high = low
        high[high.count - 1] += 1
        let stmt = try prepare("SELECT 1 FROM records WHERE key >= ?1 AND key < ?2 LIMIT 1")
        defer { sqlite3_finalize(stmt) }
        let rc = low.withUnsafeMutableBufferPointer { l in
            high.withUnsafeMutableBufferPointer { h in
                Journal.bindText(stmt, 1, UnsafeBufferPointer(l))
                Journal.bindText(stmt, 2, UnsafeBufferPointer(h))
                return sqlite3_step(stmt)
            }
        }
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw error("key lookup") }
        return rc == SQLITE_ROW
    }

    public func contains(key: String) throws(JournalError) -> Bool {
        if keyLookup == nil { keyLookup = try prepare("SELECT 1 FROM records WHERE key = ?") }
        let stmt = keyLookup
        var key = key
        let rc = key.withUTF8 { k in  // bound without a copy, stepped and reset while valid
            Journal.bindText(stmt, 1, k)
            let rc = sqlite3_step(stmt)
            sqlite3_reset(stmt)
            return rc
        }
        guard rc == SQLITE_ROW || rc == SQLITE_DONE else { throw error("key lookup") }
        return rc == SQLITE_ROW
    }

    public func transaction(feed: FeedPosition? = nil,
                            _ body: () throws(JournalError) -> [NewRecord]) throws(JournalError) -> [Int64] {
        try immediate { () throws(JournalError) -> [Int64] in
            let rows = try body()
            var seqs: [Int64] = []
            try insert(rows, into: &seqs)
            if let f = feed { try store(f) }
            return seqs
        }
    }

    /// Stores how far a feed is read (inside a transaction).
    private func store(_ f: FeedPosition) throws(JournalError) {
        let up = try prepare("INSERT INTO feeds (path, device, inode, offset, line) VALUES (?, ?, ?, ?, ?) "
            + "ON CONFLICT(path) DO UPDATE SET device = excluded.device, inode = excluded.inode, "
            + "offset = excluded.offset, line = excluded.line")
        defer { sqlite3_finalize(up) }
        sqlite3_bind_text(up, 1, f.path, -1, truce_sqlite_transient())
        sqlite3_bind_int64(up, 2, Int64(bitPattern: f.device))
        sqlite3_bind_int64(up, 3, Int64(bitPattern: f.inode))
        sqlite3_bind_int64(up, 4, f.offset)
        sqlite3_bind_int64(up, 5, Int64(f.line))
        guard sqlite3_step(up) == SQLITE_DONE else { throw error("feed position") }
    }

    /// Binds UTF-8 bytes as text without a copy (SQLITE_STATIC): the caller
    /// steps and resets the statement while `bytes` are valid.
    private static func bindText(_ stmt: OpaquePointer?, _ i: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        if let base = bytes.baseAddress {
            sqlite3_bind_text(stmt, i, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), truce_sqlite_static())
        } else {
            sqlite3_bind_text(stmt, i, "", 0, truce_sqlite_transient())  // a literal's pointer lasts only this call
        }
    }

    /// Inserts records (with their seqs when they come with one).
    private func insert(_ rows: [NewRecord], into seqs: inout [Int64]) throws(JournalError) {
        if insert == nil {
            insert = try prepare("INSERT INTO records (seq, received_at, source, line, key, site, made_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        }
        let stmt = insert
        // Text is bound from the strings' own UTF-8 (no copy), valid while the
        // closures run: the row is stepped and the statement reset inside them.
        func text(_ i: Int32, _ p: UnsafeBufferPointer<UInt8>) { Journal.bindText(stmt, i, p) }
        for r in rows {
            if let seq = r.seq { sqlite3_bind_int64(stmt, 1, seq) } else { sqlite3_bind_null(stmt, 1) }
            sqlite3_bind_int64(stmt, 2, r.receivedAt.seconds)
            if let made = r.madeAt, made != r.receivedAt { sqlite3_bind_int64(stmt, 7, made.seconds) } else { sqlite3_bind_null(stmt, 7) }
            var source = r.source, line = r.line, key = r.key ?? "", site = r.site ?? ""
            let rc = source.withUTF8 { s in
                line.withUTF8 { l in
                    key.withUTF8 { k in
                        site.withUTF8 { st in
                            text(3, s)
                            text(4, l)
                            if r.key != nil { text(5, k) } else { sqlite3_bind_null(stmt, 5) }
                            if r.site != nil { text(6, st) } else { sqlite3_bind_null(stmt, 6) }
                            let rc = sqlite3_step(stmt)
                            sqlite3_reset(stmt)
                            return rc
                        }
                    }
                }
            }
            guard rc == SQLITE_DONE else { throw error("append") }
            seqs.append(sqlite3_last_insert_rowid(db))
        }
    }

    /// Stores records that come with their seqs, which must follow on from
    /// the last one here without a gap (a mirror of a shared journal). Rows
    /// already here (another process of the site stored them meanwhile) are
    /// skipped.
    public func mirror(_ fetched: [NewRecord]) throws(JournalError) {
        guard !fetched.isEmpty else { return }
        try immediate { () throws(JournalError) in
            let last = try lastSeq()
            let rows = fetched.filter { ($0.seq ?? .max) > last }
            try checkFollowsOn(rows)
            var seqs: [Int64] = []
            try insert(rows, into: &seqs)
        }
    }

    private func checkFollowsOn(_ rows: [NewRecord]) throws(JournalError) {
        var expected = try lastSeq() + 1
        for r in rows {
            guard r.seq == expected else {
                throw JournalError("\(path): the shared journal's record \(r.seq.map(String.init) ?? "without a seq") does not follow "
                                   + "this mirror's last (\(expected - 1)); the mirror was left as it was")
            }
            expected += 1
        }
    }

    /// Like `transaction`, with records from a shared journal stored first
    /// (so `body` judges at the shared head) and `afterBody` run before the
    /// commit: it stores `body`'s rows upstream and returns them with the
    /// seqs they got there. If anything throws, nothing is stored here.
    public func transaction(pulled: () throws(JournalError) -> [NewRecord],
                            _ body: () throws(JournalError) -> [NewRecord],
                            upstream: ([NewRecord]) throws(JournalError) -> [NewRecord]) throws(JournalError) -> [Int64] {
        try immediate { () throws(JournalError) -> [Int64] in
            let before = try pulled()
            try checkFollowsOn(before)
            var ignored: [Int64] = []
            try insert(before, into: &ignored)
            let rows = try body()
            let stored = try upstream(rows)
            try checkFollowsOn(stored)
            var seqs: [Int64] = []
            try insert(stored, into: &seqs)
            return seqs
        }
    }

    // MARK: - Outbox (a shared journal's mirror)

    /// A record made while the shared journal was unreachable.
    public struct Queued: Sendable, Equatable {
        public var key: String
        public var madeAt: Instant
        public var source: String
        public var line: String
        public var conflict: String?
        public init(key: String, madeAt: Instant, source: String, line: String, conflict: String? = nil) {
            self.key = key; self.madeAt = madeAt; self.source = source; self.line = line; self.conflict = conflict
        }
    }

    /// Keeps a record to push later (durably, before the operator is told).
    public func enqueue(key: String, madeAt: Instant, source: String, line: String) throws(JournalError) {
        try enqueue([Queued(key: key, madeAt: madeAt, source: source, line: line)], feed: nil)
    }

    /// Keeps records to push later, and how far their feed is read, in one
    /// transaction: a feed line is queued exactly once.
    public func enqueue(_ records: [Queued], feed: FeedPosition?) throws(JournalError) {
        try immediate { () throws(JournalError) in
            let stmt = try prepare("INSERT INTO outbox (key, made_at, source, line) VALUES (?, ?, ?, ?)")
            defer { sqlite3_finalize(stmt) }
            for r in records {
                sqlite3_reset(stmt)
                sqlite3_bind_text(stmt, 1, r.key, -1, truce_sqlite_transient())
                sqlite3_bind_int64(stmt, 2, r.madeAt.seconds)
                sqlite3_bind_text(stmt, 3, r.source, -1, truce_sqlite_transient())
                sqlite3_bind_text(stmt, 4, r.line, -1, truce_sqlite_transient())
                guard sqlite3_step(stmt) == SQLITE_DONE else { throw error("queue") }
            }
            if let feed { try store(feed) }
        }
    }

    /// The outbox in push order: queued records, or (`conflicts`) the ones
    /// the shared journal rejected; the first `limit` of them.
    public func outbox(conflicts: Bool = false, limit: Int = -1) throws(JournalError) -> [Queued] {
        let stmt = try prepare("SELECT key, made_at, source, line, reason FROM outbox WHERE state = ? ORDER BY id LIMIT \(limit)")
        defer { sqlite3_finalize(stmt) }
        sqlite3_bind_text(stmt, 1, conflicts ? "conflict" : "queued", -1, truce_sqlite_transient())
        var out: [Queued] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw error("outbox") }
            out.append(Queued(key: String(cString: sqlite3_column_text(stmt, 0)), madeAt: Instant(seconds: sqlite3_column_int64(stmt, 1)),
                              source: String(cString: sqlite3_column_text(stmt, 2)), line: String(cString: sqlite3_column_text(stmt, 3)),
                              conflict: sqlite3_column_text(stmt, 4).map { String(cString: $0) }))
        }
    }

    /// How many records are queued (a count, for every console tick).
    public func queuedCount() throws(JournalError) -> Int { try queueMark().count }

    /// How many records are queued and the newest one's place: it changes
    /// whenever one is queued or leaves (two numbers, for every console tick).
    public func queueMark() throws(JournalError) -> (count: Int, last: Int64) {
        let stmt = try prepare("SELECT count(*), coalesce(max(id), 0) FROM outbox WHERE state = 'queued'")
        defer { sqlite3_finalize(stmt) }
        guard sqlite3_step(stmt) == SQLITE_ROW else { throw error("outbox") }
        return (Int(sqlite3_column_int64(stmt, 0)), sqlite3_column_int64(stmt, 1))
    }

    /// A queued record was stored in the shared journal (nil), or rejected there (why).
    public func settle(key: String, conflict: String?) throws(JournalError) {
        let sql = conflict == nil ? "DELETE FROM outbox WHERE key = ?" : "UPDATE outbox SET state = 'conflict', reason = ? WHERE key = ?"
        let stmt = try prepare(sql)
        defer { sqlite3_finalize(stmt) }
        if let conflict {
            sqlite3_bind_text(stmt, 1, conflict, -1, truce_sqlite_transient())
            sqlite3_bind_text(stmt, 2, key, -1, truce_sqlite_transient())
        } else {
            sqlite3_bind_text(stmt, 1, key, -1, truce_sqlite_transient())
        }
        guard sqlite3_step(stmt) == SQLITE_DONE else { throw error("outbox") }
    }

    // MARK: - SQLite helpers

    /// Runs `body` in one IMMEDIATE transaction (other writers wait): committed
    /// if it returns, rolled back if it throws.
    private func immediate<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        try exec("BEGIN IMMEDIATE")
        do throws(JournalError) {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    private func error(_ what: String) -> JournalError {
        JournalError("\(path): \(what) failed: \(String(cString: sqlite3_errmsg(db)))")
    }

    private func exec(_ sql: String) throws(JournalError) {
        var msg: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, sql, nil, nil, &msg) == SQLITE_OK else {
            let m = msg.map { String(cString: $0) } ?? "error"
            sqlite3_free(msg)
            throw JournalError("\(path): \(m)")
        }
    }

    private func prepare(_ sql: String) throws(JournalError) -> OpaquePointer? {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else { throw error("prepare") }
        return stmt
    }

    private func intValue(_ sql: String) throws(JournalError) -> Int32 {
        let stmt = try prepare(sql)
        defer { sqlite3_finalize(stmt) }
        guard sqlite3_step(stmt) == SQLITE_ROW else { throw error("query") }
        return sqlite3_column_int(stmt, 0)
    }
}
