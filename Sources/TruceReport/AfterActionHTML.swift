import TruceEngine

/// The after-action report as one self-contained HTML page (inline CSS and
/// SVG: no network, no scripts, no fonts to fetch; it prints to PDF), the
/// timeline chart alone as SVG, and the summary figures as JSON. Every piece
/// of outside text is escaped: a sector or a note can hold anything.
public enum AfterActionHTML {
    // MARK: - Escaping

    /// Text for HTML and SVG (element content and attribute values alike).
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in Sanitizer.clean(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func duration(_ seconds: Int64) -> String { DurationText.format(max(0, seconds)) }

    static func time(_ t: Instant) -> String { TimelineText.time(t) }

    /// A coordinate with one decimal (`12.5`, `-3.0`): the same on every machine.
    static func number(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return (tenths < 0 ? "-" : "") + String(abs(tenths) / 10) + "." + String(abs(tenths) % 10)
    }

    // MARK: - The chart

    /// Colours of the tier bands and markers: the console's, on paper.
    static let tierColour = ["", "#2a9fd6", "#e08e0b", "#c9302c"]

    static let markerStyle: [AfterAction.Marker.Kind: (shape: String, colour: String, label: String)] = [
        .report: ("circle", "#333333", "report"),
        .acknowledged: ("diamond", "#2e7d32", "acknowledged"),
        .warning: ("triangle", "#e65100", "warning (tier-1 step)"),
        .response: ("square", "#6a1b9a", "response"),
        .commit: ("plus", "#1b5e20", "commitment"),
        .decline: ("cross", "#b71c1c", "decline"),
        .escalation: ("up", "#000000", "escalation"),
        .overdue: ("bang", "#d50000", "tier-1 step overdue"),
        .resolution: ("bar", "#000000", "resolved or withdrawn"),
        .note: ("dot", "#757575", "note"),
    ]

    /// The timeline: one lane per incident with its tier bands, the 24 h and
    /// 72 h marks, a marker per report, acknowledgement, warning, response,
    /// commitment, decline, escalation and resolution (each with its record
    /// as a `<title>`), and a time axis with day ticks.
    public static func svg(_ r: AfterAction) -> String {
        let labelWidth = 190.0, plotWidth = 760.0, laneHeight = 30.0, top = 34.0, bottom = 44.0
        let width = labelWidth + plotWidth + 20
        let height = top + laneHeight * Double(max(1, r.lanes.count)) + bottom
        let span = Double(max(1, r.to - r.from))
        func x(_ t: Instant) -> Double { labelWidth + plotWidth * min(1, max(0, Double(t - r.from) / span)) }
        let n = number
        var o = """
            <svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="sans-serif" font-size="11">
            <title>\(escape(r.title)): incidents from \(time(r.from)) to \(time(r.to))</title>

            """
        // Day ticks, at 00:00 UTC.
        let day: Int64 = 86_400
        var tick = (r.from.seconds / day + (r.from.seconds % day == 0 ? 0 : 1)) * day
        let every: Int64 = max(1, (r.to - r.from) / day / 14 + 1)  // at most ~14 labels
        var k: Int64 = 0
        while tick <= r.to.seconds {
            let tx = x(Instant(seconds: tick))
            o += "<line class=\"day\" x1=\"\(n(tx))\" y1=\"\(n(top - 6))\" x2=\"\(n(tx))\" y2=\"\(n(height - bottom + 4))\" stroke=\"#dddddd\"/>\n"
            if k % every == 0 {
                let label = String(time(Instant(seconds: tick)).dropFirst(5).prefix(5))  // MM-DD
                o += "<text class=\"daylabel\" x=\"\(n(tx))\" y=\"\(n(height - bottom + 18))\" text-anchor=\"middle\">\(label)</text>\n"
            }
            tick += day
            k += 1
        }
        o += "<text x=\"\(n(labelWidth))\" y=\"\(n(height - 8))\" fill=\"#555555\">\(escape(time(r.from)))</text>\n"
        o += "<text x=\"\(n(labelWidth + plotWidth))\" y=\"\(n(height - 8))\" text-anchor=\"end\" fill=\"#555555\">\(escape(time(r.to)))</text>\n"
        for (i, l) in r.lanes.enumerated() {
            let y = top + laneHeight * Double(i)
            let mid = y + laneHeight / 2
            o += "<g class=\"lane\" data-incident=\"\(escape(l.id))\">\n"
            o += "<text x=\"4\" y=\"\(n(mid + 4))\">\(escape(l.id)) \(escape(String(l.sector.prefix(18))))</text>\n"
            o += "<line x1=\"\(n(labelWidth))\" y1=\"\(n(mid))\" x2=\"\(n(labelWidth + plotWidth))\" y2=\"\(n(mid))\" stroke=\"#eeeeee\"/>\n"
            // Tier bands: from each tier's start to the next tier, the close, or the window's end.
            for (t, start) in l.tierTimes.enumerated() {
                let end = t + 1 < l.tierTimes.count ? l.tierTimes[t + 1] : (l.closedAt ?? r.to)
                guard end >= r.from, start <= r.to else { continue }
                let x0 = x(start), x1 = max(x(end), x0 + 1)
                o += "<rect class=\"band tier\(t + 1)\" x=\"\(n(x0))\" y=\"\(n(y + 8))\" width=\"\(n(x1 - x0))\" height=\"\(n(laneHeight - 16))\" fill=\"\(tierColour[min(3, t + 1)])\" fill-opacity=\"0.35\"><title>tier \(t + 1) from \(time(start))</title></rect>\n"
            }
            // The clocks: tier-1 deadline (24 h) and the tier-3 instant (72 h) from T0.
            for (label, at) in [("24 h", l.t0 + r.policy.tier1Window), ("72 h", l.t0 + r.policy.tier3After)] where at >= r.from && at <= r.to {
                let mx = x(at)
                o += "<line class=\"clock\" x1=\"\(n(mx))\" y1=\"\(n(y + 3))\" x2=\"\(n(mx))\" y2=\"\(n(y + laneHeight - 3))\" stroke=\"#555555\" stroke-dasharray=\"2,2\"><title>\(label) from T0: \(time(at))</title></line>\n"
            }
            for m in l.markers where m.at >= r.from && m.at <= r.to {
                o += marker(m, x: x(m.at), y: mid)
            }
            o += "</g>\n"
        }
        if r.lanes.isEmpty {
            o += "<text x=\"\(n(labelWidth))\" y=\"\(n(top + 18))\" fill=\"#555555\">no incident in this window</text>\n"
        }
        return o + "</svg>\n"
    }

    static func marker(_ m: AfterAction.Marker, x: Double, y: Double) -> String {
        let style = markerStyle[m.kind]!
        let f = number
        let c = style.colour
        let shape: String
        switch style.shape {
        case "circle": shape = "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"\(c)\"/>"
        case "dot": shape = "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"2.5\" fill=\"\(c)\"/>"
        case "diamond": shape = "<polygon points=\"\(f(x)),\(f(y - 6)) \(f(x + 5)),\(f(y)) \(f(x)),\(f(y + 6)) \(f(x - 5)),\(f(y))\" fill=\"\(c)\"/>"
        case "triangle": shape = "<polygon points=\"\(f(x)),\(f(y - 7)) \(f(x + 6)),\(f(y + 5)) \(f(x - 6)),\(f(y + 5))\" fill=\"\(c)\"/>"
        case "square": shape = "<rect x=\"\(f(x - 4))\" y=\"\(f(y - 4))\" width=\"8\" height=\"8\" fill=\"\(c)\"/>"
        case "plus": shape = "<path d=\"M\(f(x - 5)) \(f(y))h10M\(f(x)) \(f(y - 5))v10\" stroke=\"\(c)\" stroke-width=\"2.5\"/>"
        case "cross": shape = "<path d=\"M\(f(x - 4)) \(f(y - 4))l8 8M\(f(x + 4)) \(f(y - 4))l-8 8\" stroke=\"\(c)\" stroke-width=\"2.5\"/>"
        case "up": shape = "<polygon points=\"\(f(x)),\(f(y - 10)) \(f(x + 5)),\(f(y - 3)) \(f(x - 5)),\(f(y - 3))\" fill=\"\(c)\"/>"
        case "bang": shape = "<text x=\"\(f(x))\" y=\"\(f(y + 5))\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\" fill=\"\(c)\">!</text>"
        default: shape = "<rect x=\"\(f(x - 1.5))\" y=\"\(f(y - 9))\" width=\"3\" height=\"18\" fill=\"\(c)\"/>"
        }
        return "<g class=\"marker \(m.kind.rawValue)\"><title>\(escape(time(m.at))): \(escape(m.text))</title>\(shape)</g>\n"
    }

    // MARK: - The page

    /// The whole report: summary, the chart, the legend, each incident's
    /// audit trail, the members' answers, the policy and roster, the range covered.
    public static func page(_ r: AfterAction, source: String) -> String {
        var o = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>After-action report: \(escape(r.title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #111; max-width: 1000px; }
            h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            h3 { font-size: 1em; margin-bottom: 0.3em; }
            table { border-collapse: collapse; font-size: 0.9em; } td, th { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
            th { border-bottom: 1px solid #999; } .num { text-align: right; } .muted { color: #555; }
            table.summary th, table.policy th { border: none; font-weight: normal; color: #333; }
            .legend span { margin-right: 1.2em; white-space: nowrap; } .trail td:first-child, .trail td:nth-child(3), .trail td:nth-child(4) { white-space: nowrap; }
            svg.timeline { border: 1px solid #ccc; max-width: 100%; height: auto; }
            @media print { body { margin: 0; } h2 { break-after: avoid; } .incident { break-inside: avoid; } }
            </style></head><body>
            <h1>After-action report: \(escape(r.title))</h1>
            <p class="muted">\(escape(source)) · from \(escape(time(r.from))) to \(escape(time(r.to))) · \(r.accepted) records accepted\(r.rejected > 0 ? ", \(r.rejected) rejected" : "")</p>

            """
        // Summary.
        func figure(_ xs: [Int64]) -> String {
            guard let (median, worst) = AfterAction.medianAndWorst(xs) else { return "—" }
            return "median \(duration(median)), worst \(duration(worst)) (\(xs.count))"
        }
        let c = r.cohesion
        o += """
            <h2>Summary</h2>
            <table class="summary">
            <tr><th>Incidents opened</th><td class="num">\(r.opened)</td></tr>
            <tr><th>Highest tier reached</th><td class="num">\(r.highestTier == 0 ? "—" : "tier \(r.highestTier)")</td></tr>
            <tr><th>Time to acknowledge</th><td>\(figure(r.timesToAcknowledge))</td></tr>
            <tr><th>Time to the tier-1 step (from T0)</th><td>\(figure(r.timesToWarning))</td></tr>
            <tr><th>Tier-1 steps overdue</th><td class="num">\(r.overdueSteps)</td></tr>
            <tr><th>Cohesion (committed of notified)</th><td class="num">\(c.notified == 0 ? "—" : "\(c.committed)/\(c.notified)")</td></tr>
            </table>

            """
        // Chart and legend.
        o += "<h2>Timeline</h2>\n" + svg(r)
        o += "<p class=\"legend\">"
        for t in 1...3 { o += "<span><svg width=\"18\" height=\"10\"><rect width=\"18\" height=\"10\" fill=\"\(tierColour[t])\" fill-opacity=\"0.35\"/></svg> tier \(t)</span>" }
        o += "<span>┆ 24 h and 72 h from T0</span>"
        for kind in AfterAction.Marker.Kind.allCases {
            let s = markerStyle[kind]!
            o += "<span><svg width=\"14\" height=\"24\">\(marker(AfterAction.Marker(kind: kind, at: r.from, text: s.label), x: 7, y: 14))</svg> \(s.label)</span>"
        }
        o += "</p>\n"
        // Members.
        o += "<h2>Coalition answers</h2>\n<table class=\"members\"><tr><th>Member</th><th>Tier</th><th class=\"num\">Notified</th><th class=\"num\">Committed</th><th class=\"num\">Declined</th></tr>\n"
        for m in r.members {
            o += "<tr><td>\(escape(m.code)) \(escape(m.name))</td><td>\(m.tier)</td><td class=\"num\">\(m.notified)</td><td class=\"num\">\(m.committed)</td><td class=\"num\">\(m.declined)</td></tr>\n"
        }
        o += "</table>\n"
        // Incidents.
        o += "<h2>Incidents</h2>\n"
        if r.lanes.isEmpty { o += "<p class=\"muted\">No incident in this window.</p>\n" }
        for l in r.lanes {
            let state = l.closedAs.map { "\($0) at \(time(l.closedAt!))" } ?? "open"
            o += "<div class=\"incident\" id=\"\(escape(l.id))\"><h3>\(escape(l.id)) · \(escape(l.sector)) · tier \(l.tierTimes.count) · \(escape(state))</h3>\n"
            o += "<p class=\"muted\">T0 \(escape(time(l.t0))) · opened \(escape(time(l.openedAt)))"
            if let a = l.acknowledgedAt { o += " · acknowledged after \(duration(a - l.openedAt))" }
            if let w = l.warnedAt { o += " · warned \(duration(w - l.t0)) after T0" }
            if l.notified > 0 { o += " · cohesion \(l.committed)/\(l.notified)" }
            o += "</p>\n<table class=\"trail\"><tr><th>When</th><th>What</th><th>Who</th><th>Site</th></tr>\n"
            for t in l.trail {
                o += "<tr><td>\(escape(time(t.at)))</td><td>\(escape(t.text))</td><td>\(escape(t.by ?? ""))</td><td>\(escape(t.site ?? ""))</td></tr>\n"
            }
            o += "</table></div>\n"
        }
        // Policy and roster.
        let p = r.policy
        o += """
            <h2>Policy and roster in force</h2>
            <table class="policy">
            <tr><th>Tier-1 window</th><td>\(duration(p.tier1Window))</td></tr>
            <tr><th>Tier 3 after T0</th><td>\(duration(p.tier3After))</td></tr>
            <tr><th>Reminder every</th><td>\(duration(p.ackReminder))</td></tr>
            </table>
            <table class="roster"><tr><th>Code</th><th>Member</th><th>Tier</th></tr>

            """
        for m in p.roster { o += "<tr><td>\(escape(m.code))</td><td>\(escape(m.name))</td><td>\(m.tier) · \(escape(Policy.tierName(m.tier)))</td></tr>\n" }
        o += "</table>\n<p class=\"muted\">Made by truce from \(escape(source)); times are UTC.</p>\n</body></html>\n"
        return o
    }

    /// The summary figures as one JSON object.
    public static func json(_ r: AfterAction) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.key("from"); w.instant(r.from)
        w.key("to"); w.instant(r.to)
        w.key("incidents_opened"); w.int(r.opened)
        w.key("highest_tier"); w.int(r.highestTier)
        func figure(_ name: StaticString, _ xs: [Int64]) {
            w.key(name)
            w.beginObject()
            w.key("count"); w.int(xs.count)
            if let (median, worst) = AfterAction.medianAndWorst(xs) {
                w.key("median_seconds"); w.int(Int(median))
                w.key("worst_seconds"); w.int(Int(worst))
            }
            w.endObject()
        }
        figure("time_to_acknowledge", r.timesToAcknowledge)
        figure("time_to_tier1_step", r.timesToWarning)
        w.key("tier1_overdue"); w.int(r.overdueSteps)
        w.key("cohesion"); w.beginObject(); w.key("committed"); w.int(r.cohesion.committed); w.key("notified"); w.int(r.cohesion.notified); w.endObject()
        w.key("members")
        w.beginArray()
        for m in r.members {
            w.beginObject()
            w.key("code"); w.string(m.code)
            w.key("notified"); w.int(m.notified)
            w.key("committed"); w.int(m.committed)
            w.key("declined"); w.int(m.declined)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
