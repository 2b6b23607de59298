/// Writes JSON into a byte buffer, fast enough for millions of events.
/// Strings are escaped so the output is both valid JSON and safe on a
/// terminal: C0/C1 controls, DEL, bidi overrides and line separators are
/// written as `\uXXXX`.
public struct JSONWriter {
    /// The bytes live in a buffer the writer owns, so appending a byte is a
    /// store and a count, without the capacity and uniqueness checks of an
    /// Array append. A copied writer shares its buffer: use one writer at a time.
    final class Buffer {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// The day (since 1970) of the last instant written, and its
        /// `YYYY-MM-DD`: events come in time order, so most share a date.
        var day = Int64.min
        var date: (UInt64, UInt16) = (0, 0)
        init(capacity: Int) {
            self.capacity = max(64, capacity)
            base = .allocate(capacity: self.capacity)
        }
        deinit { base.deallocate() }

        @inline(__always) func reserve(_ n: Int) {
            if count + n > capacity { grow(count + n) }
        }
        func grow(_ needed: Int) {
            var c = capacity * 2
            while c < needed { c *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            b.update(from: base, count: count)
            base.deallocate()
            base = b
            capacity = c
        }
        @inline(__always) func put(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count += 1
        }
        @inline(__always) func put(_ p: UnsafeRawBufferPointer) {
            guard !p.isEmpty else { return }
            reserve(p.count)
            (base + count).update(from: p.baseAddress!.assumingMemoryBound(to: UInt8.self), count: p.count)
            count += p.count
        }
        @inline(__always) func put(_ p: UnsafeBufferPointer<UInt8>) { put(UnsafeRawBufferPointer(p)) }
    }

    private let buffer: Buffer
    private var needsComma = false

    public init(capacity: Int = 256) { buffer = Buffer(capacity: capacity) }

    /// What has been written so far (a copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count)) }
    /// What has been written so far, lent to `body` (no copy).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer.base, count: buffer.count))
    }
    /// The number of bytes written so far.
    public var count: Int { buffer.count }
    /// Forgets what was written, keeping the memory.
    public mutating func reset() {
        buffer.count = 0
        needsComma = false
    }

    public mutating func beginObject() { separator(); buffer.put(0x7B); needsComma = false }
    public mutating func endObject() { buffer.put(0x7D); needsComma = true }
    public mutating func beginArray() { separator(); buffer.put(0x5B); needsComma = false }
    public mutating func endArray() { buffer.put(0x5D); needsComma = true }
    public mutating func newline() { buffer.put(0x0A); needsComma = false }

    @inline(__always) private mutating func separator() {
        if needsComma { buffer.put(0x2C) }
    }

    public mutating func key(_ k: StaticString) {
        // Comma, quotes, name and colon with one check for room and one count.
        let n = k.utf8CodeUnitCount
        buffer.reserve(n + 4)
        var b = buffer.base + buffer.count
        if needsComma { b[0] = 0x2C; b += 1; buffer.count += 1 }
        b[0] = 0x22
        ByteWord.copy(k.utf8Start, n, to: b + 1)
        b[n + 1] = 0x22
        b[n + 2] = 0x3A
        buffer.count += n + 3
        needsComma = false
    }

    /// A string literal known to need no escaping (plain printable ASCII, no
    /// quote or backslash: a test checks every one the writer is given).
    public mutating func plainString(_ s: StaticString) {
        separator()
        quoted(s)
        needsComma = true
    }

    /// `"s"`.
    @inline(__always)
    private func quoted(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        buffer.reserve(n + 3)
        let b = buffer.base + buffer.count
        b[0] = 0x22
        ByteWord.copy(s.utf8Start, n, to: b + 1)
        b[n + 1] = 0x22
        buffer.count += n + 2
    }

    /// A key known only at run time (escaped like any string).
    public mutating func dynamicKey(_ k: String) { separator(); writeString(k); buffer.put(0x3A); needsComma = false }

    public mutating func string(_ s: String) { separator(); writeString(s); needsComma = true }
    public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    public mutating func null() { separator(); literal("null"); needsComma = true }
    public mutating func bool(_ b: Bool) { separator(); literal(b ? "true" : "false"); needsComma = true }

