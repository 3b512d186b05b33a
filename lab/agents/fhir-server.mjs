// Ward lab agent: a read-only FHIR R4 HTTP service serving real example resources (one JSON file
// each) as application/fhir+json: GET /fhir/metadata, /fhir/TYPE, /fhir/TYPE/ID.
// Usage: node fhir-server.mjs PORT DIR...
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [port = '8080', ...dirs] = process.argv.slice(2);
const resources = new Map();
for (const dir of dirs) {
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const resource = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      if (typeof resource.resourceType === 'string' && typeof resource.id === 'string')
        resources.set(`${resource.resourceType}/${resource.id}`, resource);
    } catch {
      // not a resource: skip
    }
  }
}
const types = [...new Set([...resources.values()].map((r) => r.resourceType))].sort();
const capability = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['application/fhir+json'],
  rest: [
    {
      mode: 'server',
      resource: types.map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }] })),
    },
  ],
};
const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' });
  res.end(JSON.stringify(body));
};
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0].replace(/^\/fhir\/?/, '');
  if (path === 'metadata') return send(res, 200, capability);
  const [type = '', id] = path.split('/');
  if (id !== undefined && resources.has(`${type}/${id}`)) return send(res, 200, resources.get(`${type}/${id}`));
  if (id === undefined && types.includes(type)) {
    const entry = [...resources.values()].filter((r) => r.resourceType === type).map((resource) => ({ resource }));
    return send(res, 200, { resourceType: 'Bundle', type: 'searchset', total: entry.length, entry });
  }
  return send(res, 404, {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'not-found', diagnostics: `${type}/${id ?? ''} not found` }],
  });
});
server.listen(Number(port), () =>
  console.log(`fhir-server listening on ${port} with ${String(resources.size)} resources`),
);
process.on('SIGTERM', () => process.exit(0));
