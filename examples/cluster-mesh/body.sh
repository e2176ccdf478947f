# Sourced by readme.sh: the README's sections after the status.
echo
echo '`cilium status` and the agent'"'"'s status show the mesh too:'
echo
run $M cilium status --context kind-west
echo
run $M exec east-worker -- cilium-dbg status
echo
echo '## 2. Routes between the clusters'
echo
echo 'With native routing and `auto-direct-node-routes`, every agent installs `<podCIDR> via <node IP>`'
echo 'for every node it knows on its L2 segment, the remote cluster'"'"'s nodes included (the lab'"'"'s'
echo '"routes injected between the clusters"):'
echo
run $M exec west-control-plane -- ip route
echo
run $M exec east-worker -- ip route
echo
echo '## 3. Identities and the ipcache'
echo
echo 'Identities start at `cluster-id << 16` (65536 in west, 131072 in east) and carry'
echo '`io.cilium.k8s.policy.cluster`; each agent'"'"'s ipcache holds the remote pods with their node as'
echo 'tunnel endpoint, and the remote nodes as `remote-node` (6):'
echo
run $M exec west-worker -- cilium-dbg bpf ipcache list
echo
echo '## 4. Pod to pod across the clusters'
echo
echo 'No NAT between the clusters (ip-masq-agent excludes the other pod range): the pod sees the'
echo 'client'"'"'s own address.'
echo
run $M exec curl-pod --context kind-east -- curl -s 10.0.1.155
echo
run $M --context kind-west trace --from default/curl-pod --to 10.1.1.179:80
echo
echo '## 5. A global service answered from both clusters'
echo
echo '`webpod` is `service.cilium.io/global: "true"` in both clusters: each node'"'"'s LB maps hold the'
echo 'ready endpoints of both (the remote ones from the other cluster'"'"'s clustermesh-apiserver).'
echo
run $M exec west-worker -- cilium-dbg service list --clustermesh-affinity
echo
run $M exec east-worker -- cilium-dbg service list --clustermesh-affinity
echo
echo 'Flows from west'"'"'s `curl-pod` to the service land in both clusters, and are answered from the'
echo 'service address (the client'"'"'s socket translation reverses it):'
echo
run $M --context kind-west trace --from default/curl-pod --to 10.2.183.236:80 --sport 40001
echo
run $M --context kind-west trace --from default/curl-pod --to 10.2.183.236:80 --sport 40002
echo
echo '## 6. Affinity and sharing'
echo
echo '`kwest annotate service webpod service.cilium.io/affinity=local` (`variants/affinity-local.yaml`):'
echo 'west keeps its own backends while one is active (Cilium 1.18 selects them; 1.17 listed all four'
echo 'and marked the local ones `(preferred)`):'
echo
run $M -f kind-west=variants/affinity-local.yaml exec west-worker -- cilium-dbg service list --clustermesh-affinity
echo
echo 'and falls back to the remote ones when its own are not ready (the lab'"'"'s `kwest scale deployment webpod --replicas 0`):'
echo
run $M -f kind-west=variants/affinity-local.yaml -f kind-west=variants/west-webpods-not-ready.yaml exec west-worker -- cilium-dbg service list --clustermesh-affinity
echo
echo '`affinity=remote` prefers the other cluster:'
echo
run $M -f kind-west=variants/affinity-remote.yaml exec west-worker -- cilium-dbg service list --clustermesh-affinity
echo
echo '`service.cilium.io/shared=false` on west: west still uses east'"'"'s backends, east no longer sees west'"'"'s:'
echo
run $M -f kind-west=variants/shared-false.yaml exec east-worker -- cilium-dbg service list
echo
echo '## 7. Policy across the clusters'
echo
echo 'Each cluster enforces its own policies on its own pods; remote pods are selected by their labels'
echo 'plus `io.cilium.k8s.policy.cluster`. `variants/east-allow-west-curl.yaml` lets east'"'"'s webpods'
echo 'accept only west'"'"'s curl pods: west'"'"'s curl-pod gets through, east'"'"'s own curl-pod is dropped, and'
echo 'flows inside west are untouched by east'"'"'s policy:'
echo
run $M -f kind-east=variants/east-allow-west-curl.yaml --context kind-west trace --from default/curl-pod --to 10.1.1.179:80
echo
run $M -f kind-east=variants/east-allow-west-curl.yaml --context kind-east trace --from default/curl-pod --to 10.1.1.179:80
echo
run $M -f kind-east=variants/east-allow-west-curl.yaml --context kind-west trace --from default/curl-pod --to 10.0.1.155:80
echo
echo '## 8. Bad input'
echo
echo 'Both clusters with `cluster-id: 1` (`variants/east-id-1.yaml`), and overlapping pod CIDRs'
echo '(`variants/east-overlapping-pod-cidr.yaml`): Cilium'"'"'s messages, located, and nothing computed.'
echo
run $M -f kind-east=variants/east-id-1.yaml cilium clustermesh status
echo
run $M -f kind-east=variants/east-overlapping-pod-cidr.yaml cilium clustermesh status
echo
run $M --context kind-north kubectl get pods
