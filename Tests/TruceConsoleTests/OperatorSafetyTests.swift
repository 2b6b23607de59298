import Testing
import TruceConsole
import TruceEngine

/// Three unacknowledged incidents in three sectors, and a later fourth that
/// opens overdue (observed two days before it was confirmed).
let threeOpen = """
    {"type":"scenario","title":"Three open","start":"2026-03-01T00:00:00Z","speed":3600}
    {"type":"report","id":"R-1","sector":"Siversk","status":"confirmed","at":"+0s"}
    {"type":"report","id":"R-2","sector":"Lyman","status":"confirmed","at":"+1h"}
    {"type":"report","id":"R-3","sector":"Toretsk","status":"confirmed","at":"+2h"}
    {"type":"report","id":"R-4","sector":"Kupiansk","status":"confirmed","at":"+5h","observed":"2026-02-27T00:00:00Z"}
    """

@Suite("Operator safety: keys act on the incident on screen")
struct OperatorSafetyTests {
    func board(at hours: Int64 = 3) -> Console { console(at: hours, text: threeOpen) }

    func actions(_ c: Console, _ kind: ActionKind) -> [String] {
        c.recent.filter { $0.action == kind || ($0.kind == .incidentAcknowledged && kind == .ack) }.compactMap(\.incident)
    }

    @Test func warningThreeTimesStaysOnTheSelectedIncidentAcrossResorts() {
        var c = board()
        c.select("INC-0002")
        for _ in 0..<3 {
            c.press(.char("w"))
            #expect(c.overlay.map { if case .confirm(let q) = $0 { q.incident } else { "" } } == "INC-0002")
            c.press(.char("y"))
            #expect(c.selectedIncident == "INC-0002")
        }
        #expect(actions(c, .warning) == ["INC-0002", "INC-0002", "INC-0002"])
        // The list did re-sort under it: INC-0002 is no longer where it was.
        #expect(c.list.index(of: "INC-0002") != 1)
    }

    @Test func acknowledgingTwiceWritesOnce() {
        var c = board()
        c.select("INC-0001")
        c.press(.char("a"))
        #expect(c.message?.text == "ack INC-0001 Siversk recorded")
        c.press(.char("a"))
        #expect(c.message == StatusMessage(text: "INC-0001 Siversk already acknowledged", isError: true))
        #expect(actions(c, .ack) == ["INC-0001"])
    }

    @Test func aFilterThatHidesEverythingLeavesNoTarget() {
        var c = board()
        c.press(.char("/"))
        c.type("zzz")
        c.press(.enter)
        #expect(c.list.rows.isEmpty)
        for k in "awrERncd" { c.press(.char(k)) }
        #expect(c.overlay == nil)
        #expect(c.message?.isError == true)
        #expect(c.message?.text.contains("nothing recorded") == true || c.message?.text.contains("roster pane") == true)
        #expect(c.engine.acceptedCount == 4)  // the scenario header and three reports: nothing else
    }

    @Test func aTerminalTooSmallForTheBoardLeavesNoTarget() {
        var c = board()
        _ = c.update(.resize(width: 60, height: 15))
        _ = c.update(.frameShown)
        c.press(.char("a"))
        #expect(c.message?.text == "nothing recorded: the board is not on screen (terminal too small)")
        #expect(actions(c, .ack).isEmpty)
        _ = c.update(.resize(width: 80, height: 24))
        c.press(.char("a"))
        #expect(actions(c, .ack).count == 1)
    }

    @Test func aNewIncidentNeverTakesTheSelection() {
        var c = board()
        c.select("INC-0003")
        let row = c.list.index(of: "INC-0003")
        c.press(.char("."))  // R-4 opens INC-0004, overdue: the top of the urgency order
        #expect(c.engine.incidents.count == 4)
        #expect(c.list.rows.first?.id == "INC-0004")
        #expect(c.selectedIncident == "INC-0003")
        #expect(c.list.index(of: "INC-0003") == row! + 1)
    }

    @Test func aHiddenSelectionMovesToANeighbourAndSaysSo() {
        var c = board()
        c.select("INC-0002")  // Lyman
        c.press(.char("/"))
        c.type("s")  // Siversk and Toretsk match, Lyman does not
        #expect(c.selectedIncident != "INC-0002")
        #expect(c.selectedIncident.map { c.list.contains($0) } == true)
        #expect(c.message?.text.hasPrefix("INC-0002 is hidden by the filter: selected INC-000") == true)
    }

