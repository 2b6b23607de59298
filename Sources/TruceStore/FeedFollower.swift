#if canImport(Glibc)
import Glibc
#endif

/// Follows a growing JSON Lines file like `tail -F`: reads complete lines as
/// they are appended, keeps a partial last line until its newline arrives,
/// starts over when the file is truncated, and on rotation finishes the old
/// file before moving to the new one at the same path. Where it has read to
/// is a `Journal.FeedPosition`, stored with each appended record.
public final class FeedFollower {
    public let path: String
    public static let maxLineBytes = 16 << 20

    private var fd: Int32 = -1
    public private(set) var position: Journal.FeedPosition
    private var pending: [UInt8] = []
    /// While a line is longer than `maxLineBytes`: its length so far (its bytes are dropped).
    private var skipped: Int?
    /// Why the file cannot be read now (`missing`, `Permission denied`, …); nil while it can.
    public private(set) var problem: String?

    /// A complete line, or one that cannot be a record (consumed and reported).
    public enum Line: Equatable {
        case text(String, number: Int)
        case rejected(String, number: Int)
    }

    /// Starts at `resume` when it names the same file (device and inode) and
    /// the file is at least that long; otherwise at the beginning.
    public init(path: String, resume: Journal.FeedPosition?) {
        self.path = path
        position = Journal.FeedPosition(path: path, device: 0, inode: 0, offset: 0, line: 0)
        if let r = resume { position = r }
        openCurrent(resumeFrom: resume)
    }

    deinit { if fd >= 0 { close(fd) } }

    private func identity(_ st: stat) -> (UInt64, UInt64) { (UInt64(st.st_dev), UInt64(st.st_ino)) }

    private func openCurrent(resumeFrom resume: Journal.FeedPosition?) {
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else {  // not there yet (or not ours to read): try again at the next poll
            problem = errno == ENOENT ? "missing" : String(cString: strerror(errno))
            return
        }
        problem = nil
        var st = stat()
        fstat(f, &st)
        let (dev, ino) = identity(st)
        fd = f
        pending = []
        skipped = nil
        if let r = resume, r.device == dev, r.inode == ino, Int64(st.st_size) >= r.offset {
            position = r
        } else {
            position = Journal.FeedPosition(path: path, device: dev, inode: ino, offset: 0, line: 0)
        }
        lseek(fd, off_t(position.offset), SEEK_SET)
    }

    /// Reads what was appended since the last poll, at most `limit` lines
    /// (so a long backlog does not hold up the caller: a console must keep
    /// answering keys). `handle` gets each complete line with the position
    /// just after it. Returns true when it stopped at the limit with more to read.
    @discardableResult
    public func poll(limit: Int = .max, _ handle: (Line, Journal.FeedPosition) throws -> Void) rethrows -> Bool {
        if fd < 0 { openCurrent(resumeFrom: nil) }
        guard fd >= 0 else { return false }
        var st = stat()
        fstat(fd, &st)
        // Truncated in place: start over from the beginning.
        if Int64(st.st_size) < position.offset + Int64(skipped ?? pending.count) {
            position.offset = 0
            position.line = 0
            pending = []
            skipped = nil
            lseek(fd, 0, SEEK_SET)
        }
        var budget = limit
        if try drain(&budget, handle) { return true }
        // Rotated: the path now names another file. The old one is finished; follow the new one.
        var now = stat()
        if stat(path, &now) == 0 {
            let (dev, ino) = identity(now)
            if dev != position.device || ino != position.inode {
                close(fd)
                fd = -1
                openCurrent(resumeFrom: nil)
                if fd >= 0 { return try drain(&budget, handle) }
            }
        }
        return false
    }

    /// Handles lines until the file ends or `budget` runs out (then the file
    /// offset is put back to the next line, and it returns true).
    private func drain(_ budget: inout Int, _ handle: (Line, Journal.FeedPosition) throws -> Void) rethrows -> Bool {
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            var start = 0
            for i in 0..<n where buf[i] == 0x0A {
                let chunk = buf[start..<i]
                position.line += 1
                let line: Line
                if skipped == nil && pending.count + chunk.count > FeedFollower.maxLineBytes {
                    skipped = pending.count  // too long even though it ends in this read
                    pending = []
                }
                if let s = skipped {
                    position.offset += Int64(s + chunk.count + 1)
                    line = .rejected("line is too long (\(s + chunk.count) bytes; the limit is \(FeedFollower.maxLineBytes))",
                                     number: position.line)
                } else {
                    var bytes = pending
                    bytes.append(contentsOf: chunk)
                    position.offset += Int64(bytes.count + 1)
                    if bytes.last == 0x0D { bytes.removeLast() }
                    if let text = String(validating: bytes, as: UTF8.self) {
                        line = .text(text, number: position.line)
                    } else {
                        line = .rejected("not valid UTF-8", number: position.line)
                    }
                }
                pending = []
                skipped = nil
                try handle(line, position)
                start = i + 1
                budget -= 1
                if budget <= 0 {
                    lseek(fd, off_t(position.offset), SEEK_SET)  // the rest of this read is read again next time
                    return true
                }
            }
            if let s = skipped {
                skipped = s + (n - start)
            } else {
                pending.append(contentsOf: buf[start..<n])
                if pending.count > FeedFollower.maxLineBytes {
                    skipped = pending.count
                    pending = []
                }
            }
        }
    }
}
