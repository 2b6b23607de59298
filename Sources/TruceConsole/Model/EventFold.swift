import TruceEngine

/// How the events pane and an incident's history read a run of events:
/// the notifications an opening or escalation sent are one line with it (as
/// in the timeline), and an incident's run of 15-minute reminders is one
/// line that moves down as the run goes on (`reminder ×7, first 13:15:00`)
/// until another event of that incident ends it. A month of reminders is one
/// line, not a pane full of them.
public struct FoldedEvent: Sendable {
    /// The event the line is for (the latest of a run of reminders).
    public var event: Event
    /// Members notified with it.
    public var notified: [String] = []
    /// Reminders folded into this line, and the first one's time.
    public var reminders = 1
    public var firstReminder: Instant?

    public static func fold(_ events: some Sequence<Event>, skipping skip: Int? = nil) -> [FoldedEvent] {
        var out: [FoldedEvent?] = []
        var openRun: [String: Int] = [:]  // incident → its reminder line in `out`
        for (n, e) in events.enumerated() where n != skip {
            if e.kind == .alertReminder, let id = e.incident {
                if let k = openRun[id], var run = out[k] {
                    run.reminders += 1
                    run.event = e
                    out[k] = nil  // the run's line moves down to its latest reminder
                    openRun[id] = out.count
                    out.append(run)
                } else {
                    openRun[id] = out.count
                    out.append(FoldedEvent(event: e, firstReminder: e.at))
                }
                continue
            }
            if let id = e.incident { openRun[id] = nil }  // anything else of the incident ends its run
            if e.kind == .rosterNotified, let k = out.indices.last, var last = out[k], last.event.incident == e.incident,
               last.event.at == e.at, last.event.kind == .incidentOpened || last.event.kind == .tierEscalated {
                last.notified.append(e.member ?? "")
                out[k] = last
                continue
            }
            out.append(FoldedEvent(event: e))
        }
        return out.compactMap { $0 }
    }

    /// The line's words.
    func sentence(_ times: TimeText) -> String {
        guard reminders > 1, let first = firstReminder else { return TimelineText.sentence(event, notified: notified) }
        return "reminder ×\(reminders), first \(times.dayTime(first)): tier-\(event.tier ?? 0) alert still unacknowledged"
    }
}

/// A line of the events pane: an engine event (folded), or a note from the
/// console itself (a refusal that has left the message line).
public enum TickerItem: Sendable {
    case event(FoldedEvent)
    case note(at: Instant, text: String)
    /// A record of this site's waiting for the shared journal (after every event).
    case provisional(Provisional)

    /// `events` with `notes` placed among them by time (a note after the events of its instant).
    static func merge(_ events: [FoldedEvent], _ notes: [(at: Instant, text: String)]) -> [TickerItem] {
        guard !notes.isEmpty else { return events.map { .event($0) } }
        var out: [TickerItem] = []
        out.reserveCapacity(events.count + notes.count)
        var k = 0
        for f in events {
            while k < notes.count, let t = f.event.at, notes[k].at < t {
                out.append(.note(at: notes[k].at, text: notes[k].text))
                k += 1
            }
            out.append(.event(f))
        }
        for n in notes[k...] { out.append(.note(at: n.at, text: n.text)) }
        return out
    }
}
