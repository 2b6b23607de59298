import TruceEngine

/// Draws the whole board for a console into a screen buffer. Pure: the same
/// console and size always give the same cells, so the live console,
/// `truce snapshot` and the render tests share it.
public enum BoardRenderer {
    public static func render(_ v: BoardView, into s: inout Screen) {
        s.fill(0, 0, s.width, s.height, .text)
        guard let layout = v.layout, s.width == v.width, s.height == v.height else {
            tooSmall(&s)
            return
        }
        header(v, &s, layout.header)
        incidents(v.incidents, &s, layout.incidents, wide: layout.wide)
        detail(v.detail, &s, layout.detail)
        roster(v.roster, &s, layout.roster)
        pending(v.pending, &s, layout.pending)
        ticker(v.ticker, &s, layout.ticker)
        caption(v.caption, &s, layout.caption)
        footer(v, &s, layout.footer)
        switch v.overlay {
        case .help(let scroll)?: help(scroll: scroll, &s)
        case .detail?: detail(v.detail, &s, Rect(2, 1, s.width - 4, s.height - 3), zoomed: true)
        case .events(let lines)?: events(lines, &s, Rect(2, 1, s.width - 4, s.height - 3))
        case .full(let title, let lines)?: full(title, lines, &s, Rect(2, 1, s.width - 4, s.height - 3))
        case .confirm(let question)?: confirm(question, &s)
        case .prompt(let label, let text, let cursor)?: prompt(label, text, cursor, &s, layout.footer)
        case nil: break
        }
    }

    static func tooSmall(_ s: inout Screen) {
        // Wrapped to the width, so the message itself is whole on any screen it can fit.
        let lines = wrap("terminal too small — need \(BoardLayout.minWidth)×\(BoardLayout.minHeight)", max(1, s.width)).map { ($0, Role.danger) }
            + wrap("now \(s.width)×\(s.height); enlarge the window, or q to quit", max(1, s.width)).map { ($0, Role.dim) }
        let top = max(0, (s.height - lines.count) / 2)
        for (i, (l, role)) in lines.enumerated() where top + i < s.height {
            let fitted = Screen.fit(l, s.width, unicode: s.unicode)
            s.put(max(0, (s.width - TextWidth.of(fitted)) / 2), top + i, fitted, role)
        }
    }

    // MARK: - Header and footer

    static func header(_ v: BoardView, _ s: inout Screen, _ r: Rect) {
        let m = v.header
        s.fill(r.x, r.y, r.width, 1, .header)
        // Counters stay inside the bar: a count that needs attention is a badge in its own colours.
        let counts: [(String, Role)] = [
            ("open \(m.open) ", .header),
            (" unack \(m.unacknowledged) ", m.unacknowledged > 0 ? .headerWarn : .header),
            (" overdue \(m.overdue) ", m.overdue > 0 ? .headerAlert : .header),
        ]
        let countsWidth = counts.reduce(0) { $0 + TextWidth.of($1.0) }
        var clock = " " + m.clock + " "
        if let paused = m.demoPaused {
            clock += paused ? "PAUSED " : "\(s.unicode ? "▶" : ">") ×\(m.demoSpeed ?? "") "
        }
        // Reviewing: the instant shown takes the clock's place, in the alert colours, never left out.
        var clockRole: Role = .clock
        if let review = m.review, let shortest = review.last {
            // An outage keeps its word too: the review's shorter forms make room for it.
            let outage = m.isOffline ? (m.upstream.last.map { TextWidth.of($0) + 3 } ?? 0) : 0
            let most = r.width - 1 - countsWidth - (1 + TextWidth.of("truce")) - 2 - outage
            clock = " " + (review.first { TextWidth.of($0) + 2 <= most } ?? shortest) + " "
            clockRole = .headerAlert
        }
        // The counts and the clock always show, and so does an outage of the
        // shared journal (in a shorter form, or with the clock's date given
        // up, on a narrow screen: the whole board may be stale); then a feed in
        // trouble, what the board is fed by, and the tagline, each only when there is room.
        var room = r.width - 1 - countsWidth - (1 + TextWidth.of("truce")) - 2 - TextWidth.of(clock)
        var feeds: (String, Role)?
        if !m.upstream.isEmpty {
            let role: Role = m.isOffline ? .headerAlert : .header
            let fitting = m.upstream.first { TextWidth.of($0) + 3 <= room }
            if let text = fitting {
                feeds = (" \(text) ", role)
            } else if m.isOffline {
                if let time = m.clock.split(separator: " ").last, m.demoPaused == nil, m.review == nil {
                    room += TextWidth.of(clock) - TextWidth.of(" \(time) ")
                    clock = " \(time) "
                }
                feeds = (" \(m.upstream.first { TextWidth.of($0) + 3 <= room } ?? m.upstream.last!) ", role)
            }
        } else if let f = m.feeds {
            feeds = f.problems.isEmpty ? (" feeds \(f.ok) ok ", .header)
                : (" feeds \(f.ok) ok, \(f.problems.count) failing ", .headerAlert)
        }
        var x = 1 + s.put(1, r.y, "truce", .header)
        let tagline = "  ceasefire enforcement"
        let showFeeds = feeds.map { TextWidth.of($0.0) + 1 <= room || (m.isOffline && !m.upstream.isEmpty) } ?? false
        if showFeeds { room -= TextWidth.of(feeds!.0) + 1 }
        var source = m.source.isEmpty ? "" : "· " + m.source + " "
        // A long source (a shared journal's site and place) is cut, not dropped, while 16 columns are left.
        if TextWidth.of(source) > room && room >= 16 { source = Screen.fit(source, room - 1, unicode: s.unicode) + " " }
        let showSource = !source.isEmpty && TextWidth.of(source) <= room
        if showSource { room -= TextWidth.of(source) }
        if TextWidth.of(tagline) < room { x += s.put(x, r.y, tagline, .header) }
        x += 2
        x += s.put(x, r.y, clock, clockRole)
        if showSource { x += s.put(x, r.y, source, .header) }
        if showFeeds, let (text, role) = feeds { s.put(x + 1, r.y, text, role) }
        var cx = r.width - countsWidth
        for (text, role) in counts {
            cx += s.put(cx, r.y, text, role)
        }
    }