    @Test func aSelectionMovedByTheConsoleNeedsAFrameBeforeAnAction() {
        var c = board()
        c.select("INC-0002")
        c.press(.char("/"))
        _ = c.update(.key(.char("s")))  // the selection moves to a neighbour; no frame yet
        _ = c.update(.key(.enter))
        _ = c.update(.key(.char("a")))
        #expect(c.message?.text.contains("before it was shown") == true)
        #expect(actions(c, .ack).isEmpty)
        _ = c.update(.frameShown)
        _ = c.update(.key(.char("a")))
        #expect(actions(c, .ack) == [c.selectedIncident!])
    }

    @Test func aConfirmationTypedBeforeTheQuestionShowedIsRefused() {
        var c = board()
        c.select("INC-0001")
        _ = c.update(.key(.char("R")))
        _ = c.update(.key(.char("y")))  // typed ahead: the question was never on screen
        #expect(c.engine.incident(id: "INC-0001")?.status == .open)
        #expect(c.message?.text.contains("answered before the question was on screen") == true)
    }

    @Test func escalateAndResolveCheckFirstWhetherTheyCanSucceed() {
        var c = board()
        c.select("INC-0001")
        c.press(.char("E"))
        #expect(render(c, 120, 40).text.contains("Escalate INC-0001 Siversk to tier 2 — coalition of the willing?"))
        c.press(.char("y"))
        c.press(.char("E"))
        c.press(.char("y"))
        #expect(c.engine.incident(id: "INC-0001")?.tier == 3)
        c.press(.char("E"))
        #expect(c.overlay == nil)
        #expect(c.message == StatusMessage(text: "INC-0001 Siversk is already at tier 3: no higher tier", isError: true))
    }

    /// Time passing without records or timers does not rebuild the list: the
    /// order depends on engine state and absolute instants only, and the
    /// countdowns on screen still move.
    @Test func passingTimeRedrawsCountdownsWithoutRebuildingTheList() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: threeOpen, speed: 1), operatorName: "t")
        _ = c.update(.resize(width: 120, height: 40))
        _ = c.update(.tick(monotonic: 0, wall: 0))
        _ = c.update(.tick(monotonic: 2 * 3600 + 60, wall: 0))  // all three open, no reminder due for a while
        let key = c.list.key
        let before = render(c, 120, 40).text
        for s in 1...10 { _ = c.update(.tick(monotonic: Double(2 * 3600 + 60 + s), wall: 0)) }
        #expect(c.list.key == key)
        let after = render(c, 120, 40).text
        #expect(before != after)
        #expect(after.contains("T1 due 21:58:50"))  // INC-0003, opened at +2h, 2h01m10s later
    }

    @Test func pastedTextIsNeverTakenAsKeys() {
        var c = board()
        c.select("INC-0001")
        c.press(.paste("aERy"))
        #expect(actions(c, .ack).isEmpty)
        #expect(c.overlay == nil)
        c.press(.char("n"))
        c.press(.paste("line one\nline\u{1B}two"))
        #expect(c.overlay == .prompt(.note(incident: "INC-0001"), text: "line one linetwo", cursor: 16))
    }

    /// Combining marks, emoji modifiers, ZWJ and flag halves join the
    /// character before them: the cursor counts characters, never crashes.
    @Test(arguments: ["e\u{301}", "👍\u{1F3FD}", "👨\u{200D}👩", "\u{1F1FA}\u{1F1E6}", "\u{301}", "\u{200D}", "a\u{200B}b"])
    func promptEditingSurvivesClusterPieces(text: String) {
        var c = board()
        c.select("INC-0001")
        c.press(.char("n"))
        for scalar in text.unicodeScalars { c.press(.char(Character(scalar))) }
        c.press(.left)
        for scalar in text.unicodeScalars.reversed() { c.press(.char(Character(scalar))) }
        c.press(.home)
        c.press(.delete)
        c.press(.end)
        c.press(.backspace)
        guard case .prompt(_, let t, let cursor)? = c.overlay else { Issue.record("prompt closed"); return }
        #expect(cursor >= 0 && cursor <= t.count)
        for (w, h) in [(80, 24), (120, 40)] { _ = render(c, w, h) }
        c.press(.enter)
    }
}

