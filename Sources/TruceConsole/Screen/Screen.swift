import TruceEngine

/// What a cell means on screen. Themes map roles to colours and attributes,
/// so widgets never name a colour.
public enum Role: String, CaseIterable, Sendable {
    case text, dim, border, borderFocus = "border-focus", title, header, clock
    /// Counters inside the top bar: unacknowledged alerts, and overdue steps or a feed in trouble.
    case headerWarn = "header-warn", headerAlert = "header-alert"
    case tier1, tier2, tier3, overdue, unacked, acked, closed
    case selection, countdown, dueSoon = "due-soon", ok, warning, danger
    case caption, ticker, keyHint = "key-hint", key, overlay, prompt, error
    /// Not drawn on its own: the subtle background (and any attributes) laid
    /// under a selected row, whose cells keep their own roles' colours.
    case selectedRow = "selected-row"
}

/// One terminal cell: a grapheme cluster (empty for the right half of a wide
/// character), its role, and whether it belongs to the selected row (drawn
/// with the theme's `selected-row` background under the role's colours).
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: Role
    public var selected: Bool
    public init(_ text: String = " ", _ role: Role = .text, selected: Bool = false) {
        self.text = text
        self.role = role
        self.selected = selected
    }
}

/// An in-memory screen: the console, `snapshot` and the render tests draw
/// here; only the terminal backend turns it into escape sequences.
public struct Screen: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Whether box drawing may use Unicode (false when the locale is not UTF-8).
    public var unicode: Bool

    public init(width: Int, height: Int, unicode: Bool = true) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.unicode = unicode
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes text at (x, y), clipped to `maxWidth` columns and the screen.
    /// Text is sanitised; a wide character or cluster takes all its cells and is never split.
    /// Returns the number of columns written.
    @discardableResult
    public mutating func put(_ x: Int, _ y: Int, _ text: String, _ role: Role, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth, width - x)
        var col = 0
        let clean = Sanitizer.clean(text)
        for ch in clean {
            let w = TextWidth.of(ch)
            if w == 0 { continue }  // a lone combining mark: nothing to show
            if col + w > limit { break }
            let cx = x + col
            if cx >= 0 {
                // Without UTF-8 a stand-in takes the first column and spaces the
                // rest, so columns line up as they would in UTF-8.
                let ascii = !unicode && !ch.isASCII
                self[cx, y] = Cell(ascii ? Screen.asciiFallback[ch] ?? "?" : String(ch), role)
                for extra in 1..<max(1, w) where cx + extra < width { self[cx + extra, y] = Cell(ascii ? " " : "", role) }
            }
            col += w
        }
        return col
    }

    /// Text padded or clipped to exactly `width` columns, with an ellipsis when clipped.
    public mutating func field(_ x: Int, _ y: Int, _ text: String, _ role: Role, width w: Int) {
        guard w > 0 else { return }
        let fitted = Screen.fit(text, w, unicode: unicode)
        let n = put(x, y, fitted, role, maxWidth: w)
        if n < w { fill(x + n, y, w - n, 1, role) }
    }

    /// Fills a rectangle with spaces of a role.
    public mutating func fill(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ role: Role) {
        for yy in max(0, y)..<min(height, y + h) {
            for xx in max(0, x)..<min(width, x + w) { self[xx, yy] = Cell(" ", role) }
        }
    }

    /// Marks `w` cells from (x, y) as the selected row. Call it after drawing
    /// the row: writing a cell clears its mark.
    public mutating func markSelected(_ x: Int, _ y: Int, _ w: Int) {
        guard y >= 0, y < height else { return }
        for xx in max(0, x)..<min(width, x + max(0, w)) { cells[y * width + xx].selected = true }
    }

    /// Draws a box border with an optional title in the top edge.
    public mutating func box(_ r: Rect, title: String? = nil, focused: Bool = false) {
        guard r.width >= 2, r.height >= 2 else { return }
        let role: Role = focused ? .borderFocus : .border
        let (h, v, tl, tr, bl, br) = unicode ? ("─", "│", "┌", "┐", "└", "┘") : ("-", "|", "+", "+", "+", "+")
        for xx in r.x + 1..<r.x + r.width - 1 {
            put(xx, r.y, h, role)
            put(xx, r.y + r.height - 1, h, role)
        }
        for yy in r.y + 1..<r.y + r.height - 1 {
            put(r.x, yy, v, role)
            put(r.x + r.width - 1, yy, v, role)
        }
        put(r.x, r.y, tl, role); put(r.x + r.width - 1, r.y, tr, role)
        put(r.x, r.y + r.height - 1, bl, role); put(r.x + r.width - 1, r.y + r.height - 1, br, role)
        if let title, r.width > 6 {
            // A title too long for its box ends in "…", never silently cut.
            put(r.x + 2, r.y, " " + Screen.fit(title, r.width - 6, unicode: unicode) + " ", focused ? .borderFocus : .title,
                maxWidth: r.width - 4)
        }
    }

    /// The screen as plain text, one line per row, trailing spaces removed.
    public var text: String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for y in 0..<height {
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// ASCII stand-ins for the punctuation the board itself uses, when the
    /// locale is not UTF-8. Other text shows as `?`: nothing is transliterated.
    static let asciiFallback: [Character: String] = [
        "·": "-", "—": "-", "–": "-", "…": ".", "×": "x", "▶": ">", "▲": "^", "»": ">",
        "━": "=", "─": "-", "┃": "|", "│": "|", "↑": "^", "↓": "v", "’": "'", "é": "e",
    ]

    /// Clips text to `w` columns, ending with an ellipsis when cut.
    public static func fit(_ text: String, _ w: Int, unicode: Bool = true) -> String {
        let clean = Sanitizer.clean(text)
        guard TextWidth.of(clean) > w else { return clean }
        guard w > 1 else { return w == 1 ? (unicode ? "…" : ".") : "" }
        var out = ""
        var col = 0
        for ch in clean {
            let cw = TextWidth.of(ch)
            if col + cw > w - 1 { break }
            out.append(ch)
            col += cw
        }
        return out + (unicode ? "…" : ".")
    }
}

/// A rectangle on the screen.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(_ x: Int, _ y: Int, _ width: Int, _ height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    /// The area inside a one-cell border.
    public var inner: Rect { Rect(x + 1, y + 1, width - 2, height - 2) }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
}
