/**
 * @module events
 * The contract of `@ward/wire`: the typed events that decoders emit, and the interface an
 * application decoder implements. Events carry protocol metadata only — never patient data (no HL7
 * PID/NK1/PV1/OBX values, no DICOM data-set elements, no HTTP bodies).
 */

/** Capture time in microseconds since the Unix epoch (a float: nanosecond captures keep the fraction). */
export type Micros = number;

export type Transport = 'tcp' | 'udp';

/** One side of a flow. `mac` is present when the link layer carried one (Ethernet, SLL). */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
  readonly mac?: string;
}

/**
 * A transport flow. `client` is the side that sent the first packet seen (for TCP, the SYN sender
 * when the handshake was captured).
 */
export interface FlowInfo {
  /** Stable within one decoder run: `tcp:10.0.0.1:5000>10.0.0.2:104`. */
  readonly id: string;
  readonly transport: Transport;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** 802.1Q VLAN ids outermost first, when tagged. */
  readonly vlans?: readonly number[];
}

export type Direction = 'toServer' | 'toClient';

/** The application protocols wire decodes. */
export type AppProtocol = 'dhcp' | 'dns' | 'mdns' | 'tls' | 'http' | 'hl7' | 'dicom' | 'smb2' | 'ssh' | 'rdp';

interface AppEventBase {
  readonly ts: Micros;
  readonly flow: FlowInfo;
  /** Which way the message travelled, relative to `flow.client`/`flow.server`. */
  readonly direction: Direction;
}

export interface DhcpEvent extends AppEventBase {
  readonly kind: 'dhcp';
  /** DHCP message type (option 53): 1 DISCOVER, 2 OFFER, 3 REQUEST, 5 ACK, 8 INFORM… */
  readonly messageType: number | null;
  /** chaddr, lower-case colon form. */
  readonly clientMac: string;
  readonly hostname?: string; // option 12
  readonly requestedIp?: string; // option 50
  readonly paramList?: readonly number[]; // option 55, in order (the fingerprint)
  readonly maxMessageSize?: number; // option 57
  readonly vendorClass?: string; // option 60
  readonly clientId?: string; // option 61, hex
  readonly fqdn?: string; // option 81
  readonly vendorSpecific?: string; // option 43, hex
  readonly yourIp?: string; // yiaddr when not 0.0.0.0
  readonly clientIp?: string; // ciaddr when not 0.0.0.0
}

export interface DnsRecord {
  readonly name: string;
  /** Numeric RR type (1 A, 28 AAAA, 12 PTR, 33 SRV, 16 TXT, 5 CNAME…). */
  readonly type: number;
  /** Presentation form for A, AAAA, PTR, CNAME, SRV target; absent for other types. */
  readonly data?: string;
}

export interface DnsEvent extends AppEventBase {
  readonly kind: 'dns';
  readonly mdns: boolean;
  readonly response: boolean;
  readonly rcode: number;
  readonly queries: readonly DnsRecord[];
  readonly answers: readonly DnsRecord[];
}

export interface TlsClientHelloEvent extends AppEventBase {
  readonly kind: 'tls-client-hello';
  readonly sni?: string;
  readonly alpn: readonly string[];
  /** Offered versions as names ('TLS 1.3', 'TLS 1.2'…): supported_versions if present, else legacy. */
  readonly versions: readonly string[];
  /** JA4 (FoxIO spec), e.g. `t13d1516h2_8daaf6152771_b186095e22b6`. */
  readonly ja4: string;
}

export interface TlsServerHelloEvent extends AppEventBase {
  readonly kind: 'tls-server-hello';
  readonly version: string;
  readonly cipherSuite: number;
  readonly alpn?: string;
}

export interface HttpRequestEvent extends AppEventBase {
  readonly kind: 'http-request';
  readonly method: string;
  readonly host?: string;
  /** Path without the query string (a query may carry patient identifiers). */
  readonly path: string;
  readonly userAgent?: string;
  readonly contentType?: string;
  /** FHIR REST: a FHIR media type, or a path whose first segment is an R4 resource type. */
  readonly fhir?: { readonly resourceType?: string; readonly interaction?: string };
}

