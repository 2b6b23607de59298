// libFuzzer target: the record decoder and the engine on any line of bytes.
// Every input must decode to a record or a rejection (never a crash), and the
// engine must judge it, fire timers and write events without trapping.
// Decoding through an interner (kept across the input's lines, as a replay
// keeps it, with the prefetch hint) must give the same record as decoding without.
// Compiled into the TruceEngine module itself (see bench/fuzz.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var engine = Engine(mode: size % 2 == 0 ? .replay : .live)
    // Reminders cost time, not state: a record a thousand years on is a
    // thousand years of them (the timeline's contract). Half the inputs skip
    // them, as validate and state do; the other half keep them, with gaps
    // over 30 days left out so one input cannot run for minutes.
    let quiet = size % 4 < 2
    if quiet { engine.quietRemindersBefore = Instant(seconds: .max) }
    var number = 0
    var interner = StringInterner()
    func drain(_ e: inout Engine) { for ev in e.takeEvents() { _ = EventJSON.line(ev) } }
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        number += 1
        let decoded = RecordDecoder.decode(UnsafeBufferPointer(rebasing: line))
        let interned = RecordDecoder.decode(UnsafeBufferPointer(rebasing: line), interning: &interner) {
            engine.prefetchReport(id: $0)
        }
        precondition(interned == decoded, "decoding through the interner differs")
        // Received a second after the engine's clock (a fixed 2026 receipt time
        // would put a millennium between a scenario set in 1013 and its next line).
        let received = (engine.clock ?? Instant(seconds: 1_770_000_000)) + 1
        if !quiet, case .record(let at, _) = decoded, case .success(let t) = engine.resolveAt(at, receivedAt: received),
           let c = engine.clock, t.seconds.subtractingReportingOverflow(c.seconds).partialValue > 30 * 86_400 {
            continue
        }
        engine.process(decoded, line: number, receivedAt: received, drain: drain)
        for e in engine.takeEvents() { _ = EventJSON.line(e); _ = TimelineText.sentence(e) }
    }
    if let c = engine.clock { engine.advance(through: c + 4 * 86_400, drain: drain) }
    engine.finish()
    for e in engine.takeEvents() { _ = EventJSON.line(e) }
    _ = StateOutput.json(engine, at: engine.clock ?? Instant(seconds: 0))
    return 0
}
