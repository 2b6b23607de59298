/// Writes JSON into a byte buffer, fast enough for millions of events.
/// Strings are escaped so the output is both valid JSON and safe on a
/// terminal: C0/C1 controls, DEL, bidi overrides and line separators are
/// written as `\uXXXX`.
public struct JSONWriter {
    public var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() { separator(); bytes.append(0x7B); needsComma = false }
    public mutating func endObject() { bytes.append(0x7D); needsComma = true }
    public mutating func beginArray() { separator(); bytes.append(0x5B); needsComma = false }
    public mutating func endArray() { bytes.append(0x5D); needsComma = true }
    public mutating func newline() { bytes.append(0x0A); needsComma = false }

    @inline(__always) private mutating func separator() {
        if needsComma { bytes.append(0x2C) }
    }

    public mutating func key(_ k: StaticString) {
        separator()
        bytes.append(0x22)
        bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
        needsComma = false
    }

    /// A key known only at run time (escaped like any string).
    public mutating func dynamicKey(_ k: String) { separator(); writeString(k); bytes.append(0x3A); needsComma = false }

    public mutating func string(_ s: String) { separator(); writeString(s); needsComma = true }
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func null() { separator(); bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]); needsComma = true }
    public mutating func bool(_ b: Bool) {
        separator()
        bytes.append(contentsOf: b ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        needsComma = true
    }
    public mutating func int(_ v: Int) {
        separator()
        if v == 0 { bytes.append(0x30); needsComma = true; return }
        var n = v.magnitude
        if v < 0 { bytes.append(0x2D) }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while n > 0 { p[len] = UInt8(48 + n % 10); n /= 10; len += 1 }
            for k in stride(from: len - 1, through: 0, by: -1) { bytes.append(p[k]) }
        }
        needsComma = true
    }
    public mutating func double(_ v: Double) {
        separator()
        if v == v.rounded(), abs(v) < 1e15 { bytes.append(contentsOf: Array(String(Int(v)).utf8)) } else {
            bytes.append(contentsOf: Array(String(v).utf8))
        }
        needsComma = true
    }
    public mutating func instant(_ t: Instant) {
        separator()
        bytes.append(0x22)
        RFC3339.append(t, to: &bytes)
        bytes.append(0x22)
        needsComma = true
    }
    public mutating func instant(_ t: Instant?) { if let t { instant(t) } else { null() } }

    /// Per first byte: 0 copy as is, 1 escape (ASCII control, quote,
    /// backslash, DEL), 2 look closer (a lead byte of C1, bidi or separator).
    private static let escapeClass: [UInt8] = (0..<256).map { c in
        if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { return 1 }
        if c == 0xC2 || c == 0xE2 || c == 0xD8 { return 2 }
        return 0
    }
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            let table = JSONWriter.escapeClass
            var runStart = 0
            var i = 0
            let n = u.count
            while i < n {
                let c = u[i]
                let cls = table[Int(c)]
                if cls == 0 { i += 1; continue }
                var escape: UInt32? = nil
                var len = 1
                if cls == 1 {
                    escape = UInt32(c)
                } else if c == 0xC2, i + 1 < n, u[i + 1] >= 0x80, u[i + 1] <= 0x9F {
                    escape = UInt32(u[i + 1]); len = 2  // C1 control
                } else if c == 0xE2, i + 2 < n, u[i + 1] == 0x80 || u[i + 1] == 0x81 {
                    let v = (UInt32(c & 0x0F) << 12) | (UInt32(u[i + 1] & 0x3F) << 6) | UInt32(u[i + 2] & 0x3F)
                    if (0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F {
                        escape = v; len = 3
                    }
                } else if c == 0xD8, i + 1 < n, u[i + 1] == 0x9C {
                    escape = 0x061C; len = 2
                }
                guard let v = escape else { i += 1; continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i]))
                switch v {
                case 0x22: bytes.append(0x5C); bytes.append(0x22)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                default:
                    let hex = JSONWriter.hexDigits
                    bytes.append(0x5C); bytes.append(0x75)
                    bytes.append(hex[Int(v >> 12 & 0xF)]); bytes.append(hex[Int(v >> 8 & 0xF)])
                    bytes.append(hex[Int(v >> 4 & 0xF)]); bytes.append(hex[Int(v & 0xF)])
                }
                i += len
                runStart = i
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<n]))
        }
        bytes.append(0x22)
    }
}
