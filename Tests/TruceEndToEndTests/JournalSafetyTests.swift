import Foundation
import Testing
import TruceTestSupport

/// Runs `truce` as the unprivileged user `nobody` (the tests run as root in
/// CI, and root ignores file modes), with its output captured.
func truceAsNobody(_ args: [String]) throws -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    p.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", truceBinary] + args
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int }
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// Reading never writes; a journal is opened only as a regular file in a
/// directory that is ours; what cannot be done is said exactly.
@Suite("Journal safety", .serialized)
struct JournalSafetyTests {
    func dir() -> String { Scratch.directory + "truce-safety-\(UUID().uuidString)" }
    var root: Bool { geteuid() == 0 }

    @Test func readingCommandsNeverCreateAJournal() throws {
        let d = dir() + "/nested"
        for cmd in ["status", "log", "export"] {
            let r = try truce([cmd, "--data", d])
            #expect(r.status == 2)
            #expect(r.stderr.contains("no journal at \(d)/journal.sqlite"))
        }
        #expect(!exists(d))
    }

    @Test func aSymbolicLinkAtTheJournalPathIsRefused() throws {
        let real = dir(), linked = dir()
        #expect(try truce(["report", "--data", real, "--sector", "A", "--status", "confirmed"]).status == 0)
        try FileManager.default.createDirectory(atPath: linked, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: linked + "/journal.sqlite", withDestinationPath: real + "/journal.sqlite")
        chmod(real + "/journal.sqlite", 0o640)
        for args in [["status"], ["report", "--sector", "B", "--status", "confirmed"]] {
            let r = try truce(args + ["--data", linked])
            #expect(r.status == 2)
            #expect(r.stderr.contains("journal.sqlite is a symbolic link"))
        }
        #expect(mode(real + "/journal.sqlite") == 0o640)  // never chmod-ed through the link
        // A link to nowhere is not followed to create its target.
        let dangling = dir()
        try FileManager.default.createDirectory(atPath: dangling, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dangling + "/journal.sqlite", withDestinationPath: dangling + "/target")
        #expect(try truce(["report", "--data", dangling, "--sector", "A", "--status", "confirmed"]).status == 2)
        #expect(!exists(dangling + "/target"))
    }

