/**
 * @module @ward/client
 * A typed client of Ward's HTTP API.
 */
export { WardClient, WardApiError, OPERATIONS } from './client.js';
export type {
  WardClientOptions,
  OperationName,
  Page,
  DocumentProblem,
  SbomSummary,
  SbomImport,
  VexImport,
  FeedImport,
  FeedList,
  DiscoveryReport,
  ModelRef,
  FindingView,
} from './client.js';
