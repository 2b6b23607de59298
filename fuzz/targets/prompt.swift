// libFuzzer target: editing the note and filter prompts with any characters
// (combining marks, ZWJ sequences, flags, wide and zero-width characters) and
// any editing keys, drawn at every step. The cursor must stay in the text.
// Compiled into the TruceConsole module itself (see bench/fuzz.sh).
import TruceEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var c = Console(engine: Engine(), demo: DemoClock(text: """
        {"type":"scenario","start":"2026-03-01T00:00:00Z"}
        {"type":"report","id":"R-1","sector":"Pokrovsk","status":"confirmed","at":"+0s"}
        """, paused: true), operatorName: "fuzz")
    _ = c.update(.resize(width: 80, height: 24))
    _ = c.update(.key(.char(".")))
    _ = c.update(.key(.char(".")))
    _ = c.update(.frameShown)
    _ = c.update(.key(size % 2 == 0 ? .char("n") : .char("/")))
    let pieces: [Character] = ["e", "\u{301}", "\u{200D}", "👨", "👩", "\u{1F1FA}", "\u{1F1E6}", "\u{1F3FD}", "漢", "\u{200B}",
                               "\u{FE0F}", "a", " ", "\u{0}", "\u{1B}", "\u{202E}", "ё", "\u{E0067}"]
    let edits: [Key] = [.left, .right, .home, .end, .backspace, .delete, .ctrl("u"), .ctrl("a"), .ctrl("e")]
    var i = 0
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    while i < bytes.count {
        let b = bytes[i]
        let key: Key
        if b < 0x80 { key = .char(pieces[Int(b) % pieces.count]) }
        else if b < 0xF0 { key = edits[Int(b) % edits.count] }
        else {
            // A raw scalar from the next two bytes.
            let v = i + 2 < bytes.count ? UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) : 0x41
            i += 2
            key = Unicode.Scalar(v).map { .char(Character($0)) } ?? .char("?")
        }
        i += 1
        _ = c.update(.key(key))
        guard case .prompt(_, let text, let cursor)? = c.overlay else { return 0 }
        precondition(cursor >= 0 && cursor <= text.count)
        var s = Screen(width: 80, height: 24)
        BoardRenderer.render(c.view(), into: &s)
    }
    _ = c.update(.key(.enter))
    return 0
}
