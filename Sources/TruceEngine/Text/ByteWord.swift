/// Eight bytes at a time: a word read from bytes (little-endian, so byte k
/// is bits 8k…8k+7), and which of its bytes equal a value or lie below one,
/// as the high bit of each such byte. Exact for "none"; the lowest bit set
/// marks the first such byte (a borrow can flag a byte above a real one,
/// never below), so `first(_:)` is where a byte-wise look must begin.
enum ByteWord {
    @inline(__always) static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inline(__always) static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// The eight bytes at `p`, which need no alignment.
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    static func bytes(_ w: UInt64, equalTo c: UInt8) -> UInt64 {
        let v = w ^ (ones &* UInt64(c))
        return (v &- ones) & ~v & highs
    }

    /// Bytes below `c`, for `c` at most 0x80.
    @inline(__always)
    static func bytes(_ w: UInt64, below c: UInt8) -> UInt64 { (w &- ones &* UInt64(c)) & ~w & highs }

    /// The position of the first byte flagged in `flags` (not 0).
    @inline(__always)
    static func first(_ flags: UInt64) -> Int { flags.trailingZeroBitCount >> 3 }

    /// Copies `n` bytes from `p` to `d`: up to 16 by `copyShort`, more by memcpy.
    @inline(__always)
    static func copy(_ p: UnsafePointer<UInt8>, _ n: Int, to d: UnsafeMutablePointer<UInt8>) {
        if n <= 16 { copyShort(p, n, to: d) } else { d.update(from: p, count: n) }
    }

    /// Copies `n` bytes (at most 16) from `p` to `d` with at most two
    /// loads and two stores, each inside both ranges (the first and last
    /// eight or four bytes, overlapping): most of a JSON writer's copies are
    /// this short, and a call to memcpy costs more than the copy.
    @inline(__always)
    static func copyShort(_ p: UnsafePointer<UInt8>, _ n: Int, to d: UnsafeMutablePointer<UInt8>) {
        assert(n <= 16)
        let s = UnsafeRawPointer(p), t = UnsafeMutableRawPointer(d)
        if n >= 8 {
            let a = s.loadUnaligned(as: UInt64.self), b = s.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            t.storeBytes(of: a, as: UInt64.self)
            t.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let a = s.loadUnaligned(as: UInt32.self), b = s.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            t.storeBytes(of: a, as: UInt32.self)
            t.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 {  // 1...3, written out: a loop here is turned back into a call to memcpy
            d[0] = p[0]
            if n > 1 { d[1] = p[1] }
            if n > 2 { d[2] = p[2] }
        }
    }
}
