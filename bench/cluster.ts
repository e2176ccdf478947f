/**
 * The scale benchmark's generated cluster (issue 10): `n` nodes with 2 services and 20 pods per
 * node (10 pods per service, on 10 consecutive nodes), an LB IPAM pool, and one BGP peer per node
 * on an FRR router with `maximum-paths 16`.
 *
 * - nodes `node-0` … on 192.168.0.0/16 (node `i` at 192.168.0.0 + 10 + i), pod CIDR
 *   10.(i >> 8).(i & 255).0/24, each a `Host` with a default route to the router;
 * - the router `router` at 192.168.255.254/16 runs FRR (`router bgp 65000`, a peer group
 *   `CILIUM` with one neighbour per node, `maximum-paths 16`) and has a default route out;
 * - Cilium: native routing, kube-proxy replacement, BGP control plane; every node peers with the
 *   router (AS 65001) and advertises its pod CIDR and the LB IPs of services labelled
 *   `advertise: lb`;
 * - services `svc-s` (namespace `ns-(s % 100)`): every 10th is a LoadBalancer (its LB IP from the
 *   pool 172.16.0.0/16, advertised); of those, every 10th has `externalTrafficPolicy: Cluster`
 *   (advertised by every node: `n` paths at the router, 16 installed), the rest `Local`
 *   (advertised by the ≤ 10 nodes with a backend); the others are ClusterIP.
 *
 * At 5,000 nodes: 10,000 services, 100,000 pods, 1,000 LB IPs (100 of them advertised by every
 * node: 500,000 paths at the router), 5,000 BGP sessions.
 *
 * @module
 */

/** One generated file. */
export interface GeneratedFile {
  /** File name (relative). */
  readonly file: string;
  /** YAML text. */
  readonly text: string;
}

