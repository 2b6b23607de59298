/// Display width of text in terminal columns: 0 for combining marks and
/// zero-width characters, 2 for East Asian wide and fullwidth characters and
/// emoji shown as emoji, 1 otherwise. A grapheme cluster is as wide as its
/// characters added up (a skin-tone modifier is a second wide character, as
/// tmux and xterm draw it); the sanitiser has already made invisible joiners
/// and selectors visible, so what is measured is what terminals agree on.
/// Tables, the board's layout, truncation and the prompt all measure here.
public enum TextWidth {
    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += of(u) }
        return w
    }

    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if v >= 0x1F000, u.properties.isEmojiPresentation { return 2 }
        if v >= 0x2300 && v < 0x2C00, u.properties.isEmojiPresentation { return 2 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) && v != 0x303F
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// The width of one character (a grapheme cluster).
    public static func of(_ c: Character) -> Int {
        var w = 0
        for u in c.unicodeScalars { w += of(u) }
        return w
    }

    /// Pads with spaces on the right to `width` columns (never truncates).
    public static func padRight(_ s: String, _ width: Int) -> String {
        let w = of(s)
        return w >= width ? s : s + String(repeating: " ", count: width - w)
    }
}
