import Testing
import TruceEngine

@Suite("Times and durations")
struct TimeTests {
    @Test(arguments: [
        ("2026-02-10T04:12:00Z", "2026-02-10T04:12:00Z"),
        ("2026-02-10t04:12:00z", "2026-02-10T04:12:00Z"),
        ("2026-02-10T06:12:00+02:00", "2026-02-10T04:12:00Z"),
        ("2026-02-10T00:30:00-01:30", "2026-02-10T02:00:00Z"),
        ("2026-02-10T04:12:00.999999Z", "2026-02-10T04:12:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"),
        ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func rfc3339RoundTrips(text: String, utc: String) throws {
        #expect(RFC3339.format(try RFC3339.parse(text).get()) == utc)
    }

    @Test(arguments: [
        ("2026-02-10 04:12:00Z", "not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
        ("2026-02-10T04:12:00", "not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
        ("2026-02-10T04:12Z", "not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
        ("2026-02-10T04:12:00.Z", "not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
        ("2026-13-10T04:12:00Z", "month 13 is out of range"),
        ("2025-02-29T04:12:00Z", "day 29 does not exist in 2025-02"),
        ("1900-02-29T04:12:00Z", "day 29 does not exist in 1900-02"),
        ("2026-04-31T04:12:00Z", "day 31 does not exist in 2026-04"),
        ("2026-02-10T24:00:00Z", "hour 24 is out of range"),
        ("2026-02-10T23:60:00Z", "minute 60 is out of range"),
        ("2026-12-31T23:59:60Z", "leap seconds are not supported"),
        ("2026-02-10T04:12:00+24:00", "UTC offset is out of range"),
        ("2026-02-10T04:12:00+0200", "not an RFC 3339 time (expected like 2026-02-10T04:12:00Z)"),
    ])
    func rfc3339Rejections(text: String, message: String) {
        #expect(RFC3339.parse(text) == .failure(TimeError(message)))
    }

    /// `…Z` is read by a fast path, `…+00:00` by the general parser: the two
    /// agree on every month and day around the edges of four kinds of year,
    /// on out-of-range times, and on a non-digit in each digit's place.
    @Test func theFastPathAgreesWithTheGeneralParser() {
        func both(_ text: String) {
            let general = RFC3339.parse(String(text.dropLast()) + "+00:00")
            #expect(RFC3339.parse(text) == general, "\(text)")
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for year in ["0000", "1900", "1969", "2000", "2024", "2025", "9999"] {
            for month in 0...13 {
                for day in [0, 1, 27, 28, 29, 30, 31, 32] { both("\(year)-\(two(month))-\(two(day))T12:00:00Z") }
            }
        }
        for (h, m, s) in [(0, 0, 0), (23, 59, 59), (24, 0, 0), (0, 60, 0), (0, 0, 60), (99, 99, 99)] {
            both("2026-02-10T\(two(h)):\(two(m)):\(two(s))Z")
        }
        let good = Array("2026-02-10T04:12:00Z".utf8)
        for k in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
            for bad: UInt8 in [0x2F, 0x3A, 0x20, 0x41, 0xFF] {
                var b = good
                b[k] = bad
                both(String(decoding: b, as: UTF8.self))
            }
        }
    }

    @Test(arguments: [
        ("90s", 90), ("15m", 900), ("24h", 86_400), ("1d2h30m", 95_400), ("1d1s", 86_401), ("0s", 0), ("72h", 259_200),
    ] as [(String, Int64)])
    func durations(text: String, seconds: Int64) {
        #expect(DurationText.parse(text) == .success(seconds))
    }

    @Test(arguments: ["", "h", "1", "1x", "1h1d", "1h1h", "-1h", "1.5h", " 1h", "1H"])
    func badDurations(text: String) {
        #expect((try? DurationText.parse(text).get()) == nil)
    }

    @Test func relativeTimesResolveAgainstTheStart() throws {
        let start = try RFC3339.parse("2026-02-10T00:00:00Z").get()
        #expect(TimeSpec.parse("+1d2h").map { $0.resolve(start: start) } == .success(start + 93_600))
        #expect(try TimeSpec.parse("+1h").get().resolve(start: nil) == nil)
        #expect((try? TimeSpec.parse("+").get()) == nil)
    }

    @Test func offsetsAsTheTimelineShowsThem() {
        #expect(DurationText.offset(0) == "+0h00m")
        #expect(DurationText.offset(36_000) == "+10h00m")
        #expect(DurationText.offset(259_200) == "+72h00m")
        #expect(DurationText.offset(86_399) == "+23h59m59s")
        #expect(DurationText.offset(-90) == "-0h01m30s")
        #expect(DurationText.format(95_400) == "1d2h30m")
    }
}
