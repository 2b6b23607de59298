/// The one gate between report text and a terminal (spec §3): control
/// characters and escape sequences never reach it as such.
///
/// C0 controls and DEL are shown in caret notation (`ESC` → `^[`), C1
/// controls, bidirectional overrides and every other default-ignorable
/// character (zero-width space and joiner, variation selectors, tags…) as
/// `<U+200B>`, so a hostile report is visible for what it is rather than
/// silently changed or executed, two look-alike names never look alike, and
/// every character left has a width all terminals agree on.
public enum Sanitizer {
    public static func clean(_ s: String) -> String {
        // Fast path: nothing to change.
        if !s.unicodeScalars.contains(where: needsEscape) { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            guard needsEscape(u) else { out.append(u); continue }
            let v = u.value
            if v < 0x20 {
                out.append("^")
                out.append(Unicode.Scalar(UInt8(v + 0x40)))
            } else if v == 0x7F {
                out.append(contentsOf: "^?".unicodeScalars)
            } else {
                out.append(contentsOf: "<U+\(hex(v))>".unicodeScalars)
            }
        }
        return String(out)
    }

    /// Characters that must not be written raw to a terminal.
    @inline(__always)
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || v == 0x7F { return true }
        if v < 0x80 { return false }
        return (0x80...0x9F).contains(v)  // C1 controls (CSI, OSC, …)
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)  // bidi overrides/isolates
            || v == 0x200E || v == 0x200F || v == 0x061C  // bidi marks
            || v == 0x2028 || v == 0x2029  // line/paragraph separators
            || u.properties.isDefaultIgnorableCodePoint  // invisible: ZWSP, ZWJ, variation selectors, tags…
    }

    static func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
