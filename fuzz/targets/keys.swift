// libFuzzer target: terminal bytes → keys → the console → a frame. Any byte
// sequence must leave the console answering: after a pause, `q` quits.
// Compiled into the TruceConsole module itself (see bench/fuzz.sh).
import TruceEngine

let fuzzScenario = """
    {"type":"scenario","title":"fuzz","start":"2026-03-01T00:00:00Z","speed":3600}
    {"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"+0s"}
    {"type":"report","id":"R-2","sector":"Покровськ 👨‍👩‍👧","status":"confirmed","at":"+1h"}
    {"type":"report","id":"R-3","sector":"Lyman","status":"reported","at":"+2h"}
    """

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var decoder = KeyDecoder()
    var c = Console(engine: Engine(), demo: DemoClock(text: fuzzScenario, paused: true), operatorName: "fuzz")
    // The first byte picks the terminal size, so layout at many sizes is fuzzed too.
    let sizes = [(80, 24), (120, 40), (200, 60), (60, 15), (81, 25), (100, 30)]
    let (w, h) = size > 0 ? sizes[Int(data[0]) % sizes.count] : (80, 24)
    _ = c.update(.resize(width: w, height: h))
    for _ in 0..<3 { _ = c.update(.key(.char("."))) }
    var frames = 0
    func frame() {
        // The end of a burst: review steps typed in it are taken (the demo plays its past again).
        _ = c.update(.tick(monotonic: Double(frames) / 10, wall: 0))
        var s = Screen(width: w, height: h, unicode: frames % 2 == 0)
        BoardRenderer.render(c.view(), into: &s)
        _ = c.update(.frameShown)
        frames += 1
    }
    for b in UnsafeBufferPointer(start: data, count: size).dropFirst() {
        for k in decoder.feed(b) {
            if c.update(.key(k)).contains(.quit) { return 0 }
        }
        if b == 0x0A { frame() }
    }
    for k in decoder.flush() where c.update(.key(k)).contains(.quit) { return 0 }
    frame()
    // Whatever came before, Esc (to leave any window) and q must end it.
    _ = c.update(.key(.escape))
    _ = c.update(.key(.escape))
    precondition(decoder.feed(0x71) == [.char("q")])
    precondition(c.update(.key(.char("q"))) == [.quit])
    return 0
}
