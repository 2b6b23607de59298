/// Splits a whole text file into lines the way every truce reader counts
/// them: a UTF-8 byte-order mark at the start is dropped, and a line ends at
/// `\n` or `\r\n` (Swift treats `\r\n` as one character, so splitting on
/// `"\n"` alone leaves a Windows file as one long line).
public enum TextLines {
    public static func split(_ text: String) -> [Substring] {
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        return body.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            line.last == "\r" ? line.dropLast() : line
        }
    }
}
