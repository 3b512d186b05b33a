/**
 * @module client
 * A typed client of Ward's HTTP API. Every operation is listed in `OPERATIONS` (method, path
 * template, access) and the test checks the list against the server's OpenAPI document, so a
 * route renamed on one side fails the build's tests. Errors arrive as problem+json and are thrown
 * as `WardApiError` with the stable `code`.
 */
import type { FindingView, InventoryDevice, Problem } from '@ward/core';

export const OPERATIONS = {
  health: { method: 'GET', path: '/api/v1/health', access: 'public' },
  listDevices: { method: 'GET', path: '/api/v1/devices', access: 'devices:read' },
  getDevice: { method: 'GET', path: '/api/v1/devices/{id}', access: 'devices:read' },
  listSboms: { method: 'GET', path: '/api/v1/sboms', access: 'software:read' },
  importSbom: { method: 'POST', path: '/api/v1/sboms', access: 'software:write' },
  importVex: { method: 'POST', path: '/api/v1/vex', access: 'software:write' },
  listVex: { method: 'GET', path: '/api/v1/vex', access: 'software:read' },
  exportVex: { method: 'GET', path: '/api/v1/vex/export', access: 'software:read' },
  listFeeds: { method: 'GET', path: '/api/v1/feeds', access: 'feeds:read' },
  importFeed: { method: 'POST', path: '/api/v1/feeds/import', access: 'feeds:write' },
  uploadCapture: { method: 'POST', path: '/api/v1/scans', access: 'devices:write' },
  listFindings: { method: 'GET', path: '/api/v1/findings', access: 'findings:read' },
  getFinding: { method: 'GET', path: '/api/v1/findings/{id}', access: 'findings:read' },
  listJobs: { method: 'GET', path: '/api/v1/jobs', access: 'jobs:read' },
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** A coded problem Ward answered with (RFC 9457 problem+json). */
export class WardApiError extends Error {
  override readonly name = 'WardApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

export interface WardClientOptions {
  /** e.g. https://ward.example-hospital.org (no trailing /api/v1). */
  readonly baseUrl: string;
  /** An API token (`ward_…`). */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** A problem found in an uploaded document: its code, and where (file, record, field). */
export type DocumentProblem = Problem;

export interface SbomSummary {
  readonly id: string;
  readonly format: string;
  readonly specVersion: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly componentCount: number;
  readonly importedAt: string;
  readonly attachments: readonly { readonly manufacturer: string; readonly model: string; readonly firmware: string }[];
}

export interface SbomImport {
  readonly file: string;
  readonly sbom: SbomSummary;
  readonly created: boolean;
  readonly format: string;
  readonly schema: 'schema' | 'structural' | null;
  readonly components: number;
  readonly vexStatements: number;
  readonly problems: readonly DocumentProblem[];
}

export interface VexImport {
  readonly file: string;
  readonly format: string;
  readonly decisions: number;
  readonly problems: readonly DocumentProblem[];
}

export interface FeedImport {
  readonly file: string;
  readonly format: string;
  readonly sha256: string;
  readonly imported: boolean;
  readonly records: number;
  readonly problems: readonly DocumentProblem[];
}

export interface FeedList {
  readonly items: readonly {
    readonly sha256: string;
    readonly fileName: string;
    readonly format: string;
    readonly recordCount: number;
    readonly problemCount: number;
    readonly importedAt: string;
  }[];
  readonly vulnerabilities: number;
}

export interface DiscoveryReport {
  readonly devices: number;
  readonly stats: {
    readonly packets: number;
    readonly bytes: number;
    readonly flows: number;
    readonly decodeErrors: number;
    readonly truncated: boolean;
  };
  readonly observations: { readonly inserted: number; readonly known: number };
  readonly inventory: { readonly created: number; readonly updated: number; readonly unchanged: number };
}

export type { FindingView };

export interface ModelRef {
  readonly manufacturer: string;
  readonly model: string;
}

/** Query parameters: each a string, number or boolean; undefined ones are left out. */
type Query = object;

/** A path template with its `{name}` parameters filled (each percent-encoded). */
function fill(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

function queryString(query: Query): string {
  const parts = Object.entries(query)
    .filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1]))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

export class WardClient {
  readonly #baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: WardClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async #call<T>(
    name: OperationName,
    options: {
      readonly params?: Readonly<Record<string, string>>;
      readonly query?: Query;
      readonly body?: Uint8Array | ReadableStream<Uint8Array>;
      readonly contentType?: string;
      readonly text?: boolean;
    } = {},
  ): Promise<T> {
    const op = OPERATIONS[name];
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined) headers['authorization'] = `Bearer ${this.#token}`;
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    const init: RequestInit & { duplex?: 'half' } = { method: op.method, headers };
    if (options.body !== undefined) {
      // fetch takes any Uint8Array; the DOM typings ask for an ArrayBuffer-backed one.
      init.body = options.body as Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
      // A streamed body (an upload read from a file) needs half-duplex fetch.
      if ('getReader' in options.body) init.duplex = 'half';
    }
    const url = `${this.#baseUrl}${fill(op.path, options.params ?? {})}${queryString(options.query ?? {})}`;
    const response = await this.#fetch(url, init);
    const text = await response.text();
    if (!response.ok) {
      let problem: { code?: unknown; detail?: unknown } = {};
      try {
        problem = JSON.parse(text) as { code?: unknown; detail?: unknown };
      } catch {
        problem = {};
      }
      const code = typeof problem.code === 'string' ? problem.code : `HTTP_${String(response.status)}`;
      const detail =
        typeof problem.detail === 'string' ? problem.detail : `${op.method} ${op.path}: ${String(response.status)}`;
      throw new WardApiError(response.status, code, detail, problem);
    }
    return (options.text === true ? text : (JSON.parse(text) as unknown)) as T;
  }

  health(): Promise<{ status: string; version: string }> {
    return this.#call('health');
  }

  listDevices(query: Query = {}): Promise<Page<InventoryDevice>> {
    return this.#call('listDevices', { query });
  }

  getDevice(id: string): Promise<InventoryDevice> {
    return this.#call('getDevice', { params: { id } });
  }

  listSboms(
    query: Partial<ModelRef> & { readonly firmware?: string } = {},
  ): Promise<{ items: readonly SbomSummary[] }> {
    return this.#call('listSboms', { query });
  }

  /** Uploads an SBOM file for a model and firmware. */
  importSbom(
    bytes: Uint8Array,
    target: ModelRef & { readonly firmware: string; readonly file: string },
  ): Promise<SbomImport> {
    return this.#call('importSbom', { query: target, body: bytes, contentType: 'application/octet-stream' });
  }

  importVex(
    bytes: Uint8Array,
    target: ModelRef & { readonly file: string; readonly author?: string },
  ): Promise<VexImport> {
    return this.#call('importVex', { query: target, body: bytes, contentType: 'application/octet-stream' });
  }

  listVex(model: ModelRef, history = false): Promise<{ decisions: readonly Record<string, unknown>[] }> {
    return this.#call('listVex', { query: { ...model, history } });
  }

  /** The model's decisions as a VEX document (its text). */
  exportVex(
    query: ModelRef & {
      readonly format: 'cyclonedx' | 'csaf' | 'openvex';
      readonly firmware?: string;
      readonly author?: string;
    },
  ): Promise<string> {
    return this.#call('exportVex', { query, text: true });
  }

  listFeeds(): Promise<FeedList> {
    return this.#call('listFeeds');
  }

  importFeed(bytes: Uint8Array, file: string): Promise<FeedImport> {
    return this.#call('importFeed', { query: { file }, body: bytes, contentType: 'application/octet-stream' });
  }

  /** Stored findings (default: the open ones), one page at a time. */
  listFindings(
    query: Partial<ModelRef> & {
      readonly firmware?: string;
      readonly vulnerability?: string;
      readonly status?: 'open' | 'closed' | 'all';
      readonly kev?: boolean;
      readonly limit?: number;
      readonly cursor?: string;
    } = {},
  ): Promise<Page<FindingView>> {
    return this.#call('listFindings', { query });
  }

  getFinding(id: string): Promise<FindingView> {
    return this.#call('getFinding', { params: { id } });
  }

  /** The scheduled jobs of the server and how their last runs went. */
  listJobs(): Promise<{ items: readonly Record<string, unknown>[] }> {
    return this.#call('listJobs');
  }

  /** Uploads a capture (pcap/pcapng, gzip or not), streamed when given a stream. */
  uploadCapture(body: Uint8Array | ReadableStream<Uint8Array>, file: string): Promise<DiscoveryReport> {
    return this.#call('uploadCapture', { query: { file }, body, contentType: 'application/vnd.tcpdump.pcap' });
  }
}
