// Ward lab agent: sends real HL7 v2 messages over MLLP with a real client (@medplum/hl7's
// Hl7Client), as a given sending application/facility, and waits for each ACK.
// Usage: node hl7-send.mjs HOST PORT SENDING_APP SENDING_FACILITY RECEIVING_APP RECEIVING_FACILITY FILE...
import { readFileSync } from 'node:fs';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';

const [host = '', port = '2575', app = '', facility = '', toApp = '', toFacility = '', ...files] =
  process.argv.slice(2);
const client = new Hl7Client({ host, port: Number(port), connectTimeout: 5000 });
let failures = 0;
try {
  for (const file of files) {
    // The samples end segments in LF and some start with a BOM: MLLP wants CR.
    const text = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/\r?\n/g, '\r')
      .replace(/\r+$/, '');
    const message = Hl7Message.parse(text);
    const msh = message.header;
    msh.setField(3, app);
    msh.setField(4, facility);
    msh.setField(5, toApp);
    msh.setField(6, toFacility);
    const ack = await client.sendAndWait(message, { timeoutMs: 10_000 });
    const code = ack.getSegment('MSA')?.getField(1).toString() ?? '?';
    console.log(`${file.split('/').pop() ?? file}: ACK ${code}`);
    if (code !== 'AA' && code !== 'CA') failures++;
  }
} finally {
  await client.close();
}
process.exit(failures === 0 ? 0 : 1);
