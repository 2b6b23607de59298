import Foundation
import Testing
import TruceConsole
import TruceEngine

let scenario = """
    {"type":"scenario","title":"Board test","start":"2026-02-10T00:00:00Z","speed":3600}
    {"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"+0s","kind":"artillery"}
    {"type":"report","id":"R-2","sector":"Покровськ-Схід","status":"confirmed","at":"+1h"}
    {"type":"report","id":"R-3","sector":"Lyman","status":"reported","at":"+2h","kind":"drone"}
    {"type":"action","action":"ack","incident":"INC-0001","at":"+3h"}
    {"type":"action","action":"warning","incident":"INC-0001","at":"+4h"}
    {"type":"report","id":"R-4","sector":"Pokrovsk","status":"confirmed","at":"+5h"}
    {"type":"narrate","text":"Caption for the briefing","at":"+5h"}
    """

/// A console on `scenario` in a 120×40 terminal, with the demo clock run to
/// `+hours` and the frame shown.
func console(at hours: Int64, text: String = scenario, paused: Bool = true) -> Console {
    var c = Console(engine: Engine(), demo: DemoClock(text: text, speed: 3600, paused: false), operatorName: "tester")
    _ = c.update(.resize(width: 120, height: 40))
    _ = c.update(.tick(monotonic: 0, wall: 0))
    _ = c.update(.tick(monotonic: Double(hours), wall: 0))  // speed 3600: one real second is one simulated hour
    if paused { c.press(.char(" ")) }
    _ = c.update(.frameShown)
    return c
}

func render(_ c: Console, _ w: Int, _ h: Int, unicode: Bool = true) -> Screen {
    var s = Screen(width: w, height: h, unicode: unicode)
    BoardRenderer.render(c.view(width: w, height: h), into: &s)
    return s
}

extension Console {
    /// Types a key as a person would: the key, then a look at the frame it leads to.
    @discardableResult
    mutating func press(_ k: Key) -> [Effect] {
        let effects = update(.key(k))
        _ = update(.frameShown)
        return effects
    }

    mutating func type(_ text: String) { for ch in text { press(.char(ch)) } }

    /// Selects an incident with the arrow keys.
    mutating func select(_ id: String) {
        press(.char("g"))
        while selectedIncident != id, let i = list.index(of: selectedIncident ?? ""), i + 1 < list.rows.count { press(.down) }
        precondition(selectedIncident == id, "\(id) is not listed")
    }

    /// The rows as listed.
    func model() -> IncidentList { list }
}

@Suite("Board rendering")
struct BoardTests {
    @Test func fullLayoutAt120x40ShowsEveryPane() {
        let text = render(console(at: 30), 120, 40).text
        for part in ["truce", "ceasefire enforcement", "2026-02-11 06:00:00Z", "PAUSED", "open 2", "unack 2", "overdue 1",
                     "Incidents 2", "INC-0001", "INC-0002", "Покровськ-Схід", " T2 ", " T1 ", "OVERDUE +05:00:00",
                     "T3 eligible 1d 18:00:00", "Roster", "Tier 2 · coalition of the willing", "United Kingdom",
                     "Pending verification 1", "R-3 Lyman drone", "Events", "» Caption for the briefing",
                     "q quit", "? help", "Space resume", "Roster · INC-0001 · 0/7 committed"] {
            #expect(text.contains(part), "missing \(part)")
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == 40)
    }

