/// The strings a feed repeats (sector names, kinds, sources, incident ids,
/// member codes), kept from line to line so that decoding one hands back the
/// String it made before instead of building and checking a new one (and
/// allocating it, past 15 bytes: a Cyrillic sector name).
///
/// A fixed table of 1,024 entries, each the last value of up to 32 bytes whose
/// hash chose it: memory is bounded whatever the input, a value crafted to
/// collide only costs what decoding cost without the table, and a value is
/// found only when its bytes are exactly the same (not merely equal as
/// Strings, which would take `é` for `e` + U+0301).
public struct StringInterner: Sendable {
    struct Entry: Sendable {
        /// -1: empty.
        var count = -1
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var value = ""
    }

    static let bits = 10
    static let capacity = 1 << bits
    static let longest = 32
    private var entries = [Entry](repeating: Entry(), count: StringInterner.capacity)

    public init() {}

    /// The String of these bytes (valid UTF-8, as the decoder has checked).
    @inline(__always)
    mutating func string(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let n = b.count
        guard n <= StringInterner.longest, let p = b.baseAddress else { return String(decoding: b, as: UTF8.self) }
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &w) { t in
            let d = t.baseAddress!.assumingMemoryBound(to: UInt8.self)
            ByteWord.copyShort(p, min(n, 16), to: d)
            if n > 16 { ByteWord.copyShort(p + 16, n - 16, to: d + 16) }
        }
        let h = (w.0 &* 0x9E37_79B9_7F4A_7C15) ^ (w.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (w.2 &* 0x1656_67B1_9E37_79F9)
            ^ (w.3 &* 0x85EB_CA77_C2B2_AE63) ^ UInt64(n)
        let k = Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> (64 - UInt64(StringInterner.bits)))
        return entries.withUnsafeMutableBufferPointer { e in
            if e[k].count == n, e[k].words == w { return e[k].value }
            let s = String(decoding: b, as: UTF8.self)
            e[k] = Entry(count: n, words: w, value: s)
            return s
        }
    }
}
