// Ward lab agent: an HL7 v2 interface engine (a real MLLP server, @medplum/hl7's Hl7Server) that
// answers every message with an ACK (AA). Runs inside a device's network namespace.
// Usage: node hl7-engine.mjs PORT
import { Hl7Server } from '@medplum/hl7';

const port = Number(process.argv[2] ?? '2575');
let received = 0;
const server = new Hl7Server((connection) => {
  connection.addEventListener('message', ({ message }) => {
    received++;
    connection.send(message.buildAck());
  });
  connection.addEventListener('error', () => undefined);
});
server.start(port);
console.log(`hl7-engine listening on ${String(port)}`);
const stop = () => {
  console.log(`hl7-engine stopping after ${String(received)} messages`);
  server.stop({ forceDrainTimeoutMs: 100 }).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
