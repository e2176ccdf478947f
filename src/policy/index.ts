/**
 * The policy stage: Kubernetes NetworkPolicies, CiliumNetworkPolicies and
 * CiliumClusterwideNetworkPolicies in Cilium's rule model, each endpoint's policy map, and the
 * datapath's decision for a packet (reference `cilium-policy-egress-l2.md` §B).
 *
 * @module
 */
export { policyRules, policySourceText, entitySelectors } from './rules.js';
export type { PeerSel, PolicyKind, PolicySource, Rule, RuleEntry } from './rules.js';
export { PolicyEngine, policyEngine, policyMode, portBlocks } from './resolve.js';
export { policyWarnings } from './validate.js';
export type { Direction, EndpointPolicy, MatchType, PolicyMapEntry, PolicyMode, PolicyVerdict } from './resolve.js';
export { labelIndex, matchesIdentity, normSelector, parseLabel, selectorKey, selectorText } from './labels.js';
export type { LabelIndex, NormSelector } from './labels.js';
export type { FlowEvent, HttpFlowRecord } from './flow-event.js';
export { ACCESS_DENIED_BODY, httpAllowed, httpRuleMatches } from './l7.js';
export type { HttpRequest } from './l7.js';
