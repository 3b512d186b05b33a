/**
 * @module observe
 * Turns wire events into observations (`observation.ts`): streaming, one event at a time, keeping
 * each distinct fact once with its first and last capture time. Nothing here decides what a
 * device is; it only records who said what on the wire. Patient data never reaches this point
 * (wire events carry protocol metadata only) and nothing here copies free text beyond the
 * metadata fields named in each observation kind.
 */
import type {
  DhcpEvent,
  DicomAssociateEvent,
  DicomDimseEvent,
  DnsEvent,
  FlowEndEvent,
  FlowInfo,
  Hl7MessageEvent,
  HostEvent,
  WireEvent,
} from '@ward/wire';
import { ipOfReverseName, isGroupOrNullMac, isUnicastIp, normaliseMac } from './address.js';
import { observationId, type Observation, type ObservationKind, type ObservationValue } from './observation.js';

/** DHCP message types sent by clients (RFC 2132 §9.6): DISCOVER, REQUEST, DECLINE, RELEASE, INFORM. */
const DHCP_CLIENT_TYPES = new Set([1, 3, 4, 7, 8]);
const DHCP_ACK = 5;

export interface ObserverOptions {
  /** DICOM associations whose A-ASSOCIATE-RQ is kept until the AC arrives (oldest dropped first). */
  readonly maxPendingAssociations?: number;
  /** Stamped on new observations (`scan:<file>`); `setSource` changes it between files. */
  readonly source?: string;
}

interface Sides {
  readonly sender: string;
  readonly receiver: string;
}

function sides(event: { readonly flow: FlowInfo; readonly direction: string }): Sides {
  return event.direction === 'toServer'
    ? { sender: event.flow.client.ip, receiver: event.flow.server.ip }
    : { sender: event.flow.server.ip, receiver: event.flow.client.ip };
}

const ipSubject = (ip: string): string => `ip:${ip}`;

/**
 * An observation whose SHA-256 id is computed when first read: `ward scan` without --save reads
 * almost none, and hashing every distinct fact of a large capture cost ~5 % of its CPU time.
 */
class Fact implements Observation {
  #id: string | undefined;
  firstSeen: number;
  lastSeen: number;

  constructor(
    readonly kind: ObservationKind,
    readonly subject: string,
    readonly value: ObservationValue,
    ts: number,
  ) {
    this.firstSeen = ts;
    this.lastSeen = ts;
  }

  get id(): string {
    return (this.#id ??= observationId(this.kind, this.subject, this.value));
  }
}

/** A Fact that remembers where it was first learnt. */
class SourcedFact extends Fact {
  constructor(
    kind: ObservationKind,
    subject: string,
    value: ObservationValue,
    ts: number,
    readonly source: string,
  ) {
    super(kind, subject, value, ts);
  }
}

export class Observer {
  readonly #facts = new Map<string, Observation>();
  #dirty = new Set<Observation>();
  readonly #pending = new Map<string, DicomAssociateEvent>();
  readonly #maxPending: number;
  #events = 0;
  #source: string | undefined;

  constructor(options: ObserverOptions = {}) {
    this.#maxPending = options.maxPendingAssociations ?? 4096;
    this.#source = options.source;
  }

  setSource(source: string): void {
    this.#source = source;
  }

  /** How many observations changed since the last `takeChanged`. */
  get changed(): number {
    return this.#dirty.size;
  }

  /** Wire's event sink: pass this to `createDecoder`. */
  readonly sink = (event: WireEvent): void => {
    this.#events++;
    this.observe(event);
  };

  get events(): number {
    return this.#events;
  }

  get size(): number {
    return this.#facts.size;
  }

