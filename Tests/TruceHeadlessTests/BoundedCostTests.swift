import Foundation
import Testing
import TruceEngine
import TruceHeadless
import TruceTestSupport

/// Cost follows the input, not the time it covers: a record 99,999 days after
/// the last is one more record, whatever the reminders in between.
@Suite("Costs bounded by input")
struct BoundedCostTests {
    func gapFile(days: Int) throws -> String {
        let path = Scratch.directory + "truce-gap-\(UUID().uuidString).jsonl"
        try """
            {"type":"scenario","start":"2026-01-01T00:00:00Z"}
            {"type":"report","id":"R-1","sector":"Siversk","status":"confirmed","at":"+0s"}
            {"type":"narrate","text":"much later","at":"+\(days)d"}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Replay hands events on in bounded batches however long the gap.
    @Test func replayStreamsAGapFullOfReminders() throws {
        let path = try gapFile(days: 400)
        var largest = 0, total = 0
        _ = try Runner.run(path: path, feed: .init()) { _, events in
            largest = max(largest, events.count)
            total += events.count
        }
        #expect(total > 38_000)  // 400 days of 15-minute reminders
        #expect(largest <= Engine.drainEvery + 16)
    }

    /// validate and state compute no timeline: not one reminder is made.
    @Test func validateAndStateMakeNoReminders() throws {
        let path = try gapFile(days: 99_999)
        var reminders = 0
        _ = try Runner.run(path: path, feed: .init(), runTimers: false, timeline: false) { _, events in
            reminders += events.filter { $0.kind == .alertReminder }.count
        }
        #expect(reminders == 0)
        let out = OutputSink.memory()
        #expect(Runner.validate(paths: [path], policy: .standard, out: out, err: OutputSink.memory()) == Runner.ok)
    }

    @Test func remindersFoldIntoOneLinePerRunInTimeOrder() {
        var lines: [String] = []
        var folder = ReminderFolder(origin: Instant(seconds: 0))
        var engine = Engine()
        for (i, l) in [#"{"type":"scenario","start":"2026-01-01T00:00:00Z"}"#,
                       #"{"type":"report","id":"R-1","sector":"A","status":"confirmed","at":"+0s"}"#,
                       #"{"type":"report","id":"R-2","sector":"B","status":"confirmed","at":"+2h"}"#,
                       #"{"type":"action","action":"ack","incident":"INC-0001","at":"+3h"}"#].enumerated() {
            engine.process(line: l, number: i + 1)
            lines += folder.lines(engine.takeEvents())
        }
        engine.advance(through: Instant(seconds: engine.clock!.seconds + 3600))
        lines += folder.lines(engine.takeEvents())
        lines += folder.finish()
        let text = lines.joined(separator: "\n")
        // INC-0001: 11 reminders (+15m … +2h45m), folded just before its ack, at the ack's time.
        #expect(text.contains("INC-0001   reminder ×11 from 2026-01-01 00:15:00Z to 2026-01-01 02:45:00Z: tier-1 alert still unacknowledged"))
        // INC-0002: reminders from +2h15m to +4h; the run is still open at the end.
        #expect(text.contains("INC-0002   reminder ×8 from 2026-01-01 02:15:00Z to 2026-01-01 04:00:00Z"))
        let times = lines.map { String($0.prefix(20)) }
        #expect(times == times.sorted(), "not in time order:\n\(text)")
    }
}
