import Foundation
import Testing
import TruceConsole
import TruceEngine
import TruceHeadless
@testable import TruceReport
import TruceTestSupport

/// Runs scenario text through the engine as `truce after-action` does, and
/// returns the report with every event the engine made and the final engine.
func afterAction(_ text: String) throws -> (AfterAction, [Event], Engine) {
    let path = Scratch.directory + "truce-aa-\(UUID().uuidString).jsonl"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (report, _, events) = try AfterAction.replaying(path: path, policy: .standard)
    let (engine, _) = try Runner.run(path: path, feed: Runner.Feed(), runTimers: false) { _, _ in }
    return (report, events, engine)
}

func count(_ s: String, _ needle: String) -> Int { s.components(separatedBy: needle).count - 1 }

@Suite("After-action report")
struct AfterActionTests {
    /// The chart of each walkthrough against the engine's events: a lane per
    /// incident, a band per tier reached, a marker per report, acknowledgement,
    /// warning, response, commitment, decline, escalation and resolution.
    @Test(arguments: Walkthrough.all.map(\.name))
    func theChartShowsWhatTheEngineDid(walkthrough: String) throws {
        let (report, events, engine) = try afterAction(Walkthrough.named(walkthrough)!.text)
        let svg = AfterActionHTML.svg(report)
        #expect(report.lanes.map(\.id) == engine.incidents.map(\.id))
        #expect(report.lanes.allSatisfy { $0.trail.allSatisfy { $0.at >= report.from && $0.at <= report.to } }, "a trail line outside the report's range")
        #expect(events.compactMap(\.at).allSatisfy { $0 <= report.to }, "an event after the report's end")
        #expect(count(svg, "<g class=\"lane\"") == engine.incidents.count)
        #expect(count(svg, "<rect class=\"band tier") == engine.incidents.reduce(0) { $0 + $1.tier })
        for t in 1...3 {
            #expect(count(svg, "class=\"band tier\(t)\"") == engine.incidents.filter { $0.tier >= t }.count, "tier \(t)")
        }
        func made(_ kind: EventKind, _ action: ActionKind? = nil) -> Int {
            events.filter { $0.kind == kind && $0.incident != nil && (action == nil || $0.action == action) }.count
        }
        let expected: [(String, Int)] = [
            ("report", made(.incidentOpened) + made(.reportJoined)),
            ("acknowledged", made(.incidentAcknowledged)),
            ("warning", made(.actionRecorded, .warning)),
            ("response", made(.actionRecorded, .response)),
            ("commit", made(.actionRecorded, .commit)),
            ("decline", made(.actionRecorded, .decline)),
            ("escalation", made(.tierEscalated)),
            ("overdue", made(.tier1Overdue)),
            ("resolution", made(.incidentResolved) + made(.incidentWithdrawn)),
        ]
        for (kind, n) in expected {
            #expect(count(svg, "<g class=\"marker \(kind)\">") == n, "\(kind) markers")
        }
        // Every marker says what happened on hover, and the 24 h / 72 h marks are there for each lane in the window.
        #expect(count(svg, "<g class=\"marker") == count(svg, "</title><") - count(svg, "<rect class=\"band") - count(svg, "class=\"clock\""))
        for inc in engine.incidents where inc.t0 + engine.policy.tier1Window <= report.to {
            #expect(svg.contains("24 h from T0: \(TimelineText.time(inc.t0 + engine.policy.tier1Window))"))
        }
        // The page holds the chart, one section per incident, and the roster.
        let page = AfterActionHTML.page(report, source: "walkthrough \(walkthrough)")
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains(svg))
        #expect(count(page, "<div class=\"incident\"") == engine.incidents.count)
        for m in engine.policy.roster { #expect(page.contains("<td>\(m.code)</td><td>\(m.name)</td>")) }
        #expect(!page.contains("<script"))
        #expect(!page.contains("src=") && !page.contains("<link") && !page.contains("@import") && !page.contains("url("), "an external resource")
    }

    /// The summary's figures, worked out by hand for the climb walkthrough.
    @Test func theClimbsFigures() throws {
        let (r, _, _) = try afterAction(Walkthrough.climb.text)
        #expect(r.opened == 1 && r.highestTier == 3)
        #expect(AfterAction.medianAndWorst(r.timesToAcknowledge)! == (1200, 1200))  // opened 05:00, acknowledged 05:20
        #expect(AfterAction.medianAndWorst(r.timesToWarning)! == (17700, 17700))  // T0 04:05, warning 09:00
        #expect(r.cohesion == (7, 8))
        #expect(r.members.first { $0.code == "TR" }.map { ($0.notified, $0.committed, $0.declined) }! == (1, 0, 1))
        let json = AfterActionHTML.json(r)
        #expect(json.contains(#""time_to_acknowledge":{"count":1,"median_seconds":1200,"worst_seconds":1200}"#), "\(json)")
        #expect(AfterAction.medianAndWorst([]) == nil)
        #expect(AfterAction.medianAndWorst([1, 5, 9, 10])! == (7, 10))
    }

