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

    /// A feed that is missing is reported to the console (and shown in the
    /// top bar in the alert style); once it appears, the report says so.
    @Test func feedHealthReachesTheBoard() throws {
        let dir = freshDirectory()
        let missing = dir + "/later.jsonl"
        let present = dir + "/now.jsonl"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        #expect(FileManager.default.createFile(atPath: present, contents: Data()))
        let at = Instant(seconds: Int64(t0))
        var (console, session) = try LiveSession.start(journal: try Journal(directory: dir), policy: .standard,
                                                       feeds: [present, missing], operatorName: "duty", themes: [.builtIn],
                                                       source: "LIVE · journal test") { at }
        func poll() -> [Message] {
            let out = session.perform(.pollFeeds)
            for m in out { _ = console.update(m) }
            return out
        }
        _ = console.update(.resize(width: 120, height: 40))
        #expect(poll().contains(.feeds(FeedHealth(ok: 1, problems: ["later.jsonl: missing"]))))
        #expect(!poll().contains { if case .feeds = $0 { return true } else { return false } })  // said once, until it changes
        var screen = Screen(width: 120, height: 40)
        BoardRenderer.render(console.view(), into: &screen)
        let top = screen.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(top.contains("LIVE · journal test") && top.contains("feeds 1 ok, 1 failing"), "\(top)")
        let x = top.distance(from: top.startIndex, to: top.range(of: "feeds 1 ok")!.lowerBound)
        #expect(screen[x, 0].role == .headerAlert)
        #expect(console.message?.text == "feed later.jsonl: missing")

        #expect(FileManager.default.createFile(atPath: missing, contents: Data()))
        #expect(poll().contains(.feeds(FeedHealth(ok: 2, problems: []))))
        BoardRenderer.render(console.view(), into: &screen)
        #expect(screen.text.contains("feeds 2 ok"))
    }

    /// Feeds are named in messages by file name, so the line number and the
    /// reason stay on the one row; by path where two share a file name.
    @Test func feedsAreNamedShortWhereThatIsUnambiguous() {
        #expect(LiveSession.shownNames(["/var/spool/a/patrols.jsonl", "/var/spool/b/osint.jsonl", "local.jsonl"])
                == ["patrols.jsonl", "osint.jsonl", "local.jsonl"])
        #expect(LiveSession.shownNames(["/a/feed.jsonl", "/b/feed.jsonl", "/c/other.jsonl"])
                == ["/a/feed.jsonl", "/b/feed.jsonl", "other.jsonl"])
        #expect(LiveSession.shownNames(["/", "/srv/feeds/", "-"]) == ["/", "feeds", "-"])
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
