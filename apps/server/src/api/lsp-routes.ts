import { Router, type Request } from 'express';
import { LspFileChange, LspOpenRequest, LspPositionRequest, filePathProblem } from '@playground/shared';
import type { GoplsPool } from '../lsp/pool.js';
import type { GoplsWorkspace } from '../lsp/workspace.js';
import { clientOf } from './client.js';
import { handle, HttpError, parseBody } from './errors.js';

/**
 * Go intelligence (gopls) for the editor: open a workspace on the project, send edits, ask for
 * completion, hover, signature help and definitions. Shapes: packages/shared/src/lsp.ts.
 */
export function lspRoutes(pool: GoplsPool): Router {
  const r = Router();

  const owned = (req: Request): GoplsWorkspace => {
    const id = String(req.params.id);
    const ws = pool.find(id);
    if (!ws) throw new HttpError(404, `no Go intelligence workspace "${id}"; open one with POST /api/lsp`);
    if (ws.client !== clientOf(req)) throw new HttpError(403, `workspace "${id}" belongs to another client; open your own with POST /api/lsp`);
    return ws;
  };
  // A safe relative path; the project's own rules (kinds, depth, sizes) apply when an edit is made.
  const checkPath = (p: string) => {
    const wrong = filePathProblem(p, Number.MAX_SAFE_INTEGER, [p]);
    if (wrong?.rule === 'name') throw new HttpError(400, wrong.message, { field: 'path' });
  };

  r.post(
    '/lsp',
    handle(async (req, res) => {
      const { files } = parseBody(LspOpenRequest, req.body);
      res.json(await pool.open(files, clientOf(req)));
    }),
  );

  r.get('/lsp/:id', (req, res) => {
    res.json(owned(req).status());
  });

  r.delete(
    '/lsp/:id',
    handle(async (req, res) => {
      const ws = owned(req);
      await pool.close(ws.id);
      res.status(204).end();
    }),
  );

  r.post(
    '/lsp/:id/files',
    handle(async (req, res) => {
      const ws = owned(req);
      const body = parseBody(LspFileChange, req.body);
      checkPath(body.path);
      res.json(await ws.change(body.path, body.text, body.version));
    }),
  );

  r.get(
    '/lsp/:id/diagnostics',
    handle(async (req, res) => {
      res.json(await owned(req).diagnostics());
    }),
  );

  for (const op of ['completion', 'hover', 'signature', 'definition'] as const) {
    r.post(
      `/lsp/:id/${op}`,
      handle(async (req, res) => {
        const ws = owned(req);
        const at = parseBody(LspPositionRequest, req.body);
        checkPath(at.path);
        res.json(await ws[op](at));
      }),
    );
  }
  return r;
}