    /// A run of reminders is one line of the trail.
    @Test func remindersAreFoldedInTheTrail() throws {
        let (r, events, _) = try afterAction("""
            {"type":"scenario","title":"t","start":"2026-02-10T00:00:00Z"}
            {"type":"report","id":"R-1","sector":"Lyman","status":"confirmed","at":"+0s"}
            {"type":"action","action":"ack","incident":"INC-0001","at":"+2h","by":"duty"}
            """)
        // Seven before the acknowledgement, one line; the report ends with the last record (no timers after it).
        #expect(events.filter { $0.kind == .alertReminder }.count == 7)
        let lines = r.lanes[0].trail.map(\.text).filter { $0.hasPrefix("reminder") }
        #expect(lines == ["reminder ×7 from 2026-02-10 00:15:00Z to 2026-02-10 01:45:00Z: the alert is still unacknowledged"], "\(lines)")
        #expect(r.to > Instant(seconds: 1_770_688_800))  // 2026-02-10T02:00:00Z, the last record
    }

    /// Hostile text in any field is text on the page: no element, attribute
    /// or control character gets through.
    @Test func hostileTextIsEscaped() throws {
        let (r, _, _) = try afterAction(#"""
            {"type":"scenario","title":"<b>x</b> & \"q\"","start":"2026-02-10T00:00:00Z"}
            {"type":"report","id":"R-<i>","sector":"<script>alert('x')</script>","status":"confirmed","at":"+0s","kind":"<img src=x onerror=alert(1)>"}
            {"type":"action","action":"warning","incident":"INC-0001","at":"+1h","by":"\u001b[2J\"><svg onload=alert(1)>","note":"</title></g><script>bad()</script>"}
            """#)
        for text in [AfterActionHTML.page(r, source: "<source>"), AfterActionHTML.svg(r)] {
            #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("<svg onload") && !text.contains("<b>x"))
            #expect(!text.contains("\u{1b}") && !text.contains("</title></g><script"))
            #expect(!text.contains("'x'"), "a quote inside an attribute or text")
        }
        let page = AfterActionHTML.page(r, source: "<source>")
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") && page.contains("&lt;source&gt;"))
        #expect(page.contains("&lt;b&gt;x&lt;/b&gt; &amp; &quot;q&quot;"))
    }

    /// A window keeps the incidents open in it, and only its markers and trail.
    @Test func aWindowKeepsWhatHappenedInIt() throws {
        let (r, _, _) = try afterAction(Walkthrough.contested.text)
        let from = r.lanes[2].openedAt, to = r.to
        let w = r.restricted(from: from, to: to)
        #expect(w.from == from && w.to == to)
        #expect(w.lanes.map(\.id) == r.lanes.filter { $0.openedAt <= to && ($0.closedAt ?? .init(seconds: .max)) >= from }.map(\.id))
        #expect(w.lanes.count < r.lanes.count)
        #expect(w.lanes.allSatisfy { $0.markers.allSatisfy { $0.at >= from && $0.at <= to } && $0.trail.allSatisfy { $0.at >= from } })
        // As of the window's end: the climb's first day has tier 2, not yet tier 3, and no US answer counted.
        let (climb, _, _) = try afterAction(Walkthrough.climb.text)
        let day1 = climb.restricted(from: climb.from, to: climb.from + 10 * 3600)
        #expect(day1.highestTier == 2 && day1.lanes[0].closedAt == nil)
        #expect(day1.members.first { $0.code == "US" }!.notified == 0 && day1.members.first { $0.code == "EU" }!.committed == 0)
        #expect(day1.members.first { $0.code == "GB" }!.committed == 1 && day1.members.first { $0.code == "FR" }!.committed == 0)  // 15:00 and 16:00
        #expect(day1.members.first { $0.code == "TR" }!.declined == 0 && day1.members.first { $0.code == "TR" }!.notified == 1)
        #expect(count(AfterActionHTML.svg(day1), "class=\"band tier3\"") == 0)
        let empty = r.restricted(from: r.from - 2 * 86_400, to: r.from - 86_400)  // before the first incident
        #expect(empty.lanes.isEmpty && AfterActionHTML.svg(empty).contains("no incident in this window"))
    }
}
