import TruceEngine

/// Everything one frame of the board shows, as text, numbers and roles.
/// Built from the console for a terminal size; the renderer reads only this.
public struct BoardView: Sendable {
    public var width: Int
    public var height: Int
    /// nil when the terminal is too small for the board.
    public var layout: BoardLayout?
    public var header: Header
    public var incidents: IncidentsPane
    public var detail: Detail?
    public var roster: RosterPane
    public var pending: PendingPane
    public var ticker: TickerPane
    public var caption: String?
    public var message: StatusMessage?
    public var hints: [(key: String, text: String)]
    public var overlay: OverlayView?

    public struct Header: Sendable {
        public var clock: String
        /// `PAUSED`, or the demo speed; nil when live.
        public var demoPaused: Bool?
        public var demoSpeed: String?
        public var open: Int
        public var unacknowledged: Int
        public var overdue: Int
        /// What the board is fed by (`LIVE · journal ~/…`, `DEMO climb`); may be empty.
        public var source: String
        public var feeds: FeedHealth?
        /// The shared journal's state, longest first (the header shows the
        /// longest that fits): `OFFLINE since 14:02 · 3 queued`, `OFFLINE · 3
        /// queued`, `OFFLINE`; or `3 queued` while it is reachable. Empty: nothing to say.
        public var upstream: [String] = []
        /// The shared journal is unreachable: the board may be stale (an alert, never left out).
        public var isOffline = false
        /// Reviewing the past: what the header says instead of the clock,
        /// longest first (`REVIEW 2026-02-15 03:40:00Z · live is +2h12m ahead · 3 new records`, …).
        public var review: [String]?
    }

    public struct IncidentsPane: Sendable {
        public var title: String
        public var focused: Bool
        public var filtered: Bool
        /// The rows on screen (a window of the list that keeps the selection in view).
        public var rows: [IncidentRow]
        public var selected: String?
        /// Index of the first row shown, and how many rows there are.
        public var offset: Int
        public var total: Int
    }

    public struct Detail: Sendable {
        public var id: String
        public var sector: String
        public var tier: Int
        public var status: IncidentStatus
        public var acknowledged: Bool
        public var t0: String
        public var age: String
        public var countdown: Countdown
        /// The countdown is in its last stretch (`Policy.dueSoon`).
        public var dueSoon: Bool
        public var bar: TimelineBar
        public var step: Tier1Step
        public var stepText: String
        /// How a closed incident closed (`resolved at … by …`); nil while open.
        public var closedText: String?
        public var armed: Bool
        public var tier3At: String
        public var cohesion: String
        public var reportCount: Int
        public var reports: [String]
        /// This incident's recent events, oldest first.
        public var history: [EventLine]
    }

    /// The T0 → 24 h → 72 h bar of an incident, in seconds.
    public struct TimelineBar: Sendable {
        public var t0: Int64
        public var tier1Deadline: Int64
        public var tier3At: Int64
        public var tier2Reached: Int64?
        public var tier3Reached: Int64?
        public var now: Int64
    }

    public struct EventLine: Sendable {
        public var time: String
        public var incident: String
        public var text: String
        public var kind: EventKind
        public var tier: Int?
        /// The console's own note (a refusal that left the message line), not an engine event.
        public var isNote = false
        /// A record this site made that the shared journal does not hold yet.
        public var isProvisional = false
    }

    public struct RosterPane: Sendable {
        public var title: String
        /// The title for a narrow pane (`INC-0004 · 2/6`).
        public var shortTitle: String
        public var focused: Bool
        /// The incident is closed: its answers are final ("no answer" for a notified member).
        public var closed: Bool
        public var members: [RosterLine]
    }

    public struct RosterLine: Sendable {
        public var tier: Int
        public var tierName: String
        public var code: String
        public var name: String
        public var answer: RosterAnswer?
        public var selected: Bool
    }

