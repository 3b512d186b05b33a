/**
 * @module app/registry
 * Every application decoder wire ships. The flow engine picks a TCP decoder by port first, then by
 * `detect` in this order (most specific signatures first); UDP datagrams go by port.
 */
import type { AppDecoderFactory } from '../events.js';
import { dhcpDecoder } from './dhcp.js';
import { dicomDecoder } from './dicom.js';
import { dnsDecoder, mdnsDecoder } from './dns.js';
import { hl7Decoder } from './hl7.js';
import { httpDecoder } from './http.js';
import { rdpDecoder } from './rdp.js';
import { smb2Decoder } from './smb2.js';
import { sshDecoder } from './ssh.js';
import { tlsDecoder } from './tls.js';

export const APP_DECODERS: readonly AppDecoderFactory[] = [
  hl7Decoder,
  dicomDecoder,
  tlsDecoder,
  smb2Decoder,
  rdpDecoder,
  sshDecoder,
  httpDecoder,
  dnsDecoder,
  mdnsDecoder,
  dhcpDecoder,
];
