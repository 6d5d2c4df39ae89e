/**
 * The one loopback rule (the client's plain-http check, the config's endpoint check, the
 * emulator's bind address, callers and Host header): `localhost`, IPv6 `::1` (bracketed, as in
 * a URL, or not), IPv4 127.0.0.0/8, and IPv4-mapped 127/8 (`::ffff:127.0.0.1`, as a socket
 * reports it). WHATWG URL parsing has already turned every other IPv4 spelling into dotted decimal.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(v4);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}
