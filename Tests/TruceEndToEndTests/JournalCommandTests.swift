import Foundation
import Testing
import TruceTestSupport

/// The journal commands through the real binary: several processes at once,
/// and the export → replay round trip.
@Suite("Journal commands", .serialized)
struct JournalCommandTests {
    func journalDir() -> String { Scratch.directory + "truce-e2e-journal-\(UUID().uuidString)" }

    @Test func reportActStatusLogExport() throws {
        let dir = journalDir()
        let r = try truce(["report", "--data", dir, "--sector", "Pokrovsk", "--status", "confirmed", "--id", "R-1", "--kind", "drone"])
        #expect(r.status == 0)
        #expect(r.stdout == "R-1\n")
        let gen = try truce(["report", "--data", dir, "--sector", "Lyman", "--status", "reported"])
        #expect(gen.stdout == "R-2\n")
        #expect(try truce(["act", "--data", dir, "ack", "INC-0001", "--by", "duty"]).status == 0)
        let bad = try truce(["act", "--data", dir, "commit", "INC-0001", "--member", "XX"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "truce: rejected: unknown roster member \"XX\"\n")
        let status = try truce(["status", "--data", dir, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let inc = try #require((doc["incidents"] as? [[String: Any]])?.first)
        #expect(inc["acknowledged"] as? Bool == true)
        #expect((doc["pending"] as? [String])?.count == 1)
        let log = try truce(["log", "--data", dir])
        #expect(log.stdout.contains("INC-0001   acknowledged by duty"))
        let export = try truce(["export", "--data", dir])
        #expect(export.stdout.split(separator: "\n").count == 3)  // the rejected commit was never written
    }

    /// `ingest` refuses a line that is not UTF-8 as `replay` and `validate`
    /// do, saying where (it used to store it with the bad byte replaced),
    /// keeps the others, and skips a Latin-1 comment.
    @Test func ingestRejectsBadUTF8AsReplayDoes() throws {
        let dir = journalDir()
        let input = Scratch.directory + "truce-test-\(UUID().uuidString).jsonl"
        try Data(Array(#"{"type":"narrate","text":"a"}"#.utf8) + [0x0A] + Array("# caf".utf8) + [0xE9, 0x0A]
                 + Array(#"{"type":"narrate","text":"a"#.utf8) + [0xFF] + Array("b\"}\n".utf8)
                 + Array(#"{"type":"narrate","text":"c"}"#.utf8) + [0x0A]).write(to: URL(fileURLWithPath: input))
        let r = try truce(["ingest", "--data", dir, input])
        #expect(r.status == 1)
        #expect(r.stdout == "\(input):3: not valid UTF-8 (byte 28)\n")
        #expect(r.stderr == "truce: ingested lines 1–4 of \(input): stored 2, rejected 1, 0 already in the journal\n")
        #expect(try truce(["validate", input]).stdout.contains(r.stdout))  // which also wants times a journal gives
        #expect(try truce(["export", "--data", dir]).stdout.split(separator: "\n").count == 2)
    }

    /// An ingested line's idempotency key is `ingest|FILE|LINE|hash`, the
    /// hash as every earlier version made it (a journal written by one
    /// version is ingested into again by the next: a changed key would store
    /// every record twice). The expected hashes were computed apart, by a
    /// Python rendering of the two 64-bit hashes; the file is named through a
    /// symlink, and the key names the file itself.
    @Test func ingestKeysKeepTheirFormat() throws {
        let dir = journalDir()
        let text = #"{"type":"narrate","text":"Покровськ"}"# + "\n\n" + #"{"type":"narrate","text":"x"}"# + "\n"
        let input = try temporaryFile(text)
        let link = Scratch.directory + "truce-link-\(UUID().uuidString).jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: input)
        #expect(try truce(["ingest", "--data", dir, link]).status == 0)
        let q = Process()
        q.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        q.arguments = ["file:\(dir)/journal.sqlite?mode=ro", "SELECT key FROM records ORDER BY seq"]
        let pipe = Pipe()
        q.standardOutput = pipe
        try q.run()
        let keys = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        q.waitUntilExit()
        let real = URL(fileURLWithPath: input).resolvingSymlinksInPath().path
        #expect(keys == "ingest|\(real)|1|5e7d486376ba0bdae899598529002058\n" + "ingest|\(real)|3|3dabb3aa2147b1e761b9ceda00ecd91d\n")
    }

    /// A record refused before the journal has any time (its first) still
    /// says why: a relative "at" with no scenario start (it said only "rejected").
    @Test func ingestIntoAnEmptyJournalSaysWhyARecordIsRejected() throws {
        let dir = journalDir()
        let input = try temporaryFile(#"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"+10m"}"# + "\n")
        defer { unlink(input) }
        let r = try truce(["ingest", "--data", dir, input])
        #expect(r.status == 1)
        #expect(r.stdout == "\(input):1: \"at\" is relative but the file has no scenario start\n")
    }

    /// Empty notes are refused as usage errors (exit 2, nothing written), and
    /// `log --since` takes relative times like every other time option.
    @Test func emptyNotesAndRelativeSince() throws {
        let dir = journalDir()
        #expect(try truce(["log", "--data", dir, "--since", "+1h"]).status == 2)  // no journal yet
        _ = try truce(["report", "--data", dir, "--sector", "Lyman", "--status", "confirmed"])
        for args in [["act", "note", "INC-0001"], ["act", "note", "INC-0001", "--note", " "], ["act", "ack", "INC-0001", "--note", ""],
                     ["report", "--sector", "Lyman", "--status", "confirmed", "--note", "\t"]] {
            let r = try truce(args + ["--data", dir])
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("note"), "\(args): \(r.stderr)")
        }
        #expect(try truce(["export", "--data", dir]).stdout.split(separator: "\n").count == 1)
        let all = try truce(["log", "--data", dir]).stdout
        #expect(try truce(["log", "--data", dir, "--since", "+0s"]).stdout == all)
        #expect(try truce(["log", "--data", dir, "--since", "-1h"]).stdout == all)
        #expect(try truce(["log", "--data", dir, "--since", "+1h"]).stdout.isEmpty)
        let bad = try truce(["log", "--data", dir, "--since", "-1x"])
        #expect(bad.status == 2 && bad.stderr.contains("not a duration"))
    }

    /// `truce replay` of an export reproduces the journal's timeline exactly.
    @Test func exportReplaysToTheSameTimeline() throws {
        let dir = journalDir()
        let input = try temporaryFile("""
            {"type":"report","id":"R-1","sector":"Siversk","status":"reported"}
            {"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}
            {"type":"action","action":"ack","incident":"INC-0001","by":"a"}
            {"type":"action","action":"warning","incident":"INC-0001","by":"a"}
            {"type":"narrate","text":"bad next"}
            {"type":"action","action":"escalate","incident":"INC-0009"}
            {"type":"report","id":"R-2","sector":"Siversk","status":"confirmed"}
            {"type":"action","action":"ack","incident":"INC-0001","by":"a"}

            """)
        let ingest = try truce(["ingest", "--data", dir, input])
        #expect(ingest.status == 1)
        #expect(ingest.stdout == "\(input):6: unknown incident \"INC-0009\"\n")
        #expect(ingest.stderr == "truce: ingested lines 1–8 of \(input): stored 7, rejected 1, 0 already in the journal\n")
        let log = try truce(["log", "--data", dir, "--json"])
        let export = try truce(["export", "--data", dir])
        let exported = try temporaryFile(export.stdout)
        // Up to an hour from now no timer is due (acknowledged, deadlines a day away).
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let replay = try truce(["replay", exported, "--json", "--until", until])
        #expect(replay.status == 0)
        #expect(!log.stdout.isEmpty)
        #expect(replay.stdout == log.stdout)
        #expect(log.stdout.contains("\"event\":\"tier.escalated\""))
    }

    /// A generated id is the first free `R-n`, and processes generating at
    /// once never get the same one (the second would become an update of the first).
    @Test func generatedIDsAreShortAndNeverShared() throws {
        let dir = journalDir()
        #expect(try truce(["report", "--data", dir, "--sector", "Lyman", "--status", "reported", "--id", "R-2"]).status == 0)
        #expect(try truce(["report", "--data", dir, "--sector", "Lyman", "--status", "reported"]).stdout == "R-3\n")
        let procs = try (0..<8).map { k in try startTruce(["report", "--data", dir, "--sector", "S\(k)", "--status", "reported"]) }
        for p in procs { p.waitUntilExit() }
        #expect(procs.allSatisfy { $0.terminationStatus == 0 })
        let status = try truce(["status", "--data", dir, "--json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let pending = try #require(doc["pending"] as? [String])
        #expect(Set(pending) == Set(["R-2", "R-3"] + (4...11).map { "R-\($0)" }))
    }

    /// Several processes opening a journal that does not exist yet, at the same instant.
    @Test func simultaneousFirstOpensAllSucceed() throws {
        for round in 0..<15 {
            let dir = journalDir()
            let procs = try (0..<3).map { k in
                try startTruce(["report", "--data", dir, "--sector", "S\(k)", "--status", "reported", "--id", "R-\(k)"])
            }
            for p in procs { p.waitUntilExit() }
            #expect(procs.map(\.terminationStatus) == [0, 0, 0], "round \(round)")
            #expect(try truce(["export", "--data", dir]).stdout.split(separator: "\n").count == 3, "round \(round)")
        }
    }

    /// Two processes append at once: nothing lost, nothing doubled, each one's order kept.
    @Test func concurrentWritersLoseNothing() throws {
        let dir = journalDir()
        let n = 1200
        var files: [String] = []
        for who in ["A", "B"] {
            let lines = (1...n).map { #"{"type":"narrate","text":"\#(who) \#($0)"}"# }
            files.append(try temporaryFile(lines.joined(separator: "\n") + "\n"))
        }
        // Start both, then wait for both.
        let procs = try files.map { try startTruce(["ingest", "--data", dir, $0]) }
        for p in procs { p.waitUntilExit() }
        #expect(procs.allSatisfy { $0.terminationStatus == 0 })
        let texts = try truce(["export", "--data", dir]).stdout.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: #""text":""#) else { return nil }
            return String(line[r.upperBound...].dropLast(2))
        }
        #expect(texts.count == 2 * n)
        #expect(Set(texts).count == 2 * n)
        for who in ["A", "B"] {
            let mine = texts.filter { $0.hasPrefix(who + " ") }.map { Int($0.dropFirst(2))! }
            #expect(mine == Array(1...n), "\(who)'s records out of order or missing")
        }
    }
}

/// The numbers of the `{"type":"narrate","text":"n 17"}` records an export holds, in order.
func narrationNumbers(_ export: String) -> [Int] {
    export.split(separator: "\n").compactMap { line -> Int? in
        guard let r = line.range(of: #""text":"n "#) else { return nil }
        return Int(line[r.upperBound...].prefix { $0.isNumber })
    }
}

/// Appends that returned success survive kill -9 of the writer, and the
/// journal opens cleanly after every kill.
@Suite("Journal under kill -9", .serialized)
struct JournalKillTests {
    /// Killing `truce ingest` at random moments leaves an exact prefix of its
    /// input, and ingesting the file again stores the rest, nothing twice.
    @Test func killedIngestLeavesAnExactPrefixAndResumes() throws {
        var rng = SystemRandomNumberGenerator()
        let lines = (1...40_000).map { #"{"type":"narrate","text":"n \#($0)"}"# }
        let input = try temporaryFile(lines.joined(separator: "\n") + "\n")
        var storedInAll = 0
        for round in 0..<4 {
            let dir = Scratch.directory + "truce-kill-ingest-\(UUID().uuidString)"
            let p = try startTruce(["ingest", "--data", dir, input])
            // The random moment counts from the journal's creation: on a loaded
            // machine start-up alone can outlast a fixed delay.
            let made = Date()
            while !FileManager.default.fileExists(atPath: dir + "/journal.sqlite") && Date().timeIntervalSince(made) < 10 { usleep(5_000) }
            usleep(UInt32.random(in: 150_000...500_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let export = try truce(["export", "--data", dir])
            // On a loaded machine the kill can come before ingest has made its journal: nothing to check then.
            if export.status == 2 && export.stderr.contains("no journal at") { continue }
            #expect(export.status == 0, "the journal did not open cleanly (round \(round)): \(export.stderr)")
            let numbers = narrationNumbers(export.stdout)
            #expect(numbers == Array(1..<(numbers.count + 1)), "not an exact prefix (round \(round))")
            storedInAll += numbers.count
            if round == 0 {
                let again = try truce(["ingest", "--data", dir, input])
                #expect(again.status == 0)
                #expect(again.stderr.contains("stored \(lines.count - numbers.count), rejected 0, \(numbers.count) already in the journal"),
                        "\(again.stderr)")
                #expect(narrationNumbers(try truce(["export", "--data", dir]).stdout) == Array(1...lines.count))
            }
        }
        #expect(storedInAll > 0, "every kill came before the first append: the test proved nothing")
        #expect(storedInAll < 4 * lines.count, "every kill came after the end: the test proved nothing")
    }

    @Test func everyAcknowledgedAppendSurvivesKill9() throws {
        let dir = Scratch.directory + "truce-kill-\(UUID().uuidString)"
        let acked = Scratch.directory + "truce-acked-\(UUID().uuidString)"
        var rng = SystemRandomNumberGenerator()
        var next = 1
        for round in 0..<5 {
            // A writer appending one report after another, noting each success.
            let script = """
                i=\(next); while true; do \(Tmux.quote(truceBinary)) report --data \(Tmux.quote(dir)) --sector S\(round) \
                --status reported --id K-$i >/dev/null 2>&1 && echo $i >> \(Tmux.quote(acked)); i=$((i+1)); done
                """
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 200_000...600_000, using: &rng))
            // Kill the appending truce mid-flight, then the loop.
            _ = try Tmux.capture("/usr/bin/pkill", ["-9", "-f", "^\(truceBinary) report --data \(dir) "])
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            usleep(50_000)
            _ = try Tmux.capture("/usr/bin/pkill", ["-9", "-f", "^\(truceBinary) report --data \(dir) "])

            let export = try truce(["export", "--data", dir])
            #expect(export.status == 0, "the journal did not open cleanly after kill -9 (round \(round))")
            let stored = Set(export.stdout.split(separator: "\n").compactMap { line -> Int? in
                guard let r = line.range(of: #""id":"K-"#) else { return nil }
                return Int(line[r.upperBound...].prefix { $0.isNumber })
            })
            let succeeded = (try? String(contentsOfFile: acked, encoding: .utf8))?.split(separator: "\n").compactMap { Int($0) } ?? []
            #expect(!succeeded.isEmpty)
            for i in succeeded { #expect(stored.contains(i), "append \(i) returned success but is missing") }
            next = (stored.max() ?? next) + 1000
        }
    }
}

/// The live console following a feed, killed at random moments and started
/// again: each restart resumes where the journal says, so in the end every
/// line is stored once, in order, and the journal opens cleanly after every kill.
@Suite("Console under kill -9", .serialized)
struct ConsoleKillTests {
    @Test func killedConsoleResumesItsFeedWithoutLossOrRepeat() throws {
        let dir = Scratch.directory + "truce-kill-console-\(UUID().uuidString)"
        let n = 2500
        let feed = try temporaryFile((1...n).map { #"{"type":"narrate","text":"n \#($0)"}"# }.joined(separator: "\n") + "\n")
        let command = "\(Tmux.quote(truceBinary)) --data \(Tmux.quote(dir)) --feed \(Tmux.quote(feed))"
        func stored() throws -> [Int] {
            let export = try truce(["export", "--data", dir])
            #expect(export.status == 0, "the journal did not open cleanly: \(export.stderr)")
            return narrationNumbers(export.stdout)
        }
        var rng = SystemRandomNumberGenerator()
        var before = 0
        var killedMidway = 0
        for round in 0..<4 {
            let t = try Tmux(width: 100, height: 30, command: command)
            try t.waitFor("Incidents 0")
            usleep(UInt32.random(in: 20_000...400_000, using: &rng))
            let pid = try #require(try t.childPid(matching: "^\(truceBinary) --data \(dir)"))
            kill(pid, SIGKILL)
            try t.waitFor("TRUCE-EXIT=137")
            let numbers = try stored()
            #expect(numbers == Array(1..<(numbers.count + 1)), "not an exact prefix after kill \(round)")
            #expect(numbers.count >= before, "lines lost after kill \(round)")
            if numbers.count > before && numbers.count < n { killedMidway += 1 }
            before = numbers.count
        }
        #expect(killedMidway > 0, "no kill landed while the feed was being read: the test proved nothing")
        // The last run reads the rest.
        let t = try Tmux(width: 100, height: 30, command: command)
        try t.waitFor("Incidents 0")
        _ = try t.waitUntil(timeout: 60, what: "every line stored") { _ in (try? stored().count) == n }
        try t.send("q")
        try t.waitFor("TRUCE-EXIT=0")
        #expect(try stored() == Array(1...n))
    }
}
