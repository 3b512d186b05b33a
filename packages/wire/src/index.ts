/**
 * @module @ward/wire
 * Pure protocol decoders: captures, link/IP/TCP/UDP, TCP reassembly and the application protocols
 * a hospital network carries. Bytes in, typed events out; hostile bytes become coded errors.
 */
export type {
  AppContext,
  AppDecoderFactory,
  AppEvent,
  AppProtocol,
  BleAdvertiserEvent,
  DecodeErrorEvent,
  DhcpEvent,
  DicomAbortEvent,
  DicomAssociateEvent,
  DicomDimseEvent,
  DicomPresentationContext,
  DicomReleaseEvent,
  Direction,
  DnsEvent,
  DnsRecord,
  Endpoint,
  EventSink,
  FlowEndEvent,
  FlowInfo,
  Hl7MessageEvent,
  HostEvent,
  HttpRequestEvent,
  HttpResponseEvent,
  Micros,
  RdpEvent,
  Smb2ActivityEvent,
  Smb2NegotiateEvent,
  Smb2TreeConnectEvent,
  SshBannerEvent,
  TcpAppDecoder,
  TlsClientHelloEvent,
  TlsServerHelloEvent,
  Transport,
  WireEvent,
} from './events.js';
export { WIRE_ERROR_CODES, WireError } from './errors.js';
export type { WireErrorCode } from './errors.js';
export { createDecoder, DEFAULT_DECODER_LIMITS } from './decoder.js';
export type { Decoder, DecoderCounters, DecoderLimits, DecoderOptions, DecoderStats } from './decoder.js';
export { CaptureReader, createCaptureReader } from './capture/capture-reader.js';
export type { CaptureFormat } from './capture/capture-reader.js';
export { DEFAULT_CAPTURE_LIMITS } from './capture/capture-types.js';
export type { CaptureErrorHandler, CaptureLimits, CapturedPacket, PacketHandler } from './capture/capture-types.js';
export { DEFAULT_FLOW_LIMITS } from './flow/flow-table.js';
export type { FlowLimits } from './flow/flow-table.js';
export { TcpStream } from './flow/tcp-stream.js';
export type { BufferBudget, StreamOutput } from './flow/tcp-stream.js';
export { DEFAULT_FRAGMENT_LIMITS } from './net/ip-fragments.js';
export type { FragmentLimits } from './net/ip-fragments.js';
export { formatIpv4, formatIpv6, formatMac } from './bytes.js';
export { APP_DECODERS } from './app/registry.js';
export { WIRE_APP_ERROR_CODES } from './app/codes.js';
export type { WireAppErrorCode } from './app/codes.js';
export { detectHl7, hl7Decoder } from './app/hl7.js';
export { detectDicom, dicomDecoder, dimseName } from './app/dicom.js';
export { dhcpDecoder, parseDhcp } from './app/dhcp.js';
export { dnsDecoder, mdnsDecoder, parseDns } from './app/dns.js';
export { computeJa4, detectTls, parseClientHello, parseServerHello, tlsDecoder } from './app/tls.js';
export type { Ja4Input } from './app/tls.js';
export { detectHttp, httpDecoder } from './app/http.js';
export { FHIR_R4_RESOURCE_TYPES, recognizeFhir } from './app/fhir.js';
export { detectSmb, smb2Decoder, smb2DialectName } from './app/smb2.js';
export { detectSsh, sshDecoder } from './app/ssh.js';
export { detectRdp, rdpDecoder } from './app/rdp.js';
