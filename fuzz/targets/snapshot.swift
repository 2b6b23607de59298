// libFuzzer target: restoring an engine snapshot from any bytes. Damage must
// be an error, never a crash; whatever restores must be able to carry on.
// Compiled into the TruceEngine module itself (see bench/fuzz.sh).

/// A real snapshot to mutate from: the engine after a short scenario.
let seedSnapshot: [UInt8] = {
    var e = Engine()
    let lines = [
        #"{"type":"scenario","start":"2026-02-10T04:00:00Z"}"#,
        #"{"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"+0s"}"#,
        #"{"type":"report","id":"R-2","sector":"Lyman","status":"reported","at":"+1h"}"#,
        #"{"type":"action","action":"commit","incident":"INC-0001","member":"GB","at":"+2h"}"#,
    ]
    for (i, l) in lines.enumerated() { e.process(line: l, number: i + 1) }
    return e.snapshot()
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Half the inputs are the real snapshot with the input xored in: deep paths.
    if size > 0 && data[0] & 1 == 1 {
        var s = seedSnapshot
        for (i, b) in bytes.dropFirst().enumerated() { s[(i * 7919) % s.count] ^= b }
        bytes = s
    }
    guard var e = try? Engine(snapshot: bytes, policy: .standard) else { return 0 }
    e.process(line: #"{"type":"report","id":"R-9","sector":"Pokrovsk","status":"confirmed"}"#, number: 1,
              receivedAt: (e.clock ?? Instant(seconds: 0)) + 60)
    if let c = e.clock { e.advance(through: min(c + 3 * 86_400, RFC3339.latest)) }
    _ = e.takeEvents()
    _ = e.snapshot()
    return 0
}
