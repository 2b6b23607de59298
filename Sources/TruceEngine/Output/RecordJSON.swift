/// Writes input records (spec §3) as JSON Lines: what the generator, the
/// `report`/`act` commands and the live console send to the engine or the
/// journal. Decoding the output gives back the same record.
public enum RecordJSON {
    /// Writes one record; `at` is included when given.
    public static func write(_ body: RecordBody, at: Instant?, to w: inout JSONWriter) {
        w.beginObject()
        switch body {
        case .scenario(let h):
            w.key("type"); w.string("scenario")
            if let title = h.title { w.key("title"); w.string(title) }
            if let start = h.start { w.key("start"); w.instant(start) }
            if let speed = h.speed { w.key("speed"); w.double(speed) }
        case .narrate(let text):
            w.key("type"); w.string("narrate")
            if let at { w.key("at"); w.instant(at) }
            w.key("text"); w.string(text)
        case .action(let a):
            w.key("type"); w.string("action")
            if let at { w.key("at"); w.instant(at) }
            w.key("action"); w.string(a.action.rawValue)
            w.key("incident"); w.string(a.incident)
            if let by = a.by { w.key("by"); w.string(by) }
            if let member = a.member { w.key("member"); w.string(member) }
            if let note = a.note { w.key("note"); w.string(note) }
        case .report(let r):
            w.key("type"); w.string("report")
            if let at { w.key("at"); w.instant(at) }
            w.key("id"); w.string(r.id)
            w.key("sector"); w.string(r.sector)
            w.key("status"); w.string(r.status.rawValue)
            switch r.observed {
            case .absolute(let o)?: w.key("observed"); w.instant(o)
            case .relative(let d)?: w.key("observed"); w.string("+" + DurationText.format(d))
            case nil: break
            }
            if let kind = r.kind { w.key("kind"); w.string(kind) }
            if let scale = r.scale { w.key("scale"); w.string(scale.rawValue) }
            if let source = r.source { w.key("source"); w.string(source) }
            if let note = r.note { w.key("note"); w.string(note) }
        }
        w.endObject()
        w.newline()
    }

    /// One record as a line of text, without the newline.
    public static func line(_ body: RecordBody, at: Instant? = nil) -> String {
        var w = JSONWriter()
        write(body, at: at, to: &w)
        return String(decoding: w.bytes.dropLast(), as: UTF8.self)
    }
}
