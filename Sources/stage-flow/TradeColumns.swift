/// A month of trades as the flow needs them, in file order: each trade's signed
/// notional (price × quantity, negative when the taker sold) and the hour of the
/// month it falls in. 10 bytes a trade: a 45 M-trade month is 450 MB.
struct TradeColumns: ~Copyable {
    private(set) var signedNotional: UnsafeMutablePointer<Double>
    private(set) var hour: UnsafeMutablePointer<UInt16>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1024)
        signedNotional = .allocate(capacity: self.capacity)
        hour = .allocate(capacity: self.capacity)
    }

    deinit {
        signedNotional.deallocate()
        hour.deallocate()
    }

    @inline(__always)
    mutating func append(_ notional: Double, hour index: UInt16) {
        if count == capacity { grow() }
        signedNotional[count] = notional
        hour[count] = index
        count += 1
    }

    private mutating func grow() {
        let larger = capacity + capacity / 2
        let notionals = UnsafeMutablePointer<Double>.allocate(capacity: larger)
        notionals.moveInitialize(from: signedNotional, count: count)
        signedNotional.deallocate()
        signedNotional = notionals
        let hours = UnsafeMutablePointer<UInt16>.allocate(capacity: larger)
        hours.moveInitialize(from: hour, count: count)
        hour.deallocate()
        hour = hours
        capacity = larger
    }

    var notionals: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: signedNotional, count: count) }
    var hours: UnsafeBufferPointer<UInt16> { UnsafeBufferPointer(start: hour, count: count) }
}
