import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  haveSharedData,
  haveTshark,
  pcapDir,
  sharedDataDir,
  tcpStreams,
  tsharkFields,
} from '../../../../test/support/tshark.js';
import type { Hl7MessageEvent } from '../events.js';
import { HL7_MAX_KEPT_SEGMENT, detectHl7, hl7Decoder } from './hl7.js';
import { type Item, feedTcp, joinDirection, mllp, rechunk } from './test-helpers.js';

const enc = new TextEncoder();
const hl7Pcap = join(pcapDir, 'ndpi-tests/pcap/hl7.pcap');
const hl7Dir = join(sharedDataDir, 'hl7v2');
if (!haveSharedData) console.warn('skipping HL7 real-data tests: ../shared/data absent');
if (!haveTshark) console.warn('skipping HL7 tshark comparison: tshark not installed');

const sample = (body: string): Uint8Array => mllp(enc.encode(body));
const data = (bytes: Uint8Array, direction: 'toServer' | 'toClient' = 'toServer', ts = 1): Item => ({
  kind: 'data',
  direction,
  data: bytes,
  ts,
});
const strip = (events: readonly unknown[]): unknown[] => events.map((e) => ({ ...(e as Hl7MessageEvent), ts: 0 }));

const ADT =
  'MSH|^~\\&|SEND_APP^1.2.3^ISO|SEND_FAC|RECV_APP|RECV_FAC|20240101||ADT^A01^ADT_A01|CTRL1|P|2.5.1\r' +
  'EVN|A01|20240101\rPID|1||12345^^^MRN||SECRETNAME^GIVEN||19700101|F\rPV1|1|I\r';
const ACK = 'MSH|^~\\&|RECV_APP|RECV_FAC|SEND_APP|SEND_FAC|20240101||ACK^A01|CTRL2|P|2.5.1\rMSA|AE|CTRL1\r';

