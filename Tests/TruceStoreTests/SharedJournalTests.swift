import Foundation
import Synchronization
import Testing
import TruceEngine
@testable import TruceStore

/// The server for these tests: `scripts/pg-cluster.sh start` exports its URL
/// (a superuser) as TRUCE_TEST_PG_URL; `.ci/run` does that. Without it the
/// tests record nothing on a developer's machine, and fail under CI=true.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["TRUCE_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A new, empty database and its URL; nil (after a failure under CI) when there is no server.
    static func database(_ sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        guard let url else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("CI=true and no PostgreSQL: set TRUCE_TEST_PG_URL (eval \"$(scripts/pg-cluster.sh start)\")",
                             sourceLocation: sourceLocation)
            }
            return nil
        }
        let name = "truce_t_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let admin = try PGConnection(url)
        try admin.exec("CREATE DATABASE \(name)")
        // The URL's database is its last path segment.
        let slash = url.range(of: "/", options: .backwards)!.lowerBound
        return url[..<slash] + "/" + name
    }
}

@Suite("Shared journal (PostgreSQL)", .serialized)
struct SharedJournalTests {
    func record(_ i: Int, site: String) -> String {
        "{\"type\":\"report\",\"id\":\"R-\(site)-\(i)\",\"sector\":\"S\(i % 7)\",\"status\":\"confirmed\"}"
    }

    @Test func initIsIdempotentAndVersioned() throws {
        guard let db = try TestServer.database() else { return }
        let first = try SharedJournal.initialize(url: db)
        #expect(first.from == 0)
        let again = try SharedJournal.initialize(url: db)
        #expect(again.from == SharedJournal.schemaVersion && again.id == first.id)
        // A schema from a newer truce is refused, and left as it was.
        let admin = try PGConnection(db)
        try admin.exec("UPDATE truce_meta SET value = '99' WHERE name = 'schema_version'")
        #expect(throws: JournalError.self) { try SharedJournal.initialize(url: db) }
        do {
            _ = try SharedJournal(url: db, site: "A", dataDirectory: freshDirectory())
            Issue.record("a newer schema was opened")
        } catch {
            #expect(error.message.contains("has schema 99, newer than this truce understands"))
        }
        #expect(try admin.exec("SELECT value FROM truce_meta WHERE name = 'schema_version'").values == [["99"]])
    }

    @Test func aDatabaseWithoutTheSchemaSaysHowToMakeIt() throws {
        guard let db = try TestServer.database() else { return }
        do {
            _ = try SharedJournal(url: db, site: "A", dataDirectory: freshDirectory())
            Issue.record("opened a database with no journal")
        } catch {
            #expect(error.message.hasSuffix("no truce journal there; create it with `truce journal init`"))
        }
    }

    @Test func passwordsAreNeverShown() throws {
        #expect(PGConnection.redacted("postgres://site_a:s3cret@db.example:5432/truce") == "postgres://site_a:***@db.example:5432/truce")
        #expect(PGConnection.redacted("postgresql://u@h/db?password=s3cret&sslmode=require") == "postgresql://u@h/db?password=***&sslmode=require")
        #expect(PGConnection.redacted("host=h dbname=truce password=s3cret user=u") == "host=h dbname=truce password=*** user=u")
        #expect(PGConnection.redacted("postgres://u:p@ss@h/db") == "postgres://u:***@h/db")
        #expect(PGConnection.redacted("host=h password = s3cret user=u") == "host=h password = *** user=u")
        #expect(PGConnection.redacted("password='a \\' b' dbname=truce") == "password=*** dbname=truce")
        #expect(PGConnection.redacted("password= s3cret") == "password= ***")
        guard let url = TestServer.url else { return }
        let wrong = url.replacingOccurrences(of: "://postgres:", with: "://postgres:not-the-password-")
        do {
            _ = try PGConnection(wrong)
            Issue.record("a wrong password connected")
        } catch {
            #expect(error.message.contains("password authentication failed"))
            #expect(!error.message.contains("not-the-password"))
            #expect(!error.message.contains("\n"))
        }
    }

