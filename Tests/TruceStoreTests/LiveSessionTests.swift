import Foundation
import Testing
import TruceConsole
import TruceEngine
import TruceStore

/// The whole live round trip without a terminal: key → append → pull →
/// board, on a real journal, through the same run loop the console uses.
@Suite("Live session on an in-memory terminal")
struct LiveSessionTests {
    let t0 = 1_770_000_000.0

    func open(_ dir: String, script: [Key?]) throws -> (Console, LiveSession, MemoryTerminal) {
        let term = MemoryTerminal(width: 120, height: 40, script: script, wall: t0)
        let (console, session) = try LiveSession.start(journal: try Journal(directory: dir), policy: .standard, feeds: [],
                                                       operatorName: "duty", themes: [.builtIn]) {
            Instant(seconds: Int64(term.wallNow))
        }
        return (console, session, term)
    }

    @Test func keyAppendPullBoardAndAnotherProcessesRecords() throws {
        let dir = freshDirectory()
        let other = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        let at = Instant(seconds: Int64(t0))
        _ = try other.append(#"{"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}"#, source: "test") { at }

        var waitsSeen = 0
        let a: Key? = .char("a")
        var (console, session, term) = try open(dir, script: [nil, a, nil, a, nil, nil, nil, .char("q")])
        term.beforeKey = { k in
            guard k == nil else { return }
            waitsSeen += 1
            if waitsSeen == 3 {
                // Another process reports in another sector while the console runs.
                _ = try? other.append(#"{"type":"report","id":"R-2","sector":"Lyman","status":"confirmed"}"#, source: "test") {
                    Instant(seconds: Int64(term.wallNow))
                }
            }
        }
        #expect(RunLoop.run(&console, terminal: term, clock: term, session: session) == 0)
        let text = try #require(term.lastFrame).text
        #expect(text.contains("INC-0002"), "another process's report did not reach the board")
        #expect(text.contains("open 2  unack 1"))
        #expect(console.selectedIncident == "INC-0001")  // the new incident did not take the selection
        // The second `a` was refused before anything was written: one ack in the journal.
        let acks = try Journal(directory: dir).records().filter { $0.line.contains(#""action":"ack""#) }
        #expect(acks.count == 1)
        #expect(acks.first?.line.contains(#""incident":"INC-0001""#) == true)
        #expect(acks.first?.source == "console")
        #expect(console.recent.contains { $0.kind == .incidentAcknowledged && $0.by == "duty" })
    }

    @Test func aRejectedAppendIsShownAndWritesNothing() throws {
        let dir = freshDirectory()
        let other = try LiveLog(journal: try Journal(directory: dir), policy: .standard)
        let at = Instant(seconds: Int64(t0))
        _ = try other.append(#"{"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}"#, source: "test") { at }
        // Resolve asks first; another process resolves it while the question is up.
        var (console, session, term) = try open(dir, script: [nil, .char("R"), nil, .char("y"), nil, .char("q")])
        term.beforeKey = { k in
            if k == .char("y") {
                _ = try? other.append(#"{"type":"action","action":"resolve","incident":"INC-0001","by":"hq"}"#, source: "test") {
                    Instant(seconds: Int64(term.wallNow))
                }
            }
        }
        #expect(RunLoop.run(&console, terminal: term, clock: term, session: session) == 0)
        let text = try #require(term.lastFrame).text
        #expect(text.contains("resolve INC-0001 Siversk rejected: INC-0001 is resolved"))
        #expect(try Journal(directory: dir).records().count == 2)
    }
}
