/**
 * Where shared scenarios live. Records are immutable and keyed by their content id, so a put of an
 * existing id is a no-op and concurrent puts of the same content leave one record.
 */
export interface ShareStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores the canonical text under its id unless that id is already stored. */
  put(id: string, canonical: string): Promise<void>;
  get(id: string): Promise<string | null>;
  /** How many bytes of shares are stored (for the total quota). */
  totalBytes(): Promise<number>;
  /** Deletes shares created before `beforeMs` (epoch ms); resolves with how many. */
  expire(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
