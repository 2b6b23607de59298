import Testing
import TruceConsole
import TruceEngine

/// Review mode in the console model: nobody acts in the past, the demo's own
/// actions are part of its past, a live board asks its session and keeps
/// counting what arrives, and the view settings carry over both ways.
extension Console {
    /// A review key and the tick that ends its burst of keys (when the step is taken).
    @discardableResult
    mutating func step(_ k: Character) -> [Effect] {
        _ = update(.key(.char(k)))
        let effects = update(.tick(monotonic: 1_000_000, wall: 0))
        _ = update(.frameShown)
        return effects
    }
}

@Suite("Review mode")
struct ReviewTests {
    func header(_ c: Console) -> String {
        String(render(c, 120, 40).text.split(separator: "\n").first ?? "")
    }

    @Test func everyActionKeyIsRefusedWhileReviewingAndNothingIsRecorded() {
        var c = console(at: 5, text: threeOpen)
        c.step("{")
        #expect(c.review?.at == Instant(seconds: 1_772_323_200 + 4 * 3600))  // 2026-03-01T04:00Z
        let before = (c.engine.acceptedCount, c.engine.rejectedCount, c.review!.board.engine.acceptedCount)
        for k in ["a", "w", "r", "E", "R", "n"] {
            #expect(c.press(.char(Character(k))).isEmpty)
            #expect(c.overlay == nil && c.review?.board.overlay == nil, "\(k) opened a question or prompt")
            #expect(c.message?.text.hasPrefix("nothing recorded: this is the board at 2026-03-01 04:00:00Z, in the past") == true)
        }
        c.press(.tab)  // the roster pane: commit and decline
        for k in ["c", "d"] {
            #expect(c.press(.char(Character(k))).isEmpty)
            #expect(c.message?.text.hasPrefix("nothing recorded") == true)
        }
        #expect((c.engine.acceptedCount, c.engine.rejectedCount, c.review!.board.engine.acceptedCount) == before)
        #expect(header(c).contains("REVIEW 2026-03-01 04:00:00Z · live is +1h ahead"))
    }

    @Test func aDemosOwnActionsArePartOfItsPast() {
        var c = console(at: 3, text: threeOpen)
        c.select("INC-0001")
        c.press(.char("a"))  // at +3h
        #expect(c.engine.incident(id: "INC-0001")?.acknowledged == true)
        c.press(.char(" "))
        _ = c.update(.tick(monotonic: 5, wall: 0))  // on to +5h
        c.press(.char(" "))
        c.select("INC-0001")
        c.step("[")  // the previous event of INC-0001: the acknowledgement
        #expect(c.review?.at == Instant(seconds: 1_772_323_200 + 3 * 3600))
        #expect(c.review?.board.engine.incident(id: "INC-0001")?.acknowledged == true)
        c.step("[")  // before it: the incident opening, unacknowledged
        #expect(c.review?.at == Instant(seconds: 1_772_323_200))
        #expect(c.review?.board.engine.incident(id: "INC-0001")?.acknowledged == false)
        c.step("[")
        #expect(c.message?.text == "no earlier event of INC-0001")
        #expect(c.review?.at == Instant(seconds: 1_772_323_200))
        // Forward past now: the live board again.
        c.step("}")
        c.step("}")
        c.step("}")
        c.step("}")
        c.step("}")
        #expect(c.review == nil)
        #expect(c.message?.text == "back to now")
    }

    @Test func aLiveBoardAsksItsSessionAndCountsWhatArrives() {
        var engine = Engine(policy: .standard, mode: .live)
        engine.process(line: #"{"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}"#, number: 1,
                       receivedAt: Instant(seconds: 1_000_000))
        var c = Console(engine: engine, operatorName: "t", live: true)
        _ = c.update(.resize(width: 120, height: 40))
        _ = c.update(.tick(monotonic: 0, wall: 1_007_200))
        #expect(c.press(.char("{")).isEmpty)  // asked once the burst of keys is over: at the tick before the frame
        let effects = c.update(.tick(monotonic: 1, wall: 1_007_200))
        let query = ReviewQuery(request: .by(seconds: -3600), from: Instant(seconds: 1_007_200), now: Instant(seconds: 1_007_200))
        #expect(effects.last == .review(query))
        // An action key before the answer: nothing recorded.
        c.press(.char("a"))
        #expect(c.message?.text == "nothing recorded: the board is on its way to the past")
        #expect(c.review == nil)  // nothing until the session answers

        var past = Engine(policy: .standard, mode: .live)
        past.process(line: #"{"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}"#, number: 1,
                     receivedAt: Instant(seconds: 1_000_000))
        past.advance(through: Instant(seconds: 1_003_600))
        _ = c.update(.reviewed(.state(ReviewedEngine(at: Instant(seconds: 1_003_600), engine: past))))
        #expect(c.review?.at == Instant(seconds: 1_003_600))
        #expect(header(c).contains("live is +1h ahead"))
        #expect(!header(c).contains("new record"))

        // A record arrives: the live board takes it; the header counts it.
        _ = c.update(.pulled([JournalLine(seq: 2, line: #"{"type":"report","id":"R-2","sector":"Lyman","status":"confirmed","at":"1970-01-12T15:46:40Z"}"#,
                                          receivedAt: Instant(seconds: 1_007_200))], through: nil))
        #expect(c.engine.incidents.count == 2)
        #expect(c.review?.board.engine.incidents.count == 1)
        #expect(header(c).contains("· 1 new record"))

        // The session says a refusal, or that the instant asked for is now.
        _ = c.update(.reviewed(.refused("the journal could not be read: disk I/O error")))
        #expect(c.message == StatusMessage(text: "the journal could not be read: disk I/O error", isError: true))
        #expect(c.review != nil)
        _ = c.update(.reviewed(.live))
        #expect(c.review == nil)
    }