describe('HL7 over MLLP', () => {
  it('reads MSH and MSA metadata, first components only', () => {
    const rec = feedTcp(hl7Decoder, [data(sample(ADT)), data(sample(ACK), 'toClient')]);
    expect(rec.errors).toEqual([]);
    expect(strip(rec.events)).toEqual([
      {
        kind: 'hl7',
        ts: 0,
        flow: rec.ctx.flow,
        direction: 'toServer',
        sendingApplication: 'SEND_APP',
        sendingFacility: 'SEND_FAC',
        receivingApplication: 'RECV_APP',
        receivingFacility: 'RECV_FAC',
        messageType: 'ADT^A01',
        controlId: 'CTRL1',
        version: '2.5.1',
      },
      {
        kind: 'hl7',
        ts: 0,
        flow: rec.ctx.flow,
        direction: 'toClient',
        sendingApplication: 'RECV_APP',
        sendingFacility: 'RECV_FAC',
        receivingApplication: 'SEND_APP',
        receivingFacility: 'SEND_FAC',
        messageType: 'ACK^A01',
        controlId: 'CTRL2',
        version: '2.5.1',
        ackCode: 'AE',
      },
    ]);
    expect(JSON.stringify(rec.events)).not.toContain('SECRETNAME');
  });

  it('takes separators from MSH-1 and MSH-2, and accepts LF, CRLF and a byte-order mark', () => {
    const odd = 'MSH#*~\\&#APP*X#FAC#RAPP#RFAC#2024##ORU*R01#C9#P#2.4\nPID#1\n';
    const crlf = '\uFEFF' + ADT.replaceAll('\r', '\r\n');
    const rec = feedTcp(hl7Decoder, [data(sample(odd)), data(sample(crlf))]);
    expect(rec.errors).toEqual([]);
    const [a, b] = rec.events as Hl7MessageEvent[];
    expect([a?.sendingApplication, a?.messageType, a?.controlId, a?.version]).toEqual(['APP', 'ORU^R01', 'C9', '2.4']);
    expect([b?.sendingApplication, b?.messageType, b?.version]).toEqual(['SEND_APP', 'ADT^A01', '2.5.1']);
  });

  it('reports frames without MSH, junk outside frames and a start block inside a frame, and goes on', () => {
    const junk = enc.encode('GET / HTTP/1.1\r\n');
    const noMsh = sample('PID|1||x\r');
    const unterminated = enc.encode('\x0bMSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.3\r');
    const rec = feedTcp(hl7Decoder, [data(junk), data(noMsh), data(unterminated), data(sample(ADT))]);
    expect(rec.errors.map((e) => e.code)).toEqual(['WIRE_HL7_MALFORMED', 'WIRE_HL7_MALFORMED', 'WIRE_HL7_MALFORMED']);
    expect(rec.errors[0]?.offset).toBe(0);
    expect(rec.events.map((e) => (e as Hl7MessageEvent).controlId)).toEqual(['CTRL1']);
  });

  it('resynchronises at the next start block after a gap', () => {
    const full = sample(ADT);
    const items: Item[] = [
      data(full.subarray(0, 20)),
      { kind: 'gap', direction: 'toServer', length: 100, ts: 2 },
      data(full.subarray(40)),
      data(sample(ACK)),
    ];
    const rec = feedTcp(hl7Decoder, items);
    expect(rec.events.map((e) => (e as Hl7MessageEvent).controlId)).toEqual(['CTRL2']);
  });

  it('detects MLLP-framed HL7 by content', () => {
    expect(detectHl7(sample(ADT))).toBe(true);
    expect(detectHl7(sample('\uFEFF' + ADT))).toBe(true);
    expect(detectHl7(enc.encode('MSH|^~\\&|'))).toBe(false);
    expect(detectHl7(new Uint8Array([0x0b, 0x50, 0x49, 0x44]))).toBe(false);
  });

  it('keeps events bounded whatever the segment sizes', () => {
    const long = 'A'.repeat(HL7_MAX_KEPT_SEGMENT * 4);
    const body = `MSH|^~\\&|${long}|F|R|RF|1||ADT^A01|C|P|2.3|${long}\rPID|1||${long}\r`;
    const rec = feedTcp(hl7Decoder, [data(sample(body))]);
    const [e] = rec.events as Hl7MessageEvent[];
    expect(e?.sendingApplication.length).toBeLessThanOrEqual(256);
    // the header is cut at the bound, so the fields after it are not read: no invented values
    expect(e?.version).toBe('');
  });

  it('gives the same events whatever the chunking (every split point of a framed stream)', () => {
    const stream = new Uint8Array([
      ...sample(ADT),
      ...enc.encode('\r\n'),
      ...sample('\uFEFF' + ACK.replaceAll('\r', '\n')),
    ]);
    const whole = strip(feedTcp(hl7Decoder, [data(stream)]).events);
    expect(whole).toHaveLength(2);
    for (let cut = 1; cut < stream.length; cut++) {
      const parts = [data(stream.subarray(0, cut)), data(stream.subarray(cut))];
      expect(strip(feedTcp(hl7Decoder, parts).events)).toEqual(whole);
    }
    expect(strip(feedTcp(hl7Decoder, rechunk([data(stream)], [1])).events)).toEqual(whole);
  });

  it('never throws on random bytes, truncations or bit flips, and keeps its events bounded', () => {
    const real = new Uint8Array([...sample(ADT), ...sample(ACK)]);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        (bytes, sizes) => {
          const rec = feedTcp(hl7Decoder, rechunk([data(bytes)], sizes));
          for (const e of rec.events) expect(JSON.stringify(e).length).toBeLessThan(4000);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: real.length }),
        fc.array(fc.nat({ max: real.length * 8 - 1 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }),
        (cut, flips, sizes) => {
          const bytes = real.slice(0, cut);
          for (const f of flips) if (f >> 3 < bytes.length) bytes[f >> 3] = (bytes[f >> 3] ?? 0) ^ (1 << (f & 7));
          feedTcp(hl7Decoder, rechunk([data(bytes)], sizes));
        },
      ),
    );
  });
});

