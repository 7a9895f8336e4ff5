import type { Request } from 'express';

/** Who a client is, for per-client limits and session ownership: its address (see PLAYGROUND_TRUST_PROXY). */
export const clientOf = (req: Request) => req.ip ?? 'unknown';