    @Test func compactLayoutAt80x24KeepsTheEssentials() throws {
        let s = render(console(at: 30), 80, 24)
        let text = s.text
        // Labelled columns and whole countdowns, in the list and the detail.
        for part in ["open 2", "unack 2", "overdue 1", "INC-0001", "INC-0002", "OVERDUE +05:00:00", "Roster", "Pending",
                     "Events", "q quit", "ACK NEXT CLOCK", "T3 elig 1d 18:00:00", "T3 eligible 1d 18:00:00"] {
            #expect(text.contains(part), "missing \(part)")
        }
        for line in text.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= 80) }
        // The pending pane is narrow here: id and sector still show, the age sits at the right edge.
        let early = render(console(at: 3), 80, 24).text
        let row = try #require(early.split(separator: "\n").first { $0.contains("R-3 Lyman") }, "pending row lost its sector")
        #expect(row.hasSuffix(" 01:00:00 │"), "age not right-aligned: \(row)")
    }

    @Test(arguments: [(79, 24), (80, 23), (60, 15), (40, 12), (20, 5), (1, 1), (0, 0)])
    func tooSmallSaysSoAndNeverCrashes(w: Int, h: Int) {
        let text = render(console(at: 30), w, h).text
        if w >= 34 && h >= 2 { #expect(text.contains("terminal too small — need 80×24")) }
        // Whole at any size it can fit in: wrapped, never cut.
        if w >= 20 && h >= 5 {
            let words = text.split { $0 == " " || $0 == "\n" }.map(String.init)
            for word in ["enlarge", "window,", "quit", "need", "80×24"] { #expect(words.contains(word), "\(w)×\(h): \(text)") }
            #expect(!text.contains("…"))
        }
    }

    @Test func everySizeRendersWithoutCrashingOrOverflowing() {
        let c = console(at: 30)
        for w in stride(from: 78, through: 200, by: 7) {
            for h in stride(from: 22, through: 60, by: 5) {
                let s = render(c, w, h)
                #expect(s.cells.count == w * h)
            }
        }
    }

    @Test func urgencyPutsUnacknowledgedAndHigherTiersFirst() {
        let rows = console(at: 30).model().rows
        // Both unacknowledged: INC-0001 (tier 2 since R-4) before INC-0002 (tier 1, overdue).
        #expect(rows.map(\.id) == ["INC-0001", "INC-0002"])
        #expect(rows[0].countdown == .tier3Eligible(42 * 3600))
        #expect(rows[1].countdown == .overdue(5 * 3600))
    }

    /// A resolved incident reads as closed: how and by whom, no live step or
    /// clock, its age frozen at the close, and final roster answers.
    @Test func closedIncidentsReadAsClosed() {
        let text = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+0s"}
            {"type":"action","action":"commit","incident":"INC-0001","member":"UA","at":"+1h"}
            {"type":"action","action":"resolve","incident":"INC-0001","by":"duty-z","at":"+2h"}
            {"type":"narrate","text":"later","at":"+5h"}
            {"type":"narrate","text":"much later","at":"+9h"}
            """
        var c = console(at: 5, text: text)
        let early = render(c, 120, 40).text
        for part in ["Closed resolved at 2026-03-01 02:00:00Z by duty-z", "RESOLVED", "age 02:00:00",
                     "Roster · INC-0001 · 1/1 committed", "committed"] {
            #expect(early.contains(part), "missing \(part)")
        }
        for gone in ["pending — warning due", "Armed ", "UNACK"] { #expect(!early.contains(gone), "still shows \(gone)") }
        c.press(.char("."))  // to +9h
        let late = render(c, 120, 40).text
        #expect(late.contains("age 02:00:00"))
        #expect(c.model().rows.first?.age == Int64(2 * 3600))

        // A notified member who never answered a closed incident did not answer.
        let withdrawn = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+0s"}
            {"type":"report","id":"R-1","sector":"Lyman","status":"retracted","at":"+1h"}
            {"type":"narrate","text":"later","at":"+3h"}
            """
        let w = render(console(at: 3, text: withdrawn), 120, 40).text
        #expect(w.contains("Closed withdrawn at 2026-03-01 01:00:00Z: no confirmed report left"))
        #expect(w.contains("no answer"))
        #expect(!w.contains("notified "))
    }

    /// The footer says what the keys will do here: the roster pane's own keys
    /// when it has the focus, and resume while a demo is paused.
    @Test func footerHintsFollowThePaneAndTheMode() {
        var c = console(at: 30)
        var text = render(c, 200, 60).text
        #expect(text.contains("Space resume") && !text.contains("c commit"))
        c.press(.char(" "))
        text = render(c, 200, 60).text
        #expect(text.contains("Space pause"))
        c.press(.tab)
        #expect(c.focus == .roster)
        text = render(c, 200, 60).text
        #expect(text.contains("c commit") && text.contains("d decline"))
    }

    /// The top bar's counters are drawn in the bar's own colours (an
    /// attention count as a badge), never on the terminal's background.
    @Test func headerCountersStayInsideTheBar() {
        let s = render(console(at: 30), 120, 40)
        let top = s.text.split(separator: "\n")[0]
        #expect(top.hasSuffix("open 2  unack 2  overdue 1"))
        for x in 0..<s.width {
            #expect([.header, .clock, .headerWarn, .headerAlert].contains(s[x, 0].role), "column \(x) is \(s[x, 0].role)")
        }
        let unack = top.distance(from: top.startIndex, to: top.range(of: "unack 2")!.lowerBound)
        let overdue = top.distance(from: top.startIndex, to: top.range(of: "overdue 1")!.lowerBound)
        #expect(s[unack, 0].role == .headerWarn && s[overdue, 0].role == .headerAlert)
        #expect(s[unack - 1, 0].role == .headerWarn)  // the badge has a space either side
    }

    /// An incident's run of reminders is one line in the events pane and in
    /// its history, moving down as the run goes on; another event of the
    /// incident ends the run.
    @Test func remindersFoldIntoOneLinePerRun() {
        let text = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+0s"}
            {"type":"report","id":"R-2","sector":"Siversk","status":"confirmed","at":"+1m"}
            {"type":"action","action":"ack","incident":"INC-0002","at":"+2m"}
            {"type":"action","action":"ack","incident":"INC-0001","at":"+2h1m"}
            {"type":"action","action":"escalate","incident":"INC-0001","at":"+3h"}
            {"type":"narrate","text":"later","at":"+3h40m"}
            """
        let c = console(at: 4, text: text)
        let v = c.view(width: 120, height: 40)
        let lines = v.ticker.lines.map(\.text)
        // Eight reminders (+15m … +2h) on one line, then the ack; after the escalation, four more by +4h.
        #expect(lines.filter { $0.hasPrefix("reminder") } == [
            "reminder ×8, first 03-01 00:15:00: tier-1 alert still unacknowledged",
            "reminder ×4, first 03-01 03:15:00: tier-2 alert still unacknowledged",
        ], "\(lines)")
        #expect(v.ticker.lines.last { $0.text.hasPrefix("reminder ×4") }?.time == "03-01 04:00:00")
        let history = v.detail?.history.map(\.text) ?? []
        #expect(history.filter { $0.hasPrefix("reminder") }.count == 2, "\(history)")
        #expect(v.ticker.following)
        #expect(render(c, 120, 40).text.contains("Events · following"))
    }

    /// Scrolled back, the events pane says so and holds still while new
    /// events arrive; G follows again.
    @Test func theEventsPaneSaysWhetherItFollows() {
        var c = console(at: 30)
        for _ in 0..<3 { c.press(.tab) }
        #expect(c.focus == .ticker)
        c.press(.char("k"))
        let held = c.view(width: 120, height: 40).ticker
        #expect(!held.following)
        #expect(render(c, 120, 40).text.contains("Events · paused — G to follow"))
        c.press(.char(" "))  // resume the demo: more events arrive
        _ = c.update(.tick(monotonic: 30 + 3, wall: 0))
        _ = c.update(.frameShown)
        #expect(c.view(width: 120, height: 40).ticker.lines.map(\.text) == held.lines.map(\.text))
        c.press(.char("G"))
        #expect(c.view(width: 120, height: 40).ticker.following)
    }

    /// At 80×24 every roster member shows (the tier beside each when headings
    /// do not fit); a roster too long for the pane says how many are above and
    /// below, and keeps the selected member in view.
    @Test func everyRosterMemberShowsOrIsCounted() {
        let small = render(console(at: 30), 80, 24).text
        for code in ["UA", "GB", "FR", "EU", "NO", "IS", "TR", "US"] {
            #expect(small.contains(" \(code)  "), "\(code) is missing at 80×24")
        }
        var policy = Policy.standard
        policy.roster = (1...20).map { Member(code: "M\($0)", name: "Member \($0)", tier: $0 <= 2 ? 1 : 2, role: "r") }
        var c = Console(engine: Engine(policy: policy), demo: DemoClock(text: scenario, speed: 3600, paused: true),
                        operatorName: "t")
        _ = c.update(.resize(width: 80, height: 24))
        _ = c.update(.frameShown)
        var text = render(c, 80, 24).text
        #expect(text.contains(" M1  ") && text.contains(" M7  ") && text.contains("▼ 13 more"), "\(text)")
        c.press(.tab)  // the roster pane
        c.press(.char("G"))  // its last member
        text = render(c, 80, 24).text
        #expect(text.contains(" M20  ") && text.contains("▲ 13 more") && !text.contains("▼"), "\(text)")
    }

    /// The help scrolls and fits 80×24: every key and every glossary word can
    /// be reached, and the frame says where there is more.
    @Test func theHelpScrollsToEveryLineAt80x24() {
        var c = console(at: 30)
        _ = c.update(.resize(width: 80, height: 24))
        c.press(.char("?"))
        var seen = render(c, 80, 24).text
        #expect(seen.contains("▼") && seen.contains("more"))
        for _ in 0..<60 {
            c.press(.char("j"))
            seen += render(c, 80, 24).text
        }
        // Every word of every line, wrapped where the box is narrow, shows somewhere.
        let shown = Set(seen.split { $0 == " " || $0 == "\n" || $0 == "│" }.map(String.init))
        for (_, rows) in BoardView.helpSections {
            for r in rows {
                for word in r.help.split(separator: " ") { #expect(shown.contains(String(word)), "unreachable: \(word) in \(r.help)") }
            }
        }
        // "ack…" is a word of the glossary (a provisional acknowledgement); any other ellipsis is a cut line.
        #expect(!seen.replacingOccurrences(of: "ack…", with: "").contains("…"), "a help line is cut")
        let bottom = render(c, 80, 24).text
        #expect(bottom.contains("▲") && !bottom.contains("▼"))
        c.press(.char("g"))
        #expect(!render(c, 80, 24).text.contains("▲"))
        c.press(.escape)
        #expect(c.overlay == nil)
    }

    /// The selected row is marked on the pane's edge and laid on the theme's
    /// selected-row background across the pane; every cell keeps the role that
    /// carries its meaning (badge, UNACK, OVERDUE), and no other row is marked.
    @Test func theSelectionKeepsTheRowsColours() throws {
        var c = console(at: 30)
        c.press(.char("j"))  // INC-0002: tier 1, unacknowledged, overdue
        let s = render(c, 120, 40)
        let lines = s.text.split(separator: "\n", omittingEmptySubsequences: false)
        let y = try #require(lines.firstIndex { $0.contains("INC-0002") && $0.contains("OVERDUE") })
        let line = String(lines[y])
        #expect(line.hasPrefix("▶INC-0002"))
        func cell(_ text: String) -> Cell {
            s[line.distance(from: line.startIndex, to: line.range(of: text)!.lowerBound), y]
        }
        #expect(cell("INC-0002").role == .text)
        #expect(cell("T1").role == .tier1 && cell("UNACK").role == .unacked && cell("OVERDUE").role == .overdue)
        for text in ["INC-0002", "T1", "UNACK", "OVERDUE"] { #expect(cell(text).selected, "\(text) is not on the selected row") }
        #expect(!s[0, y].selected, "the marker sits on the border, outside the row")
        let lastSelected = try #require((0..<s.width).last { s[$0, y].selected })
        #expect(s[lastSelected + 1, y].text == "│", "the row's background spans the pane")
        for yy in 0..<s.height where yy != y {
            #expect(!(0..<s.width).contains { s[$0, yy].selected }, "row \(yy) is marked too")
        }
    }

    /// On a shared journal, records this site queued (in its outbox) show as
    /// provisional until they come back: "ack…" in the ACK column, dim lines
    /// in the events pane and the incident's history, the count in the
    /// header; a second `a` queues nothing. When they are back, all of it goes.
    @Test func queuedRecordsShowAsProvisional() throws {
        var c = console(at: 3, text: threeOpen)
        let t = try #require(c.engine.clock)
        let pending = [
            try #require(Provisional.describe(line: #"{"type":"action","action":"ack","incident":"INC-0001","by":"alice"}"#, madeAt: t)),
            try #require(Provisional.describe(line: #"{"type":"action","action":"warning","incident":"INC-0002","by":"bob\u001b[2J"}"#, madeAt: t)),
        ]
        _ = c.update(.upstream(problem: nil, since: t, queued: 2, provisional: pending))
        c.select("INC-0001")
        var s = render(c, 120, 40)
        let lines = s.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let y = try #require(lines.firstIndex { $0.contains("INC-0001") && $0.contains("Siversk") })
        let x = lines[y].distance(from: lines[y].startIndex, to: try #require(lines[y].range(of: "ack…")).lowerBound)
        #expect(s[x, y].role == .dim, "a provisional ack is not drawn as acknowledged")
        #expect(!lines.contains { $0.contains("INC-0002") && $0.contains("ack…") }, "only the queued ack marks its row")
        #expect(s.text.contains("2 queued"))
        let v = c.view(width: 120, height: 40)
        let queued = v.ticker.lines.filter(\.isProvisional)
        #expect(queued.map(\.text) == ["queued: ack by alice (not in the shared journal yet)",
                                       "queued: warning by bob<ESC>[2J (not in the shared journal yet)"].map { $0.replacingOccurrences(of: "<ESC>", with: Sanitizer.clean("\u{1b}")) })
        #expect(queued.allSatisfy { BoardRenderer.role(of: $0) == .dim })
        #expect(v.detail?.history.last?.text == "queued: ack by alice (not in the shared journal yet)")
        #expect(render(c, 80, 24).text.contains("ok…"))
        c.press(.char("a"))
        #expect(c.message == StatusMessage(text: "INC-0001 Siversk acknowledgement already queued for the shared journal", isError: true))
        // Back from the shared journal: nothing provisional is left.
        _ = c.update(.upstream(problem: nil, since: t, queued: 0, provisional: []))
        s = render(c, 120, 40)
        #expect(!s.text.contains("ack…") && !s.text.contains("2 queued") && !s.text.contains("queued: "))
        #expect(c.view(width: 120, height: 40).ticker.lines.allSatisfy { !$0.isProvisional })
    }

    /// An outage of the shared journal is never left out of the header: the
    /// board may be stale. Narrow screens get a shorter form; the clock's
    /// date goes before the word OFFLINE does.
    @Test func anOutageAlwaysShowsInTheHeader() throws {
        var c = console(at: 30)
        let t = try #require(c.engine.clock)
        _ = c.update(.upstream(problem: "connection refused", since: t, queued: 12, provisional: []))
        for width in [80, 84, 90, 100, 110, 120, 140, 160, 200] {
            let s = render(c, width, 40)
            let header = String(s.text.split(separator: "\n", omittingEmptySubsequences: false)[0])
            #expect(header.contains("OFFLINE"), "\(width) columns: \(header)")
            #expect(header.contains("12 queued") || width < 90, "\(width) columns: \(header)")
            let x = header.distance(from: header.startIndex, to: try #require(header.range(of: "OFFLINE")).lowerBound)
            #expect(s[x, 0].role == .headerAlert)
            #expect(header.hasSuffix("overdue 1"), "the counters were overwritten at \(width): \(header)")
        }
        #expect(String(render(c, 200, 40).text.prefix(200)).contains("OFFLINE since"))
        // Reachable again with records still queued: the count, not an alert.
        _ = c.update(.upstream(problem: nil, since: t, queued: 2, provisional: []))
        let header = String(render(c, 120, 40).text.split(separator: "\n")[0])
        #expect(header.contains(" 2 queued ") && !header.contains("OFFLINE"), "\(header)")
    }

    /// Reviewing during an outage: the header says both, at every width, and the counters stay.
    @Test func anOutageAndAReviewBothShowInTheHeader() throws {
        var c = console(at: 30)
        let t = try #require(c.engine.clock)
        _ = c.update(.upstream(problem: "connection refused", since: t, queued: 12, provisional: []))
        c.step("{")
        for width in [80, 84, 90, 100, 110, 120, 140, 160, 200] {
            let header = String(render(c, width, 40).text.split(separator: "\n", omittingEmptySubsequences: false)[0])
            #expect(header.contains("REVIEW"), "\(width) columns: \(header)")
            #expect(header.contains("OFFLINE"), "\(width) columns: \(header)")
            #expect(header.hasSuffix("overdue 1"), "the counters were overwritten at \(width): \(header)")
        }
    }

    /// In the focused roster the selected member gets the same marker and
    /// background, and its answer keeps its colour.
    @Test func theRosterSelectionKeepsTheAnswersColour() throws {
        var c = console(at: 30)
        c.press(.tab)
        #expect(c.focus == .roster)
        let s = render(c, 120, 40)
        // The roster is the right-hand column; the incident list's selected row may share a line with it.
        let top = try #require(s.text.split(separator: "\n").first { $0.contains("Roster ·") })
        let left = top.distance(from: top.startIndex, to: top.range(of: "┌─ Roster")!.lowerBound)
        let rows = (0..<s.height).filter { y in (left..<s.width).contains { s[$0, y].selected } }
        try #require(rows.count == 1)
        let y = rows[0]
        let marker = try #require((left..<s.width).first { s[$0, y].text == "▶" })
        #expect(!s[marker, y].selected && s[marker + 1, y].selected)
        let roles = Set((left..<s.width).filter { s[$0, y].selected }.map { s[$0, y].role })
        #expect(!roles.contains(.selection))
        #expect(roles.contains(.text) && roles.count >= 2, "the answer is drawn in its own role: \(roles)")
        c.press(.tab)
        let after = render(c, 120, 40)
        #expect(!(left..<s.width).contains { after[$0, y].selected }, "an unfocused roster marks no member")
    }

    /// A clock in its last hour (the policy's due_soon) has its own style, in
    /// the list and in the detail; before that it is an ordinary countdown.
    @Test func aClockInItsLastHourIsDueSoon() throws {
        let text = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+0s"}
            {"type":"narrate","text":"a","at":"+22h"}
            {"type":"narrate","text":"b","at":"+23h30m"}
            """
        func clockRole(_ c: Console) throws -> (Role, Role) {
            let s = render(c, 120, 40)
            let lines = s.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let row = try #require(lines.firstIndex { $0.contains("INC-0001 Lyman") })
            let detail = try #require(lines.firstIndex { $0.contains("T0 2026-03-01") })
            func at(_ y: Int) -> Role { s[lines[y].distance(from: lines[y].startIndex, to: lines[y].range(of: "T1 due")!.lowerBound), y].role }
            return (at(row), at(detail))
        }
        var c = console(at: 22, text: text)
        #expect(try clockRole(c) == (.countdown, .countdown))
        c.press(.char("."))
        #expect(c.model().rows.first?.countdown == .tier1Due(30 * 60))
        #expect(try clockRole(c) == (.dueSoon, .dueSoon))
    }

    /// A message gives the key hints back after a few seconds (a paused board
    /// wakes for it); a refusal then goes on in the events pane.
    @Test func messagesExpireAndRefusalsMoveToTheEventsPane() {
        var c = console(at: 30)
        #expect(c.wakeAfterMilliseconds == -1)  // paused, nothing to say: sleep until a key
        c.press(.char("L"))
        #expect(c.message?.text == "times shown in local time" && c.message?.isError == false)
        #expect(c.wakeAfterMilliseconds > 0 && c.wakeAfterMilliseconds <= 6001)
        _ = c.update(.tick(monotonic: 30 + 7, wall: 0))
        #expect(c.message == nil)
        #expect(render(c, 120, 40).text.contains("q quit"))
        // A refusal: with the filter hiding every incident, a has no target on screen.
        c.press(.char("/"))
        for ch in "nomatch" { c.press(.char(ch)) }
        c.press(.enter)
        c.press(.char("a"))  // nothing selected on screen: refused
        let refusal = c.message
        #expect(refusal?.isError == true)
        _ = c.update(.tick(monotonic: 30 + 7 + 13, wall: 0))
        #expect(c.message == nil)
        let lines = c.view(width: 120, height: 40).ticker.lines
        #expect(lines.last?.isNote == true && lines.last?.text == refusal?.text, "\(lines.map(\.text))")
    }

    /// 200×60: the extra width goes to the roster (full tier names, beside the
    /// pending pane) and the extra height to the events and the history, not
    /// to blank sector padding.
    @Test func aLargeTerminalUsesItsRoom() throws {
        let c = console(at: 30)
        let text = render(c, 200, 60).text
        for part in ["Tier 1 · diplomatic warning and Ukrainian response", "Tier 3 · Western-backed force with US assets"] {
            #expect(text.contains(part), "cut: \(part)")
        }
        let layout = try #require(BoardLayout(width: 200, height: 60))
        #expect(layout.incidents.width <= 110 && layout.roster.y == layout.pending.y)
        #expect(layout.ticker.height >= 12)
        let header = try #require(text.split(separator: "\n").first { $0.contains("SECTOR") })
        let gap = header.distance(from: header.range(of: "SECTOR")!.lowerBound, to: header.range(of: "TIER")!.lowerBound)
        #expect(gap <= 36)
    }

    /// A line cut in a pane can be read whole: Enter in the events pane shows
    /// its lines wrapped, and the full detail wraps the incident's history.
    @Test func cutLinesCanBeReadInFull() throws {
        var c = Console(engine: Engine(), demo: DemoClock(text: Walkthrough.climb.text, paused: true), operatorName: "t")
        _ = c.update(.resize(width: 100, height: 30))
        _ = c.update(.frameShown)
        while !(c.engine.incident(id: "INC-0001").map { $0.tier == 2 } ?? false) { c.press(.char(".")) }
        let whole = "(on report R-103)"
        #expect(!render(c, 100, 30).text.contains(whole))  // cut in the pane
        for _ in 0..<3 { c.press(.tab) }
        c.press(.enter)
        #expect(c.overlay == .events)
        let full = render(c, 100, 30).text
        #expect(full.contains("Events in full") && full.contains(whole), "\(full)")
        c.press(.escape)
        c.press(.tab)  // back to the incidents
        c.press(.enter)
        #expect(c.overlay == .detail)
        #expect(render(c, 100, 30).text.contains(whole))
        #expect(render(c, 100, 30).text.contains("time passed, in the tier's colour"))  // the bar's legend
    }

    /// Enter in the roster or the pending pane shows its lines whole (names,
    /// roles, answers; a report's every field), and a filter adds Esc to the hints.
    @Test func rosterAndPendingInFullAndTheFilterHint() {
        var c = console(at: 30)
        _ = c.update(.resize(width: 80, height: 24))
        #expect(!render(c, 80, 24).text.contains("United Kingdom"))  // cut at 80 columns
        c.press(.tab)
        c.press(.enter)
        var text = render(c, 80, 24).text
        #expect(text.contains("GB  United Kingdom · tier 2 · coalition lead · notified"), "\(text)")
        c.press(.escape)
        c.press(.tab)  // pending
        c.press(.enter)
        text = render(c, 80, 24).text
        #expect(text.contains("R-3  Lyman · reported · drone · minor"), "\(text)")
        c.press(.escape)
        #expect(c.overlay == nil)
        c.press(.backTab)
        c.press(.backTab)
        c.press(.char("/"))
        c.press(.char("L"))
        c.press(.enter)
        #expect(render(c, 120, 40).text.contains("Esc unfilter"))
    }

    /// The mouse selects what is under it (never acts), sorts by the column
    /// head under it (again: reversed), and the wheel scrolls the pane under it.
    @Test func theMouseSelectsSortsAndScrolls() throws {
        var c = console(at: 30)
        let layout = try #require(BoardLayout(width: 120, height: 40))
        let rowY = layout.incidents.y + 3  // the second row
        let second = c.model().rows[1].id
        _ = c.update(.key(.mouse(MouseEvent(.press, x: 12, y: rowY))))
        #expect(c.selectedIncident == second && c.focus == .incidents)
        // Moved under the pointer: an action before the frame that shows it is refused.
        _ = c.update(.key(.char("a")))
        #expect(c.message?.text.contains("before it was shown") == true)
        _ = c.update(.frameShown)
        // The column heads: SECTOR, then SECTOR again (reversed), then NEXT CLOCK (urgency).
        let head = layout.incidents.y + 1
        _ = c.update(.key(.mouse(MouseEvent(.press, x: 12, y: head))))
        #expect(c.sort == .sector && !c.sortReversed)
        _ = c.update(.key(.mouse(MouseEvent(.press, x: 12, y: head))))
        #expect(c.sort == .sector && c.sortReversed)
        _ = c.update(.key(.mouse(MouseEvent(.press, x: layout.incidents.width - 10, y: head))))
        #expect(c.sort == .urgency && !c.sortReversed)
        // The roster: a press on a member selects it.
        let slots = BoardRenderer.rosterSlots(tiers: c.engine.policy.roster.map(\.tier), selected: 0, height: layout.roster.inner.height)
        let gb = try #require(slots.firstIndex(of: .member(1)))
        _ = c.update(.key(.mouse(MouseEvent(.press, x: layout.roster.x + 5, y: layout.roster.inner.y + gb))))
        #expect(c.focus == .roster && c.rosterIndex == 1)
        // The wheel over the events pane scrolls it back.
        _ = c.update(.key(.mouse(MouseEvent(.wheelUp, x: 10, y: layout.ticker.y + 2))))
        #expect(c.focus == .ticker && !c.view(width: 120, height: 40).ticker.following)
        // In a window only the help's wheel counts; a press does nothing.
        c.press(.char("?"))
        _ = c.update(.key(.mouse(MouseEvent(.press, x: 12, y: rowY))))
        #expect(c.overlay == .help && c.focus == .ticker)
    }

    /// The caption line shows the latest narration; the events pane does not repeat it.
    @Test func theNarrationShowsOnce() {
        let text = render(console(at: 30), 120, 40).text
        #expect(text.components(separatedBy: "Caption for the briefing").count - 1 == 1)
    }

    /// The urgency order as duty reads it, rule by rule, and `S` reversing it.
    @Test func urgencyOrderRuleByRule() {
        let text = """
            {"type":"scenario","start":"2026-03-01T00:00:00Z","speed":3600}
            {"type":"report","id":"R-A","sector":"Alpha","status":"confirmed","at":"+0s"}
            {"type":"report","id":"R-C","sector":"Charlie","status":"confirmed","at":"+1h"}
            {"type":"report","id":"R-D","sector":"Delta","status":"confirmed","at":"+2h"}
            {"type":"action","action":"escalate","incident":"INC-0003","at":"+3h"}
            {"type":"report","id":"R-E","sector":"Echo","status":"confirmed","at":"+4h"}
            {"type":"action","action":"escalate","incident":"INC-0004","at":"+5h"}
            {"type":"action","action":"ack","incident":"INC-0004","at":"+6h"}
            {"type":"report","id":"R-F","sector":"Foxtrot","status":"confirmed","at":"+7h"}
            {"type":"action","action":"resolve","incident":"INC-0005","at":"+8h"}
            {"type":"report","id":"R-G","sector":"Golf","status":"confirmed","at":"+9h"}
            {"type":"action","action":"escalate","incident":"INC-0006","at":"+10h"}
            {"type":"action","action":"escalate","incident":"INC-0006","at":"+11h"}
            {"type":"report","id":"R-B","sector":"Bravo","status":"confirmed","at":"+20h"}
            {"type":"action","action":"ack","incident":"INC-0001","at":"+25h"}
            {"type":"narrate","text":"now","at":"+30h"}
            """
        var c = console(at: 30, text: text)
        let sectors = c.model().rows.map(\.sector)
        // Unacknowledged: tier 3, tier 2, then tier 1 overdue before tier 1 due;
        // acknowledged: tier 2, then tier 1 (overdue); closed last.
        #expect(sectors == ["Golf", "Delta", "Charlie", "Bravo", "Echo", "Alpha", "Foxtrot"])
        #expect(c.view(width: 120, height: 40).incidents.title.hasSuffix("· urgency"))
        c.press(.char("S"))
        #expect(c.model().rows.map(\.sector) == sectors.reversed())
        #expect(c.view(width: 120, height: 40).incidents.title.hasSuffix("· urgency reversed"))
        #expect(c.message?.text == "sorted by urgency, reversed")
        c.press(.char("s"))  // the next sort starts the right way round
        #expect(c.model().rows.map(\.sector) == ["Alpha", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Bravo"])
    }

    @Test func tierBadgesCountdownsAndOverdueUseTheirRoles() {
        /// The role of the first cell of `text` on the row that starts with `id`.
        func role(_ s: Screen, row id: String, of text: String) -> Role? {
            for y in 0..<s.height {
                var line = ""
                for x in 0..<s.width { line += s[x, y].text }
                guard line.hasPrefix("│" + id) || line.hasPrefix("▶" + id), let r = line.range(of: text) else { continue }
                return s[TextWidth.of(String(line[..<r.lowerBound])), y].role
            }
            return nil
        }
        var c = console(at: 30)
        c.select("INC-0002")
        var s = render(c, 120, 40)
        #expect(role(s, row: "INC-0001", of: " T2 ") == .tier2)
        #expect(role(s, row: "INC-0001", of: "T3 eligible 1d 18:00:00") == .countdown)
        #expect(role(s, row: "INC-0001", of: "UNACK") == .unacked)
        #expect(role(s, row: "INC-0002", of: " T1 ") == .tier1)  // the badge keeps its colour when selected
        #expect(role(s, row: "INC-0002", of: "OVERDUE +05:00:00") == .overdue)  // and so does OVERDUE
        #expect(role(s, row: "INC-0002", of: "INC-0002") == .text)
        c.select("INC-0001")
        s = render(c, 120, 40)
        #expect(role(s, row: "INC-0002", of: "OVERDUE +05:00:00") == .overdue)
        #expect(role(s, row: "INC-0001", of: "T3 eligible 1d 18:00:00") == .countdown)
        #expect(role(s, row: "INC-0001", of: "INC-0001") == .text)
    }

    /// The detail pane's countdown is in the overdue style whenever it is
    /// overdue, not only at 0 s late.
    @Test func detailCountdownIsOverdueStyledAtAnyLateness() throws {
        var c = console(at: 30)
        c.select("INC-0002")
        let s = render(c, 120, 40)
        let y = try #require((0..<s.height).first { y in
            (0..<s.width).map { s[$0, y].text }.joined().contains("age 1d 05:00:00   OVERDUE +05:00:00")
        })
        let line = (0..<s.width).map { s[$0, y].text }.joined()
        let x = TextWidth.of(String(line[..<line.range(of: "OVERDUE +05:00:00")!.lowerBound]))
        #expect(s[x, y].role == .overdue)
    }

    /// Emoji sequences, skin tones, flags, combining marks and wide
    /// characters in sector names keep every row exactly as wide as the screen,
    /// so no column shifts and nothing stale is left behind.
    @Test func clustersAndWideCharactersKeepTheLayout() {
        let sectors = ["👨\u{200D}👩\u{200D}👧 Siversk", "👍🏽 Lyman", "🇺🇦 Kupiansk", "Pokrove\u{301}sk", "漢字 Toretsk",
                       "a\u{200B}b", "❤\u{FE0F} Huliaipole"]
        var text = #"{"type":"scenario","start":"2026-02-10T00:00:00Z","speed":3600}"# + "\n"
        for (i, sector) in sectors.enumerated() {
            let escaped = sector.unicodeScalars.map { $0.value > 0x7F ? String(format: "\\u%04X", $0.value) : String($0) }.joined()
            text += #"{"type":"report","id":"R-\#(i)","sector":"\#(escaped)","status":"confirmed","at":"+\#(i)m"}"# + "\n"
        }
        let fixed = text.replacingOccurrences(of: "\\u1F468", with: "\\uD83D\\uDC68")
            .replacingOccurrences(of: "\\u1F469", with: "\\uD83D\\uDC69").replacingOccurrences(of: "\\u1F467", with: "\\uD83D\\uDC67")
            .replacingOccurrences(of: "\\u1F44D", with: "\\uD83D\\uDC4D").replacingOccurrences(of: "\\u1F3FD", with: "\\uD83C\\uDFFD")
            .replacingOccurrences(of: "\\u1F1FA", with: "\\uD83C\\uDDFA").replacingOccurrences(of: "\\u1F1E6", with: "\\uD83C\\uDDE6")
        var c = console(at: 1, text: fixed)
        #expect(c.engine.incidents.count == sectors.count)
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            for unicode in [true, false] {
                _ = c.update(.resize(width: w, height: h))
                let s = render(c, w, h, unicode: unicode)
                for y in 0..<h {
                    let line = (0..<w).map { s[$0, y].text }.joined()
                    #expect(TextWidth.of(line) == w, "row \(y) at \(w)x\(h) is \(TextWidth.of(line)) wide: \(line)")
                }
                // The tier badge column is the same on every incident row.
                let xs = (0..<h).compactMap { y -> Int? in
                    guard (0..<w).map({ s[$0, y].text }).joined().hasPrefix(unicode ? "│INC-" : "|INC-") else { return nil }
                    return (0..<w).first { s[$0, y].role == .tier1 }
                }
                #expect(Set(xs).count == 1, "badges at \(xs)")
            }
        }
        c.press(.char("G"))
        #expect(render(c, 120, 40).text.contains("<U+200D>"))  // the joiner is shown, not hidden
    }

    @Test func hostileTextIsShownNotExecuted() {
        let hostile = """
            {"type":"scenario","start":"2026-02-10T00:00:00Z"}
            {"type":"report","id":"R-\\u001b[2J","sector":"\\u001b]0;x\\u0007Evil\\u009b\\u202e","status":"confirmed","at":"+0s"}
            {"type":"narrate","text":"\\u001b[31mred\\r\\n","at":"+1m"}
            """
        let s = render(console(at: 1, text: hostile), 120, 40)
        for cell in s.cells {
            #expect(!cell.text.unicodeScalars.contains { Sanitizer.needsEscape($0) })
        }
        #expect(s.text.contains("^[]0;x^GEvil<U+009B><U+202E>"))
        #expect(s.text.contains("^[[31mred^M^J"))
    }

    @Test func asciiFallbackWithoutUTF8() {
        let s = render(console(at: 30), 120, 40, unicode: false)
        #expect(s.cells.allSatisfy { $0.text.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(s.text.contains("+- Incidents 2 - urgency -"))
        #expect(s.text.contains("T1 due") || s.text.contains("OVERDUE"))
    }

    @Test(arguments: [
        (0, "00:00:00"), (59, "00:00:59"), (86_399, "23:59:59"), (86_400, "1d 00:00:00"), (3 * 86_400 + 3723, "3d 01:02:03"),
    ] as [(Int64, String)])
    func countdownFormat(seconds: Int64, text: String) {
        #expect(Countdown.format(seconds) == text)
    }

    @Test func countdownTexts() {
        #expect(Countdown.tier1Due(3600).text == "T1 due 01:00:00")
        #expect(Countdown.overdue(61).text == "OVERDUE +00:01:01")
        #expect(Countdown.tier3In(90_000).text == "T3 in 1d 01:00:00")
        #expect(Countdown.tier3Eligible(59).text == "T3 eligible 00:00:59")
    }
}

