import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTimeZone } from '../../../src/contract/index.js';
import {
  ClickBurstDetector,
  classifyClick,
  classifyOpen,
} from '../../../server/domain/engagement-classify.js';
import { bucketStart, buckets, offsetMs, startOfLocalDay } from '../../../server/domain/engagement-time.js';
import { LiveBus, visibleTo } from '../../../server/domain/live-bus.js';

const iso = (ms: number) => new Date(ms).toISOString();
const t = (s: string) => Date.parse(s);

describe('engagement time buckets', () => {
  it('finds local midnight in zones east and west of UTC, and with half- and quarter-hour offsets', () => {
    assert.equal(iso(startOfLocalDay('Asia/Shanghai', 2026, 3, 11)), '2026-03-10T16:00:00.000Z');
    assert.equal(iso(startOfLocalDay('America/Los_Angeles', 2026, 1, 15)), '2026-01-15T08:00:00.000Z');
    assert.equal(iso(startOfLocalDay('Asia/Kolkata', 2026, 3, 11)), '2026-03-10T18:30:00.000Z');
    assert.equal(iso(startOfLocalDay('Asia/Kathmandu', 2026, 3, 11)), '2026-03-10T18:15:00.000Z');
    assert.equal(iso(startOfLocalDay('UTC', 2026, 12, 32)), '2027-01-01T00:00:00.000Z');
  });

  it('has 23- and 25-hour days across DST in New York', () => {
    const { edges } = buckets(
      'America/New_York',
      'day',
      t('2026-03-07T05:00:00Z'),
      t('2026-03-10T04:00:00Z'),
    )!;
    assert.deepEqual(edges.map(iso), [
      '2026-03-07T05:00:00.000Z',
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
      '2026-03-10T04:00:00.000Z',
    ]);
    const fall = buckets('America/New_York', 'day', t('2026-11-01T04:00:00Z'), t('2026-11-02T05:00:00Z'))!;
    assert.equal(fall.edges[1]! - fall.edges[0]!, 25 * 3_600_000);
  });

  it('starts a day where midnight does not exist (DST at 00:00 in Santiago)', () => {
    // Chile springs forward at 24:00 on 2026-09-05: 2026-09-06 starts at 01:00 local (04:00Z).
    assert.equal(iso(startOfLocalDay('America/Santiago', 2026, 9, 6)), '2026-09-06T04:00:00.000Z');
    assert.equal(offsetMs('America/Santiago', t('2026-09-06T04:00:00Z')), -3 * 3_600_000);
  });

  it('starts weeks on Monday and months on the 1st, in local time', () => {
    // 2026-03-11 is a Wednesday.
    assert.equal(iso(bucketStart('UTC', 'week', t('2026-03-11T12:00:00Z'))), '2026-03-09T00:00:00.000Z');
    assert.equal(
      iso(bucketStart('Asia/Shanghai', 'week', t('2026-03-08T17:00:00Z'))),
      '2026-03-08T16:00:00.000Z',
    );
    assert.equal(
      iso(bucketStart('Asia/Shanghai', 'month', t('2026-02-28T17:00:00Z'))),
      '2026-02-28T16:00:00.000Z',
    );
  });

  it('keeps the first bucket start before `from` but the first edge at `from`', () => {
    const b = buckets('UTC', 'day', t('2026-03-10T07:00:00Z'), t('2026-03-12T00:00:00Z'))!;
    assert.deepEqual(b.starts.map(iso), ['2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
    assert.deepEqual(b.edges.map(iso), [
      '2026-03-10T07:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
      '2026-03-12T00:00:00.000Z',
    ]);
  });

  it('refuses more buckets than the limit', () => {
    assert.equal(buckets('UTC', 'day', t('2020-01-01T00:00:00Z'), t('2026-01-01T00:00:00Z'), 2000), null);
    assert.ok(buckets('UTC', 'week', t('2020-01-01T00:00:00Z'), t('2026-01-01T00:00:00Z'), 2000));
  });

  it('validates IANA names', () => {
    for (const ok of ['UTC', 'Asia/Shanghai', 'America/Argentina/Buenos_Aires'])
      assert.ok(isTimeZone(ok), ok);
    for (const bad of ['', 'Mars/Olympus', 'UTC+8; drop table', 'x'.repeat(65)])
      assert.ok(!isTimeZone(bad), bad);
  });
});

describe('machine classification', () => {
  const delivered = new Date('2026-03-10T10:00:00Z');
  const later = new Date('2026-03-10T11:00:00Z');
  const iphone =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

  it('classifies opens', () => {
    const open = (userAgent: string | null, at = later, ip?: string) =>
      classifyOpen({ userAgent, deliveredAt: delivered, at, ip }).reason;
    assert.equal(open(iphone), null);
    assert.equal(open('Mozilla/5.0 (Windows NT 10.0; Win64; x64) via ggpht.com GoogleImageProxy'), null);
    assert.equal(open('Mozilla/5.0'), 'privacy_proxy');
    assert.equal(open(iphone, later, '17.58.101.5'), 'privacy_proxy');
    assert.equal(open(iphone, later, '::ffff:17.1.2.3'), 'privacy_proxy');
    assert.equal(open(null), 'no_user_agent');
    assert.equal(open('Barracuda Sentinel (EE)'), 'scanner');
    assert.equal(open('python-requests/2.31'), 'scanner');
    assert.equal(
      open('YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html'),
      'prefetch',
    );
    assert.equal(open(iphone, new Date(delivered.getTime() + 1500)), 'too_fast');
    assert.equal(open(iphone, new Date(delivered.getTime() + 2500)), null);
    assert.deepEqual(classifyOpen({ userAgent: iphone, deliveredAt: null, at: later }), {
      machine: false,
      reason: null,
    });
  });

  it('classifies clicks, including HEAD requests and bursts on one message', () => {
    const at = new Date(later.getTime() + 10_000);
    assert.equal(classifyClick({ userAgent: iphone, deliveredAt: delivered, at }).machine, false);
    assert.equal(
      classifyClick({ userAgent: iphone, deliveredAt: delivered, at, method: 'HEAD' }).reason,
      'head_request',
    );
    const recent = [new Date(at.getTime() - 800), new Date(at.getTime() - 300)];
    assert.equal(
      classifyClick({ userAgent: iphone, deliveredAt: delivered, at, recentClicks: recent }).reason,
      'burst',
    );
    const spread = [new Date(at.getTime() - 60_000), new Date(at.getTime() - 300)];
    assert.equal(
      classifyClick({ userAgent: iphone, deliveredAt: delivered, at, recentClicks: spread }).machine,
      false,
    );
  });

  it('remembers recent clicks per message, bounded', () => {
    const detector = new ClickBurstDetector({ maxMessages: 2 });
    const at = (ms: number) => new Date(t('2026-03-10T11:00:00Z') + ms);
    assert.equal(detector.observe('m1', at(0)).length, 0);
    assert.equal(detector.observe('m1', at(500)).length, 1);
    const third = detector.observe('m1', at(900));
    assert.equal(
      classifyClick({ userAgent: 'Mozilla/5.0 (X11)', deliveredAt: null, at: at(900), recentClicks: third })
        .reason,
      'burst',
    );
    assert.equal(detector.observe('m1', at(10_000)).length, 0);
    detector.observe('m2', at(0));
    detector.observe('m3', at(0));
    // m1 was the least recently clicked and is forgotten.
    assert.equal(detector.observe('m1', at(10_100)).length, 0);
  });
});

describe('LiveBus', () => {
  const message = (partnerId: string | null, n: number) => ({
    brandId: 'b1',
    partnerId,
    event: { type: 'send' as const, at: '2026-03-10T10:00:00.000Z', sendId: `s${n}`, status: 'sent' },
  });

  it('validates events against the contract', () => {
    const bus = new LiveBus();
    assert.throws(() =>
      bus.publish({ brandId: 'b1', partnerId: null, event: { type: 'send', at: 'yesterday' } as never }),
    );
  });

  it('replays from the ring buffer and reports what it cannot', () => {
    const bus = new LiveBus({ bufferSize: 3 });
    for (let n = 1; n <= 5; n++) bus.publish(message('p1', n));
    assert.deepEqual(bus.since(''), { entries: [], complete: true });
    assert.deepEqual(
      bus.since(`${bus.epoch}.3`).entries.map((e) => e.seq),
      [4, 5],
    );
    assert.equal(bus.since(`${bus.epoch}.2`).complete, true);
    assert.equal(bus.since(`${bus.epoch}.1`).complete, false);
    assert.deepEqual(bus.since(`${bus.epoch}.5`), { entries: [], complete: true });
    assert.equal(bus.since(`${bus.epoch}.9`).complete, false);
    assert.equal(bus.since('other.1').complete, false);
    assert.equal(bus.since('garbage').complete, false);
  });

  it('scopes by brand and partner', () => {
    assert.ok(visibleTo({ brandId: 'b1', partnerId: null }, message('p1', 1)));
    assert.ok(visibleTo({ brandId: 'b1', partnerId: 'p1' }, message('p1', 1)));
    assert.ok(!visibleTo({ brandId: 'b1', partnerId: 'p2' }, message('p1', 1)));
    assert.ok(!visibleTo({ brandId: 'b1', partnerId: 'p1' }, message(null, 1)));
    assert.ok(!visibleTo({ brandId: 'b2', partnerId: null }, message('p1', 1)));
  });
});