@Suite("Key decoding")
struct KeyDecoderTests {
    func keys(_ bytes: [UInt8], flush: Bool = true) -> [Key] {
        var d = KeyDecoder()
        var out = bytes.flatMap { d.feed($0) }
        if flush { out += d.flush() }
        return out
    }

    @Test func plainUTF8AndControlKeys() {
        #expect(keys(Array("qé€😀".utf8)) == [.char("q"), .char("é"), .char("€"), .char("😀")])
        #expect(keys([0x09, 0x0D, 0x7F, 0x15]) == [.tab, .enter, .backspace, .ctrl("u")])
    }

    @Test func invalidUTF8NeverSwallowsTheNextKey() {
        #expect(keys([0xFF, 0x71]) == [.char("q")])
        #expect(keys([0xC3, 0x71]) == [.char("q")])
        #expect(keys([0xE2, 0x82, 0x71]) == [.char("q")])
        #expect(keys([0x80, 0xBF, 0x71]) == [.char("q")])
        #expect(keys([0xED, 0xA0, 0x80, 0x71]) == [.char("q")])  // a surrogate: invalid
    }

    @Test func escapeSequences() {
        #expect(keys([0x1B]) == [.escape])
        #expect(keys(Array("\u{1B}[A\u{1B}OB\u{1B}[5~\u{1B}[6~\u{1B}[Z\u{1B}[3~".utf8)) == [.up, .down, .pageUp, .pageDown, .backTab, .delete])
        // Unknown or modified keys are dropped whole: never their final letter.
        #expect(keys(Array("\u{1B}[1;5R\u{1B}[15;2~\u{1B}[I\u{1B}[?1;2c".utf8)).isEmpty)
        #expect(keys(Array("\u{1B}]0;title\u{07}q".utf8)) == [.char("q")])
        #expect(keys(Array("\u{1B}q".utf8)).isEmpty)  // Alt-q is not q
    }

    @Test func bracketedPasteIsOneKey() {
        #expect(keys(Array("\u{1B}[200~aER\ny\u{1B}[201~q".utf8)) == [.paste("aER\ny"), .char("q")])
        // A paste whose end never comes ends when the input goes quiet.
        var d = KeyDecoder()
        _ = Array("\u{1B}[200~abc".utf8).flatMap { d.feed($0) }
        #expect(d.flush() == [.paste("abc")])
        #expect(d.feed(0x71) == [.char("q")])
    }

    /// Whatever bytes came before, once the input has gone quiet `q` is `q`.
    @Test func anyBytesThenAPauseThenQIsQ() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<2000 {
            var d = KeyDecoder()
            let n = Int(rng.next() % 40)
            var emitted = 0
            for _ in 0..<n {
                // Bias towards the bytes that start sequences.
                let r = rng.next() % 10
                let b: UInt8 = r == 0 ? 0x1B : r == 1 ? 0x5B : r == 2 ? 0xC3 : UInt8(truncatingIfNeeded: rng.next())
                emitted += d.feed(b).count
            }
            emitted += d.flush().count
            #expect(emitted <= n + 1)
            #expect(d.feed(0x71) == [.char("q")])
        }
    }
}

