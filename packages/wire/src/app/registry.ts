/**
 * @module app/registry
 * Every application decoder wire ships, in the order the flow engine should try their `detect`.
 */
import type { AppDecoderFactory } from '../events.js';
import { dhcpDecoder } from './dhcp.js';
import { dicomDecoder } from './dicom.js';
import { hl7Decoder } from './hl7.js';

export const APP_DECODERS: readonly AppDecoderFactory[] = [hl7Decoder, dicomDecoder, dhcpDecoder];
