import TruceEngine

/// Draws the whole board for a console into a screen buffer. Pure: the same
/// console and size always give the same cells, so the live console,
/// `truce snapshot` and the render tests share it.
public enum BoardRenderer {
    public static func render(_ c: Console, into s: inout Screen) {
        s.fill(0, 0, s.width, s.height, .text)
        guard let layout = BoardLayout(width: s.width, height: s.height) else {
            tooSmall(&s)
            return
        }
        let model = c.model()
        header(c, model, &s, layout.header)
        incidents(c, model, &s, layout.incidents, wide: layout.wide)
        detail(c, model, &s, layout.detail)
        roster(c, &s, layout.roster)
        pending(c, &s, layout.pending)
        ticker(c, &s, layout.ticker)
        caption(c, &s, layout.caption)
        footer(c, &s, layout.footer)
        switch c.overlay {
        case .help?: help(&s)
        case .detail?: detail(c, model, &s, Rect(2, 1, s.width - 4, s.height - 3), zoomed: true)
        case .confirm(let kind, let id)?: confirm(kind, id, c, &s)
        case .prompt(let kind, let text, let cursor)?: prompt(kind, text, cursor, &s, layout.footer)
        case nil: break
        }
    }

    static func tooSmall(_ s: inout Screen) {
        let lines = ["terminal too small — need \(BoardLayout.minWidth)×\(BoardLayout.minHeight)",
                     "now \(s.width)×\(s.height); enlarge the window, or q to quit"]
        let top = max(0, s.height / 2 - 1)
        for (i, l) in lines.enumerated() {
            let fitted = Screen.fit(l, s.width, unicode: s.unicode)
            s.put(max(0, (s.width - TextWidth.of(fitted)) / 2), top + i, fitted, i == 0 ? .danger : .dim)
        }
    }

    // MARK: - Header and footer

    static func header(_ c: Console, _ m: BoardModel, _ s: inout Screen, _ r: Rect) {
        s.fill(r.x, r.y, r.width, 1, .header)
        let counts: [(String, Role)] = [
            ("open \(m.openCount)", .header),
            ("unack \(m.unacknowledgedCount)", m.unacknowledgedCount > 0 ? .unacked : .header),
            ("overdue \(m.overdueCount)", m.overdueCount > 0 ? .overdue : .header),
        ]
        let countsWidth = counts.reduce(0) { $0 + TextWidth.of($1.0) + 2 }
        var clock = " " + times(c).dateTime(m.now) + " "
        if let d = c.demo {
            clock += d.paused ? "PAUSED " : "\(s.unicode ? "▶" : ">") ×\(Console.speedText(d.speed)) "
        }
        // The counts and the clock always show; the tagline only when there is room.
        var x = 1 + s.put(1, r.y, "truce", .header)
        let tagline = "  ceasefire enforcement"
        if x + TextWidth.of(tagline) + 2 + TextWidth.of(clock) + countsWidth < r.width {
            x += s.put(x, r.y, tagline, .header)
        }
        s.put(x + 2, r.y, clock, .clock)
        var cx = r.width - countsWidth
        for (text, role) in counts {
            cx += s.put(cx, r.y, text, role) + 2
        }
    }

    static func footer(_ c: Console, _ s: inout Screen, _ r: Rect) {
        if let msg = c.message {
            s.field(r.x, r.y, " " + msg.text, msg.isError ? .error : .ok, width: r.width)
            return
        }
        var hints: [(String, String)] = [("q", "quit"), ("?", "help"), ("a", "ack"), ("w", "warn"), ("r", "resp"),
                                         ("E", "escal"), ("R", "resolve"), ("n", "note"), ("/", "filter"), ("Tab", "pane")]
        if c.demo != nil { hints += [("Space", "pause"), ("+/-", "speed"), (".", "step")] }
        var x = r.x + 1
        for (k, what) in hints {
            let w = TextWidth.of(k) + TextWidth.of(what) + 3
            if x + w > r.width { break }
            x += s.put(x, r.y, k, .key)
            x += s.put(x + 1, r.y, what, .keyHint) + 3
        }
    }

    // MARK: - Incidents