    public struct PendingPane: Sendable {
        public var count: Int
        public var focused: Bool
        /// id, sector and kind; age.
        public var rows: [(text: String, age: String)]
    }

    public struct TickerPane: Sendable {
        public var focused: Bool
        /// Showing the newest events (false once scrolled back: new ones then wait below).
        public var following: Bool
        public var lines: [EventLine]
    }

    public enum OverlayView: Sendable {
        /// The keys and the glossary (`BoardView.helpLines`), scrolled down `scroll` lines.
        case help(scroll: Int)
        case detail
        /// The events pane's lines (up to where it is scrolled), newest last, to show in full.
        case events([EventLine])
        /// A pane's lines in full (the roster, the pending reports): a title, and lines to wrap.
        case full(title: String, lines: [String])
        case confirm(question: String)
        case prompt(label: String, text: String, cursor: Int)
    }
}

extension BoardView {
    /// What `?` shows: every key, by section, then what the board's words mean.
    public static let helpSections: [(section: String, rows: [(keys: String, help: String)])] =
        Binding.Section.allCases.map { section in
            (section: section.rawValue,
             rows: KeyMap.bindings.filter { $0.section == section }.map { (keys: $0.labels.joined(separator: " "), help: $0.help) })
        } + [(section: "Words on the board", rows: [
            (keys: "T1 due", help: "time left for the tier-1 step (the diplomatic warning), 24 h from T0"),
            (keys: "OVERDUE", help: "the tier-1 deadline passed with no warning (an alert)"),
            (keys: "T3 in", help: "armed: tier 3 comes at 72 h after T0"),
            (keys: "T3 eligible", help: "not armed: tier 3 only if a new report comes after tier 2"),
            (keys: "armed", help: "a tier-2 incident with a report observed after its escalation"),
            (keys: "cohesion", help: "notified members who committed, of all those notified"),
            (keys: "reminder", help: "an alert not yet acknowledged repeats every 15 min (a run is one line)"),
            (keys: "UNACK", help: "an alert nobody has acknowledged yet (a to acknowledge)"),
            (keys: "ack… queued", help: "shared journal: this site's record waits in its outbox; provisional until it is back"),
            (keys: "┃━━2━━▲──┃", help: "bar: T0, 24 h and 72 h marks; ━ time passed, in the tier's colour;"),
            (keys: "", help: "2 and 3 where those tiers began; ▲ now"),
        ])]

    /// The help's width on a screen `width` columns wide.
    public static func helpWidth(_ width: Int) -> Int {
        let widest = helpSections.flatMap(\.rows).map { TextWidth.of($0.help) }.max() ?? 40
        return min(width - 4, max(64, widest + 22))
    }

    /// The help as lines for a screen `width` columns wide: section titles, and
    /// keys with their text, wrapped at word boundaries so nothing is cut.
    public static func helpLines(width: Int) -> [(keys: String, text: String, isTitle: Bool)] {
        let room = max(10, helpWidth(width) - 20)
        var out: [(keys: String, text: String, isTitle: Bool)] = []
        for (section, rows) in helpSections {
            out.append(("", section, true))
            for (k, what) in rows {
                for (i, part) in BoardRenderer.wrap(what, room).enumerated() { out.append((i == 0 ? k : "", part, false)) }
            }
        }
        return out
    }

    /// How many lines of the help fit on a screen this size, and how far it
    /// can scroll (the console clamps its scroll with the same sum).
    public static func helpWindow(width: Int, height: Int) -> (room: Int, maxScroll: Int) {
        let lines = helpLines(width: width).count
        let room = max(1, min(height - 2, lines + 2) - 2)
        return (room, max(0, lines - room))
    }
}

