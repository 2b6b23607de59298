/// What a timer does when it fires. The raw value is the R11 order within one
/// incident at one instant: the tier-1 deadline and tier-3 escalation before a
/// reminder.
enum TimerKind: UInt8 {
    case tier1Deadline = 0
    case tier3 = 1
    case reminder = 2
}

struct Timer {
    var due: Int64
    var incident: Int32
    var kind: TimerKind
    var generation: UInt32

    /// R11: by time, then incident id, then kind.
    @inline(__always)
    static func precedes(_ a: Timer, _ b: Timer) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.incident != b.incident { return a.incident < b.incident }
        return a.kind.rawValue < b.kind.rawValue
    }
}

/// A binary min-heap of timers. Cancelled timers stay queued and are skipped
/// when they come up (their generation no longer matches the incident's).
struct TimerQueue {
    private var heap: [Timer] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var peek: Timer? { heap.first }
    /// Every queued timer, in no particular order.
    var all: [Timer] { heap }

    /// Queues a timer. One due after the last instant RFC 3339 can write
    /// (9999-12-31T23:59:59Z) never fires: no event could carry its time.
    mutating func push(_ t: Timer) {
        guard t.due <= RFC3339.latest.seconds else { return }
        heap.append(t)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Timer.precedes(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Timer? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            let n = heap.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && Timer.precedes(heap[l], heap[m]) { m = l }
                if r < n && Timer.precedes(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
