/**
 * Decoder of this project's `Host` kind (`cilium-twin/v1alpha1`): interfaces with addresses,
 * hand-added routes in iproute2 syntax, FRR configuration text, sysctls and an HTTP server.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Host, HostInterface, InterfaceAddress } from '../types.js';
import { type Issue, andThen, decodeWith, ip, list, nonEmpty, port, primitive, record, str, struct } from '../codec.js';
import { parseIp, parsePrefix } from '../../net/addr.js';
import { parseIproute2Routes } from '../iproute2.js';
import type { KindDecode } from './kubernetes.js';

/** A sysctl value: text, or a number/boolean written without quotes (kept as its text). */
const sysctlValue = record(
  primitive('a sysctl value', (u) =>
    typeof u === 'string' || typeof u === 'number' || typeof u === 'boolean' ? E.right(String(u)) : E.left('expected a sysctl value'),
  ),
);

const hostDoc = struct(
  {
    spec: struct(
      { interfaces: list(struct({ name: nonEmpty }, { addresses: list(str) })) },
      {
        routes: str,
        frr: str,
        sysctl: sysctlValue,
        http: struct({ port }, { allow: list(ip) }),
      },
    ),
  },
  {},
);

/**
 * Parses an interface address `192.168.10.100/24` into the address, its prefix length and the
 * connected network, or `undefined`.
 *
 * @example
 * parseInterfaceAddress('192.168.10.100/24'); // { address: 192.168.10.100, prefixLength: 24, network: 192.168.10.0/24 }
 */
export function parseInterfaceAddress(text: string): InterfaceAddress | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const network = parsePrefix(text);
  if (address === undefined || network === undefined) return undefined;
  return { address, prefixLength: Number(network.cidrPrefix.getValue()), network };
}

/**
 * Decodes a `Host`. Interface names must be unique; each address needs its prefix length;
 * the `routes:` text is parsed (errors carry the line number).
 *
 * @example
 * decodeHost({ spec: { interfaces: [{ name: 'eth1', addresses: ['192.168.10.200/24'] }] } }, meta);
 */
export const decodeHost: KindDecode<Host> = (doc, meta, share) =>
  andThen(decodeWith(hostDoc, doc), (d) => {
    const issues: Issue[] = [];
    const seen = new Set<string>();
    const interfaces: HostInterface[] = d.spec.interfaces.map((itf, i) => {
      if (seen.has(itf.name)) issues.push({ path: `spec.interfaces[${i}].name`, message: `duplicate interface ${JSON.stringify(itf.name)}` });
      seen.add(itf.name);
      const addresses: InterfaceAddress[] = [];
      (itf.addresses ?? []).forEach((text, j) => {
        const a = parseInterfaceAddress(text);
        if (a === undefined) {
          issues.push({ path: `spec.interfaces[${i}].addresses[${j}]`, message: `expected address/length such as 192.168.10.100/24, got ${JSON.stringify(text)}` });
        } else addresses.push(a);
      });
      return { name: itf.name, addresses };
    });
    let routes: Host['routes'] = [];
    if (d.spec.routes !== undefined) {
      // the same text as the previous host's (every node of a large cluster): the same parsed list
      if (share !== undefined && share.routesText === d.spec.routes && share.routes !== undefined) routes = share.routes;
      else {
        const r = parseIproute2Routes(d.spec.routes);
        if (E.isLeft(r)) for (const e of r.left) issues.push({ path: 'spec.routes', message: `line ${e.line}: ${e.message}` });
        else {
          routes = r.right;
          if (share !== undefined) {
            share.routesText = d.spec.routes;
            share.routes = r.right;
          }
        }
      }
    }
    if (issues.length > 0) return E.left(issues);
    const host: Host = {
      meta,
      interfaces,
      routes,
      ...(d.spec.frr !== undefined ? { frr: d.spec.frr } : {}),
      sysctl: d.spec.sysctl ?? (Object.create(null) as Record<string, string>),
      ...(d.spec.http !== undefined ? { http: { port: d.spec.http.port, allow: d.spec.http.allow ?? [] } } : {}),
    };
    return E.right(host);
  });