    static func incidents(_ c: Console, _ m: BoardModel, _ s: inout Screen, _ r: Rect, wide: Bool) {
        var title = "Incidents \(m.rows.count)"
        if !c.filter.isEmpty { title += " /\(c.filter)" }
        title += " · \(c.sort.rawValue)"
        s.box(r, title: title, focused: c.focus == .incidents)
        let inner = r.inner
        guard inner.height >= 2 else { return }
        let clockW = 23  // "T3 eligible 2d 14:55:00"
        let sectorW = wide ? inner.width - (8 + 1 + 5 + 6 + 12 + 4 + clockW) : inner.width - (8 + 1 + 5 + 2 + clockW)
        var x = inner.x
        func col(_ text: String, _ w: Int, _ role: Role, _ y: Int) {
            s.field(x, y, text, role, width: w)
            x += w
        }
        col("ID", 9, .dim, inner.y)
        col("SECTOR", sectorW, .dim, inner.y)
        col("TIER", 5, .dim, inner.y)
        if wide {
            col("ACK", 6, .dim, inner.y); col("AGE", 12, .dim, inner.y); col("RPT", 4, .dim, inner.y)
        } else {
            col("", 2, .dim, inner.y)
        }
        col("NEXT CLOCK", clockW, .dim, inner.y)

        let visible = inner.height - 1
        if m.rows.isEmpty {
            s.put(inner.x + 1, inner.y + 1, c.filter.isEmpty ? "no incidents" : "no incident matches the filter", .dim)
            return
        }
        let selected = m.rows.firstIndex { $0.id == c.selectedIncident } ?? 0
        let offset = min(max(0, selected - visible + 1), max(0, m.rows.count - visible))
        for (i, row) in m.rows.dropFirst(offset).prefix(visible).enumerated() {
            let y = inner.y + 1 + i
            let isSel = row.id == c.selectedIncident
            let base: Role = isSel ? .selection : row.isOpen ? .text : .closed
            x = inner.x
            col(row.id, 9, base, y)
            col(row.sector, sectorW, base, y)
            let badge: Role = row.isOpen ? (row.tier == 1 ? .tier1 : row.tier == 2 ? .tier2 : .tier3) : .closed
            col(" T\(row.tier) ", 4, badge, y)
            col("", 1, base, y)
            let ackRole: Role = isSel ? .selection : !row.isOpen ? .closed : row.acknowledged ? .acked : .unacked
            if wide {
                col(row.isOpen ? (row.acknowledged ? "ack" : "UNACK") : "", 6, ackRole, y)
                col(Countdown.format(row.age), 12, base, y)
                col(String(row.reports), 4, base, y)
            } else {
                col(row.isOpen && !row.acknowledged ? "!" : "", 2, ackRole, y)
            }
            let clockRole: Role = isSel ? .selection : row.isOverdue ? .overdue : row.isOpen ? .countdown : .closed
            col(row.countdown.text, clockW, clockRole, y)
        }
        if m.rows.count > visible {
            let more = "\(offset + 1)-\(min(m.rows.count, offset + visible)) of \(m.rows.count)"
            s.put(r.x + r.width - TextWidth.of(more) - 3, r.y + r.height - 1, " \(more) ", .dim)
        }
    }

    // MARK: - Detail