export interface HttpResponseEvent extends AppEventBase {
  readonly kind: 'http-response';
  readonly status: number;
  readonly server?: string;
  readonly contentType?: string;
}

/** One HL7 v2 message seen inside MLLP framing: MSH (and MSA) metadata only. */
export interface Hl7MessageEvent extends AppEventBase {
  readonly kind: 'hl7';
  readonly sendingApplication: string; // MSH-3
  readonly sendingFacility: string; // MSH-4
  readonly receivingApplication: string; // MSH-5
  readonly receivingFacility: string; // MSH-6
  /** MSH-9 as `TYPE^TRIGGER` (e.g. `ADT^A01`, `ACK`), components beyond the second dropped. */
  readonly messageType: string;
  readonly controlId: string; // MSH-10
  readonly version: string; // MSH-12
  /** MSA-1 (AA, AE, AR, CA, CE, CR) for acknowledgements. */
  readonly ackCode?: string;
}

export interface DicomPresentationContext {
  readonly id: number;
  readonly abstractSyntax?: string; // RQ only
  readonly transferSyntaxes: readonly string[];
  /** AC only: 0 acceptance, 1 user-rejection, 2 no-reason, 3 abstract syntax not supported, 4 transfer syntaxes not supported. */
  readonly result?: number;
}

export interface DicomAssociateEvent extends AppEventBase {
  readonly kind: 'dicom-associate';
  readonly pdu: 'rq' | 'ac' | 'rj';
  readonly callingAeTitle: string;
  readonly calledAeTitle: string;
  readonly applicationContext?: string;
  readonly presentationContexts: readonly DicomPresentationContext[];
  readonly implementationClassUid?: string;
  readonly implementationVersionName?: string;
  readonly maxPduLength?: number;
  /** A-ASSOCIATE-RJ result/source/reason. */
  readonly reject?: { readonly result: number; readonly source: number; readonly reason: number };
}

export interface DicomDimseEvent extends AppEventBase {
  readonly kind: 'dicom-dimse';
  /** C-ECHO-RQ, C-STORE-RSP, N-EVENT-REPORT-RQ… */
  readonly command: string;
  /** (0000,0100) Command Field. */
  readonly commandField: number;
  readonly affectedSopClass?: string;
  readonly requestedSopClass?: string;
  readonly messageId?: number;
  readonly status?: number;
}

export interface DicomReleaseEvent extends AppEventBase {
  readonly kind: 'dicom-release';
  readonly pdu: 'rq' | 'rp';
}

export interface DicomAbortEvent extends AppEventBase {
  readonly kind: 'dicom-abort';
  readonly source: number;
  readonly reason: number;
}

export interface Smb2NegotiateEvent extends AppEventBase {
  readonly kind: 'smb2-negotiate';
  /** Response: the chosen dialect ('2.0.2', '2.1', '3.0', '3.0.2', '3.1.1'); request: the highest offered. */
  readonly dialect: string;
  readonly response: boolean;
}

export interface Smb2TreeConnectEvent extends AppEventBase {
  readonly kind: 'smb2-tree-connect';
  /** `\\server\share` */
  readonly path: string;
  readonly sessionId: string;
}

/**
 * File activity per SMB2 session, emitted when a flow ends (or every `flushEvery` operations).
 * Counts only: file names are not kept; `renameExtensions` keeps the new extensions seen in renames
 * (ransomware renames files to a new extension).
 */
export interface Smb2ActivityEvent extends AppEventBase {
  readonly kind: 'smb2-activity';
  readonly sessionId: string;
  readonly creates: number;
  readonly reads: number;
  readonly writes: number;
  readonly renames: number;
  readonly deletes: number;
  readonly bytesWritten: number;
  readonly bytesRead: number;
  readonly renameExtensions: readonly string[];
}

export interface SshBannerEvent extends AppEventBase {
  readonly kind: 'ssh-banner';
  /** `SSH-2.0-OpenSSH_9.2p1 Debian-2` */
  readonly banner: string;
}

