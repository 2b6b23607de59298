import CCacheHint

/// Report id → index into the engine's reports: an open-addressing table of
/// indices whose keys are the reports' own ids, so it holds no second copy
/// of any id. Each slot keeps the high 32 bits of the id's hash beside the
/// index, so a probe reads the report (a cache miss in a big table) only when
/// those match, and the slot an id starts probing at comes from the same bits,
/// so growing the table moves slots without reading an id again.
///
/// It replaces a `[String: Int32]` on the hottest path of a replay (every
/// report record looks its id up, and every new one inserts it): the
/// standard dictionary hashes with SipHash and stores the key again, and
/// restoring a snapshot of a million reports spent most of its time building
/// it. Here the hash is a few multiplies over the id's UTF-8 bytes, 8 at a
/// time, seeded once per process (from the standard library's own random
/// per-process seed), so ids crafted to collide cannot be prepared in
/// advance. Only membership depends on the seed, never any output: nothing
/// iterates the table.
struct ReportIndex: Sendable {
    /// 0: empty; otherwise the hash's high 32 bits, then index + 1 in the low
    /// 32. Capacity a power of two (at most 2^32: the home slot is the high
    /// bits' low bits).
    private var slots: [UInt64] = []
    private(set) var count = 0

    init() {}

    init(minimumCapacity n: Int) {
        var c = 16
        while c < n * 2 { c <<= 1 }
        slots = [UInt64](repeating: 0, count: c)
    }

    /// Grows now to hold `n` ids without growing again.
    mutating func reserve(_ n: Int) {
        while n * 2 > slots.count { grow() }
    }

    /// The index of the report whose id is `id`; `idOf` reads a report's id.
    @inline(__always)
    func find(_ id: String, idOf: (Int32) -> String) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let h = ReportIndex.hash(id)
        let tag = h & 0xFFFF_FFFF_0000_0000
        let mask = slots.count - 1
        var k = ReportIndex.home(h, mask)
        while true {
            let v = slots[k]
            if v == 0 { return nil }
            if v & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int32(truncatingIfNeeded: v) - 1
                if sameID(idOf(index), id) { return index }
            }
            k = (k + 1) & mask
        }
    }

    /// Asks the processor to bring the slot where a probe for `id` starts into
    /// its cache: a hint, no effect on any result.
    @inline(__always)
    func prefetch(_ id: UnsafeBufferPointer<UInt8>) {
        guard !slots.isEmpty else { return }
        let k = ReportIndex.home(ReportIndex.hash(bytes: id, seed: ReportIndex.seed), slots.count - 1)
        slots.withUnsafeBufferPointer { truce_prefetch($0.baseAddress! + k) }
    }

    /// Adds `index` under `id`, which must not be present yet.
    mutating func insert(_ id: String, index: Int32) {
        if (count + 1) * 2 > slots.count { grow() }
        place((ReportIndex.hash(id) & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(index) + 1))
        count += 1
    }

    /// Where a probe for hash `h` starts.
    @inline(__always)
    private static func home(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h >> 32) & mask }

    private mutating func place(_ v: UInt64) {
        let mask = slots.count - 1
        var k = ReportIndex.home(v, mask)
        slots.withUnsafeMutableBufferPointer { s in
            while s[k] != 0 { k = (k + 1) & mask }
            s[k] = v
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: max(16, old.count * 2))
        for v in old where v != 0 { place(v) }
    }

    /// Seeded by the standard library's per-process random hashing seed.
    static let seed: UInt64 = {
        var h = Hasher()
        h.combine(0x7472_7563_65 as UInt64)  // "truce"
        return UInt64(bitPattern: Int64(h.finalize())) | 1
    }()

    @inline(__always)
    static func hash(_ id: String, seed: UInt64 = ReportIndex.seed) -> UInt64 {
        withBytes(of: id) { hash(bytes: $0, seed: seed) }
    }

    /// A few multiplies over the bytes, 8 at a time.
    @inline(__always)
    static func hash(bytes u: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(u.count) &* 0x9E37_79B9_7F4A_7C15)
        var i = 0
        let n = u.count
        guard let p = u.baseAddress else { return mix(h) }
        while i + 8 <= n {
            h = mix(h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ w)
        }
        return mix(h)
    }

    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        // A multiply then fold the high half down (as in wyhash's mum).
        let m = x.multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return m.high ^ m.low
    }
}

/// Whether two ids are the same bytes. Report ids match exactly (spec §6):
/// `==` on strings would take `é` and `e` + a combining acute for one id.
@inline(__always)
func sameID(_ a: String, _ b: String) -> Bool {
    withBytes(of: a) { x in withBytes(of: b) { y in sameBytes(x, y) } }
}

@inline(__always)
func sameBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    guard x.count == y.count else { return false }
    var i = 0
    while i < x.count {
        if x[i] != y[i] { return false }
        i += 1
    }
    return true
}