    @Test func aDirectoryOthersCanWriteAndWeDoNotOwnIsRefused() throws {
        guard root else { return }  // needs to give the directory away
        let d = dir()
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        chmod(d, 0o777)
        #expect(chown(d, 65534, 65534) == 0)
        let r = try truce(["report", "--data", d, "--sector", "A", "--status", "confirmed"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is writable by others and not owned by you"))
        #expect(!exists(d + "/journal.sqlite"))
    }

    /// A journal its user may only read: status reads it and changes nothing
    /// (no chmod, no -shm left behind); report says it cannot be written.
    @Test func aReadOnlyJournalIsReadAndNeverChanged() throws {
        guard root else { return }  // runs the binary as nobody
        let d = dir()
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        #expect(chown(d, 65534, 65534) == 0)
        chmod(d, 0o700)
        #expect(try truceAsNobody(["report", "--data", d, "--sector", "A", "--status", "confirmed"]).status == 0)
        let journal = d + "/journal.sqlite"
        chmod(journal, 0o400)
        let status = try truceAsNobody(["status", "--data", d])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("INC-0001"))
        #expect(mode(journal) == 0o400)
        #expect(!exists(journal + "-shm") && !exists(journal + "-wal"))
        let report = try truceAsNobody(["report", "--data", d, "--sector", "B", "--status", "confirmed"])
        #expect(report.status == 2)
        #expect(report.stderr.contains("journal.sqlite cannot be written (Permission denied)"))
        #expect(report.stderr.contains("status, log and export can still read it"))
        chmod(journal, 0o600)
        #expect(try truceAsNobody(["report", "--data", d, "--sector", "B", "--status", "confirmed"]).status == 0)
    }

    /// A healthy journal in a directory we cannot write is read, and a writer
    /// is told it cannot write: never "not a truce journal".
    @Test func aHealthyJournalInADirectoryWeCannotWrite() throws {
        guard root else { return }
        let d = dir()
        #expect(try truce(["report", "--data", d, "--sector", "A", "--status", "confirmed"]).status == 0)
        chmod(d, 0o755)
        chmod(d + "/journal.sqlite", 0o644)
        let status = try truceAsNobody(["status", "--data", d])
        #expect(status.status == 0, "\(status.stderr)")
        let report = try truceAsNobody(["report", "--data", d, "--sector", "B", "--status", "confirmed"])
        #expect(report.status == 2)
        #expect(report.stderr.contains("cannot be written"))
        #expect(!report.stderr.contains("not a truce journal"))
    }

    @Test func aJournalReadUnderAnotherRosterSaysSo() throws {
        let d = dir()
        #expect(try truce(["report", "--data", d, "--sector", "A", "--status", "confirmed"]).status == 0)
        #expect(try truce(["act", "commit", "INC-0001", "--member", "GB", "--data", d, "--by", "x"]).status == 0)
        let policy = try temporaryFile("[[member]]\ncode = \"UA\"\nname = \"Ukraine\"\ntier = 1\n")
        for cmd in ["status", "log"] {
            let r = try truce([cmd, "--data", d, "--policy", policy])
            #expect(r.status == 1)
            #expect(r.stderr.contains("1 journal record was rejected under this policy"))
        }
    }

    /// A month of an unacknowledged incident is one reminder line in `log`;
    /// `--all` and `--json` keep every one.
    @Test func logFoldsReminderRuns() throws {
        let d = dir()
        let r = try truce(["ingest", "--data", d, "-"], stdin: """
            {"type":"report","id":"R-1","sector":"A","status":"confirmed","at":"2026-01-01T00:00:00Z"}
            {"type":"action","action":"warning","incident":"INC-0001","at":"2026-01-31T00:00:00Z"}
            """)
        #expect(r.status == 0)
        let folded = try truce(["log", "--data", d]).stdout.split(separator: "\n")
        #expect(folded.count < 12, "\(folded.joined(separator: "\n"))")
        #expect(folded.contains { $0.contains("INC-0001   reminder ×95 from 2026-01-01 00:15:00Z to 2026-01-01 23:45:00Z") })
        let all = try truce(["log", "--data", d, "--all"]).stdout.split(separator: "\n")
        #expect(all.count > 30 * 96)
        #expect(try truce(["log", "--data", d, "--json"]).stdout.split(separator: "\n").count >= all.count)  // + notifications
    }

    /// Interrupted, ingest commits what it read and says which lines; the
    /// same input again stores only the rest.
    @Test func interruptedIngestSaysWhatItCommittedAndResumes() throws {
        let d = dir()
        let lines = (1...300).map { #"{"type":"narrate","text":"line \#($0)"}"# }
        let errPath = Scratch.directory + "truce-err-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: errPath, contents: nil))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: truceBinary)
        p.arguments = ["ingest", "--data", d, "-"]
        let pipe = Pipe()
        p.standardInput = pipe
        p.standardError = FileHandle(forWritingAtPath: errPath)
        let writer = pipe.fileHandleForWriting
        try p.run()
        try writer.write(contentsOf: Data((lines[0..<120].joined(separator: "\n") + "\n").utf8))
        // Wait until the first 120 are committed (the input is quiet: it commits at once).
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, (try? truce(["export", "--data", d]).stdout.split(separator: "\n").count) != 120 { usleep(50_000) }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        try writer.close()
        #expect(p.terminationStatus == 130)
        let said = try String(contentsOfFile: errPath, encoding: .utf8)
        #expect(said.contains("interrupted; committed lines 1–120 of <stdin> (stored 120, rejected 0, 0 already in the journal)"), "\(said)")
        let again = try truce(["ingest", "--data", d, "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(again.stderr.contains("stored 180, rejected 0, 120 already in the journal"), "\(again.stderr)")
        #expect(try truce(["export", "--data", d]).stdout.split(separator: "\n").count == 300)
    }
}