  /** Every observation so far, in first-recorded order. */
  observations(): Observation[] {
    return [...this.#facts.values()];
  }

  /** The observations new or seen again since the last call (for a live sensor's batches). */
  takeChanged(): Observation[] {
    const changed = [...this.#dirty];
    this.#dirty = new Set();
    return changed;
  }

  observe(event: WireEvent): void {
    switch (event.kind) {
      case 'host':
        this.#host(event);
        return;
      case 'flow-end':
        this.#flowEnd(event);
        return;
      case 'dhcp':
        this.#dhcp(event);
        return;
      case 'dns':
        this.#dns(event);
        return;
      case 'tls-client-hello': {
        const { sender } = sides(event);
        if (event.sni !== undefined && event.sni !== '')
          this.#add('tls-sni', ipSubject(sender), { sni: event.sni }, event.ts);
        if (event.ja4 !== '') this.#add('tls-ja4', ipSubject(sender), { ja4: event.ja4 }, event.ts);
        return;
      }
      case 'http-request': {
        const { sender, receiver } = sides(event);
        if (event.userAgent !== undefined && event.userAgent !== '')
          this.#add('http-user-agent', ipSubject(sender), { userAgent: event.userAgent }, event.ts);
        if (event.fhir !== undefined) this.#service(event.flow, receiver, sender, 'fhir', event.ts);
        return;
      }
      case 'http-response': {
        const { sender } = sides(event);
        if (event.server !== undefined && event.server !== '')
          this.#add('http-server', ipSubject(sender), { server: event.server }, event.ts);
        return;
      }
      case 'ssh-banner': {
        const { sender } = sides(event);
        this.#add('ssh-banner', ipSubject(sender), { banner: event.banner }, event.ts);
        return;
      }
      case 'hl7':
        this.#hl7(event);
        return;
      case 'dicom-associate':
        this.#dicomAssociate(event);
        return;
      case 'dicom-dimse':
        this.#dicomDimse(event);
        return;
      case 'dicom-release':
      case 'dicom-abort':
        this.#pending.delete(event.flow.id);
        return;
      case 'ble-advertiser': {
        const address = normaliseMac(event.address);
        if (address !== undefined) this.#add('ble-advertiser', `ble:${address}`, {}, event.ts);
        return;
      }
      case 'tls-server-hello':
      case 'smb2-negotiate':
      case 'smb2-tree-connect':
      case 'smb2-activity':
      case 'rdp-negotiate':
      case 'decode-error':
        return;
    }
  }

  #add(kind: ObservationKind, subject: string, value: ObservationValue, ts: number): void {
    // Values are built here with a fixed key order, so plain JSON is a stable key; the id uses canonical JSON.
    const key = `${kind}\u0000${subject}\u0000${JSON.stringify(value)}`;
    const known = this.#facts.get(key);
    if (known !== undefined) {
      if (ts < known.firstSeen) known.firstSeen = ts;
      if (ts > known.lastSeen) {
        known.lastSeen = ts;
        this.#dirty.add(known);
      }
      return;
    }
    const fact: Observation =
      this.#source === undefined
        ? new Fact(kind, subject, value, ts)
        : new SourcedFact(kind, subject, value, ts, this.#source);
    this.#facts.set(key, fact);
    this.#dirty.add(fact);
  }

  #host(event: HostEvent): void {
    const mac = normaliseMac(event.mac);
    if (mac === undefined || isGroupOrNullMac(mac)) return;
    if (event.ip === undefined || !isUnicastIp(event.ip)) return;
    this.#add('binding', `mac:${mac}`, { ip: event.ip, via: event.via }, event.ts);
  }

  #flowEnd(event: FlowEndEvent): void {
    const { client, server } = event.flow;
    // An address proves it is a host by sending: the client always did, the server if it answered.
    if (isUnicastIp(client.ip)) this.#add('seen', ipSubject(client.ip), {}, event.ts);
    const answered = event.packetsToClient > 0;
    if (answered && isUnicastIp(server.ip)) this.#add('seen', ipSubject(server.ip), {}, event.ts);
    // A service is known when the handshake showed who listens, or a protocol decoder recognised it.
    if (!answered || (!event.handshake && event.protocol === undefined)) return;
    this.#service(event.flow, server.ip, client.ip, event.protocol ?? null, event.ts);
  }

  #service(flow: FlowInfo, serverIp: string, clientIp: string, protocol: string | null, ts: number): void {
    const base = { transport: flow.transport, port: flow.server.port, protocol };
    if (isUnicastIp(serverIp)) this.#add('service', ipSubject(serverIp), { role: 'server', ...base }, ts);
    if (isUnicastIp(clientIp)) this.#add('service', ipSubject(clientIp), { role: 'client', ...base }, ts);
  }

