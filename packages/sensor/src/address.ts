/**
 * @module address
 * Small facts about IP and MAC addresses that discovery needs: which addresses can be a device at
 * all (unicast, specified) and which are local to a site (private, link-local, unique-local).
 */

/** The four octets of a dotted-quad IPv4 address, or undefined (a hand-written scan: it runs per event). */
function ipv4Octets(ip: string): [number, number, number, number] | undefined {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part === 3) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return undefined;
    } else return undefined;
  }
  if (digits === 0 || part !== 3) return undefined;
  out[3] = value;
  return out;
}

/** An address that can belong to one host: not unspecified, broadcast or multicast. */
export function isUnicastIp(ip: string): boolean {
  const v4 = ipv4Octets(ip);
  if (v4 !== undefined) {
    const [a] = v4;
    if (a === 0 || a >= 224) return false; // 0/8 "this network", 224/4 multicast, 240/4 and broadcast
    return true;
  }
  if (!ip.includes(':')) return false;
  const lower = ip.toLowerCase();
  if (lower === '::' || lower === '::1') return lower === '::1';
  return !lower.startsWith('ff');
}

/** Private (RFC 1918), shared (RFC 6598), loopback, link-local or IPv6 unique-local/link-local. */
export function isLocalIp(ip: string): boolean {
  const v4 = ipv4Octets(ip);
  if (v4 !== undefined) {
    const [a, b] = v4;
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

export function isIpv4(ip: string): boolean {
  return ipv4Octets(ip) !== undefined;
}

/** The IP a reverse-lookup name stands for (`4.3.2.1.in-addr.arpa` → `1.2.3.4`), or undefined. */
export function ipOfReverseName(name: string): string | undefined {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.endsWith('.in-addr.arpa')) {
    const parts = lower.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join('.');
    return ipv4Octets(ip) === undefined ? undefined : ip;
  }
  if (lower.endsWith('.ip6.arpa')) {
    const nibbles = lower.slice(0, -'.ip6.arpa'.length).split('.');
    if (nibbles.length !== 32 || !nibbles.every((n) => /^[0-9a-f]$/.test(n))) return undefined;
    const hex = nibbles.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4).replace(/^0{1,3}/, ''));
    return compressIpv6(groups);
  }
  return undefined;
}

/** RFC 5952 text for eight hex groups (no leading zeros): the longest run of ≥ 2 zero groups becomes `::`. */
function compressIpv6(groups: readonly string[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLength).join(':')}`;
}

const CANONICAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

/** Lower-case colon form of a MAC, or undefined when it is not 12 hex digits. */
export function normaliseMac(mac: string): string | undefined {
  if (CANONICAL_MAC.test(mac)) return mac;
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  if (hex.length !== 12 || mac.replace(/[-:.\s]/g, '').length !== 12) return undefined;
  return hex.match(/../g)?.join(':');
}

/** A MAC that names a group or nobody (broadcast, multicast, all zeros). */
export function isGroupOrNullMac(mac: string): boolean {
  const first = Number.parseInt(mac.slice(0, 2), 16);
  return Number.isNaN(first) || (first & 1) === 1 || /^(00:){5}00$/.test(mac);
}
