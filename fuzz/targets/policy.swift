// libFuzzer target: the policy (TOML subset) reader. Any text is a policy or
// an error naming file, line and key; an accepted policy must run an engine.
// Compiled into the TruceEngine module itself (see bench/fuzz.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    switch PolicyFile.parse(text, file: "fuzz.toml") {
    case .success(let p):
        precondition(p.tier1Window > 0 && p.tier1Window < p.tier3After && p.ackReminder > 0)
        var e = Engine(policy: p)
        e.process(line: #"{"type":"report","id":"R","sector":"S","status":"confirmed","at":"2026-01-01T00:00:00Z"}"#, number: 1)
        e.advance(through: Instant(seconds: 1_767_225_600 + 10 * 86_400))
        _ = StateOutput.text(e, at: e.clock!)
    case .failure(let err):
        precondition(err.description.hasPrefix("fuzz.toml:"))
    }
    return 0
}
