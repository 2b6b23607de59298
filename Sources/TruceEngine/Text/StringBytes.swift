/// `body` on the UTF-8 bytes of `s`, borrowed where the string keeps them
/// (every native Swift string: small ones are spilled to the stack).
/// `String.withUTF8` is mutating, so calling it on a value means copying the
/// string first (retained, then released): on the hot paths of a replay that
/// is millions of pairs.
@inline(__always)
func withBytes<R>(of s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = s
    return copy.withUTF8(body)
}
