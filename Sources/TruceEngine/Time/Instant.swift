/// A moment in time, in whole seconds since 1970-01-01T00:00:00Z (UTC).
///
/// The engine never reads a clock of its own: every instant it sees is handed
/// to it, so replays, demos and tests drive time exactly.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64

    @inlinable public init(seconds: Int64) { self.seconds = seconds }

    @inlinable public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }
    @inlinable public static func + (a: Instant, d: Int64) -> Instant { Instant(seconds: a.seconds + d) }
    @inlinable public static func - (a: Instant, d: Int64) -> Instant { Instant(seconds: a.seconds - d) }
    @inlinable public static func - (a: Instant, b: Instant) -> Int64 { a.seconds - b.seconds }

    /// RFC 3339 in UTC with a `Z` and whole seconds: `2026-02-10T04:12:00Z`.
    public var description: String { RFC3339.format(self) }
}

/// A point in time as written in a record or on the command line: absolute
/// (RFC 3339) or relative to the scenario's `start` (`+1d2h`).
public enum TimeSpec: Hashable, Sendable {
    case absolute(Instant)
    case relative(Int64)

    /// Parses `2026-02-10T04:12:00Z`, `2026-02-10T06:12:00+02:00` or `+1d2h30m`.
    public static func parse(_ text: String) -> Result<TimeSpec, TimeError> {
        var utf8 = Array(text.utf8)
        return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<TimeSpec, TimeError> {
        if bytes.first == UInt8(ascii: "+") {
            switch DurationText.parse(UnsafeBufferPointer(rebasing: bytes[1...])) {
            case .success(let d): return .success(.relative(d))
            case .failure(let e): return .failure(e)
            }
        }
        switch RFC3339.parse(bytes) {
        case .success(let i): return .success(.absolute(i))
        case .failure(let e): return .failure(e)
        }
    }

    /// The instant this names, given the scenario start (nil when there is none).
    public func resolve(start: Instant?) -> Instant? {
        switch self {
        case .absolute(let i): return i
        case .relative(let d): return start.map { $0 + d }
        }
    }
}

/// Why a time or duration could not be read. The text is meant for people.
public struct TimeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
