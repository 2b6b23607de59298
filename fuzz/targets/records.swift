// libFuzzer target: the record decoder and the engine on any line of bytes.
// Every input must decode to a record or a rejection (never a crash), and the
// engine must judge it, fire timers and write events without trapping.
// Compiled into the TruceEngine module itself (see bench/fuzz.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var engine = Engine(mode: size % 2 == 0 ? .replay : .live)
    var number = 0
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
        number += 1
        let decoded = RecordDecoder.decode(UnsafeBufferPointer(rebasing: line))
        engine.process(decoded, line: number, receivedAt: Instant(seconds: 1_770_000_000 + Int64(number)))
        for e in engine.takeEvents() { _ = EventJSON.line(e); _ = TimelineText.sentence(e) }
    }
    if let c = engine.clock { engine.advance(through: c + 4 * 86_400) }
    engine.finish()
    for e in engine.takeEvents() { _ = EventJSON.line(e) }
    _ = StateOutput.json(engine, at: engine.clock ?? Instant(seconds: 0))
    return 0
}
