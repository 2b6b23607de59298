import Foundation
import Testing
import TruceTestSupport

/// Review mode through the binary in tmux: the board at a past instant must
/// be exactly what `truce snapshot --at` prints for it (every pane; the
/// header and the footer are the review's own), in a demo and on a live journal.
@Suite("Review mode in tmux", .serialized)
struct ReviewTmuxTests {
    /// The panes of a 120×40 screen: all but the header (first) and footer (last) lines.
    static func panes(_ screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
        return Array(lines.dropFirst().prefix(38))
    }

    /// Reviews `at` with `@` and checks the board against `truce snapshot FILE --at`.
    func expectSnapshot(_ t: Tmux, file: String, at: String, shown: String) throws {
        try t.send("@")
        try t.waitFor("Review at")
        try t.send(at, literal: true)
        try t.send("Enter")
        try t.waitFor("REVIEW \(shown)")
        let snap = try truce(["snapshot", file, "--at", at, "--size", "120x40"])
        #expect(snap.status == 0, "\(snap.stderr)")
        let want = Self.panes(snap.stdout)
        // The frame may still be reaching the terminal: wait a little for it to settle on the snapshot's panes.
        let settled = try? t.waitUntil(timeout: 3, what: "the snapshot's panes") { Self.panes($0) == want }
        let screen = try settled ?? t.screen()
        let got = Self.panes(screen)
        #expect(got == want, "review at \(at) differs from truce snapshot --at:\n\(screen)\n--- snapshot:\n\(snap.stdout)")
    }

    @Test func demoReviewMatchesSnapshotAndStepsByEvent() throws {
        let file = try temporaryFile(try truce(["demo", "climb", "--print"]).stdout)
        defer { unlink(file) }
        let t = try Tmux(width: 120, height: 40, command: "\(Tmux.quote(truceBinary)) demo \(Tmux.quote(file)) --paused --by e2e")
        try t.waitForAll("PAUSED", "Incidents 0")
        // Every record, to the end of the walkthrough: the live board is at +75h.
        for _ in 0..<31 { try t.send(".") }
        try t.waitFor("End of walkthrough")

        for (at, shown) in [("2026-02-10T05:05:00Z", "2026-02-10 05:05:00Z"), ("2026-02-10T13:30:00Z", "2026-02-10 13:30:00Z"),
                            ("2026-02-12T06:00:00Z", "2026-02-12 06:00:00Z"), ("2026-02-13T04:10:00Z", "2026-02-13 04:10:00Z")] {
            try expectSnapshot(t, file: file, at: at, shown: shown)
        }
        var s = try t.screen()
        #expect(s.contains("live is +2h50m ahead"), "\(s)")

        // Nobody acts in the past.
        try t.send("a")
        try t.waitFor("nothing recorded: this is the board at 2026-02-13 04:10:00Z, in the past")

        // By event, of the selected incident: back from 13:30 to the acknowledgement at 13:10,
        // then forward past the reminders to GB's commitment at 15:00.
        try expectSnapshot(t, file: file, at: "2026-02-10T13:30:00Z", shown: "2026-02-10 13:30:00Z")
        try t.send("[")
        try t.waitFor("REVIEW 2026-02-10 13:10:00Z")
        try t.send("]")
        s = try t.waitFor("REVIEW 2026-02-10 15:00:00Z")
        #expect(s.contains("GB  United Kingdom            committed"), "\(s)")
        // By the hour, and a relative time.
        try t.send("{")
        try t.waitFor("REVIEW 2026-02-10 14:00:00Z")
        try t.send("@")
        try t.send("-74h", literal: true)
        try t.send("Enter")
        try t.waitFor("REVIEW 2026-02-10 05:00:00Z")
        try t.send("@")
        try t.send("yesterday", literal: true)
        try t.send("Enter")
        try t.waitFor("@ yesterday: ")

        // Esc: now again, where actions work.
        try t.send("Escape")
        s = try t.waitFor("back to now")
        #expect(!s.contains("REVIEW"))
        try t.send("}")
        try t.waitFor("} steps forward in the past")
        // A key held down (a burst of them): one step of the sum, and the board answers at once.
        try t.send(String(repeating: "{", count: 30), literal: true)
        try t.waitFor("REVIEW 2026-02-12 01:00:00Z", timeout: 5)
        try t.send("q")
        try t.waitFor("TRUCE-EXIT=0")
    }

    @Test func liveJournalReviewMatchesSnapshotOfItsExport() throws {
        let dir = Scratch.directory + "truce-review-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Records received a few seconds apart: the journal's past is by receipt.
        let steps: [[String]] = [
            ["report", "--sector", "Pokrovsk", "--status", "confirmed", "--kind", "artillery"],
            ["act", "ack", "INC-0001", "--by", "hq"],
            ["report", "--sector", "Kupiansk", "--status", "confirmed"],
            ["act", "warning", "INC-0001", "--by", "hq", "--note", "delivered"],
        ]
        for (n, args) in steps.enumerated() {
            if n > 0 { sleep(2) }
            let r = try truce(args + ["--data", dir])
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let export = try truce(["export", "--data", dir])
        #expect(export.status == 0, "\(export.stderr)")
        let file = try temporaryFile(export.stdout)
        defer { unlink(file) }
        let times = export.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: #""at":""#) else { return nil }
            return String(line[r.upperBound...].prefix(20))
        }.filter { $0.hasSuffix("Z") }
        try #require(times.count == 4, "\(export.stdout)")

        let t = try Tmux(width: 120, height: 40, command: "\(Tmux.quote(truceBinary)) console --data \(Tmux.quote(dir)) --by hq")
        try t.waitForAll("Incidents 2", "LIVE")
        // A review keeps the selection (the live board's, then its own); `truce snapshot`
        // selects the first row: each instant starts from the live board's first row.
        for at in times {
            // The incident `truce snapshot` selects (the first row at that instant), selected on the live board.
            let snap = try truce(["snapshot", file, "--at", at, "--size", "120x40"]).stdout
            let id = try #require(snap.range(of: "▶INC-").map { String(snap[snap.index($0.lowerBound, offsetBy: 1)...].prefix(8)) })
            try t.send("Escape")  // (a key right after Esc would make it Alt-key: wait for the live board)
            try t.waitUntil(what: "the live board") { !$0.contains("REVIEW") }
            usleep(300_000)
            try t.send("g")
            usleep(300_000)
            for _ in 0..<5 where !(try t.screen()).contains("▶" + id) {
                try t.send("j")
                usleep(200_000)
            }
            try t.waitFor("▶" + id)
            let shown = at.replacingOccurrences(of: "T", with: " ")
            try expectSnapshot(t, file: file, at: at, shown: shown)
        }
        // Back by event from the last record (the board's): the second report, then the acknowledgement.
        try t.send("Tab")
        try t.send("[")
        try t.waitFor("REVIEW \(times[2].replacingOccurrences(of: "T", with: " "))")
        try t.send("[")
        try t.waitFor("REVIEW \(times[1].replacingOccurrences(of: "T", with: " "))")
        // A record arriving meanwhile reaches the live board underneath; the header counts it.
        #expect(try truce(["report", "--sector", "Siversk", "--status", "confirmed", "--data", dir]).status == 0)
        try t.waitFor("· 1 new record")
        try t.send("Escape")
        try t.waitForAll("back to now", "Incidents 3")
        try t.send("q")
        try t.waitFor("TRUCE-EXIT=0")
    }
}
