#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor as lines, in large chunks, without copying each
/// line. Lines are numbered from 1; `\n` ends a line and a final line without
/// one is delivered at end of input. A UTF-8 byte order mark at the very start
/// is skipped. A line longer than `maxLineBytes` is consumed and reported as
/// `.tooLong` instead of being held in memory.
public final class LineReader {
    public enum Line {
        case bytes(UnsafeBufferPointer<UInt8>)
        case tooLong(Int)
    }

    public static let defaultMaxLineBytes = 16 << 20

    private let fd: Int32
    private let ownsFD: Bool
    private let maxLineBytes: Int
    /// The size of the file when it is a regular file (not a pipe): a caller
    /// may size its tables from it.
    public private(set) var regularFileSize: Int?
    /// Called before every read from the file, when the lines read so far
    /// have all been handed over: a batching caller commits there, so no
    /// line waits uncommitted while the input is quiet.
    public var beforeRead: () -> Void = {}
    /// Asked when a read is interrupted by a signal: true ends the input there.
    public var interrupted: () -> Bool = { false }

    /// Reads standard input.
    public init(fd: Int32 = 0, maxLineBytes: Int = LineReader.defaultMaxLineBytes) {
        self.fd = fd
        self.ownsFD = false
        self.maxLineBytes = maxLineBytes
    }

    /// Opens a file for reading; `-` means standard input.
    public init(path: String, maxLineBytes: Int = LineReader.defaultMaxLineBytes) throws(HeadlessError) {
        self.maxLineBytes = maxLineBytes
        if path == "-" {
            fd = 0
            ownsFD = false
            widenPipe(0)
            return
        }
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { throw HeadlessError("\(path): \(String(cString: strerror(errno)))") }
        var st = stat()
        if fstat(f, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(f)
            throw HeadlessError("\(path): is a directory")
        }
        fd = f
        ownsFD = true
        if (st.st_mode & S_IFMT) == S_IFREG { regularFileSize = Int(st.st_size) }
    }

    deinit { if ownsFD { close(fd) } }

    /// Calls `body` for each line with its number; `body` returns false to stop.
    public func forEachLine(_ body: (Line, Int) -> Bool) throws(HeadlessError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0  // bytes in buffer
        var lineNo = 0
        var first = true
        var skipping = false  // inside an over-long line
        var skipped = 0
        var eof = false
        while !eof {
            if filled == buffer.count {
                if buffer.count < maxLineBytes {
                    buffer.append(contentsOf: repeatElement(0, count: min(buffer.count, maxLineBytes - buffer.count)))
                } else {
                    // Over-long line: drop what we hold and skip to its end.
                    skipping = true
                    skipped += filled
                    filled = 0
                }
            }
            beforeRead()
            let n = buffer.withUnsafeMutableBytes { p in
                read(fd, p.baseAddress! + filled, p.count - filled)
            }
            if n < 0 {
                if errno == EINTR {
                    if interrupted() { return }
                    continue
                }
                throw HeadlessError("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { eof = true } else { filled += n }
            var stop = false
            let consumed = buffer.withUnsafeBufferPointer { p -> Int in
                var lineStart = 0
                if first && filled >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
                    lineStart = 3
                }
                if filled >= 3 || eof { first = false }
                var i = lineStart
                while i < filled {
                    guard let nl = memchr(p.baseAddress! + i, 0x0A, filled - i) else { break }
                    let end = p.baseAddress!.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    lineNo += 1
                    let line: Line = skipping
                        ? .tooLong(skipped + end - lineStart)
                        : .bytes(UnsafeBufferPointer(rebasing: p[lineStart..<end]))
                    skipping = false
                    skipped = 0
                    if !body(line, lineNo) { stop = true; return end + 1 }
                    lineStart = end + 1
                    i = lineStart
                }
                if eof && lineStart < filled {
                    lineNo += 1
                    let line: Line = skipping
                        ? .tooLong(skipped + filled - lineStart)
                        : .bytes(UnsafeBufferPointer(rebasing: p[lineStart..<filled]))
                    if !body(line, lineNo) { stop = true }
                    return filled
                } else if eof && skipping {
                    lineNo += 1
                    if !body(.tooLong(skipped), lineNo) { stop = true }
                    return filled
                }
                return lineStart
            }
            if stop { return }
            if consumed > 0 {
                let rest = filled - consumed
                if rest > 0 {
                    buffer.withUnsafeMutableBytes { p in
                        _ = memmove(p.baseAddress!, p.baseAddress! + consumed, rest)
                    }
                }
                filled = rest
            }
        }
    }
}

/// Asks for a 1 MiB pipe buffer when `fd` is a pipe (Linux), so a producer and
/// truce on two cores hand over large chunks instead of switching every 64 KiB.
/// Harmless when refused.
func widenPipe(_ fd: Int32) {
    #if os(Linux)
    var st = stat()
    if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO {
        _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, 1 << 20)
    }
    #endif
}

/// A problem outside the records themselves: a missing file, a bad option.
public struct HeadlessError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