    static func footer(_ v: BoardView, _ s: inout Screen, _ r: Rect) {
        if let msg = v.message {
            s.field(r.x, r.y, " " + msg.text, msg.isError ? .error : .ok, width: r.width)
            return
        }
        var x = r.x + 1
        for (k, what) in v.hints {
            let w = TextWidth.of(k) + TextWidth.of(what) + 3
            if x + w > r.width { break }
            x += s.put(x, r.y, k, .key)
            x += s.put(x + 1, r.y, what, .keyHint) + 3
        }
    }

    // MARK: - Incidents

    static func incidents(_ p: BoardView.IncidentsPane, _ s: inout Screen, _ r: Rect, wide: Bool) {
        s.box(r, title: p.title, focused: p.focused)
        let inner = r.inner
        guard inner.height >= 2 else { return }
        let (sectorW, clockW) = incidentColumns(inner.width, wide: wide)
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
            col("ACK", 4, .dim, inner.y)
        }
        col("NEXT CLOCK", clockW, .dim, inner.y)

        let visible = inner.height - 1
        if p.total == 0 {
            s.put(inner.x + 1, inner.y + 1, p.filtered ? "no incident matches the filter" : "no incidents", .dim)
            return
        }
        for (i, row) in p.rows.prefix(visible).enumerated() {
            let y = inner.y + 1 + i
            // The selected row: a marker on the pane's edge and a subtle
            // background; every cell keeps its colours (badge, ack, clock).
            let isSel = row.id == p.selected
            let base: Role = row.isOpen ? .text : .closed
            x = inner.x
            col(row.id, 9, base, y)
            col(row.sector, sectorW, base, y)
            let badge: Role = row.isOpen ? (row.tier == 1 ? .tier1 : row.tier == 2 ? .tier2 : .tier3) : .closed
            col(" T\(row.tier) ", 4, badge, y)
            col("", 1, base, y)
            // An acknowledgement in this site's outbox is provisional: "ack…", dim, until it is back.
            let provisionalAck = row.isOpen && !row.acknowledged && row.ackQueued
            let ackRole: Role = !row.isOpen ? .closed : provisionalAck ? .dim : row.acknowledged ? .acked : .unacked
            if wide {
                col(row.isOpen ? (provisionalAck ? "ack…" : row.acknowledged ? "ack" : "UNACK") : "", 6, ackRole, y)
                col(Countdown.format(row.age), 12, base, y)
                col(String(row.reports), 4, base, y)
            } else {
                col(row.isOpen ? (provisionalAck ? "ok…" : row.acknowledged ? "ok" : "NO") : "", 4, ackRole, y)
            }
            let clockRole: Role = row.isOverdue ? .overdue : row.isDueSoon ? .dueSoon : row.isOpen ? .countdown : .closed
            col(wide ? row.countdown.text : row.countdown.shortText, clockW, clockRole, y)
            if isSel {
                s.put(r.x, y, s.unicode ? "▶" : ">", .borderFocus)
                s.markSelected(inner.x, y, inner.width)
            }
        }
        if p.total > visible {
            let more = "\(p.offset + 1)-\(min(p.total, p.offset + visible)) of \(p.total)"
            s.put(r.x + r.width - TextWidth.of(more) - 3, r.y + r.height - 1, " \(more) ", .dim)
        }
    }

    /// The incidents pane's sector and clock widths for an inner width.
    static func incidentColumns(_ innerWidth: Int, wide: Bool) -> (sector: Int, clock: Int) {
        // The widest clock, whole: "T3 eligible 2d 14:55:00" (compact: "T3 elig 2d 14:55:00").
        let clockW = wide ? 23 : 19
        // Sector names are short: past 36 columns more width would only pad them.
        let sectorW = min(36, wide ? innerWidth - (8 + 1 + 5 + 6 + 12 + 4 + clockW) : innerWidth - (8 + 1 + 5 + 4 + clockW))
        return (sectorW, clockW)
    }

    /// The sort a click on the incidents pane's column heads asks for, by
    /// column (`x` from the pane's inner edge): ID, SECTOR, TIER; any other
    /// column is urgency.
    public static func sortColumn(at x: Int, innerWidth: Int, wide: Bool) -> SortMode? {
        let (sectorW, _) = incidentColumns(innerWidth, wide: wide)
        guard x >= 0, x < innerWidth else { return nil }
        if x < 9 { return .id }
        if x < 9 + sectorW { return .sector }
        if x < 9 + sectorW + 5 { return .tier }
        return .urgency
    }

    /// A line of the roster pane.
    public enum RosterSlot: Equatable, Sendable {
        case heading(tier: Int)
        case member(Int)
        case above(Int)
        case below(Int)
    }

    /// What each line of a roster pane `height` lines high shows: every member
    /// with a heading per tier when there is room, else with the tier beside
    /// each (no headings); when even that is too long, a window that keeps the
    /// selected member in view, with how many are above and below.
    public static func rosterSlots(tiers: [Int], selected: Int?, height: Int) -> [RosterSlot] {
        let n = tiers.count
        guard height > 0 else { return [] }
        let headings = n + Set(tiers).count <= height
        var first = 0, room = n
        if n > height {
            // One line goes to each marker that is needed: below only at the top,
            // above only at the end, both in between.
            let sel = selected ?? 0
            if sel < height - 1 {
                room = max(1, height - 1)
            } else if sel >= n - (height - 1) {
                room = max(1, height - 1)
                first = n - room
            } else {
                room = max(1, height - 2)
                first = min(max(1, sel - room / 2), n - room - 1)
            }
        }
        var slots: [RosterSlot] = first > 0 ? [.above(first)] : []
        var lastTier = 0
        for i in first..<min(n, first + room) {
            if headings && tiers[i] != lastTier {
                lastTier = tiers[i]
                slots.append(.heading(tier: tiers[i]))
            }
            slots.append(.member(i))
        }
        if n - (first + room) > 0 { slots.append(.below(n - (first + room))) }
        return Array(slots.prefix(height))
    }

    // MARK: - Detail

    static func detail(_ d: BoardView.Detail?, _ s: inout Screen, _ r: Rect, zoomed: Bool = false) {
        if zoomed { s.fill(r.x, r.y, r.width, r.height, .text) }
        guard let d else {
            s.box(r, title: "Detail")
            if r.height > 2 { s.put(r.x + 2, r.y + 1, "no incident selected", .dim) }
            return
        }
        s.box(r, title: "\(d.id) · \(d.sector)" + (zoomed ? " · Esc closes" : ""), focused: zoomed)
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
        let isOpen = d.status == .open
        let tierRole: Role = d.tier == 1 ? .tier1 : d.tier == 2 ? .tier2 : .tier3
        let state: (String, Role) = !isOpen ? (d.status.rawValue.uppercased(), .closed)
            : d.acknowledged ? ("acknowledged", .acked) : ("UNACKNOWLEDGED", .unacked)
        line([(" tier \(d.tier) ", isOpen ? tierRole : .closed), ("  ", .text), (Policy.tierName(d.tier), .text),
              ("  ", .text), state])
        let overdue: Bool = { if case .overdue = d.countdown { return true } else { return false } }()
        // The countdown is never cut: T0's date goes first when the line is narrow (the history has it).
        let clock: (String, Role) = (d.countdown.text, overdue ? .overdue : d.dueSoon ? .dueSoon : isOpen ? .countdown : .closed)
        let age: [(String, Role)] = [("age ", .dim), (d.age, .text), ("   ", .text), clock]
        let full = [("T0 ", .dim), (d.t0, .text), ("   ", .text)] + age
        line(full.reduce(0) { $0 + TextWidth.of($1.0) } <= inner.width - 2 ? full : age)
        if y < bottom - 1 {
            timelineBar(d.bar, &s, x: inner.x + 1, y: y, width: inner.width - 2)
            y += 2
            // The bar's legend, where there is room for it (the help's glossary has it too).
            if zoomed || inner.height >= 16 {
                let (bar, now, mark) = s.unicode ? ("━", "▲", "┃") : ("=", "^", "|")
                line([("\(bar) time passed, in the tier's colour   2 3 tier reached   \(now) now   \(mark) T0, 24 h, 72 h", .dim)])
            }
        }
        if let closed = d.closedText {
            // Closed: how it ended, and no live step or clock.
            line([("Closed ", .dim), (closed, .text)])
            line([("Tier-1 step ", .dim), (d.step.rawValue, .dim), ("   reached tier \(d.tier)", .dim),
                  ("   cohesion ", .dim), (d.cohesion, .text)])
        } else {
            line([("Tier-1 step ", .dim), (d.stepText, d.step == .overdue ? .overdue : d.step == .warned ? .ok : .warning)])
            line([("Armed ", .dim), (d.armed ? "yes" : "no", d.armed ? .danger : .text),
                  ("   tier 3 at ", .dim), (d.tier3At, .text), ("   cohesion ", .dim), (d.cohesion, .text)])
        }
        let reports = d.reports.suffix(zoomed ? 40 : 6)
        line([("Reports \(d.reportCount) ", .dim), (reports.joined(separator: " · "), .text)])
        if zoomed {
            // Full detail: history lines wrap instead of being cut, newest last.
            let room = max(10, inner.width - 2 - 15)
            var wrapped: [(String, String, Role)] = []
            for e in d.history {
                for (i, part) in wrap(e.text, room).enumerated() { wrapped.append((i == 0 ? e.time : "", part, role(of: e))) }
            }
            for (time, text, r) in wrapped.suffix(max(0, bottom - y)) {
                line([(time.isEmpty ? String(repeating: " ", count: 14) : time, .dim), (" ", .text), (text, r)])
            }
            return
        }
        for e in d.history.suffix(max(0, bottom - y)) {
            line([(e.time, .dim), (" ", .text), (e.text, role(of: e))])
        }
    }

    /// `text` in lines of at most `width` columns, broken at spaces (a word
    /// wider than that is broken where it must be).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if TextWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            var rest = String(word)
            while TextWidth.of(rest) > width {
                var head = ""
                for ch in rest {
                    if TextWidth.of(head + String(ch)) > width { break }
                    head.append(ch)
                }
                if head.isEmpty { break }
                lines.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            line = rest
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// T0 ──── 24h ──── 72h, filled to now, with the tier changes marked.
    static func timelineBar(_ b: BoardView.TimelineBar, _ s: inout Screen, x: Int, y: Int, width: Int) {
        guard width > 20 else { return }
        let span = max(b.tier3At - b.t0, 1) * 9 / 8
        func col(_ t: Int64) -> Int { x + Int(min(max(0, t - b.t0), span) * Int64(width - 1) / span) }
        let nowCol = col(b.now)
        let t1 = col(b.tier1Deadline), t3 = col(b.tier3At)
        let tier2At = b.tier2Reached
        let tier3At = b.tier3Reached
        for cx in x..<(x + width) {
            let t = b.t0 + Int64(cx - x) * span / Int64(width - 1)
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

    static func roster(_ p: BoardView.RosterPane, _ s: inout Screen, _ r: Rect) {
        s.box(r, title: TextWidth.of(p.title) <= r.width - 6 ? p.title : p.shortTitle, focused: p.focused)
        let inner = r.inner
        guard inner.height > 0 else { return }
        let slots = rosterSlots(tiers: p.members.map(\.tier), selected: p.members.firstIndex { $0.selected }, height: inner.height)
        let headings = slots.contains { if case .heading = $0 { return true } else { return false } }
        for (row, slot) in slots.enumerated() {
            let y = inner.y + row
            switch slot {
            case .heading(let tier):
                let name = p.members.first { $0.tier == tier }?.tierName ?? ""
                s.field(inner.x, y, " Tier \(tier) · \(name)", .dim, width: inner.width)
            case .above(let n):
                s.field(inner.x, y, " \(s.unicode ? "▲" : "^") \(n) more", .dim, width: inner.width)
            case .below(let n):
                s.field(inner.x, y, " \(s.unicode ? "▼" : "v") \(n) more", .dim, width: inner.width)
            case .member(let i):
                let m = p.members[i]
                // A closed incident's answers are final: a member who never answered did not.
                let answerText = p.closed && m.answer == .notified ? "no answer" : m.answer?.rawValue ?? "—"
                let answerRole: Role = m.answer == .committed ? .ok : m.answer == .declined ? .danger
                    : m.answer == .notified ? (p.closed ? .dim : .warning) : .dim
                let aw = 10
                s.field(inner.x, y, headings ? "  \(m.code)  \(m.name)" : " \(m.tier) \(m.code)  \(m.name)", .text,
                        width: inner.width - aw - 1)
                s.field(inner.x + inner.width - aw - 1, y, "", .text, width: 1)
                s.field(inner.x + inner.width - aw, y, answerText, answerRole, width: aw)
                if m.selected {
                    s.put(r.x, y, s.unicode ? "▶" : ">", .borderFocus)
                    s.markSelected(inner.x, y, inner.width)
                }
            }
        }
    }

    static func pending(_ p: BoardView.PendingPane, _ s: inout Screen, _ r: Rect) {
        s.box(r, title: "Pending verification \(p.count)", focused: p.focused)
        let inner = r.inner
        guard inner.height > 0 else { return }
        if p.rows.isEmpty {
            s.put(inner.x + 1, inner.y, "none", .dim)
            return
        }
        // The age column is as wide as the widest age shown, right-aligned: the rest is for id and sector.
        let aw = min(p.rows.map { TextWidth.of($0.age) }.max() ?? 0, max(0, inner.width / 2))
        for (i, row) in p.rows.prefix(inner.height).enumerated() {
            s.field(inner.x, inner.y + i, row.text, .warning, width: inner.width - aw - 2)
            s.field(inner.x + inner.width - aw - 1, inner.y + i,
                    String(repeating: " ", count: max(0, aw - TextWidth.of(row.age))) + row.age, .dim, width: aw)
        }
    }

    static func ticker(_ p: BoardView.TickerPane, _ s: inout Screen, _ r: Rect) {
        s.box(r, title: p.following ? "Events · following" : "Events · paused — G to follow", focused: p.focused)
        let inner = r.inner
        guard inner.height > 0 else { return }
        for (i, e) in p.lines.suffix(inner.height).enumerated() {
            let y = inner.y + i
            var x = inner.x + 1
            x += s.put(x, y, e.time, .dim)
            x += s.put(x + 1, y, e.incident, .text, maxWidth: 8) + 1
            x = inner.x + 1 + 15 + 9
            let room = inner.x + inner.width - x - 1
            s.put(x, y, Screen.fit(e.text, room, unicode: s.unicode), role(of: e), maxWidth: room)
        }
    }

    /// The events in full: each line wrapped under its time and incident, newest at the bottom.
    static func events(_ lines: [BoardView.EventLine], _ s: inout Screen, _ r: Rect) {
        s.fill(r.x, r.y, r.width, r.height, .text)
        s.box(r, title: "Events in full · Esc closes", focused: true)
        let inner = r.inner
        let room = max(10, inner.width - 2 - 24)
        var rows: [(String, String, String, Role)] = []
        for e in lines {
            for (i, part) in wrap(e.text, room).enumerated() {
                rows.append((i == 0 ? e.time : "", i == 0 ? e.incident : "", part, role(of: e)))
            }
        }
        for (i, row) in rows.suffix(inner.height).enumerated() {
            let y = inner.y + i
            s.put(inner.x + 1, y, row.0, .dim)
            s.put(inner.x + 16, y, row.1, .text, maxWidth: 8)
            s.put(inner.x + 1 + 24, y, row.2, row.3, maxWidth: room)
        }
    }

    /// A pane's lines in full, each wrapped (continuations indented), as many as fit from the top.
    static func full(_ title: String, _ lines: [String], _ s: inout Screen, _ r: Rect) {
        s.fill(r.x, r.y, r.width, r.height, .text)
        s.box(r, title: title + " · Esc closes", focused: true)
        let inner = r.inner
        var y = inner.y
        for line in lines {
            for (i, part) in wrap(line, max(10, inner.width - 4)).enumerated() {
                guard y < inner.y + inner.height else { return }
                s.put(inner.x + (i == 0 ? 1 : 3), y, part, i == 0 ? .text : .dim)
                y += 1
            }
        }
        if lines.isEmpty { s.put(inner.x + 1, inner.y, "none", .dim) }
    }

    static func caption(_ text: String?, _ s: inout Screen, _ r: Rect) {
        if let text {
            s.field(r.x, r.y, " » " + text, .caption, width: r.width)
        } else {
            s.fill(r.x, r.y, r.width, 1, .text)
        }
    }

    // MARK: - Overlays

    static func help(scroll: Int, _ s: inout Screen) {
        let lines = BoardView.helpLines(width: s.width)
        let (room, maxScroll) = BoardView.helpWindow(width: s.width, height: s.height)
        let w = BoardView.helpWidth(s.width), h = room + 2
        let r = Rect((s.width - w) / 2, max(1, (s.height - h) / 2), w, h)
        let top = min(max(0, scroll), maxScroll)
        s.fill(r.x, r.y, r.width, r.height, .overlay)
        s.box(r, title: maxScroll > 0 ? "Keys · \(s.unicode ? "↑↓" : "j k") scroll · Esc closes" : "Keys · Esc closes", focused: true)
        for (i, (k, what, isTitle)) in lines.dropFirst(top).prefix(room).enumerated() {
            let y = r.y + 1 + i
            if isTitle {
                s.field(r.x + 2, y, what, .title, width: w - 4)
            } else {
                s.field(r.x + 4, y, k, .key, width: 14)
                s.field(r.x + 18, y, what, .overlay, width: w - 20)
            }
        }
        // Say where there is more, on the frame.
        let (upMark, downMark) = s.unicode ? ("▲", "▼") : ("^", "v")
        if top > 0 { s.put(r.x + w - 13, r.y, " \(upMark) \(top) more ", .key) }
        if top < maxScroll { s.put(r.x + w - 13, r.y + h - 1, " \(downMark) \(maxScroll - top) more ", .key) }
    }

    static func confirm(_ question: String, _ s: inout Screen) {
        let w = min(s.width - 4, max(44, TextWidth.of(question) + 6))
        let r = Rect((s.width - w) / 2, s.height / 2 - 2, w, 5)
        s.fill(r.x, r.y, r.width, r.height, .overlay)
        s.box(r, title: "Confirm", focused: true)
        s.field(r.x + 2, r.y + 1, question, .overlay, width: w - 4)
        s.put(r.x + 2, r.y + 3, "y", .key)
        s.put(r.x + 4, r.y + 3, "yes    any other key cancels", .overlay)
    }

    static func prompt(_ label: String, _ text: String, _ cursor: Int, _ s: inout Screen, _ r: Rect) {
        s.fill(r.x, r.y, r.width, 1, .prompt)
        let x = s.put(r.x, r.y, label, .prompt)
        let room = r.width - x - 18
        // Keep the cursor in view: show the tail when the text is longer than the room.
        let chars = Array(text)
        let cursor = min(max(0, cursor), chars.count)
        var start = 0
        while TextWidth.of(String(chars[start..<cursor])) > room - 1 && start < cursor { start += 1 }
        let shown = String(chars[start...].prefix(max(0, room)))
        s.put(r.x + x, r.y, shown, .prompt, maxWidth: room)
        let cx = r.x + x + TextWidth.of(String(chars[start..<cursor]))
        if cx >= 0, cx < r.width - 17 {
            let under = cursor < chars.count ? String(chars[cursor]) : " "
            if s.put(cx, r.y, under, .selection) == 0 { s.put(cx, r.y, " ", .selection) }
        }
        s.put(r.width - 17, r.y, " Enter ok  Esc ", .prompt)
    }

    // MARK: - Helpers

    public static func role(of e: BoardView.EventLine) -> Role {
        if e.isProvisional { return .dim }
        if e.isNote { return .overdue }
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