/// A small deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Run loop on an in-memory terminal")
struct RunLoopTests {
    @Test func keysStepTheDemoAcknowledgeAndQuit() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "mem")
        let k: (Character) -> Key? = { .char($0) }
        let term = MemoryTerminal(script: [k("."), k("."), k("."), k("."), nil, k("a"), nil, k("q")])
        let signal = RunLoop.run(&c, terminal: term, clock: term)
        #expect(signal == 0)
        #expect(!term.ranDry)
        let text = try #require(term.lastFrame).text
        #expect(term.frames.contains { $0.text.contains("ack INC-0001 Pokrovsk recorded") })
        #expect(text.contains("unack 0"))
        // Paused: the loop slept until a key, or until a message's time was up
        // (the last wait, with the message gone, is until a key again).
        #expect(term.waits.allSatisfy { $0 == -1 || (0...6001).contains($0) })
        #expect(term.waits.last == -1 && !text.contains("recorded"))
    }

    /// The bell rings once for each step that brings a new alert (an incident
    /// opened or escalated, a step overdue), only while it is on; b toggles it.
    @Test func theBellRingsOnNewAlertsOnlyWhenOn() throws {
        let steps: [Key?] = Array(repeating: Key.char("."), count: 12).flatMap { [$0, nil] } + [.char("q")]
        func bells(_ on: Bool, first: [Key?] = []) -> (Int, Console) {
            var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "mem",
                            bell: on)
            let term = MemoryTerminal(script: first + steps)
            _ = RunLoop.run(&c, terminal: term, clock: term)
            return (term.bells, c)
        }
        let (off, _) = bells(false)
        #expect(off == 0)
        let (on, c) = bells(true)
        #expect(on >= 2, "opening and escalation each ring")  // the climb opens INC-0001, then escalates it
        #expect(c.bellOn)
        let (toggled, t) = bells(false, first: [.char("b"), nil])
        #expect(toggled == on && t.bellOn)
        var quiet = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "m", bell: true)
        quiet.press(.char("b"))
        #expect(!quiet.bellOn && quiet.message?.text == "bell off")
    }

    @Test func aKeyFloodIsOneFrameAndQStillAnswers() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.contested.text, paused: true), operatorName: "mem")
        var script: [Key?] = Array(repeating: Key.char("."), count: 30) + [nil]
        script += (0..<5000).map { i -> Key? in i % 3 == 0 ? .char("k") : .char("j") }
        script += [.char("q"), .char("a")]
        let term = MemoryTerminal(width: 80, height: 24, script: script)
        #expect(RunLoop.run(&c, terminal: term, clock: term) == 0)
        #expect(term.script == [.char("a")])  // q ended it; the key after it was never read
        #expect(term.frames.count <= 4)  // the first frame, one per burst (5,000 keys are two)
        #expect(!c.recent.contains { $0.kind == .incidentAcknowledged && $0.by == "mem" })
    }

    @Test func ctrlLRepaintsEverything() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "mem")
        let term = MemoryTerminal(script: [nil, .ctrl("l"), nil, .char("q")])
        #expect(RunLoop.run(&c, terminal: term, clock: term) == 0)
        #expect(term.invalidations == 1)
        #expect(term.frames.count == 2)  // the same board drawn again after the repaint
    }

    @Test func aResizeRedrawsAtTheNewSize() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "mem")
        let term = MemoryTerminal(script: [nil, .resize, nil, .char("q")])
        term.beforeKey = { [unowned term] k in if k == .resize { term.size = (60, 15) } }
        #expect(RunLoop.run(&c, terminal: term, clock: term) == 0)
        #expect(try #require(term.lastFrame).text.contains("terminal too small"))
        #expect(term.lastFrame?.width == 60)
    }

    @Test func aRunningDemoWakesOnItsOwnAndAdvances() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, speed: 3600), operatorName: "mem")
        let term = MemoryTerminal(script: Array(repeating: nil, count: 40) + [.char("q")])
        #expect(RunLoop.run(&c, terminal: term, clock: term) == 0)
        #expect(term.waits.contains(100))
        #expect(c.now.seconds > DemoClock(text: Walkthrough.climb.text).now.seconds + 3600)
    }
}

