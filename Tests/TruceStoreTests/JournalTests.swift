import Foundation
import Testing
import TruceEngine
@testable import TruceStore
import TruceTestSupport

/// Runs SQL on a database with the sqlite3 command-line tool.
func sqlite3(_ path: String, _ sql: String) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [path, sql]
    try p.run()
    p.waitUntilExit()
}

func freshDirectory() -> String {
    Scratch.directory + "truce-journal-\(UUID().uuidString)/nested/truce"
}

@Suite("Journal")
struct JournalTests {
    let t0 = try! RFC3339.parse("2026-02-10T04:00:00Z").get()

    @Test func createsPrivateDirectoryAndFile() throws {
        let dir = freshDirectory()
        let j = try Journal(directory: dir)
        let fm = FileManager.default
        #expect((try fm.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) == 0o700)
        #expect((try fm.attributesOfItem(atPath: j.path)[.posixPermissions] as? Int) == 0o600)
        #expect(try j.records().isEmpty)
    }

    /// A journal from before sites (schema 4, and 3 before keys) is read as
    /// it is, and upgraded by the first command that writes; records then
    /// carry the writing site.
    @Test(arguments: [Int32(3), 4]) func olderJournalsAreReadAndUpgraded(version: Int32) throws {
        let dir = freshDirectory()
        do {
            let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
            _ = try log.append(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed"}"#, source: "test") { t0 }
        }
        let path = dir + "/" + Journal.fileName
        try sqlite3(path, "DROP TABLE outbox; DROP INDEX IF EXISTS records_key; ALTER TABLE records DROP COLUMN site; ALTER TABLE records DROP COLUMN made_at;"
                    + (version < 4 ? "ALTER TABLE records DROP COLUMN key;" : "") + "PRAGMA user_version=\(version);")
        let old = try Journal(directory: dir, access: .read)
        #expect(try old.records().map(\.site) == [nil])
        let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard, site: "ops")
        _ = try log.append(#"{"type":"report","id":"R-2","sector":"Lyman","status":"reported"}"#, source: "test") { t0 + 1 }
        let read = try Journal(directory: dir, access: .read)
        #expect(try read.records().map(\.site) == [nil, "ops"])
        let batch = [LiveLog.BatchLine(text: #"{"type":"narrate","text":"x"}"#, number: 1, key: "k")]
        _ = try log.append(batch: batch, source: "test") { t0 + 2 }
        #expect(try log.append(batch: batch, source: "test") { t0 + 3 } == [.duplicate])
    }

    @Test func acceptedRecordsAreStoredWithTheirTimeAndRejectedOnesWriteNothing() throws {
        let log = try LiveLog(journal: try Journal(directory: freshDirectory()), policy: .standard)
        let a = try log.append(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed"}"#, source: "test") { t0 }
        #expect(a == .accepted(seq: 1, at: t0))
        let r = try log.append(#"{"type":"action","action":"ack","incident":"INC-0002"}"#, source: "test") { t0 + 60 }
        #expect(r == .rejected("unknown incident \"INC-0002\""))
        let future = try log.append(#"{"type":"narrate","text":"x","at":"2026-02-10T05:00:00Z"}"#, source: "test") { t0 + 60 }
        #expect(future == .rejected("\"at\" 2026-02-10T05:00:00Z is later than the time of receipt (2026-02-10T04:01:00Z)"))
        #expect(try log.append("# a comment", source: "test") { t0 } == .skipped)
        let records = try log.journal.records()
        #expect(records.map(\.line) == [#"{"at":"2026-02-10T04:00:00Z","type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed"}"#])
        #expect(records.map(\.receivedAt) == [t0])
    }

    @Test func receiptTimesNeverRunBackwards() throws {
        let log = try LiveLog(journal: try Journal(directory: freshDirectory()), policy: .standard)
        _ = try log.append(#"{"type":"narrate","text":"a"}"#, source: "t") { t0 + 100 }
        let b = try log.append(#"{"type":"narrate","text":"b"}"#, source: "t") { t0 }  // the clock stepped back
        #expect(b == .accepted(seq: 2, at: t0 + 100))
        // A rejected line moves the engine's clock too: later receipts are not earlier than it.
        let bad = try log.append(#"{"type":"action","action":"ack","incident":"INC-0009"}"#, source: "t") { t0 + 200 }
        #expect(bad == .rejected("unknown incident \"INC-0009\""))
        #expect(try log.append(#"{"type":"narrate","text":"c"}"#, source: "t") { t0 + 150 } == .accepted(seq: 3, at: t0 + 200))
    }

    @Test func stateIsTheReplayOfTheJournalAcrossReopening() throws {
        let dir = freshDirectory()
        do {
            let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
            _ = try log.append(#"{"type":"report","id":"R-1","sector":"Lyman","status":"confirmed"}"#, source: "t") { t0 }
            _ = try log.append(#"{"type":"action","action":"ack","incident":"INC-0001","by":"night"}"#, source: "t") { t0 + 600 }
        }
        let (engine, events) = try LiveLog.timeline(try Journal(directory: dir), policy: .standard, until: t0 + 3600)
        #expect(engine.incident(id: "INC-0001")?.acknowledged == true)
        #expect(events.map(\.kind) == [.incidentOpened, .rosterNotified, .incidentAcknowledged])
    }

    @Test func aFileThatIsNotAJournalIsAnErrorAndLeftUntouched() throws {
        let dir = freshDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + Journal.fileName
        let junk = Data("not a database at all\n".utf8)
        try junk.write(to: URL(fileURLWithPath: path))
        #expect(throws: JournalError.self) { try Journal(directory: dir) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func anotherSQLiteDatabaseIsRefusedToo() throws {
        let dir = freshDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + Journal.fileName
        try sqlite3(path, "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Journal(directory: dir)
            Issue.record("opened a foreign database")
        } catch {
            #expect(error.message.contains("is not a truce journal"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// A scenario header has no time of its own: no "at" is written into it,
    /// and a header stored earlier with one (as ingest did) and appended
    /// again (export, then ingest or journal copy) keeps exactly one, so the
    /// journal replays without a rejection (a line with two "at" was
    /// malformed, and moved a live engine's clock to its receipt time).
    @Test func aScenarioHeaderIsStoredWithAtMostOneAt() throws {
        let header = #"{"type":"scenario","title":"t","start":"2026-02-10T00:00:00Z"}"#
        let old = #"{"at":"2026-12-07T14:41:20Z","type":"scenario","title":"t","start":"2026-02-10T00:00:00Z"}"#
        for line in [header, old] {
            let log = try LiveLog(journal: try Journal(directory: freshDirectory()), policy: .standard)
            #expect(try log.append(line, source: "test") { t0 } == .accepted(seq: 1, at: t0))
            _ = try log.append(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"2026-02-10T01:00:00Z"}"#,
                               source: "test") { t0 }
            let stored = try log.journal.records()
            #expect(stored[0].line == line, "the header was changed")
            #expect(stored[0].line.components(separatedBy: #""at""#).count <= 2)
            let state = try JournalState.load(log.journal, policy: .standard)
            #expect(state.engine.rejectedCount == 0 && state.engine.acceptedCount == 2)
        }
    }

    @Test func insertAtPutsTheReceiptTimeFirst() {
        let t = t0
        #expect(LiveLog.insertAt(t, into: #"{"type":"narrate","text":"x"}"#) == #"{"at":"2026-02-10T04:00:00Z","type":"narrate","text":"x"}"#)
        #expect(LiveLog.insertAt(t, into: #"  { "type":"narrate" }"#) == #"{"at":"2026-02-10T04:00:00Z", "type":"narrate" }"#)
        // And back (a record queued offline takes its time when the shared journal accepts it).
        for object in [#"{"type":"narrate","text":"x"}"#, #"{ "type":"narrate" }"#, "{}"] {
            #expect(LiveLog.removeInsertedAt(t, from: LiveLog.insertAt(t, into: object)) == object)
        }
        #expect(LiveLog.removeInsertedAt(t + 1, from: LiveLog.insertAt(t, into: "{}")) == #"{"at":"2026-02-10T04:00:00Z"}"#)
    }

    /// A run whose keys the journal has none of yet appends without looking
    /// each up; one stored meanwhile by another writer fails the batch (the
    /// key's unique index), which stores nothing and leaves the log as it was;
    /// the run begun again looks keys up and stores only what is missing.
    @Test func aNewRunSkipsKeyLookupsAndAKeyStoredMeanwhileStillCannotBeStoredTwice() throws {
        let dir = freshDirectory()
        func line(_ n: Int) -> LiveLog.BatchLine {
            LiveLog.BatchLine(text: #"{"type":"narrate","text":"n \#(n)"}"#, number: n, key: "run|f|\(n)")
        }
        let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        #expect(try log.beginRun(keyPrefix: "run|f|"))
        #expect(try log.append(batch: [line(1), line(2)], source: "test") { t0 }.allSatisfy { if case .accepted = $0 { true } else { false } })
        #expect(try !log.beginRun(keyPrefix: "run|f|"), "the journal now holds keys of that run")
        #expect(try log.beginRun(keyPrefix: "run|g|"))
        #expect(try log.beginRun(keyPrefix: "run|f|") == false)

        #expect(try log.beginRun(keyPrefix: "run|h|"))
        let other = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        let h = { (n: Int) in LiveLog.BatchLine(text: #"{"type":"narrate","text":"h \#(n)"}"#, number: n, key: "run|h|\(n)") }
        _ = try other.append(batch: [h(2)], source: "other") { t0 + 1 }
        #expect(throws: JournalError.self) { try log.append(batch: [h(1), h(2), h(3)], source: "test") { t0 + 2 } }
        #expect(try Journal(directory: dir, access: .read).records().count == 3)
        #expect(try !log.beginRun(keyPrefix: "run|h|"))
        let again = try log.append(batch: [h(1), h(2), h(3)], source: "test") { t0 + 3 }
        #expect(again.map { if case .accepted = $0 { "stored" } else { "\($0)" } } == ["stored", "duplicate", "stored"])
        #expect(try Journal(directory: dir, access: .read).records().count == 5)
        #expect(log.engine.acceptedCount == 5)
    }
}
