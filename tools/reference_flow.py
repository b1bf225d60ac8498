#!/usr/bin/env python3
"""A plain reference for stage-flow's series, written straight from SPEC.md with
nothing shared with the Swift code: Python's float() parsing, a sorted copy for
the threshold, sums in file order. Compares every value of CACHE/series/SYM/*.csv
bit for bit and prints the first differences.

    tools/reference_flow.py CACHE SYMBOL END DAYS
"""
import csv, datetime as dt, io, math, sys, zipfile

HOUR = 3_600_000
cache, symbol, end, days = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
end_day = dt.date.fromisoformat(end)
first = (end_day - dt.timedelta(days=days)).replace(day=1)
epoch = dt.date(1970, 1, 1)
start_ms = (first - epoch).days * 86_400_000
end_ms = (end_day - epoch).days * 86_400_000

def months():
    m = first
    while m < end_day:
        yield m
        m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)

def rows(rel):
    name = rel.rsplit('/', 1)[1][:-4] + '.csv'
    with zipfile.ZipFile(f'{cache}/archive/{rel}') as z:
        text = z.read(name).decode()
    lines = [l for l in text.split('\n') if l.strip()]
    if lines and not (lines[0][0].isdigit() or lines[0][0] == '-'):
        lines = lines[1:]
    return [l.rstrip('\r').split(',') for l in lines]

def ms(field):
    if field[:1].isdigit() and '-' not in field:
        v = int(field)
        return v // 1000 if v >= 10**15 else v
    t = dt.datetime.strptime(field, '%Y-%m-%d %H:%M:%S').replace(tzinfo=dt.timezone.utc)
    return int(t.timestamp()) * 1000

flow, thresholds, metrics, funding = {}, [], {}, {}
for m in months():
    listing = list(csv.DictReader(open(f'{cache}/download/{symbol}/months/{m:%Y-%m}.csv')))
    files = [r['file'] for r in listing]
    trades = [f for f in files if '/aggTrades/' in f]
    monthly = [f for f in trades if f.startswith('monthly/')]
    trades = monthly if monthly else sorted(trades)
    rows_ = [r for f in trades for r in rows(f)]
    notionals = [float(r[1]) * float(r[2]) for r in rows_]
    v = sorted(notionals)
    n = len(v)
    if n == 0:
        threshold = 100000.0
    else:
        i = math.floor(n * 0.95)
        threshold = v[n - 1] if i >= n else v[i]
    thresholds.append((f'{m:%Y-%m}', n, threshold))
    covered = set()
    for f in trades:
        stamp = f.rsplit('-', 3 if f.startswith('daily/') else 2)
        if f.startswith('monthly/'):
            d = m
            while d.month == m.month:
                covered.add(d); d += dt.timedelta(days=1)
        else:
            covered.add(dt.date.fromisoformat(f[-14:-4]))
    for d in covered:
        for h in range(24):
            flow[((d - epoch).days * 24 + h) * HOUR] = 0.0
    for r, x in zip(rows_, notionals):
        if x >= threshold:
            t = ms(r[5]) // HOUR * HOUR
            flow[t] += -x if r[6].lower() == 'true' else x
    for f in files:
        if '/metrics/' in f:
            for r in rows(f):
                t = ms(r[0]); h = t // HOUR * HOUR
                for col, i in (('oi', 2), ('top', 5), ('global', 6), ('taker', 7)):
                    if r[i] == '': continue
                    key = (col, h)
                    if key not in metrics or t >= metrics[key][0]:
                        metrics[key] = (t, float(r[i]))
        if '/fundingRate/' in f:
            for r in rows(f):
                t = ms(r[0]); h = t // HOUR * HOUR
                if h not in funding or t >= funding[h][0]:
                    funding[h] = (t, float(r[2]))

def inrange(t): return start_ms <= t < end_ms
expected = {
    'flow_1h': sorted((t, v) for t, v in flow.items() if inrange(t)),
    'funding_rate': sorted((h, v[1]) for h, v in funding.items() if inrange(h)),
    'top_position_ratio': sorted((h, v[1]) for (c, h), v in metrics.items() if c == 'top' and inrange(h)),
    'global_account_ratio': sorted((h, v[1]) for (c, h), v in metrics.items() if c == 'global' and inrange(h)),
    'taker_ratio': sorted((h, v[1]) for (c, h), v in metrics.items() if c == 'taker' and inrange(h)),
}
oi = {h: v[1] for (c, h), v in metrics.items() if c == 'oi' and inrange(h)}
expected['oi_change_1h'] = sorted((h, oi[h] / oi[h - HOUR] - 1) for h in oi if h - HOUR in oi and oi[h - HOUR] != 0)

bad = 0
for name, want in expected.items():
    got = [(int(t), float(v)) for t, v in csv.reader(open(f'{cache}/series/{symbol}/{name}.csv')) if t != 'timestamp']
    diffs = [(a, b) for a, b in zip(want, got) if a[0] != b[0] or a[1].hex() != b[1].hex()]
    if len(want) != len(got) or diffs:
        bad += 1
        print(f'{name}: {len(got)} rows, reference {len(want)}; first differences: {diffs[:3]}')
    else:
        print(f'{name}: {len(got)} rows, equal to the reference bit for bit')
got = [(r['month'], int(r['trades']), float(r['threshold'])) for r in csv.DictReader(open(f'{cache}/series/{symbol}/thresholds.csv'))]
if got != thresholds:
    bad += 1
    print(f'thresholds: {got} != reference {thresholds}')
else:
    print(f'thresholds: {len(got)} months, equal to the reference')
sys.exit(1 if bad else 0)
