/// Folds each incident's run of 15-minute reminders into one timeline line,
/// `reminder ×2,880 from 2026-02-10 04:15:00Z to 2026-03-11 04:00:00Z:
/// tier-1 alert still unacknowledged`, written where the run ends (just
/// before the incident's next event, with that event's time, or at the end),
/// so the timeline stays in time order. A month-old unacknowledged incident
/// is one line, not 2,880. Streams: it holds one pending run per incident.
public struct ReminderFolder {
    private struct Run {
        var first: Event
        var last: Event
        var count: Int
    }

    private var runs: [String: Run] = [:]
    public let origin: Instant?
    /// The time of the last line written.
    private var lastAt: Instant?

    public init(origin: Instant?) { self.origin = origin }

    /// The lines for a batch of events (as drained from the engine).
    public mutating func lines(_ events: [Event]) -> [String] {
        var out: [String] = []
        var segment: [Event] = []
        for e in events {
            if e.kind == .alertReminder, let id = e.incident {
                if var r = runs[id] {
                    r.last = e
                    r.count += 1
                    runs[id] = r
                } else {
                    runs[id] = Run(first: e, last: e, count: 1)
                }
                continue
            }
            if let id = e.incident, let r = runs.removeValue(forKey: id) {
                out += TimelineText.lines(segment, origin: origin)
                segment = []
                out.append(line(r, at: e.at))
            }
            segment.append(e)
            if let at = e.at { lastAt = at }
        }
        out += TimelineText.lines(segment, origin: origin)
        return out
    }

    /// The runs still open at the end, oldest last reminder first.
    public mutating func finish() -> [String] {
        let rest = runs.values.sorted { ($0.last.at?.seconds ?? 0, $0.last.incident ?? "") < ($1.last.at?.seconds ?? 0, $1.last.incident ?? "") }
        runs = [:]
        return rest.map { r in
            let at = [lastAt, r.last.at].compactMap { $0 }.max()
            lastAt = at
            return line(r, at: at)
        }
    }

    /// The run as one line at `at` (a run of one is the reminder itself).
    private func line(_ r: Run, at: Instant?) -> String {
        guard r.count > 1 else { return TimelineText.line(r.first, origin: origin) }
        func time(_ t: Instant?) -> String { t.map(TimelineText.time) ?? "" }
        let what = TimelineText.sentence(r.last).replacing("reminder: ", with: "")
        var e = r.last
        e.at = at ?? r.last.at
        return TimelineText.line(e, sentence: "reminder ×\(ReminderFolder.grouped(r.count)) from \(time(r.first.at)) to \(time(r.last.at)): \(what)",
                                 origin: origin)
    }

    /// `2,880`.
    public static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
