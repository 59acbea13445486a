import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests: serves one payload, honours
/// `Range: bytes=N-`, and can misbehave on purpose (cut the connection, ignore ranges).
/// Bounded: it serves at most `maxConnections` and stops with the test.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public enum Behaviour: Sendable {
        case normal
        /// Announce the full length but close after this many body bytes.
        case cutAfter(Int)
        /// Answer every request with 200 and the whole payload.
        case ignoreRange
    }

    public let payload: [UInt8]
    private let lock = NSLock()
    private var behaviour: Behaviour
    public private(set) var requests: [String] = []
    private let listener: Int32
    public let port: UInt16
    private let maxConnections = 32

    public init(payload: [UInt8], behaviour: Behaviour = .normal) throws {
        self.payload = payload
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)/weights.h5")! }

    public func setBehaviour(_ b: Behaviour) { lock.withLock { behaviour = b } }

    public func stop() { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    private func serve() {
        for _ in 0..<maxConnections {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let n = recv(client, &buffer, buffer.count, 0)
            guard n > 0 else { return }
            request += buffer[0..<n]
        }
        let text = String(decoding: request, as: UTF8.self)
        let current = lock.withLock { requests.append(text); return behaviour }
        var start = 0
        if case .ignoreRange = current {} else if let line = text.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("range: bytes=") }) {
            start = Int(line.split(separator: "=")[1].split(separator: "-")[0]) ?? 0
        }
        let body = Array(payload[min(start, payload.count)...])
        let status = start > 0 ? "206 Partial Content" : "200 OK"
        var head = "HTTP/1.1 \(status)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        if start > 0 { head += "Content-Range: bytes \(start)-\(payload.count - 1)/\(payload.count)\r\n" }
        head += "\r\n"
        send(client, head, head.utf8.count, Int32(MSG_NOSIGNAL))
        var toSend = body
        if case .cutAfter(let n) = current { toSend = Array(body.prefix(n)) }
        _ = toSend.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
