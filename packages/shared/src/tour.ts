import { z } from 'zod';
import { FileMap } from './build.js';
import { GatewaySettings } from './gateway.js';
import { SavedRequest } from './scenario.js';
import { ServiceList } from './services.js';

/** A header the check looks at: present with a value, present at all, or absent. */
const HeaderExpectation = z
  .object({
    name: z.string().min(1),
    /** Exact value (repeated headers joined with ", "). */
    value: z.string().optional(),
    absent: z.boolean().optional(),
  })
  .strict();

/**
 * One thing an exercise's requests must show, about the response of request `request` (0-based,
 * in the order sent). Every field given must hold.
 */
export const Expectation = z
  .object({
    /** What the learner is told this checks, e.g. "the upstream receives x-hello: world". */
    description: z.string().min(1),
    request: z.number().int().min(0),
    status: z.number().int().optional(),
    /** The plugin answered itself (send_http_response) instead of the upstream. */
    localReply: z.boolean().optional(),
    upstreamHeader: HeaderExpectation.optional(),
    responseHeader: HeaderExpectation.optional(),
    /** The response body contains this text. */
    bodyIncludes: z.string().optional(),
    /** The response body does not contain this text. */
    bodyExcludes: z.string().optional(),
    /** The body the upstream received contains this text. */
    upstreamBodyIncludes: z.string().optional(),
    /** The body the upstream received does not contain this text. */
    upstreamBodyExcludes: z.string().optional(),
    /** A plugin log line contains this text. */
    logIncludes: z.string().optional(),
  })
  .strict();
export type Expectation = z.infer<typeof Expectation>;

/** POST /api/check: run an exercise's requests and say, expectation by expectation, what passed. */
export const CheckRequest = z
  .object({
    files: FileMap,
    config: z.string(),
    requests: z.array(SavedRequest).min(1).max(20),
    expectations: z.array(Expectation).min(1).max(50),
    services: ServiceList.optional(),
    gateway: GatewaySettings.optional(),
  })
  .strict();
export type CheckRequest = z.infer<typeof CheckRequest>;

export const CheckResult = z.object({
  passed: z.boolean(),
  results: z.array(z.object({ description: z.string(), passed: z.boolean(), /** What was seen instead, when it failed. */ seen: z.string().optional() })),
  /** Set when the code did not build or the plugin did not start: nothing was checked. */
  error: z.string().optional(),
  build: z.object({ ok: z.boolean(), output: z.string().optional() }).optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** A lesson of the tour: its text, the starting project, the exercise and its solution. */
export const Lesson = z.object({
  slug: z.string(),
  title: z.string(),
  /** The lesson, in Markdown. */
  text: z.string(),
  files: FileMap,
  config: z.string(),
  requests: z.array(SavedRequest),
  expectations: z.array(Expectation),
  solution: FileMap,
  /** The solution's config when the exercise is about the config. */
  solutionConfig: z.string().optional(),
  services: ServiceList.optional(),
  gateway: GatewaySettings.optional(),
});
export type Lesson = z.infer<typeof Lesson>;

export const LessonSummary = z.object({ slug: z.string(), title: z.string() });
export type LessonSummary = z.infer<typeof LessonSummary>;

type Header = [string, string];
const headerValue = (headers: Header[], name: string) => {
  const vs = headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  return vs.length ? vs.join(', ') : undefined;
};
const bodyText = (b: string | { base64: string } | undefined) => (typeof b === 'string' ? b : b ? `(${b.base64.length} base64 chars)` : '');

/** The parts of an exchange a check reads. */
export interface CheckedExchange {
  response: { status: number; headers: Header[]; body: string | { base64: string } };
  upstreamRequest: { headers: Header[]; body: string | { base64: string } } | null;
  localReply: boolean;
  logs: { message: string }[];
  /** What the gateway noted about the exchange (a stale content-length, a stall, ...). */
  notes?: { code: string }[];
}

function checkHeader(which: string, headers: Header[] | undefined, e: z.infer<typeof HeaderExpectation>): string | undefined {
  const v = headers ? headerValue(headers, e.name) : undefined;
  if (e.absent) return v === undefined ? undefined : `${which} has ${e.name}: ${v}`;
  if (v === undefined) return `${which} has no ${e.name} header`;
  if (e.value !== undefined && v !== e.value) return `${which} has ${e.name}: ${v}`;
  return undefined;
}

/** Whether an exchange shows what an expectation asks, and if not, what it showed instead. */
export function evaluateExpectation(e: Expectation, ex: CheckedExchange | undefined): { passed: boolean; seen?: string } {
  if (!ex) return { passed: false, seen: `request ${e.request + 1} was not sent` };
  const problems: string[] = [];
  if (e.status !== undefined && ex.response.status !== e.status) problems.push(`status ${ex.response.status || '(connection reset)'}`);
  if (e.localReply !== undefined && ex.localReply !== e.localReply) problems.push(ex.localReply ? 'the plugin answered itself' : 'the upstream answered');
  if (e.upstreamHeader) {
    const p = ex.upstreamRequest ? checkHeader('the upstream request', ex.upstreamRequest.headers, e.upstreamHeader) : 'the request never reached the upstream';
    if (p) problems.push(p);
  }
  if (e.responseHeader) {
    const p = checkHeader('the response', ex.response.headers, e.responseHeader);
    if (p) problems.push(p);
  }
  if (e.bodyIncludes !== undefined && !bodyText(ex.response.body).includes(e.bodyIncludes)) {
    problems.push(`the response body is ${JSON.stringify(bodyText(ex.response.body).slice(0, 200))}`);
  }
  if (e.bodyExcludes !== undefined && bodyText(ex.response.body).includes(e.bodyExcludes)) problems.push(`the response body still contains ${JSON.stringify(e.bodyExcludes)}`);
  if (e.upstreamBodyExcludes !== undefined && bodyText(ex.upstreamRequest?.body).includes(e.upstreamBodyExcludes)) {
    problems.push(`the upstream still received ${JSON.stringify(e.upstreamBodyExcludes)}`);
  }
  if (e.upstreamBodyIncludes !== undefined && !bodyText(ex.upstreamRequest?.body).includes(e.upstreamBodyIncludes)) {
    problems.push(ex.upstreamRequest ? `the upstream received ${JSON.stringify(bodyText(ex.upstreamRequest.body).slice(0, 200))}` : 'the request never reached the upstream');
  }
  if (e.logIncludes !== undefined && !ex.logs.some((l) => l.message.includes(e.logIncludes!))) problems.push(`no log line contains ${JSON.stringify(e.logIncludes)}`);
  if (!problems.length) return { passed: true };
  // The gateway's notes often say why (a stale content-length, a header written after resuming).
  const notes = ex.notes?.map((n) => n.code).filter((c) => c !== 'config_match') ?? [];
  return { passed: false, seen: problems.join('; ') + (notes.length ? ` (the gateway noted: ${notes.join(', ')})` : '') };
}
