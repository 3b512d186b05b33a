/**
 * @module test/support/rv340
 * A Cisco RV340 router's SBOM naming its firmware and hardware by CPE, as a manufacturer would
 * publish it: with the NVD fixtures it gives findings by the CPE hardware + firmware pair rule
 * (CVE-2022-20699 among them, which CISA KEV lists).
 */
export const RV340_FIRMWARE_CPE = 'cpe:2.3:o:cisco:rv340_firmware:1.0.03.22:*:*:*:*:*:*:*';

export const RV340_SBOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.4',
  version: 1,
  metadata: { component: { type: 'device', name: 'RV340', version: '1.0.03.22' } },
  components: [
    { type: 'firmware', 'bom-ref': 'fw', name: 'RV340 firmware', version: '1.0.03.22', cpe: RV340_FIRMWARE_CPE },
    { type: 'device', 'bom-ref': 'hw', name: 'RV340', cpe: 'cpe:2.3:h:cisco:rv340:-:*:*:*:*:*:*:*' },
  ],
});