@Suite("Console keys and demo clock")
struct ConsoleTests {
    @Test func acknowledgeGoesThroughTheEngine() throws {
        var c = console(at: 30)
        c.select("INC-0002")
        c.press(.char("a"))
        let inc = try #require(c.engine.incident(id: "INC-0002"))
        #expect(inc.acknowledged)
        #expect(c.recent.last?.kind == .incidentAcknowledged)
        #expect(c.recent.last?.by == "tester")
        #expect(c.message?.text == "ack INC-0002 Покровськ-Схід recorded")
    }

    @Test func resolveAsksFirstAndAnyOtherKeyCancels() throws {
        var c = console(at: 30)
        c.select("INC-0001")
        c.press(.char("R"))
        #expect(render(c, 120, 40).text.contains("Resolve INC-0001 Pokrovsk? Its clocks stop."))
        c.press(.escape)
        #expect(c.overlay == nil)
        #expect(c.message?.text == "resolve INC-0001 Pokrovsk cancelled")
        #expect(c.engine.incident(id: "INC-0001")?.status == .open)
        c.press(.char("R"))
        c.press(.enter)  // only y confirms
        #expect(c.engine.incident(id: "INC-0001")?.status == .open)
        c.press(.char("R"))
        c.press(.char("y"))
        #expect(c.engine.incident(id: "INC-0001")?.status == .resolved)
        #expect(c.message?.text == "resolve INC-0001 Pokrovsk recorded")
        // A second resolve is refused before any question, naming why.
        c.press(.char("R"))
        #expect(c.overlay == nil)
        #expect(c.message?.isError == true)
        #expect(c.message?.text.contains("INC-0001 Pokrovsk is resolved") == true)
    }

