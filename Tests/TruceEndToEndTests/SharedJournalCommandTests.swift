import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
import TruceTestSupport
#endif

/// The shared journal through the real binary, against the tests' own
/// PostgreSQL (`scripts/pg-cluster.sh`, TRUCE_TEST_PG_URL): skipped without
/// one on a developer's machine, failed under CI=true.
@Suite("Shared journal commands", .serialized)
struct SharedJournalCommandTests {
    /// A new database's URL, made with psql.
    static func database(_ sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        guard let url = ProcessInfo.processInfo.environment["TRUCE_TEST_PG_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("CI=true and no PostgreSQL: set TRUCE_TEST_PG_URL (eval \"$(scripts/pg-cluster.sh start)\")",
                             sourceLocation: sourceLocation)
            }
            return nil
        }
        let name = "truce_e2e_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-qX", url, "-c", "CREATE DATABASE \(name)"]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "psql could not create a database")
        let slash = url.range(of: "/", options: .backwards)!.lowerBound
        return url[..<slash] + "/" + name
    }

    /// Runs SQL with psql as the server's superuser.
    static func psql(_ url: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-qX", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "psql failed: \(sql)")
    }

    func dir() -> String { Scratch.directory + "truce-e2e-site-\(UUID().uuidString)" }

    /// Two sites on one shared journal: a report made at A and an
    /// acknowledgement made at B are in both sites' state, log and export.
    @Test func twoSitesShareOneJournal() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        let first = try truce(["journal", "init", db])
        #expect(first.status == 0 && first.stdout.contains("created at schema 1"))
        #expect(try truce(["journal", "init", db]).stdout.contains("already at schema 1"))
        let a = dir(), b = dir()
        let r = try truce(["report", "--journal", db, "--data", a, "--site", "ops-centre", "--sector", "Pokrovsk", "--status", "confirmed"])
        #expect(r.status == 0 && r.stdout == "R-1\n", "\(r.stderr)")
        // B's generated id counts A's report: it is judged at the shared head.
        #expect(try truce(["report", "--journal", db, "--data", b, "--site", "coalition-hq", "--sector", "Lyman", "--status", "reported"]).stdout == "R-2\n")
        let ack = try truce(["act", "ack", "INC-0001", "--journal", db, "--data", b, "--site", "coalition-hq", "--by", "bob"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let status = try truce(["status", "--journal", db, "--data", a, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect((doc["incidents"] as? [[String: Any]])?.first?["acknowledged"] as? Bool == true)
        #expect(try truce(["log", "--journal", db, "--data", a]).stdout.contains("INC-0001   acknowledged by bob  [site coalition-hq]"))
        // The after-action report's trail says which site did what.
        let page = try truce(["after-action", "--journal", db, "--data", a]).stdout
        #expect(page.contains("<td>acknowledged by bob</td><td>bob</td><td>coalition-hq</td>"), "\(page)")
        #expect(page.contains("on report R-1 — notified: UA</td><td></td><td>ops-centre</td>"))
        let exportA = try truce(["export", "--journal", db, "--data", a]).stdout
        #expect(exportA.split(separator: "\n").count == 3)
        #expect(try truce(["export", "--journal", db, "--data", b]).stdout == exportA)
        let sync = try truce(["journal", "sync", "--journal", db, "--data", a])
        #expect(sync.status == 0 && sync.stdout.hasSuffix("at seq 3\n"))
        // TRUCE_JOURNAL names it too; a rejected action is stored nowhere.
        let bad = try truceEnv(["act", "commit", "INC-0001", "--member", "XX", "--data", a], ["TRUCE_JOURNAL": db, "TRUCE_SITE": "liaison"])
        #expect(bad.status == 1 && bad.stderr == "truce: rejected: unknown roster member \"XX\"\n")
        #expect(try truce(["export", "--journal", db, "--data", b]).stdout == exportA)
    }

    /// The console at site B on a shared journal: a report made at site A
    /// shows on B's board within a second; B's acknowledgement is in A's log,
    /// marked with B's site in the shared journal.
    @Test func aReportAtOneSiteShowsOnAnothersBoard() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        #expect(try truce(["journal", "init", db]).status == 0)
        let a = dir(), b = dir()
        let t = try Tmux(width: 120, height: 32,
                         command: "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(db)) --data \(Tmux.quote(b)) --site coalition-hq --by bob")
        let board = try t.waitFor("LIVE · site coalition-hq · shared 127.0.0.1:")
        #expect(!board.contains("postgres:"), "the header shows the user or password")
        let made = Date()
        #expect(try truce(["report", "--journal", db, "--data", a, "--site", "ops-centre", "--sector", "Pokrovsk", "--status", "confirmed"]).status == 0)
        _ = try t.waitFor("INC-0001", timeout: 5)
        let seen = Date().timeIntervalSince(made)
        #expect(seen < 1.0, "site B's board showed the report after \(seen) s")
        // The events pane says which site the report came from.
        _ = try t.waitFor("on report R-1 — notified: UA · site ops-centre")
        try t.send("a")
        _ = try t.waitFor("ack INC-0001 Pokrovsk recorded", timeout: 5)
        let log = try truce(["log", "--journal", db, "--data", a]).stdout
        #expect(log.contains("INC-0001   acknowledged by bob"), "\(log)")
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
    }

    /// `truce ingest` into the shared journal killed with SIGKILL mid-way,
    /// then run again: every line is stored exactly once, and the site's
    /// mirror is the shared journal.
    @Test func aKilledIngestResumesWithNothingTwice() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        #expect(try truce(["journal", "init", db]).status == 0)
        let data = dir()
        let input = try temporaryFile(try truce(["generate", "--records", "6000", "--sectors", "60", "--seed", "4"]).stdout)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: truceBinary)
        p.arguments = ["ingest", "--journal", db, "--data", data, "--site", "liaison", input]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(700_000)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let again = try truce(["ingest", "--journal", db, "--data", data, "--site", "liaison", input])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("lines 1–6,001"), "\(again.stderr)")
        let exported = try truce(["export", "--journal", db, "--data", data]).stdout.split(separator: "\n")
        #expect(exported.count == 6001)
        #expect(Set(exported).count == exported.count, "a record is stored twice")
        let fresh = try truce(["export", "--journal", db, "--data", dir()]).stdout.split(separator: "\n")
        #expect(fresh == exported, "a new site's mirror differs from the killed site's")
    }

    /// The server restarted in the middle of a burst of reports: every report
    /// acknowledged (exit 0, its id printed) is stored exactly once; the
    /// others failed in one line (exit 2); the order has no gap. On a server
    /// of its own, so the other tests keep theirs.
    @Test func aServerRestartMidBurstLosesNothingAcknowledged() throws {
        guard try SharedJournalCommandTests.database() != nil else { return }
        let server = try OwnServer()
        defer { server.stop() }
        let url = server.url
        func cluster(_ verb: String) throws { try server.run(verb) }
        #expect(try truce(["journal", "init", url]).status == 0)
        let data = dir()
        let results = Mutex<[(Int, Int32)]>([])
        let burst = Thread {
            for i in 0..<60 {
                let r = try? truce(["report", "--journal", url, "--data", data, "--site", "ops", "--id", "B-\(i)",
                                    "--sector", "Lyman", "--status", "reported"])
                results.withLock { $0.append((i, r?.status ?? -1)) }
                if let r, r.status != 0 { #expect(r.status == 2 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
            }
        }
        burst.start()
        while results.withLock({ $0.count }) < 15 { usleep(20_000) }
        try cluster("restart")
        while results.withLock({ $0.count }) < 60 { usleep(50_000) }
        let exported = try truce(["export", "--journal", url, "--data", dir()])
        try #require(exported.status == 0, "\(exported.stderr)")
        let ids = exported.stdout.split(separator: "\n").compactMap { line in
            line.range(of: #""id":"B-[0-9]+""#, options: .regularExpression).map { String(line[$0].dropFirst(6).dropLast()) }
        }
        #expect(Set(ids).count == ids.count, "a report is stored twice")
        let acknowledged = results.withLock { $0 }.filter { $0.1 == 0 }.map { "B-\($0.0)" }
        #expect(Set(acknowledged).isSubset(of: Set(ids)), "an acknowledged report is missing")
        #expect(acknowledged.count >= 30, "too few reports got through: \(acknowledged.count)")
    }

    /// An outage: `report` and `act` go to the site's outbox (id printed,
    /// `queued: …`, exit 0, within a moment); the next command that reaches
    /// the server pushes them once, in order; an action another site made
    /// impossible meanwhile is kept as a conflict and listed, never dropped.
    @Test func anOutageQueuesRecordsAndTheyArePushedOnce() throws {
        guard try SharedJournalCommandTests.database() != nil else { return }
        let server = try OwnServer()
        defer { server.stop() }
        let url = server.url
        #expect(try truce(["journal", "init", url]).status == 0)
        let ops = dir(), hq = dir()
        func at(_ site: String, _ d: String, _ args: [String]) throws -> Outcome {
            try truce(args + ["--journal", url, "--data", d, "--site", site])
        }
        #expect(try at("ops", ops, ["report", "--sector", "Pokrovsk", "--status", "confirmed"]).stdout == "R-1\n")
        #expect(try at("hq", hq, ["journal", "sync"]).status == 0)
        try server.run("pause")
        let start = Date()
        let queuedReport = try at("ops", ops, ["report", "--sector", "Lyman", "--status", "confirmed"])
        #expect(queuedReport.status == 0 && queuedReport.stdout == "R-ops-1\n" && queuedReport.stderr == "queued: shared journal unreachable\n",
                "\(queuedReport.stderr)")
        #expect(try at("ops", ops, ["report", "--sector", "Siversk", "--status", "reported"]).stdout == "R-ops-2\n")
        let queuedWarning = try at("ops", ops, ["act", "warning", "INC-0001"])
        #expect(queuedWarning.status == 0 && queuedWarning.stderr == "queued: shared journal unreachable\n")
        #expect(Date().timeIntervalSince(start) < 5)
        // Reading goes on from the mirror, and says so.
        let offlineStatus = try at("ops", ops, ["status"])
        #expect(offlineStatus.status == 0 && offlineStatus.stdout.contains("INC-0001"))
        #expect(offlineStatus.stderr == "truce: shared journal unreachable; read from this site's mirror, as of its record 1, "
                + "with 3 records queued (not in it)\n", "\(offlineStatus.stderr)")
        // Still judged locally: a record the mirror's state rejects is not queued.
        #expect(try at("ops", ops, ["act", "ack", "INC-0042"]).status == 1)
        // A site that never reached the server has nowhere to queue.
        let never = try at("liaison", dir(), ["act", "ack", "INC-0001"])
        #expect(never.status == 2 && never.stderr.contains("no mirror of it"))
        usleep(1_100_000)  // so the queued records are received at least a second after they were made
        try server.run("resume")
        #expect(try at("hq", hq, ["act", "resolve", "INC-0001"]).status == 0)
        let sync = try at("ops", ops, ["journal", "sync"])
        #expect(sync.status == 0)
        #expect(sync.stderr.contains("pushed 2 queued records"), "\(sync.stderr)")
        #expect(sync.stderr.contains("conflict: the shared journal rejected a record queued at"), "\(sync.stderr)")
        let conflicts = try at("ops", ops, ["journal", "conflicts"]).stdout.split(separator: "\n")
        #expect(conflicts.count == 1 && conflicts[0].contains("INC-0001 is resolved") && conflicts[0].contains("\"action\":\"warning\""))
        // Pushed once: a second sync pushes nothing, and every site sees R-ops-1 and R-ops-2 once, in the order made.
        #expect(!(try at("ops", ops, ["journal", "sync"]).stderr.contains("pushed")))
        let export = try at("hq", hq, ["export"]).stdout
        let ids = export.split(separator: "\n").compactMap { l in l.range(of: #""id":"R-[a-z0-9-]+""#, options: .regularExpression).map { String(l[$0]) } }
        #expect(ids == [#""id":"R-1""#, #""id":"R-ops-1""#, #""id":"R-ops-2""#])
        // Export and log name the site of every record, and when a queued one was made.
        let lines = export.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix(#","site":"ops"}"#), "\(lines[0])")
        let pushed = try #require(lines.first { $0.contains(#""id":"R-ops-1""#) })
        #expect(pushed.contains(#","site":"ops","made_at":"20"#), "\(pushed)")
        #expect(lines.contains { $0.contains(#""action":"resolve""#) && $0.hasSuffix(#","site":"hq"}"#) })
        let replayed = try truce(["replay", try temporaryFile(export)])
        #expect(replayed.status == 0, "the exported records do not replay: \(replayed.stderr)")
        let log = try at("hq", hq, ["log"]).stdout
        #expect(log.contains("in Lyman on report R-ops-1") && log.contains("[site ops, made 20"), "\(log)")
        #expect(log.split(separator: "\n").contains { $0.contains("resolved") && $0.hasSuffix("[site hq]") }, "\(log)")
        let json = try at("hq", hq, ["log", "--json"]).stdout
        #expect(json.contains(#""event":"incident.resolved""#) && json.contains(#""site":"hq"}"#), "\(json)")
        #expect(try at("ops", ops, ["journal", "conflicts"]).stdout.split(separator: "\n").count == 1, "the conflict was dropped")
    }

    /// The console through an outage: the header says OFFLINE since when and
    /// counts what is queued; an acknowledgement is queued (and says so),
    /// shown as provisional, and pushed once the server is back (said as
    /// recorded), when the header clears.
    @Test func theConsoleQueuesThroughAnOutage() throws {
        guard try SharedJournalCommandTests.database() != nil else { return }
        let server = try OwnServer()
        defer { server.stop() }
        let url = server.url
        #expect(try truce(["journal", "init", url]).status == 0)
        let ops = dir(), hq = dir()
        #expect(try truce(["report", "--journal", url, "--data", ops, "--site", "ops", "--sector", "Pokrovsk", "--status", "confirmed"]).status == 0)
        let t = try Tmux(width: 120, height: 32,
                         command: "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(url)) --data \(Tmux.quote(hq)) --site hq --by bob")
        _ = try t.waitForAll("site hq", "INC-0001")
        try server.run("pause")
        _ = try t.waitFor("OFFLINE since", timeout: 15)
        _ = try t.waitFor("shared journal unreachable")
        try t.send("a")
        let queued = try t.waitForAll("OFFLINE since", "· 1 queued", "ack INC-0001 Pokrovsk queued")
        #expect(queued.contains("UNACKNOWLEDGED"), "the board shows an acknowledgement the shared journal does not have yet")
        // Shown as provisional: "ack…" in the row, a queued line in the history and the events.
        #expect(queued.contains("Pokrovsk        T1  ack…"), "\(queued)")
        #expect(queued.contains("queued: ack by bob (not in the shared journal yet)"), "\(queued)")
        try server.run("resume")
        // Pushed once the server is back: the operator is told it is recorded.
        _ = try t.waitFor("ack INC-0001 Pokrovsk recorded", timeout: 15)
        let after = try t.waitUntil(timeout: 10, what: "the queue to empty") { !$0.contains("queued") && $0.contains(" ack ") }
        #expect(!after.contains("OFFLINE"))
        let log = try truce(["log", "--journal", url, "--data", ops]).stdout
        #expect(log.components(separatedBy: "acknowledged by bob").count == 2, "\(log)")
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
    }

    /// A console started while the server is down runs on the site's
    /// mirror, OFFLINE from its first frame; an acknowledgement waits in the
    /// outbox and is recorded when the server is back. A site with no mirror
    /// has nothing to show: one line, exit 2.
    @Test func theConsoleStartsDuringAnOutage() throws {
        guard try SharedJournalCommandTests.database() != nil else { return }
        let server = try OwnServer()
        defer { server.stop() }
        let url = server.url
        #expect(try truce(["journal", "init", url]).status == 0)
        let hq = dir()
        #expect(try truce(["report", "--journal", url, "--data", hq, "--site", "hq", "--sector", "Pokrovsk", "--status", "confirmed"]).status == 0)
        try server.run("pause")
        let t = try Tmux(width: 120, height: 32,
                         command: "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(url)) --data \(Tmux.quote(hq)) --site hq --by bob")
        _ = try t.waitForAll("OFFLINE since", "INC-0001 Pokrovsk", "shared journal unreachable")
        try t.send("a")
        _ = try t.waitForAll("· 1 queued", "ack…", "ack INC-0001 Pokrovsk queued")
        try server.run("resume")
        _ = try t.waitFor("ack INC-0001 Pokrovsk recorded", timeout: 15)
        _ = try t.waitUntil(timeout: 10, what: "the header to clear") { !$0.contains("OFFLINE") && !$0.contains("queued") }
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
        try server.run("pause")
        let none = try Tmux(width: 100, height: 30, command: "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(url)) --data \(Tmux.quote(dir()))")
        let said = try none.waitFor("TRUCE-EXIT=2")
        #expect(said.contains("no mirror of it to show"), "\(said)")
        try server.run("resume")
        #expect(try truce(["log", "--journal", url, "--data", dir()]).stdout.components(separatedBy: "acknowledged by bob").count == 2)
    }

    /// A site killed (SIGKILL) while it pushes its outbox, then run again:
    /// the push resumes, and every queued record is stored exactly once, in
    /// the order it was queued.
    @Test func aSiteKilledDuringAPushStoresNothingTwice() throws {
        guard try SharedJournalCommandTests.database() != nil else { return }
        let server = try OwnServer()
        defer { server.stop() }
        let url = server.url
        #expect(try truce(["journal", "init", url]).status == 0)
        let ops = dir()
        #expect(try truce(["journal", "sync", "--journal", url, "--data", ops, "--site", "ops"]).status == 0)
        try server.run("pause")
        let count = 120
        for i in 0..<count {
            let r = try truce(["report", "--journal", url, "--data", ops, "--site", "ops", "--id", "Q-\(i)", "--sector", "S\(i % 9)",
                               "--status", "reported"])
            #expect(r.status == 0 && r.stderr == "queued: shared journal unreachable\n", "\(r.stderr)")
        }
        try server.run("resume")
        // Killed mid-push, at a moment that varies from run to run.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: truceBinary)
        p.arguments = ["journal", "sync", "--journal", url, "--data", ops, "--site", "ops"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        // Killed as soon as the outbox starts to drain: mid-push.
        let shared = try #require(try FileManager.default.contentsOfDirectory(atPath: ops + "/shared").first { !$0.hasSuffix(".id") })
        let mirror = ops + "/shared/" + shared + "/journal.sqlite"
        try p.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, p.isRunning {
            let left = try? Tmux.capture("/usr/bin/sqlite3", [mirror, "SELECT count(*) FROM outbox WHERE state = 'queued'"])
            if let n = left.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }), n < count { break }
            usleep(2_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal, "the push ended before it could be killed")
        let again = try truce(["journal", "sync", "--journal", url, "--data", ops, "--site", "ops"])
        #expect(again.status == 0 && !again.stderr.contains("conflict"), "\(again.stderr)")
        let pushedAgain = again.stderr.split(separator: " ").dropFirst(2).first.flatMap { Int($0) } ?? 0
        #expect(pushedAgain > 0 && pushedAgain < count, "the second sync pushed \(pushedAgain): \(again.stderr)")
        let ids = try truce(["export", "--journal", url, "--data", dir()]).stdout.split(separator: "\n").compactMap { l in
            l.range(of: #""id":"Q-[0-9]+""#, options: .regularExpression).map { String(l[$0].dropFirst(6).dropLast()) }
        }
        #expect(ids == (0..<count).map { "Q-\($0)" }, "stored twice, lost or out of order: \(ids.count) records")
        #expect(try truce(["journal", "conflicts", "--journal", url, "--data", ops]).stdout.isEmpty)
    }

    /// A conflict at the console: site hq (a login role of its own) is cut
    /// off while its operator warns on an incident that site ops then
    /// resolves; when hq is let back in, the shared journal rejects the
    /// queued warning, hq's operator is told by name, and the record is kept
    /// in hq's conflicts. Nothing else is stored.
    @Test func aQueuedActionRejectedAtTheSharedHeadIsShownAsAConflict() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        #expect(try truce(["journal", "init", db]).status == 0)
        let role = "truce_hq_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try Self.psql(db, "CREATE ROLE \(role) LOGIN PASSWORD 'hq-pw' IN ROLE truce_console")
        defer { try? Self.psql(db, "DROP ROLE \(role)") }
        let hqURL = db.replacingOccurrences(of: #"://[^@]*@"#, with: "://\(role):hq-pw@", options: .regularExpression)
        let ops = dir(), hq = dir()
        #expect(try truce(["report", "--journal", db, "--data", ops, "--site", "ops", "--sector", "Pokrovsk", "--status", "confirmed"]).status == 0)
        let t = try Tmux(width: 120, height: 32,
                         command: "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(hqURL)) --data \(Tmux.quote(hq)) --site hq --by bob")
        _ = try t.waitForAll("site hq", "INC-0001")
        try Self.psql(db, "ALTER ROLE \(role) NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '\(role)'")
        _ = try t.waitFor("OFFLINE since", timeout: 15)
        try t.send("w")
        _ = try t.waitFor("yes    any other key cancels")
        try t.send("y")
        let queued = try t.waitForAll("warning INC-0001 Pokrovsk queued", "· 1 queued")
        #expect(queued.contains("queued: warning by bob (not in the shared journal yet)"), "\(queued)")
        let resolve = try truce(["act", "resolve", "INC-0001", "--journal", db, "--data", ops, "--site", "ops", "--by", "alice"])
        #expect(resolve.status == 0, "\(resolve.stderr)")
        try Self.psql(db, "ALTER ROLE \(role) LOGIN")
        let told = try t.waitFor("warning INC-0001 Pokrovsk rejected: ", timeout: 15)
        #expect(told.contains("INC-0001 is resolved"), "\(told)")
        _ = try t.waitUntil(timeout: 10, what: "the queue to empty and the board to show the resolution") {
            !$0.contains("1 queued") && !$0.contains("queued: warning") && $0.contains("resolved at")
        }
        let conflicts = try truce(["journal", "conflicts", "--journal", hqURL, "--data", hq, "--site", "hq"]).stdout.split(separator: "\n")
        #expect(conflicts.count == 1 && conflicts[0].contains("\"action\":\"warning\""), "\(conflicts)")
        let log = try truce(["log", "--journal", db, "--data", ops]).stdout
        #expect(!log.contains("warning"), "the rejected warning was stored: \(log)")
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
    }

    /// `journal copy` moves a local journal into a shared one exactly once:
    /// every record with its receipt time, source and site; a second run, or
    /// the rest after an interruption, stores nothing twice. A record older
    /// than the shared head is rejected and named; the local journal is never
    /// changed, and the arguments are checked.
    @Test func aLocalJournalIsCopiedIntoASharedOneOnce() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        #expect(try truce(["journal", "init", db]).status == 0)
        let local = dir(), site = dir()
        // Records with keys (ingested) and without (report, act).
        let input = try temporaryFile(try truce(["generate", "--records", "3000", "--sectors", "40", "--seed", "7"]).stdout)
        #expect(try truce(["ingest", "--data", local, "--site", "ops", input]).status == 0)
        #expect(try truce(["report", "--data", local, "--site", "ops", "--sector", "Kupiansk", "--status", "confirmed"]).status == 0)
        let localExport = try truce(["export", "--data", local]).stdout
        let total = localExport.split(separator: "\n").count
        let journalFile = local + "/journal.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: journalFile))
        // Interrupted part-way (or finished, on a fast machine): it says what it copied.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: truceBinary)
        p.arguments = ["journal", "copy", local, db, "--data", site, "--site", "hq"]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        usleep(400_000)
        kill(p.processIdentifier, SIGINT)
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect((p.terminationStatus == 130 && said.contains("truce: interrupted; copied records 1–")
                 && said.contains("run it again to copy the rest")) || (p.terminationStatus == 0 && said.contains("stored \(total)")), "\(said)")
        let rest = try truce(["journal", "copy", local, db, "--data", site, "--site", "hq"])
        #expect(rest.status == 0 && rest.stderr.contains("copied records 1–\(total / 1000),\(String(total % 1000 + 1000).dropFirst()) of "), "\(rest.stderr)")
        let again = try truce(["journal", "copy", "sqlite:" + journalFile, db, "--data", site, "--site", "hq"])
        #expect(again.status == 0 && again.stderr.hasSuffix("stored 0, rejected 0, \(total) already there\n"), "\(again.stderr)")
        // The shared journal holds the local one's records once, in order, with the writing site (not the copier's).
        let shared = try truce(["export", "--journal", db, "--data", dir()]).stdout
        let stripped = shared.replacingOccurrences(of: #","site":"ops"}"#, with: "}")
        #expect(stripped == localExport, "the shared journal differs from the local one")
        let sharedLog = try truce(["log", "--journal", db, "--data", dir()]).stdout.split(separator: "\n")
        let localLog = try truce(["log", "--data", local]).stdout.split(separator: "\n")
        #expect(sharedLog.count == localLog.count)
        #expect(zip(sharedLog, localLog).allSatisfy { s, l in s == l || s == l + "  [site ops]" }, "receipt times or order differ")
        // A journal whose records are older than the shared head: each is rejected and named; nothing else changes.
        let old = try temporaryFile(#"{"type":"report","id":"OLD-1","sector":"Bakhmut","status":"confirmed","at":"2020-01-01T00:00:00Z"}"# + "\n")
        let oldDir = dir()
        #expect(try truce(["ingest", "--data", oldDir, old]).status == 0)
        let rejected = try truce(["journal", "copy", oldDir, db, "--data", site])
        #expect(rejected.status == 1 && rejected.stdout.hasPrefix(oldDir + "/journal.sqlite:1: "), "\(rejected.stdout)")
        #expect(rejected.stderr.contains("stored 0, rejected 1, 0 already there"), "\(rejected.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: journalFile)) == before, "the local journal was changed")
        // Arguments: FROM local, TO shared, no --journal.
        #expect(try truce(["journal", "copy", db, db]).stderr == "truce: FROM must be a local journal (a directory or sqlite:PATH), not a shared one\n")
        #expect(try truce(["journal", "copy", local, local]).status == 2)
        #expect(try truce(["journal", "copy", local, db, "--journal", db]).stderr.contains("not --journal"))
        #expect(try truce(["journal", "copy", dir(), db, "--data", site]).stderr.contains("no journal at"))
    }

    /// A console at site hq follows a feed into the shared journal: its lines
    /// are queued with the feed's position in one transaction and pushed off
    /// the UI loop, so another site sees them; a line that depends on an
    /// earlier one is judged with it; after a restart nothing is read twice.
    @Test func aFeedIsFollowedIntoTheSharedJournalOnce() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        #expect(try truce(["journal", "init", db]).status == 0)
        let hq = dir()
        let feed = Scratch.directory + "truce-shared-feed-\(UUID().uuidString).jsonl"
        _ = FileManager.default.createFile(atPath: feed, contents: nil)
        func appendLine(_ s: String) throws { try append(line: s, to: feed) }
        let command = "\(Tmux.quote(truceBinary)) --journal \(Tmux.quote(db)) --data \(Tmux.quote(hq)) --site hq --feed \(Tmux.quote(feed))"
        var t = try Tmux(width: 120, height: 32, command: command)
        _ = try t.waitForAll("site hq", "Incidents 0")
        // A report, then its update, in one write: the second is judged with the first.
        try appendLine(#"{"type":"report","id":"F-1","sector":"Kupiansk","status":"reported"}"# + "\n"
                       + #"{"type":"report","id":"F-1","sector":"Kupiansk","status":"confirmed"}"#)
        _ = try t.waitFor("INC-0001 Kupiansk", timeout: 5)
        try appendLine(#"{"type":"report","id":"F-2","sector":"Lyman","status":"sure"}"#)
        _ = try t.waitFor(":3: \"status\" must be", timeout: 5)
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
        t = try Tmux(width: 120, height: 32, command: command)
        _ = try t.waitFor("Incidents 1")
        try appendLine(#"{"type":"report","id":"F-3","sector":"Lyman","status":"confirmed"}"#)
        _ = try t.waitFor("INC-0002 Lyman", timeout: 5)
        try t.send("q")
        _ = try t.waitFor("TRUCE-EXIT=0")
        // Another site reads each line once, with hq's site and the feed as its source.
        let export = try truce(["export", "--journal", db, "--data", dir()]).stdout.split(separator: "\n")
        #expect(export.count == 3, "\(export)")
        #expect(export.allSatisfy { $0.contains(#","site":"hq""#) }, "\(export)")
        #expect(export.filter { $0.contains(#""id":"F-1""#) }.count == 2 && export.filter { $0.contains(#""id":"F-3""#) }.count == 1)
    }

    /// Bad URLs, a wrong password, a database without the schema, and a
    /// server that accepts the connection and never answers: one line, exit
    /// 2, within the connect timeout, no password shown, nothing written locally.
    @Test func unusableSharedJournalsFailInOneLine() throws {
        guard let db = try SharedJournalCommandTests.database() else { return }
        let data = dir()
        // A listening socket that never answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        try #require(withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } } == 0)
        try #require(listen(fd, 4) == 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let silentPort = UInt16(bigEndian: addr.sin_port)
        let wrongPassword = db.replacingOccurrences(of: "://postgres:", with: "://postgres:WRONG")
        let cases: [(String, String)] = [
            (wrongPassword, "password authentication failed"),
            (db, "no truce journal there; create it with `truce journal init`"),
            ("postgres://nobody@127.0.0.1:1/truce", "Connection refused"),
            ("host=127.0.0.1 port=\(silentPort) dbname=truce connect_timeout=2", "timeout expired"),
        ]
        for (url, says) in cases {
            let start = Date()
            let r = try truce(["status", "--journal", url, "--data", data])
            #expect(r.status == 2, "\(url): \(r.stderr)")
            #expect(r.stderr.contains(says), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!r.stderr.contains("WRONG"))
            #expect(Date().timeIntervalSince(start) < 10)
        }
        #expect(!FileManager.default.fileExists(atPath: data), "a failed connection created the data directory")
        let notURL = try truce(["journal", "init", "/tmp/somewhere"])
        #expect(notURL.status == 2 && notURL.stderr.contains("is not a PostgreSQL URL"))
    }
}

/// `truce` with extra environment variables.
func truceEnv(_ args: [String], _ env: [String: String]) throws -> Outcome {
    var all = ProcessInfo.processInfo.environment
    for (k, v) in env { all[k] = v }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: truceBinary)
    p.arguments = args
    p.environment = all
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// A PostgreSQL server of a test's own (scripts/pg-cluster.sh under a
/// directory of its own), for outages and restarts the other tests must not see.
final class OwnServer {
    let directory = Scratch.directory + "truce-pg-own-\(UUID().uuidString.prefix(8))"
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    private(set) var url = ""

    init() throws {
        let started = try run("start")
        url = try #require(started.split(separator: "'").dropFirst().first.map(String.init))
    }

    @discardableResult
    func run(_ verb: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root + "/scripts/pg-cluster.sh")
        p.arguments = [verb]
        p.environment = ProcessInfo.processInfo.environment.merging(["TRUCE_PG_DIR": directory]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "pg-cluster.sh \(verb) failed")
        return text
    }

    func stop() { _ = try? run("stop") }
}