function ip(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Node `i`'s InternalIP. */
export function nodeIp(i: number): string {
  return ip(((192 << 24) | (168 << 16)) + 10 + i);
}

/** The router's address. */
export const ROUTER_IP = '192.168.255.254';

/** Is service `s` a LoadBalancer? */
export function isLbService(s: number): boolean {
  return s % 10 === 0;
}

/**
 * The generated scenario's files for `n` nodes (`00-config.yaml`, `10-nodes.yaml`,
 * `20-router.yaml`, `30-bgp.yaml`, `40-workloads.yaml`).
 *
 * @example
 * const files = scaleScenario(100);
 */
export function scaleScenario(n: number): GeneratedFile[] {
  const config = `apiVersion: v1
kind: ConfigMap
metadata: {name: cilium-config, namespace: kube-system}
data:
  routing-mode: native
  auto-direct-node-routes: "false"
  ipv4-native-routing-cidr: 10.0.0.0/8
  kube-proxy-replacement: "true"
  enable-bpf-masquerade: "true"
  enable-ipv4-masquerade: "true"
  enable-bgp-control-plane: "true"
  bpf-lb-algorithm: random
  bpf-lb-mode: snat
`;
  const nodes: string[] = [];
  for (let i = 0; i < n; i++) {
    const cidr = `10.${i >> 8}.${i & 255}.0/24`;
    nodes.push(`apiVersion: v1
kind: Node
metadata: {name: node-${i}, labels: {kubernetes.io/hostname: node-${i}, topology.kubernetes.io/zone: zone-${i % 3}, enable-bgp: "true"}}
spec: {podCIDR: ${cidr}, podCIDRs: [${cidr}]}
status: {addresses: [{type: InternalIP, address: ${nodeIp(i)}}, {type: Hostname, address: node-${i}}]}
---
apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: node-${i}}
spec:
  interfaces: [{name: eth0, addresses: ["${nodeIp(i)}/16"]}]
  routes: |
    default via ${ROUTER_IP} dev eth0
`);
  }
  const neighbors: string[] = [];
  for (let i = 0; i < n; i++) neighbors.push(`     neighbor ${nodeIp(i)} peer-group CILIUM`);
  const router = `apiVersion: cilium-twin/v1alpha1
kind: Host
metadata: {name: router}
spec:
  interfaces:
    - {name: eth0, addresses: ["10.255.0.15/24"]}
    - {name: eth1, addresses: ["${ROUTER_IP}/16"]}
  routes: |
    default via 10.255.0.1 dev eth0
  frr: |
    frr version 8.4.4
    frr defaults traditional
    hostname router
    !
    router bgp 65000
     bgp router-id ${ROUTER_IP}
     no bgp ebgp-requires-policy
     bgp bestpath as-path multipath-relax
     neighbor CILIUM peer-group
     neighbor CILIUM remote-as external
${neighbors.join('\n')}
     !
     address-family ipv4 unicast
      maximum-paths 16
     exit-address-family
    exit
    !
`;
  const bgp = `apiVersion: cilium.io/v2
kind: CiliumBGPAdvertisement
metadata: {name: adverts, labels: {advertise: bgp}}
spec:
  advertisements:
    - advertisementType: PodCIDR
    - advertisementType: Service
      service: {addresses: [LoadBalancerIP]}
      selector: {matchLabels: {advertise: lb}}
---
apiVersion: cilium.io/v2
kind: CiliumBGPPeerConfig
metadata: {name: peer}
spec:
  timers: {holdTimeSeconds: 9, keepAliveTimeSeconds: 3}
  families:
    - afi: ipv4
      safi: unicast
      advertisements: {matchLabels: {advertise: bgp}}
---
apiVersion: cilium.io/v2
kind: CiliumBGPClusterConfig
metadata: {name: bgp}
spec:
  nodeSelector: {matchLabels: {enable-bgp: "true"}}
  bgpInstances:
    - name: instance-65001
      localASN: 65001
      peers:
        - {name: tor, peerASN: 65000, peerAddress: ${ROUTER_IP}, peerConfigRef: {name: peer}}
---
apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata: {name: pool}
spec:
  blocks: [{cidr: 172.16.0.0/16}]
`;
  const work: string[] = [];
  const services = 2 * n;
  for (let s = 0; s < services; s++) {
    const ns = `ns-${s % 100}`;
    const lb = isLbService(s);
    const etp = lb ? (s % 100 === 0 ? 'Cluster' : 'Local') : undefined;
    const clusterIp = ip(((10 << 24) | (96 << 16)) + 1 + s);
    work.push(`apiVersion: v1
kind: Service
metadata: {name: svc-${s}, namespace: ${ns}${lb ? ', labels: {advertise: lb}' : ''}}
spec:
  type: ${lb ? 'LoadBalancer' : 'ClusterIP'}
  clusterIP: ${clusterIp}
  clusterIPs: [${clusterIp}]
${etp !== undefined ? `  externalTrafficPolicy: ${etp}\n` : ''}  selector: {app: svc-${s}}
  ports: [{name: http, port: 80, targetPort: 80${lb ? `, nodePort: ${30000 + s / 10}` : ''}, protocol: TCP}]
`);
    for (let k = 0; k < 10; k++) {
      const p = s * 10 + k;
      const node = p % n;
      const slot = Math.floor(p / n) + 2;
      const podIp = `10.${node >> 8}.${node & 255}.${slot}`;
      work.push(`apiVersion: v1
kind: Pod
metadata: {name: svc-${s}-${k}, namespace: ${ns}, labels: {app: svc-${s}}}
spec: {nodeName: node-${node}, containers: [{name: web, image: traefik/whoami, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: ${podIp}, podIPs: [{ip: ${podIp}}]}
`);
    }
  }
  return [
    { file: '00-config.yaml', text: config },
    { file: '10-nodes.yaml', text: nodes.join('---\n') },
    { file: '20-router.yaml', text: router },
    { file: '30-bgp.yaml', text: bgp },
    { file: '40-workloads.yaml', text: work.join('---\n') },
  ];
}
