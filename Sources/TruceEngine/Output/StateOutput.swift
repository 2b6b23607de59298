/// The `state` document (spec §4), as JSON for scripts and as text for people.
public enum StateOutput {
    public static func json(_ engine: Engine, at: Instant) -> String {
        var w = JSONWriter(capacity: 4096)
        w.beginObject()
        w.key("at"); w.instant(at)
        w.key("incidents"); w.beginArray()
        for inc in engine.incidents {
            w.beginObject()
            w.key("id"); w.string(inc.id)
            w.key("sector"); w.string(inc.sector)
            w.key("tier"); w.int(inc.tier)
            w.key("status"); w.string(inc.status.rawValue)
            w.key("acknowledged"); w.bool(inc.acknowledged)
            w.key("t0"); w.instant(inc.t0)
            w.key("reports"); w.int(inc.countingReports)
            w.key("tier1_deadline"); w.instant(inc.tier1Deadline)
            w.key("tier1_step"); w.string(inc.step.rawValue)
            w.key("tier3_at"); w.instant(inc.tier3At)
            w.key("armed"); w.bool(inc.armed)
            w.key("cohesion")
            if let c = inc.cohesion { w.double(c) } else { w.null() }
            w.key("opened_at"); w.instant(inc.openedAt)
            w.key("tier_at"); w.instant(inc.tierAt)
            w.key("closed_at"); w.instant(inc.closedAt)
            w.endObject()
        }
        w.endArray()
        w.key("pending"); w.beginArray()
        for id in engine.pendingReports { w.string(id) }
        w.endArray()
        w.key("roster"); w.beginArray()
        for m in engine.policy.roster {
            w.beginObject()
            w.key("code"); w.string(m.code)
            w.key("name"); w.string(m.name)
            w.key("tier"); w.int(m.tier)
            if let r = m.role { w.key("role"); w.string(r) }
            w.key("answers"); w.beginObject()
            for inc in engine.incidents {
                if let a = inc.answer(of: m.code) { w.dynamicKey(inc.id); w.string(a.rawValue) }
            }
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// A readable summary: incidents table, pending reports, roster answers.
    public static func text(_ engine: Engine, at: Instant) -> String {
        let c = Sanitizer.clean
        var out = "State at \(RFC3339.format(at))"
        if let o = engine.origin { out += " (\(DurationText.offset(at - o)) from start)" }
        out += "\n\n"
        if engine.incidents.isEmpty {
            out += "No incidents.\n"
        } else {
            var rows = [["INCIDENT", "SECTOR", "TIER", "STATUS", "ACK", "T0", "REPORTS", "TIER-1 STEP", "ARMED", "COHESION"]]
            for inc in engine.incidents {
                let cohesion = inc.cohesion.map { _ in
                    "\(inc.notified.filter { inc.answers[$0] == .committed }.count)/\(inc.notified.count)"
                } ?? "-"
                rows.append([inc.id, c(inc.sector), "\(inc.tier)", inc.status.rawValue,
                             inc.acknowledged ? "yes" : "NO", shortTime(inc.t0), "\(inc.countingReports)",
                             inc.step.rawValue, inc.armed ? "yes" : "no", cohesion])
            }
            out += table(rows)
        }
        let pending = engine.pendingReports
        out += "\nPending verification: " + (pending.isEmpty ? "none" : pending.map(c).joined(separator: ", ")) + "\n"
        out += "\nRoster:\n"
        var rows: [[String]] = []
        for m in engine.policy.roster {
            let answers = engine.incidents.compactMap { inc in inc.answer(of: m.code).map { "\(inc.id) \($0.rawValue)" } }
            rows.append(["  " + c(m.code), c(m.name), "tier \(m.tier)", answers.isEmpty ? "-" : answers.joined(separator: ", ")])
        }
        out += table(rows)
        return out
    }

    static func shortTime(_ t: Instant) -> String {
        var b: [UInt8] = []
        RFC3339.append(t, to: &b, separator: 0x20)
        return String(decoding: b.dropLast(4), as: UTF8.self) + "Z"
    }

    static func table(_ rows: [[String]]) -> String {
        guard let cols = rows.first?.count else { return "" }
        var widths = Array(repeating: 0, count: cols)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], TextWidth.of(cell)) } }
        return rows.map { r in
            r.enumerated().map { i, cell in i == cols - 1 ? cell : TextWidth.padRight(cell, widths[i]) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