extension Console {
    /// The header's word on the shared journal, longest first: `OFFLINE since
    /// 14:02 · 3 queued`, `OFFLINE · 3 queued`, `OFFLINE`; `3 queued` while a
    /// reachable journal takes the queue; nothing otherwise.
    func upstreamText(_ times: TimeText) -> [String] {
        let queued = queuedCount > 0 ? "\(queuedCount) queued" : nil
        guard let since = offlineSince else { return queued.map { [$0] } ?? [] }
        let offline = "OFFLINE since " + String(times.dateTime(since).split(separator: " ").last?.prefix(5) ?? "")
        guard let queued else { return [offline, "OFFLINE"] }
        return [offline + " · " + queued, "OFFLINE · " + queued, "OFFLINE"]
    }

    /// The board for a terminal of this size (the console's own by default).
    public func view(width w: Int? = nil, height h: Int? = nil) -> BoardView {
        let w = w ?? width, h = h ?? height
        if let r = review { return reviewView(r, width: w, height: h) }
        let layout = BoardLayout(width: w, height: h)
        let times = TimeText(local: localTime)
        let now = self.now
        let rows = list.rows
        // The incidents window: keep the selection in view.
        let window = incidentsWindow(layout)
        let offset = window.lowerBound
        var title = "Incidents \(rows.count)"
        if !filter.isEmpty { title += " /\(filter)" }
        title += " · \(sort.rawValue)\(sortReversed ? " reversed" : "")"
        let incidentsPane = BoardView.IncidentsPane(
            title: title, focused: focus == .incidents, filtered: !filter.isEmpty,
            rows: rows[window].map { row in
                // The list's order holds whatever the time; its clocks are redrawn for now.
                var r = row
                let inc = engine.incidents[row.index]
                r.age = IncidentList.age(inc, at: now)
                r.countdown = Countdown.of(inc, at: now)
                r.isDueSoon = r.countdown.isDue(within: engine.policy.dueSoon)
                r.ackQueued = ackQueued(row.id)
                return r
            },
            selected: selectedIncident, offset: offset, total: rows.count)

        let selected = selectedIncident.flatMap { engine.incident(id: $0) }
        var detail: BoardView.Detail?
        if let inc = selected {
            let step: String
            switch inc.step {
            case .pending: step = "pending — warning due by \(times.dateTime(inc.tier1Deadline))"
            case .warned: step = "warned at \(times.dateTime(inc.stepCompletedAt ?? inc.tier1Deadline))"
            case .overdue: step = "OVERDUE — no warning by \(times.dateTime(inc.tier1Deadline))"
            }
            var closedText: String?
            if let at = inc.closedAt {
                closedText = inc.status == .resolved
                    ? "resolved at \(times.dateTime(at))" + (inc.closedBy.map { " by \($0)" } ?? "")
                    : "withdrawn at \(times.dateTime(at)): no confirmed report left"
            }
            let committed = inc.notified.filter { inc.answers[$0] == .committed }.count
            let reports = inc.reportIndices.suffix(40).map { idx -> String in
                let r = engine.reports[Int(idx)]
                return "\(r.id) \(r.status.rawValue)" + (r.kind.map { " \($0)" } ?? "")
            }
            let history = FoldedEvent.fold(recent.lazy.filter { $0.incident == inc.id && $0.kind != .rosterNotified })
                .suffix(200).map { eventLine($0, times) }
                + provisional.filter { $0.incident == inc.id }.map { provisionalLine($0, times) }
            detail = BoardView.Detail(
                id: inc.id, sector: inc.sector, tier: inc.tier, status: inc.status, acknowledged: inc.acknowledged,
                t0: times.dateTime(inc.t0), age: Countdown.format(IncidentList.age(inc, at: now)),
                countdown: Countdown.of(inc, at: now),
                dueSoon: Countdown.of(inc, at: now).isDue(within: engine.policy.dueSoon),
                bar: BoardView.TimelineBar(t0: inc.t0.seconds, tier1Deadline: inc.tier1Deadline.seconds,
                                           tier3At: inc.tier3At.seconds,
                                           tier2Reached: inc.tierTimes.count > 1 ? inc.tierTimes[1].seconds : nil,
                                           tier3Reached: inc.tierTimes.count > 2 ? inc.tierTimes[2].seconds : nil,
                                           now: (inc.closedAt ?? now).seconds),
                step: inc.step, stepText: step, closedText: closedText, armed: inc.armed, tier3At: times.dateTime(inc.tier3At),
                cohesion: inc.cohesion == nil ? "-" : "\(committed)/\(inc.notified.count)",
                reportCount: inc.countingReports, reports: reports, history: Array(history))
        }

        // The roster is the selected incident's: its title says which, and how many committed.
        var rosterTitle = "Roster", rosterShort = "Roster"
        if let inc = selected {
            rosterTitle += " · \(inc.id)"
            rosterShort = rosterTitle
            if !inc.notified.isEmpty {
                let share = "\(inc.notified.filter { inc.answers[$0] == .committed }.count)/\(inc.notified.count)"
                rosterTitle += " · \(share) committed"
                rosterShort += " · \(share)"
            }
        }
        let members = engine.policy.roster.enumerated().map { i, m in
            BoardView.RosterLine(tier: m.tier, tierName: Policy.tierName(m.tier), code: m.code, name: m.name,
                                 answer: selected?.answer(of: m.code), selected: focus == .roster && i == rosterIndex)
        }

        let pendingIDs = engine.pendingReports
        let pendingRoom = max(0, (layout?.pending.height ?? 2) - 2)
        let pendingOffset = min(pendingScroll, max(0, pendingIDs.count - pendingRoom))
        let pendingRows = pendingIDs.dropFirst(pendingOffset).prefix(pendingRoom).compactMap { engine.report(id: $0) }.map {
            (text: " \($0.id) \(engine.sectors[$0.sectorIndex].name) \($0.kind ?? "")",
             age: Countdown.format(max(0, now - $0.observed)))
        }

        // The ticker folds notifications into their cause and runs of reminders
        // into one line, and leaves out the narration the caption line shows.
        let items = tickerHeld ?? tickerItems()
        let tickerRoom = max(0, (layout?.ticker.height ?? 2) - 2)
        let scroll = min(tickerScroll, max(0, items.count - tickerRoom))
        let end = max(0, items.count - scroll)
        let tickerLines = items[max(0, end - tickerRoom)..<end].map { eventLine($0, times) }

        var overlayView: BoardView.OverlayView?
        switch overlay {
        case .help?:
            overlayView = .help(scroll: helpScroll)
        case .detail?: overlayView = .detail
        case .full(let pane)?:
            if pane == .roster {
                let inc = selected
                overlayView = .full(title: rosterTitle, lines: engine.policy.roster.map { m in
                    let answer = inc.flatMap { i in i.answer(of: m.code).map { a in !i.isOpen && a == .notified ? "no answer" : a.rawValue } } ?? "—"
                    return "\(m.code)  \(m.name) · tier \(m.tier)" + (m.role.map { " · \($0)" } ?? "") + " · \(answer)"
                })
            } else {
                overlayView = .full(title: "Pending verification \(pendingIDs.count)", lines: pendingIDs.compactMap { engine.report(id: $0) }.map { r in
                    var parts = ["\(r.id)  \(engine.sectors[r.sectorIndex].name)", r.status.rawValue]
                    if let k = r.kind { parts.append(k) }
                    parts.append(r.scale.rawValue)
                    if let src = r.source { parts.append("from \(src)") }
                    parts.append("observed \(times.dateTime(r.observed)) (\(Countdown.format(max(0, now - r.observed))) ago)")
                    if let n = r.note { parts.append("note: \(n)") }
                    return parts.joined(separator: " · ")
                })
            }
        case .events?:
            overlayView = .events(items[..<end].suffix(max(1, h - 3)).map { eventLine($0, times) })
        case .confirm(let q)?: overlayView = .confirm(question: q.question)
        case .prompt(let kind, let text, let cursor)?:
            let label: String
            switch kind {
            case .note(let id): label = " Note on \(self.label(id)): "
            case .filter: label = " Filter /"
            case .reviewTime: label = Console.reviewPromptLabel
            }
            overlayView = .prompt(label: label, text: text, cursor: cursor)
        case nil: break
        }

        return BoardView(
            width: w, height: h, layout: layout,
            header: BoardView.Header(clock: times.dateTime(now), demoPaused: demo.map(\.paused),
                                     demoSpeed: demo.map { Console.speedText($0.speed) },
                                     open: list.openCount, unacknowledged: list.unacknowledgedCount, overdue: list.overdueCount,
                                     source: source, feeds: feeds,
                                     upstream: upstreamText(times), isOffline: offlineSince != nil),
            incidents: incidentsPane, detail: detail,
            roster: BoardView.RosterPane(title: rosterTitle, shortTitle: rosterShort, focused: focus == .roster, closed: selected.map { !$0.isOpen } ?? false,
                                         members: members),
            pending: BoardView.PendingPane(count: pendingIDs.count, focused: focus == .pending, rows: pendingRows),
            ticker: BoardView.TickerPane(focused: focus == .ticker, following: tickerHeld == nil, lines: tickerLines),
            caption: caption ?? demo?.title, message: message, hints: KeyMap.hints(demo: demo != nil, paused: demo?.paused ?? false, pane: focus, filtered: !filter.isEmpty),
            overlay: overlayView)
    }