    static func detail(_ c: Console, _ m: BoardModel, _ s: inout Screen, _ r: Rect, zoomed: Bool = false) {
        if zoomed { s.fill(r.x, r.y, r.width, r.height, .text) }
        guard let id = c.selectedIncident, let inc = c.engine.incident(id: id) else {
            s.box(r, title: "Detail")
            if r.height > 2 { s.put(r.x + 2, r.y + 1, "select an incident", .dim) }
            return
        }
        s.box(r, title: "\(inc.id) · \(inc.sector)" + (zoomed ? " · Esc closes" : ""), focused: zoomed)
        let inner = r.inner
        guard inner.height >= 1, inner.width > 10 else { return }
        var y = inner.y
        let bottom = inner.y + inner.height
        func line(_ parts: [(String, Role)]) {
            guard y < bottom else { return }
            var x = inner.x + 1
            let right = inner.x + inner.width - 1
            for (t, role) in parts where x < right {
                x += s.put(x, y, Screen.fit(t, right - x, unicode: s.unicode), role, maxWidth: right - x)
            }
            y += 1
        }
        let tierRole: Role = inc.tier == 1 ? .tier1 : inc.tier == 2 ? .tier2 : .tier3
        let state: (String, Role) = !inc.isOpen ? (inc.status.rawValue.uppercased(), .closed)
            : inc.acknowledged ? ("acknowledged", .acked) : ("UNACKNOWLEDGED", .unacked)
        line([(" tier \(inc.tier) ", inc.isOpen ? tierRole : .closed), ("  ", .text), (Policy.tierName(inc.tier), .text),
              ("  ", .text), state])
        line([("T0 ", .dim), (times(c).dateTime(inc.t0), .text), ("   age ", .dim), (Countdown.format(max(0, m.now - inc.t0)), .text),
              ("   ", .text), (Countdown.of(inc, at: m.now).text, Countdown.of(inc, at: m.now) == .overdue(0) ? .overdue : .countdown)])
        if y < bottom - 1 {
            timelineBar(inc, m.now, &s, x: inner.x + 1, y: y, width: inner.width - 2)
            y += 2
        }
        let step: String
        switch inc.step {
        case .pending: step = "pending — warning due by \(times(c).dateTime(inc.tier1Deadline))"
        case .warned: step = "warned at \(times(c).dateTime(inc.stepCompletedAt ?? inc.tier1Deadline))"
        case .overdue: step = "OVERDUE — no warning by \(times(c).dateTime(inc.tier1Deadline))"
        }
        line([("Tier-1 step ", .dim), (step, inc.step == .overdue ? .overdue : inc.step == .warned ? .ok : .warning)])
        let cohesion = inc.cohesion.map { _ in "\(inc.notified.filter { inc.answers[$0] == .committed }.count)/\(inc.notified.count)" } ?? "-"
        line([("Armed ", .dim), (inc.armed ? "yes" : "no", inc.armed ? .danger : .text),
              ("   tier 3 at ", .dim), (times(c).dateTime(inc.tier3At), .text), ("   cohesion ", .dim), (cohesion, .text)])
        let reports = inc.reportIndices.suffix(zoomed ? 40 : 6).map { idx -> String in
            let r = c.engine.reports[Int(idx)]
            return "\(r.id) \(r.status.rawValue)" + (r.kind.map { " \($0)" } ?? "")
        }
        line([("Reports \(inc.countingReports) ", .dim), (reports.joined(separator: " · "), .text)])
        let mine = c.recent.filter { $0.incident == inc.id && $0.kind != .rosterNotified }.suffix(max(0, bottom - y))
        for e in mine {
            line([(times(c).dayTime(e.at), .dim), (" ", .text), (TimelineText.sentence(e), role(of: e))])
        }
    }

    /// T0 ──── 24h ──── 72h, filled to now, with the tier changes marked.
    static func timelineBar(_ inc: Incident, _ now: Instant, _ s: inout Screen, x: Int, y: Int, width: Int) {
        guard width > 20 else { return }
        let span = max(inc.tier3At - inc.t0, 1) * 9 / 8
        func col(_ t: Instant) -> Int { x + Int(min(max(0, t - inc.t0), span) * Int64(width - 1) / span) }
        let nowCol = col(now)
        let t1 = col(inc.tier1Deadline), t3 = col(inc.tier3At)
        let tier2At = inc.tierTimes.count > 1 ? inc.tierTimes[1] : nil
        let tier3At = inc.tierTimes.count > 2 ? inc.tierTimes[2] : nil
        for cx in x..<(x + width) {
            let t = inc.t0 + Int64(cx - x) * span / Int64(width - 1)
            let tierNow = tier3At.map { t >= $0 } == true ? 3 : tier2At.map { t >= $0 } == true ? 2 : 1
            let passed = cx <= nowCol
            let glyph = s.unicode ? (passed ? "━" : "─") : (passed ? "=" : "-")
            let role: Role = passed ? (tierNow == 1 ? .tier1 : tierNow == 2 ? .tier2 : .tier3) : .dim
            s.put(cx, y, glyph, passed ? .countdown : .dim)
            if passed { s[cx, y] = Cell(glyph, role == .tier1 ? .countdown : role == .tier2 ? .warning : .danger) }
        }
        s.put(x, y, s.unicode ? "┃" : "|", .text)
        s.put(t1, y, s.unicode ? "┃" : "|", .text)
        s.put(t3, y, s.unicode ? "┃" : "|", .text)
        if let t = tier2At { s.put(col(t), y, "2", .tier2) }
        if let t = tier3At { s.put(col(t), y, "3", .tier3) }
        s.put(x, y + 1, "T0", .dim)
        s.put(max(x + 3, t1 - 1), y + 1, "24h", .dim)
        s.put(max(x + 3, t3 - 1), y + 1, "72h", .dim)
        if nowCol - x > 2 && abs(nowCol - t1) > 2 && abs(nowCol - t3) > 2 {
            s.put(nowCol, y + 1, s.unicode ? "▲" : "^", .clock)
        }
    }