export interface RdpEvent extends AppEventBase {
  readonly kind: 'rdp-negotiate';
  readonly response: boolean;
  /** Requested/selected protocols bit set (PROTOCOL_SSL 1, HYBRID 2, RDSTLS 4, HYBRID_EX 8). */
  readonly protocols: number;
}

export type AppEvent =
  | DhcpEvent
  | DnsEvent
  | TlsClientHelloEvent
  | TlsServerHelloEvent
  | HttpRequestEvent
  | HttpResponseEvent
  | Hl7MessageEvent
  | DicomAssociateEvent
  | DicomDimseEvent
  | DicomReleaseEvent
  | DicomAbortEvent
  | Smb2NegotiateEvent
  | Smb2TreeConnectEvent
  | Smb2ActivityEvent
  | SshBannerEvent
  | RdpEvent;

/** A link-layer or network-layer identity sighting, emitted once per distinct (mac, ip) pair. */
export interface HostEvent {
  readonly kind: 'host';
  readonly ts: Micros;
  readonly mac: string;
  readonly ip?: string;
  readonly vlans?: readonly number[];
  readonly via: 'arp' | 'ip' | 'ndp';
}

/** A BLE advertiser seen in a NORDIC_BLE capture (address only). */
export interface BleAdvertiserEvent {
  readonly kind: 'ble-advertiser';
  readonly ts: Micros;
  readonly address: string;
}

/** A flow's summary, emitted when it ends (FIN/RST, idle timeout, end of capture). */
export interface FlowEndEvent {
  readonly kind: 'flow-end';
  readonly ts: Micros;
  readonly flow: FlowInfo;
  readonly firstTs: Micros;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  /** The application protocol identified, when one was. */
  readonly protocol?: AppProtocol;
  /** Whether the TCP handshake was seen (so `server` is known, not guessed). */
  readonly handshake: boolean;
}

/**
 * A decoding problem. Decoders never throw on hostile bytes: they emit this (and count it) and go
 * on with the next packet, record or message.
 */
export interface DecodeErrorEvent {
  readonly kind: 'decode-error';
  readonly ts: Micros;
  readonly code: string;
  /** Layer or protocol that failed ('pcapng', 'ipv4', 'tcp', 'hl7', 'dicom'…). */
  readonly layer: string;
  /** Byte offset in the file (capture layers) or in the packet/stream (protocol layers). */
  readonly offset: number;
  readonly detail: string;
  readonly flow?: FlowInfo;
}

export type WireEvent = AppEvent | HostEvent | BleAdvertiserEvent | FlowEndEvent | DecodeErrorEvent;

export type EventSink = (event: WireEvent) => void;

/** What an application decoder is given for one flow. */
export interface AppContext {
  readonly flow: FlowInfo;
  emit(event: AppEvent): void;
  /** Reports a decoding problem for this flow; the decoder should then stop or resynchronise. */
  error(code: string, offset: number, detail: string, ts: Micros): void;
}

/** A decoder for one reassembled TCP flow: in-order bytes per direction, gaps reported. */
export interface TcpAppDecoder {
  onData(direction: Direction, data: Uint8Array, ts: Micros): void;
  /** Bytes were lost in `direction` (capture drop); the decoder resynchronises or gives up. */
  onGap(direction: Direction, length: number, ts: Micros): void;
  onEnd(ts: Micros): void;
}

/**
 * An application protocol's entry in the registry. The flow engine picks a decoder for a TCP flow
 * by `tcpPorts` first, then by `detect` on the first bytes of either direction; UDP datagrams go to
 * `decodeUdp` by `udpPorts`.
 */
export interface AppDecoderFactory {
  readonly protocol: AppProtocol;
  readonly tcpPorts?: readonly number[];
  readonly udpPorts?: readonly number[];
  /** Content detection on the first payload bytes (at least 8 when available). */
  detect?(first: Uint8Array, direction: Direction): boolean;
  createTcp?(ctx: AppContext): TcpAppDecoder;
  decodeUdp?(ctx: AppContext, direction: Direction, data: Uint8Array, ts: Micros): void;
}
