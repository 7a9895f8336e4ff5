import path from 'node:path';
import { stringSetting } from '../settings.js';
import type { DataPaths } from '../toolchain/paths.js';
import { PostgresShareStore } from './postgres-store.js';
import { SqliteShareStore } from './sqlite-store.js';
import type { ShareStore } from './store.js';

/** PostgreSQL when DATABASE_URL is set, otherwise a SQLite file (PLAYGROUND_SHARE_FILE, default in the data folder). */
export async function openShareStore(paths: DataPaths, databaseUrl = stringSetting('DATABASE_URL')): Promise<ShareStore> {
  if (databaseUrl) return PostgresShareStore.open(databaseUrl);
  return new SqliteShareStore(stringSetting('PLAYGROUND_SHARE_FILE') ?? path.join(paths.dataDir, 'shares.sqlite'));
}