    @Test func noteIsAPromptWithUTF8EditingAndEscCancels() {
        var c = console(at: 30)
        c.select("INC-0001")
        c.press(.char("n"))
        c.type("Обстріл ok")
        c.press(.backspace)
        c.press(.left)
        c.press(.char("!"))
        #expect(c.overlay == .prompt(.note(incident: "INC-0001"), text: "Обстріл !o", cursor: 9))
        c.press(.escape)
        #expect(c.overlay == nil)
        #expect(!c.recent.contains { $0.action == .note })
        c.press(.char("n"))
        c.type("Обстріл")
        c.press(.enter)
        #expect(c.recent.last?.action == .note)
        #expect(c.recent.last?.text == "Обстріл")
    }

    @Test func commitAndDeclineWorkInTheRosterPaneAndAskFirst() throws {
        var c = console(at: 30)
        c.select("INC-0001")
        c.press(.char("c"))
        #expect(c.message?.isError == true)
        c.press(.tab)
        #expect(c.focus == .roster)
        c.press(.down)  // GB
        c.press(.char("c"))
        #expect(render(c, 120, 40).text.contains("GB United Kingdom commits to INC-0001 Pokrovsk?"))
        c.press(.char("y"))
        c.press(.down)  // FR
        c.press(.char("d"))
        c.press(.char("y"))
        let inc = try #require(c.engine.incident(id: "INC-0001"))
        #expect(inc.answer(of: "GB") == .committed)
        #expect(inc.answer(of: "FR") == .declined)
        #expect(c.message?.text == "decline FR INC-0001 Pokrovsk recorded")
    }

