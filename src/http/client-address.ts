import { isIPv6 } from 'node:net';

/**
 * The key a per-client limit counts under: the IPv4 address, or the /64 network of an IPv6 address,
 * since one IPv6 client is usually given a whole /64 and could otherwise change address per request.
 */
export function clientKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mappedIPv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mappedIPv4) return mappedIPv4[1];
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

// The eight groups of an IPv6 address, `::` filled in; an embedded IPv4 tail counts as two groups.
function expandIPv6(ip: string): string[] {
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap(ipv4AsGroups));
  const left = groups(head);
  const right = ip.includes('::') ? groups(tail) : [];
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

function ipv4AsGroups(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a, b, c, d] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