    /// Three sites append at once (reports, and notes on an incident): the
    /// shared journal has every accepted record once, seqs 1…n with no gap,
    /// each site's records in the order it made them, and every site's
    /// mirror ends with the same records in the same order.
    @Test func threeSitesAppendingAtOnceAgreeOnOneOrder() throws {
        guard let db = try TestServer.database() else { return }
        try SharedJournal.initialize(url: db)
        let perSite = 500
        let sites = ["A", "B", "C"]
        let dirs = sites.map { _ in freshDirectory() }
        let failures = Mutex<[String]>([])
        let accepted = Mutex<[String: [Int64]]>([:])
        DispatchQueue.concurrentPerform(iterations: sites.count) { n in
            let site = sites[n]
            do {
                let shared = try SharedJournal(url: db, site: site, dataDirectory: dirs[n])
                try shared.pull()
                let log = try LiveLog(journal: shared.mirror, policy: .standard, store: shared, site: site)
                var clock: Int64 = 1_770_000_000
                var seqs: [Int64] = []
                for i in 0..<perSite {
                    clock += 1
                    let line = i % 5 == 4
                        ? "{\"type\":\"action\",\"action\":\"note\",\"incident\":\"INC-0001\",\"by\":\"\(site)\",\"note\":\"n\(i)\"}"
                        : record(i, site: site)
                    let c = clock
                    switch try log.append(line, source: "test", now: { Instant(seconds: c) }) {
                    case .accepted(let seq, _): seqs.append(seq)
                    case let other: failures.withLock { $0.append("\(site) \(i): \(other)") }
                    }
                }
                accepted.withLock { $0[site] = seqs }
            } catch {
                failures.withLock { $0.append("\(site): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
        let admin = try PGConnection(db)
        let rows = try admin.exec("SELECT seq, key, site, line, received_at FROM truce_records ORDER BY seq").values
        #expect(rows.count == sites.count * perSite)
        #expect(rows.map { Int64($0[0]!)! } == Array(1...Int64(rows.count)), "seqs have a gap or repeat")
        #expect(Set(rows.map { $0[1]! }).count == rows.count, "a key is stored twice")
        let times = rows.map { Int64($0[4]!)! }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "receipt times went backwards")
        for site in sites {
            // Each site's records, in seq order, are in the order it made them.
            let mine = rows.filter { $0[2] == site }.map { $0[0]! }
            #expect(mine.count == perSite)
            #expect(accepted.withLock { $0[site] }?.map(String.init) == mine, "\(site)'s seqs are not what it was told")
        }
        var mirrors: [[StoredRecord]] = []
        for (n, site) in sites.enumerated() {
            let shared = try SharedJournal(url: db, site: site, dataDirectory: dirs[n])
            try shared.pull()
            mirrors.append(try shared.mirror.records())
        }
        for m in mirrors.dropFirst() {
            #expect(m == mirrors[0], "two mirrors differ")
        }
        #expect(mirrors[0].map(\.line) == rows.map { $0[3]! })
        #expect(mirrors[0].map(\.site) == rows.map { $0[2] })
    }

    /// A record sent again with its key (a retry after a lost reply) is stored once.
    @Test func aRetriedRecordIsStoredOnce() throws {
        guard let db = try TestServer.database() else { return }
        try SharedJournal.initialize(url: db)
        let shared = try SharedJournal(url: db, site: "A", dataDirectory: freshDirectory())
        let log = try LiveLog(journal: shared.mirror, policy: .standard, store: shared, site: "A")
        let line = LiveLog.BatchLine(text: record(1, site: "A"), number: 1, key: "A|retry-1")
        let first = try log.append(batch: [line], source: "test") { Instant(seconds: 1_770_000_000) }
        #expect(first == [.accepted(seq: 1, at: Instant(seconds: 1_770_000_000))])
        // Another process of the same site, whose mirror is behind, sends it again.
        let other = try SharedJournal(url: db, site: "A", dataDirectory: freshDirectory())
        let otherLog = try LiveLog(journal: other.mirror, policy: .standard, store: other, site: "A")
        #expect(try otherLog.append(batch: [line], source: "test") { Instant(seconds: 1_770_000_001) } == [.duplicate])
        let admin = try PGConnection(db)
        #expect(try admin.exec("SELECT count(*) FROM truce_records").values == [["1"]])
    }

    /// A site's login role, granted truce_console, reads and appends through
    /// truce_append, and can neither change nor delete records nor insert
    /// around the function (nor skip the head check).
    @Test func theConsoleRoleOnlyReadsAndAppends() throws {
        guard let db = try TestServer.database() else { return }
        try SharedJournal.initialize(url: db)
        let role = "truce_site_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let admin = try PGConnection(db)
        try admin.exec("CREATE ROLE \(role) LOGIN PASSWORD 'site-pw' IN ROLE truce_console")
        defer { _ = try? PGConnection(TestServer.url!).exec("DROP OWNED BY \(role); DROP ROLE \(role)") }
        let siteURL = db.replacingOccurrences(of: #"://[^@]*@"#, with: "://\(role):site-pw@", options: .regularExpression)
        let shared = try SharedJournal(url: siteURL, site: "A", dataDirectory: freshDirectory())
        let log = try LiveLog(journal: shared.mirror, policy: .standard, store: shared, site: "A")
        guard case .accepted(seq: 1, _) = try log.append(record(1, site: "A"), source: "test", now: { Instant(seconds: 1_770_000_000) }) else {
            Issue.record("the console role could not append")
            return
        }
        let conn = try PGConnection(siteURL)
        for sql in ["UPDATE truce_records SET line = 'x'", "DELETE FROM truce_records",
                    "INSERT INTO truce_records (seq, key, site, made_at, received_at, source, line) VALUES (2, 'k', 'A', 0, 0, 's', '{}')",
                    "UPDATE truce_meta SET value = '2'", "TRUNCATE truce_records"] {
            guard case .failure(let e) = conn.run(sql) else {
                Issue.record("the console role may: \(sql)")
                continue
            }
            #expect(e.state == "42501", "\(sql): \(e.message)")
        }
        // truce_append refuses a record judged at a head that is not the head.
        guard case .failure(let e) = conn.run("SELECT truce_append(0, 'k2', 'A', 0, 1770000000, 's', '{}')") else {
            Issue.record("an append judged at an old head was stored")
            return
        }
        #expect(e.state == "TR001")
        #expect(try admin.exec("SELECT count(*) FROM truce_records").values == [["1"]])
    }
}

/// What a site queues while its shared journal is out of reach (or before
/// its follower pushed it) is judged against its mirror and its own queue,
/// in order; an action may not name an incident only a queued record
/// opened (its number is final only in the shared order); when the mirror
/// gains records the judging state is rebuilt: the mirror, then the queue.
@Suite("Outbox judging")
struct OutboxJudgingTests {
    let t0 = try! RFC3339.parse("2026-02-10T04:00:00Z").get()

    @Test func queuedRecordsAreJudgedWithTheQueueAndRebuiltWhenTheMirrorGains() throws {
        let mirror = try Journal(directory: freshDirectory())
        let log = try LiveLog(journal: mirror, policy: .standard, store: Outbox(mirror: mirror, site: "ops"), site: "ops")
        // A report and its update, judged with the first queued; then R-2 opens INC-0001 here.
        #expect(try log.append(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"reported"}"#, source: "feed:f") { t0 }
                == .accepted(seq: 0, at: t0))
        #expect(try log.append(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"retracted"}"#, source: "feed:f") { t0 + 1 }
                == .accepted(seq: 0, at: t0 + 1))
        #expect(try log.append(#"{"type":"report","id":"R-2","sector":"Lyman","status":"confirmed"}"#, source: "feed:f") { t0 + 2 }
                == .accepted(seq: 0, at: t0 + 2))
        // INC-0001 exists only here: no action may name it yet.
        guard case .rejected(let why) = try log.append(#"{"type":"action","action":"ack","incident":"INC-0001"}"#, source: "act", now: { t0 + 3 }) else {
            Issue.record("an action on an incident only a queued record opened was queued")
            return
        }
        #expect(why.hasPrefix("INC-0001 is not in the shared journal yet"))
        #expect(try mirror.queuedCount() == 3)
        // The push: another site's report came first (it opens INC-0001 there), then ours, and the outbox is settled.
        let queued = try mirror.outbox()
        var rows = [Journal.NewRecord(receivedAt: t0, source: "report", line: #"{"at":"2026-02-10T04:00:00Z","type":"report","id":"H-1","sector":"Siversk","status":"confirmed"}"#,
                                      key: "hq|1", site: "hq", seq: 1)]
        for (i, q) in queued.enumerated() {
            rows.append(Journal.NewRecord(receivedAt: t0 + 5, source: q.source, line: LiveLog.insertAt(t0 + 5, into: q.line), key: q.key,
                                          site: "ops", seq: Int64(i + 2)))
        }
        try mirror.mirror(rows)
        for q in queued { try mirror.settle(key: q.key, conflict: nil) }
        // Now judged at the mirror: INC-0001 is Siversk (hq's), INC-0002 Lyman (ours), and both may be acted on.
        #expect(try log.append(#"{"type":"action","action":"ack","incident":"INC-0002"}"#, source: "act") { t0 + 6 } == .accepted(seq: 0, at: t0 + 6))
        #expect(try log.append(#"{"type":"action","action":"ack","incident":"INC-0001"}"#, source: "act") { t0 + 7 } == .accepted(seq: 0, at: t0 + 7))
        // A fresh log (the next command) judges the same way: mirror, then what is still queued.
        let again = try LiveLog(journal: mirror, policy: .standard, store: Outbox(mirror: mirror, site: "ops"), site: "ops")
        #expect(again.engine.incident(id: "INC-0002")?.acknowledged == true)
        #expect(again.engine.incident(id: "INC-0001")?.sector == "Siversk")
        #expect(try mirror.queuedCount() == 2)
        // Never saved as a snapshot while it holds queued records.
        #expect(try mirror.snapshots(header: Engine.snapshotHeader(for: .standard)).isEmpty)
    }

    /// When what the mirror gains is exactly this site's queued records, in
    /// the order they were applied, the judging state is kept (a rebuild
    /// would restore the whole state for every action on a big journal);
    /// anything else in between makes it rebuild.
    func queued(_ o: LiveLog.Outcome) -> Bool { if case .accepted(seq: 0, _) = o { true } else { false } }

    @Test func ownRecordsComingBackNeedNoRebuild() throws {
        let mirror = try Journal(directory: freshDirectory())
        let log = try LiveLog(journal: mirror, policy: .standard, store: Outbox(mirror: mirror, site: "ops"), site: "ops")
        var seq: Int64 = 0
        func pushAll(other: String? = nil) throws {
            var rows: [Journal.NewRecord] = []
            if let other {
                seq += 1
                rows.append(Journal.NewRecord(receivedAt: t0 + seq, source: "report", line: LiveLog.insertAt(t0 + seq, into: other),
                                              key: "hq|\(seq)", site: "hq", seq: seq))
            }
            let queued = try mirror.outbox()
            for q in queued {
                seq += 1
                rows.append(Journal.NewRecord(receivedAt: t0 + seq, source: q.source, line: LiveLog.insertAt(t0 + seq, into: q.line),
                                              key: q.key, site: "ops", seq: seq))
            }
            try mirror.mirror(rows)
            for q in queued { try mirror.settle(key: q.key, conflict: nil) }
        }
        for i in 0..<3 {
            let o = try log.append(#"{"type":"report","id":"R-\#(i)","sector":"S\#(i)","status":"confirmed"}"#, source: "console") { t0 }
            #expect(queued(o), "\(o)")
            try pushAll()
        }
        let ack = try log.append(#"{"type":"action","action":"ack","incident":"INC-0003"}"#, source: "console") { t0 + 10 }
        #expect(queued(ack), "\(ack)")
        #expect(log.rebuilds == 0, "own records coming back rebuilt the state")
        // Another site's record before ours: rebuilt, in the shared order.
        try pushAll(other: #"{"type":"report","id":"H-1","sector":"Siversk","status":"confirmed"}"#)
        let ack4 = try log.append(#"{"type":"action","action":"ack","incident":"INC-0004"}"#, source: "console") { t0 + 30 }
        #expect(queued(ack4), "\(ack4)")
        #expect(log.rebuilds == 1)
        #expect(log.engine.incident(id: "INC-0004")?.sector == "Siversk" && log.engine.incident(id: "INC-0003")?.acknowledged == true)
    }
}