describe.skipIf(!haveSharedData || !haveTshark)('HL7 against tshark on ndpi-tests/pcap/hl7.pcap', () => {
  it('finds the same messages, applications, facilities, types and ACK code as tshark', () => {
    const decodeAs = ['-d', 'tcp.port==6661,hl7'];
    const peer = tsharkFields(hl7Pcap, 'hl7', ['hl7.message.type', 'hl7.event.type', 'hl7.segment'], decodeAs).map(
      (r) => {
        const segments = (r[2] ?? '').split('\u001f').map((s) => s.replace(/\\r$/, ''));
        const msh = (segments.find((s) => s.startsWith('MSH')) ?? '').split('|');
        const msa = segments.find((s) => s.startsWith('MSA'))?.split('|');
        return {
          type: r[0],
          event: r[1],
          apps: [msh[2], msh[3], msh[4], msh[5]],
          controlId: msh[9],
          version: msh[11],
          ack: msa?.[1],
        };
      },
    );
    expect(peer).toHaveLength(2);
    const [stream] = tcpStreams(hl7Pcap);
    const ours = feedTcp(hl7Decoder, stream?.items ?? []);
    expect(ours.errors).toEqual([]);
    const mine = (ours.events as Hl7MessageEvent[]).map((e) => {
      const [type, event] = e.messageType.split('^');
      return {
        type,
        event: event ?? '',
        apps: [e.sendingApplication, e.sendingFacility, e.receivingApplication, e.receivingFacility],
        controlId: e.controlId,
        version: e.version,
        ack: e.ackCode,
      };
    });
    expect(mine).toEqual(peer);
    expect(ours.events.map((e) => e.direction)).toEqual(['toServer', 'toClient']);
    expect(ours.events[0]).toMatchObject({ sendingApplication: 'SENDING_APPLICATION', messageType: 'ADT^A01' });
    // privacy: the patient's name in the PID segment never reaches an event
    expect(JSON.stringify(ours.events)).not.toMatch(/MOUSE|MICKEY|MINNIE/);
  });

  it('gives the same events for every split point of the real stream', () => {
    const [stream] = tcpStreams(hl7Pcap);
    const items = stream?.items ?? [];
    const whole = strip(feedTcp(hl7Decoder, items).events);
    const toServer = joinDirection(items, 'toServer');
    for (let cut = 1; cut < toServer.length; cut++) {
      const parts = [data(toServer.subarray(0, cut)), data(toServer.subarray(cut))];
      expect(strip(feedTcp(hl7Decoder, parts).events)).toEqual(whole.slice(0, 1));
    }
  });
});

describe.skipIf(!haveSharedData)('HL7 on the real messages in ../shared/data/hl7v2', () => {
  const files = haveSharedData
    ? ['fhir-converter-samples', 'hl7-dotnetcore-samples'].flatMap((d) =>
        readdirSync(join(hl7Dir, d)).map((f) => resolve(hl7Dir, d, f)),
      )
    : [];

  it('decodes every message like an independent line-by-line reading, and no patient name leaks', () => {
    expect(files.length).toBeGreaterThan(100);
    let names = 0;
    for (const file of files) {
      const raw = readFileSync(file);
      const text = raw.toString('utf8').replace(/^\uFEFF/, '');
      const lines = text.split(/\r\n|\r|\n/);
      const expected = lines
        .filter((l) => l.startsWith('MSH'))
        .map((l) => {
          const fs = l[3] ?? '|';
          const f = l.split(fs);
          const cs = f[1]?.[0] ?? '^';
          const first = (v: string | undefined): string => (v ?? '').split(cs)[0] ?? '';
          const t = (f[8] ?? '').split(cs);
          return [
            first(f[2]),
            first(f[3]),
            first(f[4]),
            first(f[5]),
            t[1] ? `${t[0] ?? ''}^${t[1]}` : (t[0] ?? ''),
            first(f[9]),
            first(f[11]),
          ];
        });
      const rec = feedTcp(hl7Decoder, rechunk([data(mllp(raw))], [7, 300, 1, 1500]));
      expect(rec.errors, file).toEqual([]);
      const got = (rec.events as Hl7MessageEvent[]).map((e) => [
        e.sendingApplication,
        e.sendingFacility,
        e.receivingApplication,
        e.receivingFacility,
        e.messageType,
        e.controlId,
        e.version,
      ]);
      expect(got, file).toEqual(expected);
      const json = JSON.stringify(rec.events);
      const mshText = lines.filter((l) => l.startsWith('MSH')).join('\r');
      for (const pid of lines.filter((l) => l.startsWith('PID'))) {
        const f = pid.split(pid[3] ?? '|');
        for (const rep of (f[5] ?? '').split('~')) {
          for (const part of rep.split('^').slice(0, 2)) {
            // a sample whose made-up patient shares a word with its MSH (PROSOLV) proves nothing either way
            if (part.length < 3 || mshText.includes(part)) continue;
            names++;
            expect(json, file).not.toContain(part);
          }
        }
      }
    }
    expect(names).toBeGreaterThan(100);
  });
});