    /// A key held down: the steps of one burst are one question, the sum of them.
    @Test func aBurstOfStepsIsAskedOnce() {
        var c = console(at: 5, text: threeOpen)
        _ = c.update(.key(.tab))  // the whole board
        for _ in 0..<3 { _ = c.update(.key(.char("["))) }
        #expect(c.review == nil)
        _ = c.update(.tick(monotonic: 1_000_000, wall: 0))
        // Events at +0h, +1h, +2h, +5h (two opened at +5h: one instant): three back from +5h is +0h.
        #expect(c.review?.at == Instant(seconds: 1_772_323_200))
        for _ in 0..<2 { _ = c.update(.key(.char("}"))) }
        _ = c.update(.key(.char("a")))  // another key: the steps before it are taken first, then it is refused
        #expect(c.review?.at == Instant(seconds: 1_772_323_200 + 2 * 3600))
        #expect(c.message?.text.hasPrefix("nothing recorded") == true)
    }

    @Test func viewSettingsCarryOverBothWays() {
        var c = console(at: 5, text: threeOpen)
        c.select("INC-0002")
        c.step("{")
        #expect(c.review?.board.selectedIncident == "INC-0002")
        c.press(.char("s"))  // sort by id, in the past
        c.press(.char("g"))
        let picked = c.review?.board.selectedIncident
        c.step("{")  // a step keeps the reviewed board's choices
        #expect(c.review?.board.sort == .id)
        #expect(c.review?.board.selectedIncident == picked)
        c.press(.escape)
        #expect(c.review == nil)
        #expect(c.sort == .id)
        #expect(c.selectedIncident == picked)
    }

    @Test func aTimeThatIsNotOneSaysWhy() {
        var c = console(at: 5, text: threeOpen)
        c.press(.char("@"))
        c.type("03:40")
        c.press(.enter)
        #expect(c.review == nil)
        #expect(c.message?.isError == true)
        #expect(c.message?.text.hasPrefix("@ 03:40: ") == true)
        c.press(.char("@"))
        c.type("-90m")
        c.press(.enter)
        #expect(c.review?.at == Instant(seconds: 1_772_323_200 + 5 * 3600 - 90 * 60))
        c.press(.char("@"))
        c.type("2030-01-01T00:00:00Z")
        c.press(.enter)
        #expect(c.review == nil)  // the future: the live board
    }
}

/// A session whose past is an engine made in advance.
final class PastSession: ConsoleSession {
    let past: Engine
    var asked: [ReviewQuery] = []
    init(past: Engine) { self.past = past }
    func perform(_ effect: Effect) -> [Message] {
        if case .pollFeeds = effect { return [.backlog(false)] }  // nothing waiting: the loop may sleep
        guard case .review(let q) = effect else { return [] }
        asked.append(q)
        return [.reviewed(.state(ReviewedEngine(at: q.from - 3600, engine: past)))]
    }
}

@Suite("Review mode in the run loop")
struct ReviewRunLoopTests {
    /// The journal's past can take a while to read: a frame says so first, then the board it brings is drawn.
    @Test func aFrameSaysThePastIsBeingReadBeforeItIsRead() throws {
        var engine = Engine(policy: .standard, mode: .live)
        engine.process(line: #"{"type":"report","id":"R-1","sector":"Siversk","status":"confirmed"}"#, number: 1,
                       receivedAt: Instant(seconds: 1_770_000_000 - 7200))
        var c = Console(engine: engine, operatorName: "mem", live: true)
        let session = PastSession(past: engine)
        let term = MemoryTerminal(script: [nil, .char("{"), .char("{"), nil, .char("q")])
        #expect(RunLoop.run(&c, terminal: term, clock: term, session: session) == 0)
        #expect(session.asked.map(\.request) == [.by(seconds: -7200)])  // two keys in one burst: one question
        let reading = try #require(term.frames.firstIndex { $0.text.contains("reading the journal's past…") })
        let shown = try #require(term.frames.firstIndex { $0.text.contains("REVIEW ") })
        #expect(reading + 1 == shown)
        #expect(!term.frames[shown].text.contains("reading the journal's past…"))
    }
}

