/// The `--json` event contract (spec §4): one object per line with `at` and
/// `event`, plus the fields that apply.
public enum EventJSON {
    /// Every event of a batch, one line each.
    public static func write(_ events: [Event], to w: inout JSONWriter) {
        // Read in place: taking each element out of the array copies all of
        // its fields (every string retained, then released).
        events.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            for i in 0..<p.count { write(at: base + i, to: &w) }
        }
    }

    public static func write(_ e: Event, to w: inout JSONWriter) {
        withUnsafePointer(to: e) { write(at: $0, to: &w) }
    }

    private static func write(at e: UnsafePointer<Event>, to w: inout JSONWriter) {
        w.beginObject()
        w.key("at"); w.instant(e.pointee.at)
        w.key("event"); w.plainString(e.pointee.kind.jsonName)
        if let v = e.pointee.incident { w.key("incident"); w.string(v) }
        if let v = e.pointee.tier { w.key("tier"); w.int(v) }
        if let v = e.pointee.sector { w.key("sector"); w.string(v) }
        if let v = e.pointee.report { w.key("report"); w.string(v) }
        if let v = e.pointee.status { w.key("status"); w.string(v.rawValue) }
        if let v = e.pointee.action { w.key("action"); w.string(v.rawValue) }
        if let v = e.pointee.member { w.key("member"); w.string(v) }
        if let v = e.pointee.by { w.key("by"); w.string(v) }
        if e.pointee.manual { w.key("manual"); w.bool(true) }
        if let v = e.pointee.text { w.key(e.pointee.kind == .narration ? "text" : "note"); w.string(v) }
        if let v = e.pointee.line { w.key("line"); w.int(v) }
        if let v = e.pointee.reason { w.key("reason"); w.string(v) }
        if let o = e.pointee.origin {
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
