import TruceEngine

/// A terminal colour as a theme names it.
public enum ThemeColor: Equatable, Sendable {
    /// The terminal's own default foreground or background.
    case terminalDefault
    /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
    case ansi(Int)
    /// A 256-colour palette index.
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)
}

/// How a role looks: colours and attributes.
public struct Style: Equatable, Sendable {
    public var fg: ThemeColor = .terminalDefault
    public var bg: ThemeColor = .terminalDefault
    public var bold = false
    public var dim = false
    public var underline = false
    public var reverse = false

    public init(fg: ThemeColor = .terminalDefault, bg: ThemeColor = .terminalDefault,
                bold: Bool = false, dim: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim; self.underline = underline; self.reverse = reverse
    }
}

/// A named mapping from UI roles to styles.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [Role: Style]

    public func style(_ role: Role) -> Style { styles[role] ?? Theme.builtIn.styles[role] ?? Style() }

    /// How a cell of `role` looks on the selected row: its own colours, with
    /// the `selected-row` background where the role shows the pane's
    /// background (badges keep theirs), and the `selected-row` attributes added.
    public func selectedStyle(_ role: Role) -> Style {
        var s = style(role)
        let row = style(.selectedRow)
        if !s.reverse && s.bg == style(.text).bg && row.bg != .terminalDefault { s.bg = row.bg }
        s.bold = s.bold || row.bold
        s.underline = s.underline || row.underline
        return s
    }

    /// The built-in default (dark), so no file is ever needed. Theme files
    /// start from it: missing keys keep these values.
    public static let builtIn: Theme = {
        var s: [Role: Style] = [:]
        s[.text] = Style()
        s[.dim] = Style(fg: .ansi(8))
        s[.border] = Style(fg: .ansi(8))
        s[.borderFocus] = Style(fg: .ansi(14), bold: true)
        s[.title] = Style(fg: .ansi(15), bold: true)
        s[.header] = Style(fg: .ansi(15), bg: .ansi(4), bold: true)
        s[.clock] = Style(fg: .ansi(11), bg: .ansi(4), bold: true)
        s[.headerWarn] = Style(fg: .ansi(11), bg: .ansi(4), bold: true)
        s[.headerAlert] = Style(fg: .ansi(15), bg: .ansi(1), bold: true)
        s[.tier1] = Style(fg: .ansi(0), bg: .ansi(6))  // not bold: xterm draws bold black as grey
        s[.tier2] = Style(fg: .ansi(0), bg: .ansi(3))
        s[.tier3] = Style(fg: .ansi(15), bg: .ansi(1), bold: true)
        s[.overdue] = Style(fg: .ansi(9), bold: true)
        s[.unacked] = Style(fg: .ansi(11), bold: true)
        s[.acked] = Style(fg: .ansi(2))
        s[.closed] = Style(fg: .ansi(8))
        s[.selection] = Style(reverse: true)
        s[.selectedRow] = Style(bg: .indexed(233))
        s[.countdown] = Style(fg: .ansi(14))
        s[.dueSoon] = Style(fg: .ansi(11), bold: true, underline: true)
        s[.ok] = Style(fg: .ansi(10))
        s[.warning] = Style(fg: .ansi(11))
        s[.danger] = Style(fg: .ansi(9), bold: true)
        s[.caption] = Style(fg: .ansi(15), bg: .ansi(5))
        s[.ticker] = Style()
        s[.keyHint] = Style(fg: .ansi(7))
        s[.key] = Style(fg: .ansi(14), bold: true)
        s[.overlay] = Style(fg: .ansi(15), bg: .ansi(0))
        s[.prompt] = Style(fg: .ansi(15), bg: .ansi(4))
        s[.error] = Style(fg: .ansi(15), bg: .ansi(1), bold: true)
        return Theme(name: "default", styles: s)
    }()
}

/// A theme file problem: file, line and what is wrong.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public init(file: String, line: Int, message: String) { self.file = file; self.line = line; self.message = message }
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Reads theme files. The format, one setting a line:
///
///     # comment
///     name = "high contrast"
///     tier3 = "bold white on red"
///     selection = "reverse"
///     countdown = "#5fd7ff"
///
/// A value lists attributes (`bold`, `dim`, `underline`, `reverse`), a
/// foreground colour and optionally `on` and a background colour. Colours:
/// `default`, the eight ANSI names and their `bright-` forms, a 256-colour
/// index `0`–`255`, or `#rrggbb`. Keys are UI roles; unknown keys are errors.
public enum ThemeFile {
    public static func parse(_ text: String, file: String, base: Theme = .builtIn) -> Result<Theme, ThemeError> {
        var theme = base
        theme.name = file
        var seen: Set<String> = []
        var lineNo = 0
        for raw in TextLines.split(text) {
            lineNo += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let stripped = trimmed(line)
            if stripped.isEmpty || stripped.hasPrefix("#") { continue }
            func fail(_ m: String) -> Result<Theme, ThemeError> { .failure(ThemeError(file: file, line: lineNo, message: m)) }
            guard let eq = stripped.firstIndex(of: "=") else { return fail("expected `role = \"style\"`") }
            let key = trimmed(String(stripped[..<eq]))
            var value = trimmed(String(stripped[stripped.index(after: eq)...]))
            guard value.hasPrefix("\""), let close = value.dropFirst().firstIndex(of: "\"") else {
                return fail("\(key): the value must be a quoted string")
            }
            let after = trimmed(String(value[value.index(after: close)...]))
            guard after.isEmpty || after.hasPrefix("#") else { return fail("\(key): unexpected text after the value") }
            value = String(value[value.index(after: value.startIndex)..<close])
            guard seen.insert(key).inserted else { return fail("\(key): duplicate key") }
            if key == "name" {
                theme.name = value
                continue
            }
            guard let role = Role(rawValue: key) else {
                return fail("unknown role \"\(key)\" (expected name or one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            switch parseStyle(value) {
            case .success(let s): theme.styles[role] = s
            case .failure(let m): return fail("\(key): \(m.message)")
            }
        }
        return .success(theme)
    }

    struct Problem: Error { var message: String }

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func parseStyle(_ text: String) -> Result<Style, Problem> {
        var style = Style()
        var onBackground = false
        var sawFg = false, sawBg = false
        for word in text.split(separator: " ").map(String.init) {
            switch word {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "underline": style.underline = true
            case "reverse": style.reverse = true
            case "on":
                guard !onBackground else { return .failure(Problem(message: "\"on\" given twice")) }
                onBackground = true
            default:
                guard let c = color(word) else {
                    return .failure(Problem(message: "unknown colour or attribute \"\(word)\""))
                }
                if onBackground {
                    guard !sawBg else { return .failure(Problem(message: "two background colours")) }
                    style.bg = c; sawBg = true
                } else {
                    guard !sawFg else { return .failure(Problem(message: "two foreground colours (use \"on\" before a background)")) }
                    style.fg = c; sawFg = true
                }
            }
        }
        if onBackground && !sawBg { return .failure(Problem(message: "\"on\" needs a background colour")) }
        return .success(style)
    }

    static func color(_ w: String) -> ThemeColor? {
        if w == "default" { return .terminalDefault }
        if let i = names.firstIndex(of: w) { return .ansi(i) }
        if w.hasPrefix("bright-"), let i = names.firstIndex(of: String(w.dropFirst(7))) { return .ansi(i + 8) }
        if let n = Int(w), (0...255).contains(n) { return .indexed(n) }
        if w.hasPrefix("#"), w.count == 7, let v = UInt32(w.dropFirst(), radix: 16) {
            return .rgb(UInt8(v >> 16), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        }
        return nil
    }
}