    // MARK: - Roster, pending, ticker, caption

    static func roster(_ c: Console, _ s: inout Screen, _ r: Rect) {
        let inc = c.selectedIncident.flatMap { c.engine.incident(id: $0) }
        let cohesion = inc?.cohesion.map { v in " · \(Int((v * 100).rounded()))% committed" } ?? ""
        s.box(r, title: "Roster" + cohesion, focused: c.focus == .roster)
        let inner = r.inner
        var y = inner.y
        var lastTier = 0
        for (i, m) in c.engine.policy.roster.enumerated() {
            guard y < inner.y + inner.height else { break }
            if m.tier != lastTier {
                lastTier = m.tier
                s.field(inner.x, y, " Tier \(m.tier) · \(Policy.tierName(m.tier))", .dim, width: inner.width)
                y += 1
                guard y < inner.y + inner.height else { break }
            }
            let answer = inc?.answer(of: m.code)
            let selected = c.focus == .roster && i == c.rosterIndex
            let role: Role = selected ? .selection : .text
            let answerText = answer?.rawValue ?? "—"
            let answerRole: Role = selected ? .selection : answer == .committed ? .ok : answer == .declined ? .danger
                : answer == .notified ? .warning : .dim
            let aw = 10
            s.field(inner.x, y, "  \(m.code)  \(m.name)", role, width: inner.width - aw - 1)
            s.field(inner.x + inner.width - aw - 1, y, "", role, width: 1)
            s.field(inner.x + inner.width - aw, y, answerText, answerRole, width: aw)
            y += 1
        }
    }

    static func pending(_ c: Console, _ s: inout Screen, _ r: Rect) {
        let ids = c.engine.pendingReports
        s.box(r, title: "Pending verification \(ids.count)", focused: c.focus == .pending)
        let inner = r.inner
        guard inner.height > 0 else { return }
        if ids.isEmpty {
            s.put(inner.x + 1, inner.y, "none", .dim)
            return
        }
        let offset = min(c.pendingScroll, max(0, ids.count - inner.height))
        let rows = ids.dropFirst(offset).prefix(inner.height).compactMap { c.engine.report(id: $0) }
        let ages = rows.map { Countdown.format(max(0, c.now - $0.observed)) }
        // The age column is as wide as the widest age shown, right-aligned: the rest is for id and sector.
        let aw = min(ages.map(TextWidth.of).max() ?? 0, max(0, inner.width / 2))
        for (i, rep) in rows.enumerated() {
            let sector = c.engine.sectors[rep.sectorIndex].name
            s.field(inner.x, inner.y + i, " \(rep.id) \(sector) \(rep.kind ?? "")", .warning, width: inner.width - aw - 2)
            let age = ages[i]
            s.field(inner.x + inner.width - aw - 1, inner.y + i,
                    String(repeating: " ", count: max(0, aw - TextWidth.of(age))) + age, .dim, width: aw)
        }
    }

    static func ticker(_ c: Console, _ s: inout Screen, _ r: Rect) {
        s.box(r, title: "Events", focused: c.focus == .ticker)
        let inner = r.inner
        guard inner.height > 0 else { return }
        // Fold notifications into their cause, as the timeline does.
        var items: [(Event, [String])] = []
        for e in c.recent {
            if e.kind == .rosterNotified, let last = items.last,
               last.0.incident == e.incident, last.0.at == e.at,
               last.0.kind == .incidentOpened || last.0.kind == .tierEscalated {
                items[items.count - 1].1.append(e.member ?? "")
            } else {
                items.append((e, []))
            }
        }
        let end = max(0, items.count - min(c.tickerScroll, max(0, items.count - inner.height)))
        let shown = items[max(0, end - inner.height)..<end]
        for (i, (e, notified)) in shown.enumerated() {
            let y = inner.y + i
            var x = inner.x + 1
            x += s.put(x, y, times(c).dayTime(e.at), .dim)
            x += s.put(x + 1, y, e.incident ?? "", .text, maxWidth: 8) + 1
            x = inner.x + 1 + 15 + 9
            let room = inner.x + inner.width - x - 1
            s.put(x, y, Screen.fit(TimelineText.sentence(e, notified: notified), room, unicode: s.unicode), role(of: e), maxWidth: room)
        }
    }

