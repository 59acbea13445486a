import Foundation
import SafeFiles

/// Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header
/// of name -> dtype/shape/data_offsets, then raw little-endian data). Only F32 tensors are
/// supported. Every length and offset is checked against the real file size before anything is
/// allocated, so a corrupt file gives an error, never a crash or a huge allocation.
public enum Safetensors {
    /// Headers larger than this are rejected (real ones are a few kB; the reference
    /// implementation uses the same 100 MB bound).
    public static let maximumHeaderBytes = 100_000_000

    public static func read(_ url: URL) throws -> [String: Tensor] {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw NeuralKitError.invalidWeightsFile("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try decode(data, source: url.lastPathComponent)
    }

    public static func decode(_ data: Data, source: String = "data") throws -> [String: Tensor] {
        func fail(_ m: String) -> NeuralKitError { .invalidWeightsFile("\(source): \(m)") }
        guard data.count >= 8 else { throw fail("file is \(data.count) bytes, shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for i in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(data[data.startIndex + i]) }
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw fail("header length \(headerLength) is absurd (limit \(maximumHeaderBytes))")
        }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header length \(headerLength) exceeds the file (\(data.count) bytes): truncated file?")
        }
        let headerEnd = 8 + Int(headerLength)
        let header = data.subdata(in: data.startIndex + 8..<data.startIndex + headerEnd)
        guard let json = try? JSONSerialization.jsonObject(with: header), let entries = json as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let payload = data.count - headerEnd
        var ranges: [(Int, Int, String)] = []
        var result: [String: Tensor] = [:]
        for (name, value) in entries where name != "__metadata__" {
            guard let info = value as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let dtype = info["dtype"] as? String else { throw fail("'\(name)' has no dtype") }
            guard dtype == "F32" else { throw fail("'\(name)' has dtype \(dtype); only F32 is supported") }
            guard let shapeAny = info["shape"] as? [Any] else { throw fail("'\(name)' has no shape") }
            var shape: [Int] = []
            var elements = 1
            for d in shapeAny {
                guard let dim = exactInt(d), dim >= 0, dim <= payload else { throw fail("'\(name)' has an invalid shape \(shapeAny)") }
                shape.append(dim)
                let (m, overflow) = elements.multipliedReportingOverflow(by: dim)
                guard !overflow, m <= payload else { throw fail("'\(name)' shape \(shape) is larger than the file") }
                elements = m
            }
            guard let offs = info["data_offsets"] as? [Any], offs.count == 2,
                  let begin = exactInt(offs[0]), let end = exactInt(offs[1]),
                  begin >= 0, begin <= end, end <= payload else {
                throw fail("'\(name)' has data offsets outside the file's \(payload) data bytes: truncated file?")
            }
            guard end - begin == elements * 4 else {
                throw fail("'\(name)' is \(shape) F32 (\(elements * 4) bytes) but its data is \(end - begin) bytes")
            }
            ranges.append((begin, end, name))
            var scalars = [Float](repeating: 0, count: elements)
            scalars.withUnsafeMutableBytes { dst in
                _ = data.copyBytes(to: dst, from: data.startIndex + headerEnd + begin..<data.startIndex + headerEnd + end)
            }
            #if _endian(big)
            scalars = scalars.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
            #endif
            result[name] = try Tensor(shape: shape, scalars: scalars)
        }
        ranges.sort { ($0.0, $0.1) < ($1.0, $1.1) }  // empty tensors first at a shared offset
        for i in ranges.indices.dropFirst() where ranges[i].0 < ranges[i - 1].1 {
            throw fail("'\(ranges[i].2)' overlaps '\(ranges[i - 1].2)'")
        }
        return result
    }

    private static func exactInt(_ v: Any) -> Int? {
        if let n = v as? Int { return n }
        if let n = v as? NSNumber {
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9e15 else { return nil }
            return Int(d)
        }
        return nil
    }

    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])
            parts.append("\"__metadata__\":" + String(decoding: m, as: UTF8.self))
        }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let bytes = t.count * 4
            let key = try JSONSerialization.data(withJSONObject: [name], options: [])
            let quoted = String(decoding: key, as: UTF8.self).dropFirst().dropLast()
            parts.append("\(quoted):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (header.utf8.count % 8) != 0 { header += " " }
        var out = Data()
        var len = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array(header.utf8))
        for name in names {
            tensors[name]!.scalars.withUnsafeBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Writes atomically (`SafeFiles.AtomicFile`): readers see the old file or the new one.
    public static func write(_ tensors: [String: Tensor], to url: URL, metadata: [String: String] = [:]) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try AtomicFile.write(data, to: url)
        } catch {
            throw NeuralKitError.invalidWeightsFile("cannot write \(url.path): \(error.reason)")
        }
    }
}

extension Sequential {
    /// Saves every parameter under its name (e.g. "conv2d/kernel"), atomically.
    public func saveWeights(to url: URL) throws {
        try Safetensors.write(parameters, to: url, metadata: ["format": "tribelens-neuralkit"])
    }

    /// Loads parameters by name. Every parameter of the network must be present with the right shape;
    /// with `allowExtra` false, tensors the network does not have are an error too.
    public mutating func loadWeights(from url: URL, allowExtra: Bool = false) throws {
        try loadWeights(try Safetensors.read(url), source: url.lastPathComponent, allowExtra: allowExtra)
    }

    public mutating func loadWeights(_ tensors: [String: Tensor], source: String = "weights", allowExtra: Bool = false) throws {
        let missing = parameterNames.filter { tensors[$0] == nil }
        guard missing.isEmpty else {
            throw NeuralKitError.invalidWeightsFile("\(source) lacks \(missing.count) parameter(s): \(missing.prefix(3).joined(separator: ", "))")
        }
        if !allowExtra {
            let extra = tensors.keys.filter { parameters[$0] == nil }.sorted()
            guard extra.isEmpty else {
                throw NeuralKitError.invalidWeightsFile("\(source) has tensor(s) this network lacks: \(extra.prefix(3).joined(separator: ", "))")
            }
        }
        var updated = self
        for name in parameterNames {
            // A NaN or infinity loads fine but poisons every output (and JSON cannot carry it).
            if let bad = tensors[name]!.scalars.firstIndex(where: { !$0.isFinite }) {
                let value = tensors[name]!.scalars[bad]
                throw NeuralKitError.invalidWeightsFile("\(source): tensor '\(name)' holds "
                    + "\(value.isNaN ? "NaN" : value < 0 ? "-infinity" : "infinity") at element \(bad); weights must be finite numbers")
            }
            do { try updated.setParameter(name, tensors[name]!) } catch let e as NeuralKitError {
                throw NeuralKitError.invalidWeightsFile("\(source): \(e.description)")
            }
        }
        self = updated
    }
}