/// The incidents list moves only what the engine touched; whatever happens,
/// it must equal the list built from scratch.
@Suite("Incremental incident list")
struct IncrementalListTests {
    /// Many sectors: reports confirmed, disputed, retracted, joined; actions; long gaps.
    static func scenario(seed: UInt64) -> String {
        var rng = SplitMix(seed: seed)
        var lines = [#"{"type":"scenario","title":"mix","start":"2026-03-01T00:00:00Z","speed":3600}"#]
        var t = 0
        var reports = 0
        for _ in 0..<300 {
            t += Int(rng.next() % 3600)
            let sector = "S\(rng.next() % 25)"
            switch rng.next() % 10 {
            case 0...5:
                reports += 1
                let status = ["confirmed", "confirmed", "reported", "disputed"][Int(rng.next() % 4)]
                lines.append(#"{"type":"report","id":"R-\#(reports)","sector":"\#(sector)","status":"\#(status)","at":"+\#(t)s"}"#)
            case 6...7 where reports > 0:
                let status = ["retracted", "confirmed", "disputed"][Int(rng.next() % 3)]
                lines.append(#"{"type":"report","id":"R-\#(1 + Int(rng.next() % UInt64(reports)))","sector":"x","status":"\#(status)","at":"+\#(t)s"}"#)
            default:
                let action = ["ack", "warning", "escalate", "resolve", "note"][Int(rng.next() % 5)]
                lines.append(#"{"type":"action","action":"\#(action)","incident":"INC-\#(String(format: "%04d", 1 + Int(rng.next() % 20)))","at":"+\#(t)s","note":"n"}"#)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A timer can change an incident's place without an event: the tier-1
    /// deadline of an acknowledged incident already at tier 2 moves its next
    /// clock from the deadline to the tier-3 instant (both incidents here are
    /// acknowledged and at tier 2, so the nearest clock decides).
    @Test func aSilentTimerStillMovesItsIncident() {
        let text = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-1","sector":"C","status":"confirmed","at":"+0s"}
            {"type":"action","action":"ack","incident":"INC-0001","at":"+1m"}
            {"type":"action","action":"warning","incident":"INC-0001","at":"+2m"}
            {"type":"action","action":"escalate","incident":"INC-0001","at":"+3m"}
            {"type":"action","action":"ack","incident":"INC-0001","at":"+4m"}
            {"type":"report","id":"R-2","sector":"A","status":"confirmed","at":"+1h"}
            {"type":"action","action":"ack","incident":"INC-0002","at":"+61m"}
            {"type":"action","action":"escalate","incident":"INC-0002","at":"+62m"}
            {"type":"action","action":"ack","incident":"INC-0002","at":"+63m"}
            {"type":"narrate","text":"later","at":"+26h"}
            """
        var c = Console(engine: Engine(), demo: DemoClock(text: text, paused: true), operatorName: "t")
        _ = c.update(.resize(width: 120, height: 40))
        while c.engine.incident(id: "INC-0002")?.tier != 2 || c.engine.incident(id: "INC-0002")?.acknowledged != true {
            _ = c.update(.key(.char(".")))
        }
        #expect(c.list.rows.map(\.id) == ["INC-0002", "INC-0001"])  // A's tier-1 deadline (+25h) comes first
        _ = c.update(.key(.char(".")))  // to +26h: A's deadline passed, silently
        #expect(c.now.seconds - c.engine.origin!.seconds == 26 * 3600)
        #expect(c.list.rows.map(\.id) == ["INC-0001", "INC-0002"])  // now C's tier-3 (+72h) before A's (+73h)
        #expect(c.list.rows.map(\.id) == IncidentList(engine: c.engine, now: c.now, sort: .urgency, filter: "").rows.map(\.id))
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func incrementalEqualsRebuilt(seed: UInt64) {
        var rng = SplitMix(seed: seed &* 31)
        var c = Console(engine: Engine(), demo: DemoClock(text: IncrementalListTests.scenario(seed: seed), paused: true),
                        operatorName: "prop")
        _ = c.update(.resize(width: 120, height: 40))
        var checks = 0
        for step in 0..<400 {
            let keys: [Key] = [.char("."), .char("."), .char("."), .char("a"), .char("j"), .char("k"), .char("g"),
                               .char("E"), .char("y"), .char("R"), .char("w"), .char("s"), .char(" ")]
            _ = c.update(.key(keys[Int(rng.next() % UInt64(keys.count))]))
            if step % 7 == 0 { _ = c.update(.tick(monotonic: Double(step), wall: 0)) }
            _ = c.update(.frameShown)
            let fresh = IncidentList(engine: c.engine, now: c.now, sort: c.sort, filter: c.filter)
            #expect(c.list.rows.map(\.id) == fresh.rows.map(\.id), "seed \(seed) step \(step)")
            #expect(c.list.openCount == fresh.openCount && c.list.unacknowledgedCount == fresh.unacknowledgedCount
                    && c.list.overdueCount == fresh.overdueCount, "counters at seed \(seed) step \(step)")
            for r in fresh.rows.prefix(5) { #expect(c.list.index(of: r.id) == fresh.rows.firstIndex { $0.id == r.id }) }
            checks += 1
            if c.demo?.finished == true && step > 200 { break }
        }
        #expect(c.engine.incidents.count > 5)
        #expect(checks > 100)
    }
}