  #dhcp(event: DhcpEvent): void {
    const mac = normaliseMac(event.clientMac);
    if (mac === undefined || isGroupOrNullMac(mac)) return;
    const subject = `mac:${mac}`;
    const fromClient =
      event.messageType === null ? event.direction === 'toServer' : DHCP_CLIENT_TYPES.has(event.messageType);
    if (fromClient) {
      const fingerprint = {
        hostname: event.hostname ?? null,
        vendorClass: event.vendorClass ?? null,
        paramList: event.paramList === undefined ? null : event.paramList.join(','),
      };
      if (fingerprint.hostname !== null || fingerprint.vendorClass !== null || fingerprint.paramList !== null)
        this.#add('dhcp', subject, fingerprint, event.ts);
      if (event.hostname !== undefined && event.hostname !== '')
        this.#add('hostname', subject, { name: event.hostname, source: 'dhcp' }, event.ts);
      if (event.fqdn !== undefined && event.fqdn !== '')
        this.#add('hostname', subject, { name: event.fqdn, source: 'dhcp-fqdn' }, event.ts);
      if (event.clientIp !== undefined && isUnicastIp(event.clientIp))
        this.#add('binding', subject, { ip: event.clientIp, via: 'dhcp' }, event.ts);
    } else if (event.messageType === DHCP_ACK && event.yourIp !== undefined && isUnicastIp(event.yourIp)) {
      this.#add('binding', subject, { ip: event.yourIp, via: 'dhcp' }, event.ts);
    }
  }

  #dns(event: DnsEvent): void {
    const source = event.mdns ? 'mdns' : 'dns';
    if (!event.mdns) {
      // The asker is the flow's client whichever way this message went.
      const asker = event.flow.client.ip;
      if (isUnicastIp(asker))
        for (const q of event.queries)
          if (q.name !== '') this.#add('dns-query', ipSubject(asker), { name: q.name }, event.ts);
    }
    if (!event.response || event.rcode !== 0) return;
    for (const answer of event.answers) {
      if (answer.data === undefined) continue;
      if ((answer.type === 1 || answer.type === 28) && isUnicastIp(answer.data) && answer.name !== '') {
        this.#add('hostname', ipSubject(answer.data), { name: answer.name, source }, event.ts);
      } else if (answer.type === 12) {
        const ip = ipOfReverseName(answer.name);
        if (ip !== undefined && isUnicastIp(ip) && answer.data !== '')
          this.#add('hostname', ipSubject(ip), { name: answer.data, source }, event.ts);
      }
    }
  }

  #hl7(event: Hl7MessageEvent): void {
    const { sender, receiver } = sides(event);
    // An acknowledgement travels back: its sender is the receiving side of the clinical exchange.
    const ack = event.ackCode !== undefined || /^ACK(\^|$)/.test(event.messageType);
    const senderRole = ack ? 'receiver' : 'sender';
    const receiverRole = ack ? 'sender' : 'receiver';
    const s = ipSubject(sender);
    const r = ipSubject(receiver);
    if (event.sendingApplication !== '' || event.sendingFacility !== '')
      this.#add(
        'hl7-app',
        s,
        { application: event.sendingApplication, facility: event.sendingFacility, role: senderRole },
        event.ts,
      );
    if (event.receivingApplication !== '' || event.receivingFacility !== '')
      this.#add(
        'hl7-app',
        r,
        { application: event.receivingApplication, facility: event.receivingFacility, role: receiverRole },
        event.ts,
      );
    if (event.messageType !== '') {
      this.#add('hl7-message', s, { messageType: event.messageType, role: senderRole }, event.ts);
      this.#add('hl7-message', r, { messageType: event.messageType, role: receiverRole }, event.ts);
    }
    this.#add('hl7-peer', s, { peer: receiver }, event.ts);
    this.#add('hl7-peer', r, { peer: sender }, event.ts);
  }

  #dicomAssociate(event: DicomAssociateEvent): void {
    const { sender, receiver } = sides(event);
    if (event.pdu === 'rq') {
      if (event.callingAeTitle !== '')
        this.#add('dicom-ae', ipSubject(sender), { aeTitle: event.callingAeTitle, role: 'SCU' }, event.ts);
      if (this.#pending.size >= this.#maxPending) {
        const oldest = this.#pending.keys().next();
        if (oldest.done !== true) this.#pending.delete(oldest.value);
      }
      this.#pending.set(event.flow.id, event);
      return;
    }
    const rq = this.#pending.get(event.flow.id);
    this.#pending.delete(event.flow.id);
    if (event.pdu === 'rj') return;
    // The acceptor sends the AC: it is the SCP, the called AE title is its own.
    if (event.calledAeTitle !== '')
      this.#add('dicom-ae', ipSubject(sender), { aeTitle: event.calledAeTitle, role: 'SCP' }, event.ts);
    if (event.callingAeTitle !== '')
      this.#add('dicom-ae', ipSubject(receiver), { aeTitle: event.callingAeTitle, role: 'SCU' }, event.ts);
    if (rq === undefined) return;
    const proposed = new Map(rq.presentationContexts.map((pc) => [pc.id, pc.abstractSyntax]));
    for (const pc of event.presentationContexts) {
      const sopClass = proposed.get(pc.id);
      if (pc.result !== 0 || sopClass === undefined || sopClass === '') continue;
      this.#add('dicom-sop', ipSubject(sender), { sopClass, role: 'SCP', command: 'A-ASSOCIATE' }, event.ts);
      this.#add('dicom-sop', ipSubject(receiver), { sopClass, role: 'SCU', command: 'A-ASSOCIATE' }, event.ts);
    }
  }

  #dicomDimse(event: DicomDimseEvent): void {
    if (!event.command.endsWith('-RQ')) return;
    const command = event.command.slice(0, -3);
    // N-EVENT-REPORT is the one request an SCP sends to its SCU (PS3.7 §10.1.1).
    const flip = command === 'N-EVENT-REPORT';
    const { sender: s, receiver: r } = sides(event);
    const sender = flip ? r : s;
    const receiver = flip ? s : r;
    const sopClass = event.affectedSopClass ?? event.requestedSopClass;
    if (sopClass !== undefined && sopClass !== '') {
      this.#add('dicom-sop', ipSubject(sender), { sopClass, role: 'SCU', command }, event.ts);
      this.#add('dicom-sop', ipSubject(receiver), { sopClass, role: 'SCP', command }, event.ts);
    }
    this.#add('dicom-peer', ipSubject(sender), { peer: receiver, role: 'SCU', command }, event.ts);
    this.#add('dicom-peer', ipSubject(receiver), { peer: sender, role: 'SCP', command }, event.ts);
  }
}
