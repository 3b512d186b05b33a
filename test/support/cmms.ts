/**
 * @module test/support/cmms
 * A small CMMS export (the columns a biomedical-engineering asset list has), for import tests.
 */
export const CMMS_CSV = [
  'Asset Tag,Serial No,Vendor,Model,Software Version,IP Address,MAC Address,Department,Device Type,Criticality',
  'BME-1,SN-1,BD,Alaris PC 8015,12.1.2,10.20.1.17,00:1e:c0:aa:00:17,ICU,infusion pump,life-sustaining',
  'BME-2,SN-2,Philips,IntelliVue MX800,M.00.03,10.20.2.40,00:09:fb:12:34:56,ICU,patient monitor,life-supporting',
].join('\n');
