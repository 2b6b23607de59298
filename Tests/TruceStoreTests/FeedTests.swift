import Foundation
import Testing
import TruceEngine
@testable import TruceStore
import TruceTestSupport

/// Appends bytes to a file (creating it).
func append(_ path: String, _ bytes: [UInt8]) {
    let f = fopen(path, "ab")!
    _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}
func append(_ path: String, _ text: String) { append(path, Array(text.utf8)) }

func lines(_ f: FeedFollower) -> [FeedFollower.Line] {
    var out: [FeedFollower.Line] = []
    f.poll { line, _ in out.append(line) }
    return out
}

@Suite("Feed following")
struct FeedTests {
    func path() -> String { Scratch.directory + "truce-feed-\(UUID().uuidString).jsonl" }

    @Test func readsCompleteLinesAndWaitsForThePartialOne() {
        let p = path()
        let f = FeedFollower(path: p, resume: nil)
        #expect(lines(f).isEmpty)  // not there yet
        append(p, "one\ntw")
        #expect(lines(f) == [.text("one", number: 1)])
        append(p, "o\r\nthree\n")
        #expect(lines(f) == [.text("two", number: 2), .text("three", number: 3)])
        #expect(f.position.offset == 15)
        #expect(lines(f).isEmpty)
    }

    /// A backlog read a few lines per poll gives the same lines and positions
    /// as one poll, across read-buffer boundaries, bad lines and a rotation.
    @Test func aLimitedPollTakesTheBacklogInShares() {
        let p = path()
        var expected: [(FeedFollower.Line, Int64)] = []
        var bytes: [UInt8] = []
        for n in 1...3000 {
            var line = Array("{\"type\":\"narrate\",\"text\":\"line \(n) \(String(repeating: "y", count: n % 97))\"}".utf8)
            if n % 500 == 0 { line = [0xFF, 0xFE] }
            bytes += line + [0x0A]
        }
        append(p, bytes)
        let whole = FeedFollower(path: p, resume: nil)
        whole.poll { line, pos in expected.append((line, pos.offset)) }
        append(p, "after\n")
        rename(p, p + ".1")
        append(p, "new file\n")
        whole.poll { line, pos in expected.append((line, pos.offset)) }

        rename(p + ".1", p + ".old")
        rename(p, p + ".new")
        append(p, bytes)
        let shares = FeedFollower(path: p, resume: nil)
        var got: [(FeedFollower.Line, Int64)] = []
        var polls = 0
        while shares.poll(limit: 7, { line, pos in got.append((line, pos.offset)) }) { polls += 1 }
        append(p, "after\n")
        rename(p, p + ".1")
        append(p, "new file\n")
        while shares.poll(limit: 7, { line, pos in got.append((line, pos.offset)) }) { polls += 1 }
        #expect(polls >= 3000 / 7)
        #expect(got.count == expected.count)
        #expect(zip(got, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 })
        #expect(got.filter { if case .rejected = $0.0 { return true } else { return false } }.count == 6)
    }

    @Test func truncationStartsOver() {
        let p = path()
        append(p, "a\nb\n")
        let f = FeedFollower(path: p, resume: nil)
        #expect(lines(f).count == 2)
        _ = truncate(p, 0)
        append(p, "c\n")
        #expect(lines(f) == [.text("c", number: 1)])
    }

    @Test func rotationFinishesTheOldFileThenFollowsTheNew() {
        let p = path()
        append(p, "a\n")
        let f = FeedFollower(path: p, resume: nil)
        #expect(lines(f) == [.text("a", number: 1)])
        append(p, "b\n")
        rename(p, p + ".1")
        append(p, "c\n")
        #expect(lines(f) == [.text("b", number: 2), .text("c", number: 1)])
    }

    @Test func longLinesInvalidUTF8AndA1MBLine() {
        let p = path()
        let big = String(repeating: "x", count: 1 << 20)
        append(p, big + "\n")
        append(p, [0x7B, 0xFF, 0x7D, 0x0A])
        append(p, [UInt8](repeating: 0x61, count: FeedFollower.maxLineBytes + 10) + [0x0A])
        append(p, "after\n")
        let got = lines(FeedFollower(path: p, resume: nil))
        #expect(got.count == 4)
        #expect(got[0] == .text(big, number: 1))
        #expect(got[1] == .rejected("not valid UTF-8", number: 2))
        #expect(got[2] == .rejected("line is too long (\(FeedFollower.maxLineBytes + 10) bytes; the limit is \(FeedFollower.maxLineBytes))", number: 3))
        #expect(got[3] == .text("after", number: 4))
    }

    @Test func resumesWhereItStoppedAndNotOnAnotherFile() {
        let p = path()
        append(p, "a\nb\n")
        let first = FeedFollower(path: p, resume: nil)
        _ = lines(first)
        append(p, "c\n")
        #expect(lines(FeedFollower(path: p, resume: first.position)) == [.text("c", number: 3)])
        // The same path now names a different file: read it from the start.
        unlink(p)
        append(p, "new\n")
        #expect(lines(FeedFollower(path: p, resume: first.position)) == [.text("new", number: 1)])
    }

    @Test func positionsAreStoredWithTheRecordsSoNothingIsReadTwice() throws {
        let dir = freshDirectory()
        let p = path()
        append(p, #"{"type":"narrate","text":"a"}"# + "\n" + #"{"type":"bogus"}"# + "\n")
        let t = try RFC3339.parse("2026-02-10T04:00:00Z").get()
        func run() throws -> Int {
            let log = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
            let f = FeedFollower(path: p, resume: try log.journal.feedPosition(p))
            var appended = 0
            try f.poll { line, pos in
                switch line {
                case .text(let text, let n):
                    if case .accepted = try log.append(text, number: n, source: "feed", feed: pos, now: { t }) { appended += 1 }
                case .rejected:
                    _ = try log.journal.transaction(feed: pos) { () throws(JournalError) in [] }
                }
            }
            return appended
        }
        #expect(try run() == 1)
        #expect(try run() == 0)  // restart: nothing re-read
        append(p, #"{"type":"narrate","text":"b"}"# + "\n")
        #expect(try run() == 1)
        #expect(try Journal(directory: dir).records().count == 2)
    }

    @Test func aVersion1JournalIsMigrated() throws {
        let dir = freshDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + Journal.fileName
        try sqlite3(path, Journal.migrations[1]! + """
            INSERT INTO records (received_at, source, line) VALUES (1770696000, 'old', '{"at":"2026-02-10T04:00:00Z","type":"narrate","text":"kept"}');
            PRAGMA application_id=\(Journal.applicationID); PRAGMA user_version=1;
            """)
        let j = try Journal(directory: dir)
        #expect(try j.records().map(\.source) == ["old"])
        #expect(try j.feedPosition("x") == nil)  // the v2 table exists
        #expect(try j.snapshots(header: [1]).isEmpty)  // and the v3 one
    }
}
