// Ward lab agent: an HTTPS service outside the hospital. It answers every request 200 and throws
// request bodies away (the exfiltration target and the beacons' command-and-control server).
// Usage: node web-sink.mjs PORT CERT KEY
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

const [port = '443', cert = '', key = ''] = process.argv.slice(2);
let bytes = 0;
const server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok","next":60}');
  });
});
server.listen(Number(port), () => console.log(`web-sink listening on ${port}`));
process.on('SIGTERM', () => {
  console.log(`web-sink received ${String(bytes)} bytes`);
  process.exit(0);
});
