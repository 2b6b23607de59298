/// Turns the bytes a terminal sends into keys, whatever they are.
///
/// The ncurses backend reads bytes (`wgetch`, with keypad decoding of the
/// terminfo keys it knows) and hands everything else here: UTF-8 is
/// assembled strictly (an invalid byte is dropped and decoding starts again
/// at the next one, so it can never swallow the keys after it), escape
/// sequences nobody asked for are read to their final byte and dropped
/// rather than taken as keys (`ESC [ 1 ; 5 R` must not become `R`), and a
/// bracketed paste becomes one `.paste` key. It holds at most a few bytes
/// of state and a bounded paste, so no input can wedge it.
public struct KeyDecoder: Sendable {
    /// Longest paste kept; the rest of a longer paste is dropped.
    public static let maxPaste = 64 * 1024
    /// Longest escape sequence read before it is dropped as garbage.
    static let maxSequence = 64

    private enum State: Sendable, Equatable {
        case ground
        /// After ESC: a sequence, an Alt chord, or Escape itself (on a pause).
        case escape
        /// Inside `ESC [` or `ESC O`: parameters until a final byte.
        case sequence(introducer: UInt8)
        /// Inside `ESC ]`, `ESC P`, `ESC _`, `ESC ^`: a string until BEL or ST.
        case string(sawEscape: Bool)
        /// A UTF-8 character with `need` continuation bytes still to come.
        case utf8(need: Int)
    }

    private var state = State.ground
    private var bytes: [UInt8] = []
    private var pasting = false
    private var paste: [UInt8] = []
    private var pasteTail: [UInt8] = []

    public init() {}

    /// Whether a key may still be completed by more bytes (the caller waits
    /// briefly for them, then calls `flush`).
    public var isPending: Bool { state != .ground || pasting }
    /// Inside a bracketed paste (the caller waits longer before `flush`).
    public var isPasting: Bool { pasting }

    /// Feeds one byte; returns the keys it completes.
    public mutating func feed(_ b: UInt8) -> [Key] {
        if pasting { return feedPaste(b) }
        switch state {
        case .ground:
            return ground(b)
        case .escape:
            switch b {
            case 0x5B, 0x4F:  // '[' 'O'
                state = .sequence(introducer: b)
                bytes = [b]
                return []
            case 0x5D, 0x50, 0x5F, 0x5E:  // ']' 'P' '_' '^': OSC, DCS, APC, PM
                state = .string(sawEscape: false)
                bytes = []
                return []
            case 0x1B:
                // ESC ESC: the first was Escape pressed on its own.
                return [.escape]
            default:
                // An Alt chord (ESC then a key): never the key itself.
                state = .ground
                if b >= 0xC0 { state = .utf8(need: b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1); bytes = [b] }
                return []
            }
        case .sequence(let intro):
            bytes.append(b)
            if b >= 0x40 && b <= 0x7E && bytes.count > 1 {
                state = .ground
                let seq = bytes
                bytes = []
                return sequence(intro, seq)
            }
            if b < 0x20 || b > 0x7E || bytes.count > KeyDecoder.maxSequence {
                // Not a sequence after all: drop it, and read this byte afresh.
                state = .ground
                bytes = []
                return b == 0x1B ? ground(b) : []
            }
            return []
        case .string(let sawEscape):
            if b == 0x07 || (sawEscape && b == 0x5C) { state = .ground; bytes = []; return [] }
            bytes.append(b)
            if bytes.count > KeyDecoder.maxPaste { state = .ground; bytes = []; return [] }
            state = .string(sawEscape: b == 0x1B)
            return []
        case .utf8(let need):
            guard b & 0xC0 == 0x80 else {
                // Invalid: drop what was gathered and read this byte afresh.
                state = .ground
                bytes = []
                return ground(b)
            }
            bytes.append(b)
            if need > 1 { state = .utf8(need: need - 1); return [] }
            state = .ground
            let seq = bytes
            bytes = []
            guard let s = String(validating: seq, as: UTF8.self), let ch = s.first, s.count == 1 else { return [] }
            return [.char(ch)]
        }
    }

    /// The input went quiet: a lone ESC was the Escape key; anything else
    /// half read is dropped; a paste whose end marker never came ends here
    /// (so the keys after it are keys again).
    public mutating func flush() -> [Key] {
        if pasting {
            pasting = false
            pasteTail = []
            let text = String(decoding: paste.prefix(KeyDecoder.maxPaste), as: UTF8.self)
            paste = []
            return [.paste(text)]
        }
        defer { state = .ground; bytes = [] }
        return state == .escape ? [.escape] : []
    }

    private mutating func ground(_ b: UInt8) -> [Key] {
        switch b {
        case 0x1B: state = .escape; return []
        case 0x09: return [.tab]
        case 0x0A, 0x0D: return [.enter]
        case 0x08, 0x7F: return [.backspace]
        case 0x01...0x1A: return [.ctrl(Character(Unicode.Scalar(b + 0x60)))]
        case 0x00, 0x1C...0x1F: return []
        case 0x20...0x7E: return [.char(Character(Unicode.Scalar(b)))]
        case 0xC2...0xDF: state = .utf8(need: 1); bytes = [b]; return []
        case 0xE0...0xEF: state = .utf8(need: 2); bytes = [b]; return []
        case 0xF0...0xF4: state = .utf8(need: 3); bytes = [b]; return []
        default: return []  // a stray continuation byte, C0/C1 junk, 0xF5…0xFF: never a key
        }
    }

    /// A complete `ESC [ …` or `ESC O …` sequence.
    private mutating func sequence(_ intro: UInt8, _ seq: [UInt8]) -> [Key] {
        let body = String(decoding: seq.dropFirst(), as: UTF8.self)
        if intro == 0x4F {  // SS3
            switch body {
            case "A": return [.up]
            case "B": return [.down]
            case "C": return [.right]
            case "D": return [.left]
            case "H": return [.home]
            case "F": return [.end]
            case "M": return [.enter]
            default: return []
            }
        }
        switch body {
        case "A": return [.up]
        case "B": return [.down]
        case "C": return [.right]
        case "D": return [.left]
        case "H", "1~", "7~": return [.home]
        case "F", "4~", "8~": return [.end]
        case "5~": return [.pageUp]
        case "6~": return [.pageDown]
        case "3~": return [.delete]
        case "Z": return [.backTab]
        case "200~":
            pasting = true
            paste = []
            return []
        default: return []  // modified keys, focus reports, mouse without a handler: dropped
        }
    }

    /// Bytes of a bracketed paste, up to `ESC [ 201 ~`. The first `maxPaste`
    /// bytes are kept; the end marker is watched for in the last six.
    private mutating func feedPaste(_ b: UInt8) -> [Key] {
        let end: [UInt8] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]
        if paste.count < KeyDecoder.maxPaste + end.count { paste.append(b) }
        pasteTail.append(b)
        if pasteTail.count > end.count { pasteTail.removeFirst() }
        guard pasteTail == end else { return [] }
        pasting = false
        pasteTail = []
        if Array(paste.suffix(end.count)) == end { paste.removeLast(end.count) }
        let text = String(decoding: paste.prefix(KeyDecoder.maxPaste), as: UTF8.self)
        paste = []
        return [.paste(text)]
    }
}