    @Test func filterNarrowsTheIncidentList() {
        var c = console(at: 30)
        c.press(.char("/"))
        c.type("схід")
        c.press(.enter)
        #expect(c.model().rows.map(\.id) == ["INC-0002"])
        c.press(.escape)
        #expect(c.model().rows.count == 2)
    }

    @Test func localTimeToggle() {
        setenv("TZ", "Europe/Kyiv", 1)
        tzset()
        defer { unsetenv("TZ"); tzset() }
        var c = console(at: 30)
        #expect(render(c, 120, 40).text.contains("2026-02-11 06:00:00Z"))
        c.press(.char("L"))
        let local = render(c, 120, 40).text
        #expect(local.contains("2026-02-11 08:00:00+02:00"))  // Kyiv is UTC+2 in February
        #expect(c.message?.text == "times shown in local time")
        c.press(.char("L"))
        #expect(render(c, 120, 40).text.contains("2026-02-11 06:00:00Z"))
    }

    @Test func navigationAndHelp() {
        var c = console(at: 30)
        c.press(.char("G"))
        #expect(c.selectedIncident == c.model().rows.last?.id)
        c.press(.char("g"))
        #expect(c.selectedIncident == c.model().rows.first?.id)
        c.press(.char("?"))
        #expect(c.overlay == .help)
        let text = render(c, 120, 40).text
        for k in ["acknowledge its alert", "escalate one tier (asks first)", "the member declines", "pause / resume"] {
            #expect(text.contains(k))
        }
        c.press(.escape)
        #expect(c.overlay == nil)
        #expect(c.press(.char("q")) == [.quit])
    }

