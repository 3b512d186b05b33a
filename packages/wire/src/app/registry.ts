/**
 * @module app/registry
 * Every application decoder wire ships, in the order the flow engine should try their `detect`.
 */
import type { AppDecoderFactory } from '../events.js';
import { dhcpDecoder } from './dhcp.js';
import { dicomDecoder } from './dicom.js';
import { dnsDecoder, mdnsDecoder } from './dns.js';
import { hl7Decoder } from './hl7.js';
import { httpDecoder } from './http.js';
import { smb2Decoder } from './smb2.js';
import { tlsDecoder } from './tls.js';

export const APP_DECODERS: readonly AppDecoderFactory[] = [
  hl7Decoder,
  dicomDecoder,
  dhcpDecoder,
  dnsDecoder,
  mdnsDecoder,
  tlsDecoder,
  httpDecoder,
  smb2Decoder,
];
