/// The `--json` event contract (spec §4): one object per line with `at` and
/// `event`, plus the fields that apply.
public enum EventJSON {
    public static func write(_ e: Event, to w: inout JSONWriter) {
        w.beginObject()
        w.key("at"); w.instant(e.at)
        w.key("event"); w.string(e.kind.rawValue)
        if let v = e.incident { w.key("incident"); w.string(v) }
        if let v = e.tier { w.key("tier"); w.int(v) }
        if let v = e.sector { w.key("sector"); w.string(v) }
        if let v = e.report { w.key("report"); w.string(v) }
        if let v = e.status { w.key("status"); w.string(v.rawValue) }
        if let v = e.action { w.key("action"); w.string(v.rawValue) }
        if let v = e.member { w.key("member"); w.string(v) }
        if let v = e.by { w.key("by"); w.string(v) }
        if e.manual { w.key("manual"); w.bool(true) }
        if let v = e.text { w.key(e.kind == .narration ? "text" : "note"); w.string(v) }
        if let v = e.line { w.key("line"); w.int(v) }
        if let v = e.reason { w.key("reason"); w.string(v) }
        if let o = e.origin {
            w.key("site"); w.string(o.site)
            if let m = o.madeAt { w.key("made_at"); w.instant(m) }
        }
        w.endObject()
        w.newline()
    }

    /// One event as a JSON line (tests, small outputs).
    public static func line(_ e: Event) -> String {
        var w = JSONWriter()
        write(e, to: &w)
        return String(decoding: w.bytes.dropLast(), as: UTF8.self)
    }
}