    static func caption(_ c: Console, _ s: inout Screen, _ r: Rect) {
        if let text = c.caption {
            s.field(r.x, r.y, " » " + text, .caption, width: r.width)
        } else if let title = c.demo?.title {
            s.field(r.x, r.y, " » " + title, .caption, width: r.width)
        } else {
            s.fill(r.x, r.y, r.width, 1, .text)
        }
    }

    // MARK: - Overlays

    static func help(_ s: inout Screen) {
        let rows = KeyHelp.sections.reduce(0) { $0 + $1.1.count + 1 }
        let w = min(s.width - 4, 64), h = min(s.height - 2, rows + 3)
        let r = Rect((s.width - w) / 2, max(1, (s.height - h) / 2), w, h)
        s.fill(r.x, r.y, r.width, r.height, .overlay)
        s.box(r, title: "Keys · Esc closes", focused: true)
        var y = r.y + 1
        for (section, keys) in KeyHelp.sections {
            guard y < r.y + r.height - 1 else { break }
            s.field(r.x + 2, y, section, .title, width: w - 4)
            y += 1
            for (k, what) in keys {
                guard y < r.y + r.height - 1 else { break }
                s.field(r.x + 4, y, k, .key, width: 14)
                s.field(r.x + 18, y, what, .overlay, width: w - 20)
                y += 1
            }
        }
    }

    static func confirm(_ kind: ActionKind, _ id: String, _ c: Console, _ s: inout Screen) {
        let question: String
        if kind == .resolve {
            question = "Resolve \(id)? Its clocks stop."
        } else {
            let tier = (c.engine.incident(id: id)?.tier ?? 0) + 1
            question = "Escalate \(id) to tier \(tier) — \(Policy.tierName(tier))?"
        }
        let w = min(s.width - 4, max(40, TextWidth.of(question) + 6))
        let r = Rect((s.width - w) / 2, s.height / 2 - 2, w, 5)
        s.fill(r.x, r.y, r.width, r.height, .overlay)
        s.box(r, title: "Confirm", focused: true)
        s.field(r.x + 2, r.y + 1, question, .overlay, width: w - 4)
        s.put(r.x + 2, r.y + 3, "y", .key)
        s.put(r.x + 4, r.y + 3, "yes    any other key cancels", .overlay)
    }

    static func prompt(_ kind: PromptKind, _ text: String, _ cursor: Int, _ s: inout Screen, _ r: Rect) {
        let label: String
        switch kind {
        case .note(let id): label = " Note on \(id): "
        case .filter: label = " Filter /"
        }
        s.fill(r.x, r.y, r.width, 1, .prompt)
        let x = s.put(r.x, r.y, label, .prompt)
        let room = r.width - x - 18
        // Keep the cursor in view: show the tail when the text is longer than the room.
        let chars = Array(text)
        var start = 0
        while TextWidth.of(String(chars[start..<cursor])) > room - 1 && start < cursor { start += 1 }
        let shown = String(chars[start...].prefix(max(0, room)))
        s.put(r.x + x, r.y, shown, .prompt, maxWidth: room)
        let cx = r.x + x + TextWidth.of(String(chars[start..<cursor]))
        if cx < r.width { s[cx, r.y] = Cell(cursor < chars.count ? String(chars[cursor]) : " ", .selection) }
        s.put(r.width - 17, r.y, " Enter ok  Esc ", .prompt)
    }

    // MARK: - Helpers

    static func times(_ c: Console) -> TimeText { TimeText(local: c.localTime) }

    static func role(of e: Event) -> Role {
        switch e.kind {
        case .tierEscalated: return e.tier == 3 ? .danger : .warning
        case .tier1Overdue, .inputRejected: return .overdue
        case .alertReminder: return .unacked
        case .incidentOpened: return .warning
        case .incidentAcknowledged, .incidentResolved: return .ok
        case .incidentWithdrawn, .reportRetracted: return .dim
        case .narration: return .caption
        default: return .ticker
        }
    }

}
