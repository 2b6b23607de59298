/// The timeline for people: one line per happening, in time order, with the
/// UTC time, the offset from the scenario start, the incident and a plain
/// sentence. An opening or escalation and the roster notifications it caused
/// share one line. Every text field goes through `Sanitizer`.
public enum TimelineText {
    /// Formats a batch of events (as drained from the engine after one record
    /// or one advance of the clock, so notifications are never split from
    /// their cause).
    public static func lines(_ events: [Event], origin: Instant?) -> [String] {
        var out: [String] = []
        var i = 0
        while i < events.count {
            let e = events[i]
            var notified: [String] = []
            if e.kind == .incidentOpened || e.kind == .tierEscalated {
                var j = i + 1
                while j < events.count, events[j].kind == .rosterNotified, events[j].incident == e.incident,
                      events[j].at == e.at {
                    notified.append(events[j].member ?? "")
                    j += 1
                }
                i = j
            } else {
                i += 1
            }
            out.append(line(e, notified: notified, origin: origin))
        }
        return out
    }

    /// `2026-02-10 04:12:00Z  +0h00m     INC-0001  sentence`
    public static func line(_ e: Event, notified: [String] = [], origin: Instant?) -> String {
        line(e, sentence: sentence(e, notified: notified), origin: origin)
    }

    /// `2026-02-10 04:12:00Z`: how the timeline writes an instant.
    public static func time(_ t: Instant) -> String {
        var b: [UInt8] = []
        RFC3339.append(t, to: &b, separator: 0x20)
        return String(decoding: b, as: UTF8.self)
    }

    /// A timeline line for `e` with a sentence of the caller's.
    public static func line(_ e: Event, sentence: String, origin: Instant?) -> String {
        var time = "-"
        var offset = ""
        if let at = e.at {
            time = TimelineText.time(at)
            if let o = origin { offset = DurationText.offset(at - o) }
        }
        return TextWidth.padRight(time, 20) + "  " + TextWidth.padRight(offset, 10) + " "
            + TextWidth.padRight(e.incident.map(Sanitizer.clean) ?? "", 9) + "  " + sentence + originText(e.origin)
    }

    /// `  [site hq]`, or `  [site hq, made 2026-02-10 04:12:00Z]` for a
    /// record made before it was received (queued offline); empty without one.
    public static func originText(_ o: RecordOrigin?) -> String {
        guard let o else { return "" }
        return "  [site " + Sanitizer.clean(o.site) + (o.madeAt.map { ", made " + time($0) } ?? "") + "]"
    }

    /// The plain-language part of a timeline line (also the console's ticker).
    public static func sentence(_ e: Event, notified: [String] = []) -> String {
        let c = Sanitizer.clean
        let report = e.report.map(c) ?? "?"
        let sector = e.sector.map(c) ?? "?"
        let by = e.by.map { " by " + c($0) } ?? ""
        let note = e.text.map { ": \"" + c($0) + "\"" } ?? ""
        let codes = notified.map(c).joined(separator: ", ")
        switch e.kind {
        case .incidentOpened:
            return "opened at tier 1 in \(sector) on report \(report)" + (codes.isEmpty ? "" : " — notified: \(codes)")
        case .reportPending:
            return "report \(report) in \(sector) pending verification"
        case .reportJoined:
            return "report \(report) joined (tier \(e.tier ?? 0))"
        case .reportRetracted:
            let status = e.status?.rawValue ?? "retracted"
            if e.incident != nil { return "report \(report) \(status); it no longer counts" }
            return "report \(report) in \(sector) \(status)"
        case .tier1Overdue:
            return "tier-1 deadline passed with no diplomatic warning — OVERDUE"
        case .tierEscalated:
            let tier = e.tier ?? 0
            var s = "escalated to tier \(tier) — \(Policy.tierName(tier))"
            if !codes.isEmpty { s += " notified: \(codes)" }
            if e.manual {
                s += " (manual\(by))"
            } else if e.report != nil {
                s += " (on report \(report))"
            } else {
                s += " (tier-3 clock: attack persists)"
            }
            return s
        case .rosterNotified:
            return "\(e.member.map(c) ?? "?") notified (tier \(e.tier ?? 0))"
        case .incidentAcknowledged:
            return "acknowledged\(by)\(note)"
        case .alertReminder:
            return "reminder: tier-\(e.tier ?? 0) alert still unacknowledged"
        case .actionRecorded:
            let member = e.member.map(c) ?? "?"
            switch e.action {
            case .warning?: return "diplomatic warning issued\(by)\(note)"
            case .response?: return "response recorded\(by)\(note)"
            case .commit?: return "\(member) committed\(by)\(note)"
            case .decline?: return "\(member) declined\(by)\(note)"
            default: return "note\(by)\(note)"
            }
        case .incidentResolved:
            return "resolved\(by)\(note)"
        case .incidentWithdrawn:
            return "withdrawn — no counting report left"
        case .narration:
            return "» " + c(e.text ?? "")
        case .inputRejected:
            return (e.line.map { "line \($0): " } ?? "") + c(e.reason ?? "")
        }
    }
}