    @Test func demoKeysPauseStepAndChangeSpeed() {
        var c = console(at: 0)
        #expect(c.demo?.paused == true)
        c.press(.char(" "))
        #expect(c.demo?.paused == false)
        let speed = c.demo!.speed
        c.press(.char("+"))
        #expect(c.demo!.speed > speed)
        c.press(.char("-"))
        c.press(.char("-"))
        #expect(c.demo!.speed < speed)
        c.press(.char(" "))
        let before = c.engine.acceptedCount
        c.press(.char("."))
        #expect(c.engine.acceptedCount > before)
    }

    /// However the real-time ticks fall, a demo played to the end produces
    /// exactly the timeline `truce replay` prints.
    @Test(arguments: [0.001, 0.37, 1.0, 7.5])
    func demoPlaybackEqualsReplay(tick: Double) {
        for w in Walkthrough.all {
            var replay = Engine()
            var expected: [Event] = []
            for (i, l) in w.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                replay.process(line: String(l), number: i + 1)
                expected += replay.takeEvents()
            }
            #expect(replay.rejectedCount == 0, "\(w.name) has a rejected record")
            let end = replay.lastAcceptedAt! + 3600
            replay.advance(through: end)
            expected += replay.takeEvents()

            var engine = Engine()
            var clock = DemoClock(text: w.text, speed: 3600)
            var got: [Event] = []
            while clock.now < end {
                clock.advance(realSeconds: tick)
                clock.feed(&engine)
                got += engine.takeEvents()
            }
            // A coarse tick may overshoot the end: compare up to it.
            got = got.filter { $0.at! <= end }
            #expect(got.count == expected.count, "\(w.name) at tick \(tick)")
            #expect(got == expected, "\(w.name) at tick \(tick)")
        }
    }

    /// A scenario saved with Windows line ends and a byte-order mark plays the same.
    @Test func aCRLFScenarioPlaysLikeAnLFOne() {
        let crlf = "\u{FEFF}" + Walkthrough.climb.text.replacingOccurrences(of: "\n", with: "\r\n")
        let a = DemoClock(text: Walkthrough.climb.text), b = DemoClock(text: crlf)
        #expect(a.lines.count == b.lines.count)
        #expect(a.lines.map(\.0) == b.lines.map(\.0))
        #expect(a.title == b.title && a.now == b.now)
    }

    @Test func walkthroughsCoverWhatTheIssueAsks() {
        func kinds(_ w: Walkthrough) -> [Event] {
            var e = Engine()
            var all: [Event] = []
            for (i, l) in w.text.split(separator: "\n").enumerated() { e.process(line: String(l), number: i + 1); all += e.takeEvents() }
            e.advance(through: e.lastAcceptedAt! + 3600)
            return all + e.takeEvents()
        }
        let climb = kinds(.climb)
        #expect(climb.contains { $0.kind == .tierEscalated && $0.tier == 3 })
        #expect(climb.contains { $0.action == .commit } && climb.contains { $0.action == .decline })
        let tier1 = kinds(.tier1)
        #expect(tier1.contains { $0.kind == .incidentResolved } && !tier1.contains { $0.kind == .tierEscalated })
        let contested = kinds(.contested)
        #expect(Set(contested.compactMap(\.sector)).count >= 4)
        #expect(contested.contains { $0.kind == .reportPending })
        #expect(contested.contains { $0.kind == .reportRetracted && $0.status == .disputed })
        #expect(contested.contains { $0.kind == .reportRetracted && $0.status == .retracted })
        #expect(contested.contains { $0.kind == .tier1Overdue })  // the late confirmation opens overdue
        #expect(contested.contains { $0.kind == .incidentWithdrawn })
        for w in Walkthrough.all { #expect(kinds(w).contains { $0.kind == .narration }) }
    }
}
