// What each sealed value is bound to (AES-GCM additional data): a value sealed for one
// record cannot be opened as another's. Key rotation (reseal.ts) re-seals them all.

/** A card number or phone in the vault, by its token. */
export const vaultContext = (token: string) => `vault:${token}`;
/** A merchant's webhook secret. */
export const webhookSecretContext = (merchantId: string) => `webhook-secret:${merchantId}`;
/** A payout's link token, kept sealed so a repeated createPayout can answer the same URL. */
export const linkTokenContext = (orderId: string) => `link-token:${orderId}`;
