/** The webhook channel's public face: ingress (accept + status), delivery, the status store and request signing. */
export { createWebhookIngress, type WebhookIngress, type WebhookIngressDeps } from './ingress.ts';
export { createWebhookDelivery, DeliveryError, type WebhookDeliveryDeps } from './webhookDelivery.ts';
export {
  claimStands, createFileStatusStore, createMemoryStatusStore, isExpired, StatusStoreError, type IdempotencyClaim, type StatusRetention, type StatusStore,
  type StatusRecord, type WebhookStatus,
} from './statusStore.ts';
export { signBody, signatureHeaders, verifySignature, TIMESTAMP_HEADER, SIGNATURE_HEADER } from './signature.ts';
export { buildResultPayload, type ResultPayload } from './resultPayload.ts';
export { preflight } from './http.ts';
