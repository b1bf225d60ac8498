import Common
import Foundation

/// The answers of the REST endpoints the tail reads, decoded and turned into lines of
/// the archive's columns (docs/SPEC.md, "The REST tail", has the mapping). Numbers
/// the API sends as strings (prices, quantities, rates, ratios) are copied as they
/// are, so a line equals the archive's when the values do. Anything else than the
/// documented JSON is a `TailRequestFailed` naming the URL.
enum RESTRows {
    /// `GET /fapi/v1/fundingRate`: `[{"symbol", "fundingTime", "fundingRate", "markPrice"}]`.
    struct Settlement: Decodable, Equatable {
        let fundingTime: Millis
        let fundingRate: String

        /// `calc_time,funding_interval_hours,last_funding_rate`: the API gives no
        /// interval; nothing reads it (settlements are taken as they come).
        var line: String { "\(fundingTime),,\(fundingRate)" }
    }

    /// `GET /fapi/v1/aggTrades`: `[{"a", "p", "q", "f", "l", "T", "m"}]`.
    struct AggTrade: Decodable, Equatable {
        let a: Int64
        let p: String
        let q: String
        let f: Int64
        let l: Int64
        let T: Millis
        let m: Bool

        /// `agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker`.
        var line: String { "\(a),\(p),\(q),\(f),\(l),\(T),\(m)" }
    }

    /// `GET /fapi/v1/klines`: arrays `[openTime, "open", "high", "low", "close", "volume",
    /// closeTime, "quoteVolume", count, "takerBuyVolume", "takerBuyQuoteVolume", "ignore"]`.
    struct Kline: Decodable, Equatable {
        let openTime: Millis
        let fields: [String]

        init(from decoder: any Decoder) throws {
            var row = try decoder.unkeyedContainer()
            openTime = try row.decode(Millis.self)
            var fields = [String(openTime)]
            for i in 1..<12 {
                switch i {
                case 6, 8: fields.append(String(try row.decode(Int64.self)))
                default: fields.append(try row.decode(String.self))
                }
            }
            guard row.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: row, debugDescription: "a kline of more than 12 fields")
            }
            self.fields = fields
        }

        /// The archive's 12 klines columns, in order.
        var line: String { fields.joined(separator: ",") }
    }

    /// A row of `/futures/data/openInterestHist`, `topLongShortPositionRatio`,
    /// `globalLongShortAccountRatio` or `takerlongshortRatio` (period 5m): the value the
    /// series use and its `timestamp` (a number or a string of digits).
    struct Statistic: Decodable, Equatable {
        let timestamp: Millis
        let values: [String: String]

        private struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Key.self)
            let key = Key(stringValue: "timestamp")
            if let number = try? object.decode(Millis.self, forKey: key) {
                timestamp = number
            } else if let text = try? object.decode(String.self, forKey: key), let number = Millis(text) {
                timestamp = number
            } else {
                throw DecodingError.dataCorruptedError(forKey: key, in: object, debugDescription: "no timestamp in milliseconds")
            }
            var values: [String: String] = [:]
            for key in object.allKeys where key.stringValue != "timestamp" && key.stringValue != "symbol" {
                if let text = try? object.decode(String.self, forKey: key) { values[key.stringValue] = text }
            }
            self.values = values
        }
    }

    /// Decodes `body`, the answer to `url`, as an array of `T`.
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], url: String) throws -> [T] {
        do {
            return try JSONDecoder().decode([T].self, from: Data(body))
        } catch {
            let start = String(decoding: body.prefix(120), as: UTF8.self)
            throw TailRequestFailed(url: url, reason: "not the JSON this endpoint answers (\(Self.describe(error))): '\(start)'")
        }
    }

    /// Checks that `text`, a number the API sent as a string, is a plain decimal number
    /// (so it is a CSV field and the stages parse it).
    static func checkNumber(_ text: String, _ name: String, url: String) throws {
        let allowed = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }
        guard allowed, let value = Double(text), value.isFinite else {
            throw TailRequestFailed(url: url, reason: "\(name): '\(text.prefix(40))' is not a number")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return "\(path.isEmpty ? "" : path + ": ")\(c.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension RESTRows.Settlement {
    func check(url: String) throws { try RESTRows.checkNumber(fundingRate, "fundingRate", url: url) }
}

extension RESTRows.AggTrade {
    func check(url: String) throws {
        try RESTRows.checkNumber(p, "p (price)", url: url)
        try RESTRows.checkNumber(q, "q (quantity)", url: url)
    }
}

extension RESTRows.Kline {
    func check(url: String) throws {
        for (i, field) in fields.enumerated() where i != 0 && i != 6 && i != 8 {
            try RESTRows.checkNumber(field, Dataset.klines.columns[i], url: url)
        }
    }
}