    private mutating func literal(_ s: StaticString) {
        buffer.put(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    public mutating func int(_ v: Int) {
        separator()
        buffer.reserve(21)
        var n = v.magnitude
        if v < 0 { buffer.put(0x2D) }
        var digits = 1
        var t = n
        while t >= 10 { t /= 10; digits += 1 }
        let b = buffer.base + buffer.count
        for k in stride(from: digits - 1, through: 0, by: -1) {
            b[k] = UInt8(48 + n % 10)
            n /= 10
        }
        buffer.count += digits
        needsComma = true
    }
    public mutating func double(_ v: Double) {
        separator()
        let text = v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        var t = text
        t.withUTF8 { buffer.put($0) }
        needsComma = true
    }
    public mutating func instant(_ t: Instant) {
        separator()
        buffer.reserve(24)
        let b = buffer.base + buffer.count
        b[0] = 0x22
        var day = t.seconds / 86_400, rem = t.seconds % 86_400
        if rem < 0 { rem += 86_400; day -= 1 }
        let n: Int
        if day == buffer.day {
            UnsafeMutableRawPointer(b + 1).storeBytes(of: buffer.date.0, as: UInt64.self)
            UnsafeMutableRawPointer(b + 9).storeBytes(of: buffer.date.1, as: UInt16.self)
            let r = Int(rem)
            RFC3339.writeTime(r / 3600, r / 60 % 60, r % 60, to: b + 11)
            n = 20
        } else {
            n = RFC3339.write(t, to: b + 1)
            if n == 20 {  // a four-digit year: keep its date for the next
                buffer.day = day
                buffer.date = (UnsafeRawPointer(b + 1).loadUnaligned(as: UInt64.self),
                               UnsafeRawPointer(b + 9).loadUnaligned(as: UInt16.self))
            }
        }
        b[n + 1] = 0x22
        buffer.count += n + 2
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
    /// The bytes of `w` whose `escapeClass` is not 0 (see `ByteWord`): a
    /// string's stops, DEL, and the lead bytes of C1, bidi and separators.
    @inline(__always)
    static func stops(_ w: UInt64) -> UInt64 {
        JSONScanner.stringStops(w) | ByteWord.bytes(w, equalTo: 0x7F) | ByteWord.bytes(w, equalTo: 0xC2)
            | ByteWord.bytes(w, equalTo: 0xE2) | ByteWord.bytes(w, equalTo: 0xD8)
    }
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ s: String) {
        TruceEngine.withBytes(of: s) { writeString(bytes: $0) }
    }

    private mutating func writeString(bytes u: UnsafeBufferPointer<UInt8>) {
        let buffer = self.buffer
        // Most strings need nothing escaped: checked a word at a time, then copied whole.
        if JSONWriter.isPlain(u) {
            let n = u.count
            buffer.reserve(n + 2)
            let b = buffer.base + buffer.count
            b[0] = 0x22
            if let p = u.baseAddress { ByteWord.copy(p, n, to: b + 1) }  // nil only when empty
            b[n + 1] = 0x22
            buffer.count += n + 2
            return
        }
        buffer.put(0x22)
        let table = JSONWriter.escapeClass
        var runStart = 0
        var i = 0
        let n = u.count
        while i < n {
            if n - i >= 8, let base = u.baseAddress {
                let stops = JSONWriter.stops(ByteWord.load(base + i))
                if stops == 0 { i += 8; continue }
                i += ByteWord.first(stops)
            }
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
            buffer.put(UnsafeBufferPointer(rebasing: u[runStart..<i]))
            switch v {
            case 0x22: buffer.put(0x5C); buffer.put(0x22)
            case 0x5C: buffer.put(0x5C); buffer.put(0x5C)
            case 0x0A: buffer.put(0x5C); buffer.put(0x6E)
            case 0x0D: buffer.put(0x5C); buffer.put(0x72)
            case 0x09: buffer.put(0x5C); buffer.put(0x74)
            default:
                let hex = JSONWriter.hexDigits
                buffer.put(0x5C); buffer.put(0x75)
                buffer.put(hex[Int(v >> 12 & 0xF)]); buffer.put(hex[Int(v >> 8 & 0xF)])
                buffer.put(hex[Int(v >> 4 & 0xF)]); buffer.put(hex[Int(v & 0xF)])
            }
            i += len
            runStart = i
        }
        buffer.put(UnsafeBufferPointer(rebasing: u[runStart..<n]))
        buffer.put(0x22)
    }

    /// Whether no byte of `u` needs a look (`stops`), eight at a time; the
    /// last few are read into a word filled up with `A`, which is never one.
    @inline(__always)
    static func isPlain(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = u.baseAddress else { return true }
        let n = u.count
        var i = 0
        while n - i >= 8 {
            if stops(ByteWord.load(p + i)) != 0 { return false }
            i += 8
        }
        let tail = n - i
        guard tail > 0 else { return true }
        var w: UInt64 = 0
        for k in 0..<tail { w |= UInt64(p[i + k]) << (8 * UInt64(k)) }
        w |= 0x4141_4141_4141_4141 << (8 * UInt64(tail))
        return stops(w) == 0
    }
}