    private func eventLine(_ item: TickerItem, _ times: TimeText) -> BoardView.EventLine {
        switch item {
        case .event(let f): return eventLine(f, times)
        case .note(let at, let text):
            return BoardView.EventLine(time: times.dayTime(at), incident: "", text: text, kind: .narration, tier: nil, isNote: true)
        case .provisional(let p):
            return provisionalLine(p, times)
        }
    }

    /// ` · site hq`, or ` · site hq, made 12-07 14:02:11` for a record
    /// queued offline: where another site's (or this one's) record came from.
    static func originText(_ o: RecordOrigin?, _ times: TimeText) -> String {
        guard let o else { return "" }
        return " · site " + Sanitizer.clean(o.site) + (o.madeAt.map { ", made " + times.dayTime($0) } ?? "")
    }

    private func provisionalLine(_ p: Provisional, _ times: TimeText) -> BoardView.EventLine {
        BoardView.EventLine(time: times.dayTime(p.madeAt), incident: p.incident ?? "",
                            text: "queued: \(p.text) (not in the shared journal yet)", kind: .narration, tier: nil,
                            isProvisional: true)
    }

    private func eventLine(_ f: FoldedEvent, _ times: TimeText) -> BoardView.EventLine {
        BoardView.EventLine(time: times.dayTime(f.event.at), incident: f.event.incident ?? "",
                            text: f.sentence(times) + Console.originText(f.event.origin, times),
                            kind: f.event.kind, tier: f.event.tier)
    }

    /// The rows of the list the incidents pane shows: a window that keeps the selection in view.
    func incidentsWindow(_ layout: BoardLayout?) -> Range<Int> {
        let count = list.rows.count
        let visible = max(0, (layout?.incidents.height ?? 0) - 3)
        let selectedRow = selectedIncident.flatMap { list.index(of: $0) } ?? 0
        let offset = min(max(0, selectedRow - visible + 1), max(0, count - visible))
        return min(offset, count)..<min(count, offset + visible)
    }

    /// The events pane's lines, oldest first (see `FoldedEvent`), with the
    /// console's notes among them and this site's queued records last.
    func tickerItems() -> [TickerItem] {
        let captionShown = caption.flatMap { text in recent.lastIndex { $0.kind == .narration && $0.text == text } }
        return TickerItem.merge(FoldedEvent.fold(recent, skipping: captionShown), notes) + provisional.map { .provisional($0) }
    }
}
