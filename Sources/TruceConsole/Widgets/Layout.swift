/// Where each pane goes for a terminal size. One screen at 120×40, a compact
/// arrangement down to 80×24, and below that only a "too small" message.
public struct BoardLayout: Equatable, Sendable {
    public static let minWidth = 80
    public static let minHeight = 24

    public var header: Rect
    public var incidents: Rect
    public var detail: Rect
    public var roster: Rect
    public var pending: Rect
    public var ticker: Rect
    public var caption: Rect
    public var footer: Rect
    /// Full columns in the incidents pane (age, reports) fit.
    public var wide: Bool

    /// nil when the terminal is too small.
    public init?(width w: Int, height h: Int) {
        guard w >= BoardLayout.minWidth, h >= BoardLayout.minHeight else { return nil }
        header = Rect(0, 0, w, 1)
        footer = Rect(0, h - 1, w, 1)
        caption = Rect(0, h - 2, w, 1)
        // A tall terminal gives the events pane more lines.
        let tickerHeight = h >= 56 ? 14 : h >= 46 ? 11 : h >= 36 ? 8 : h >= 30 ? 6 : 4
        ticker = Rect(0, h - 2 - tickerHeight, w, tickerHeight)
        let bodyTop = 1
        let bodyHeight = ticker.y - bodyTop
        if w >= 180 {
            // A wide terminal: the incidents and the detail stop at 110 columns (more
            // would only pad the sector), and the roster and pending panes stand side
            // by side in the rest, the roster wide enough for every tier's full name.
            let rosterWidth = 54
            let leftWidth = min(110, w - rosterWidth - 30)
            let right = w - leftWidth
            let incidentsHeight = max(6, bodyHeight * 45 / 100)
            incidents = Rect(0, bodyTop, leftWidth, incidentsHeight)
            detail = Rect(0, bodyTop + incidentsHeight, leftWidth, bodyHeight - incidentsHeight)
            roster = Rect(leftWidth, bodyTop, rosterWidth, bodyHeight)
            pending = Rect(leftWidth + rosterWidth, bodyTop, right - rosterWidth, bodyHeight)
            wide = true
            return
        }
        let rightWidth = w >= 120 ? 44 : w >= 100 ? 38 : 30
        let leftWidth = w - rightWidth
        let incidentsHeight = max(6, bodyHeight * 45 / 100)
        incidents = Rect(0, bodyTop, leftWidth, incidentsHeight)
        detail = Rect(0, bodyTop + incidentsHeight, leftWidth, bodyHeight - incidentsHeight)
        let rosterHeight = max(6, bodyHeight * 60 / 100)
        roster = Rect(leftWidth, bodyTop, rightWidth, rosterHeight)
        pending = Rect(leftWidth, bodyTop + rosterHeight, rightWidth, bodyHeight - rosterHeight)
        wide = leftWidth - 2 >= 70
    }
}
