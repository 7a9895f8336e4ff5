// The tour: /tour (the lessons) and /tour/{n} (a lesson beside the editor,
// request and output panes). Its route follows the address (start-up, Back and
// Forward, and `navigate` for its links); a lesson's files, config and requests
// become the scenario (origin `lesson`, its edits the learner's attempt, kept
// over a reload, as is its solution once revealed); Check sends the attempt
// with the lesson's requests and expectations to POST /api/check; the lessons
// passed are saved in local storage under their own key, checked on load.
import type { StateCreator } from 'zustand';
import { checkConfigYaml } from '@playground/shared';
import type { CheckRequest, CheckResult, Lesson, LessonSummary, Scenario } from '../api/types';
import { api } from '../api/client';
import { defaultScenario } from '../lib/defaults';
import { CONFIG_FILE, MAIN_FILE } from '../lib/fileNames';
import { sourcesHash } from '../lib/hash';
import { failureOutcome } from '../lib/outcome';
import { filesRecord } from './scenario';
import type { Store } from './store';

export type TourRoute = { view: 'playground' } | { view: 'index' } | { view: 'lesson'; key: string };

/** The route of an address: /tour, /tour/{n or slug}, or the playground (anything else). */
export function routeOf(pathname: string): TourRoute {
  const m = /^\/tour(?:\/([^/]*))?\/?$/.exec(pathname);
  if (!m) return { view: 'playground' };
  const key = decodeURIComponent(m[1] ?? '');
  return /^[1-9]\d{0,3}$/.test(key) || /^\d\d-[a-z0-9-]+$/.test(key) ? { view: 'lesson', key } : { view: 'index' };
}

/** The address of lesson `n` (1-based). */
export const lessonPath = (n: number) => `/tour/${n}`;

/** What the Check button shows. */
export type TourCheck =
  | { state: 'idle' }
  | { state: 'checking' }
  /** `hash`: the files and config checked, to tell whether they were edited since. */
  | { state: 'done'; result: CheckResult; hash: string }
  | { state: 'failed'; message: string };

export const TOUR_STORAGE_KEY = 'higress-wasm-playground/tour/v1';
const SLUG = /^\d\d-[a-z0-9-]+$/;

/** The saved progress, checked: the slugs of the lessons passed (anything malformed is dropped). */
export function readProgress(saved: unknown): string[] {
  const passed = typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? (saved as { passed?: unknown }).passed : undefined;
  if (!Array.isArray(passed)) return [];
  return [...new Set(passed.filter((s): s is string => typeof s === 'string' && SLUG.test(s) && s.length <= 100))].slice(0, 500);
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function loadProgress(): string[] {
  try {
    const raw = storage()?.getItem(TOUR_STORAGE_KEY);
    return raw ? readProgress(JSON.parse(raw)) : [];
  } catch {
    return []; // unreadable: start afresh
  }
}

/** A lesson as the scenario on screen holds it. */
export function lessonScenario(lesson: Lesson): Scenario {
  return {
    files: lesson.files,
    config: lesson.config,
    requests: lesson.requests,
    ...(lesson.services ? { services: lesson.services } : {}),
    ...(lesson.gateway ? { gateway: lesson.gateway } : {}),
  };
}

/** The fingerprint of what a check sends of the learner's work. */
export const attemptHash = (s: Pick<Store, 'files' | 'config'>) => sourcesHash(filesRecord(s.files), s.config, '');

/** Asks the learner (a confirm dialog); outside a browser, yes. */
const ask = (question: string) => (typeof window === 'undefined' || typeof window.confirm !== 'function' ? true : window.confirm(question));

const sameRecord = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a).sort();
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

export interface TourSlice {
  tourRoute: TourRoute;
  /** The lessons (GET /api/tour), once loaded. */
  lessons: LessonSummary[] | null;
  lessonsError: string | null;
  /** The lesson on screen and its number (1-based). */
  lesson: Lesson | null;
  lessonNumber: number | null;
  lessonLoading: boolean;
  lessonError: string | null;
  tourCheck: TourCheck;
  /** Slugs of the lessons passed (saved). */
  passedLessons: string[];
  /**
   * Goes to `path` (pushed on the history, or replacing the current entry): the playground, the
   * tour's list or a lesson. Leaving the learner's own work for a lesson asks first; false when
   * they said no (nothing changed).
   */
  navigate: (path: string, opts?: { replace?: boolean }) => Promise<boolean>;
  /** Shows what the address says (start-up, Back/Forward). */
  followAddress: () => Promise<void>;
  /** Loads the list of lessons (once; again after a failure). */
  loadLessons: () => Promise<LessonSummary[] | null>;
  /** Checks the learner's files and config against the lesson's expectations. */
  checkLesson: () => Promise<void>;
  /** Replaces the learner's files (and config, when the lesson has one) by the solution's; the origin says the solution is shown. */
  revealSolution: () => void;
  markLessonPassed: (slug: string) => void;
}

export const createTourSlice: StateCreator<Store, [], [], TourSlice> = (set, get) => {
  let lessonsLoad: Promise<LessonSummary[] | null> | null = null;
  let warned = false;

  const saveProgress = (passed: string[]) => {
    try {
      storage()?.setItem(TOUR_STORAGE_KEY, JSON.stringify({ passed }));
    } catch {
      if (!warned) get().notify('Your tour progress could not be saved in this browser (its storage is full or blocked).');
      warned = true;
    }
  };

  /** The lesson a route key names in the list: its slug and number, or null. */
  const resolve = (lessons: LessonSummary[], key: string) => {
    const i = /^\d+$/.test(key) ? Number(key) - 1 : lessons.findIndex((l) => l.slug === key);
    return i >= 0 && i < lessons.length ? { slug: lessons[i].slug, n: i + 1 } : null;
  };

  /** Whether the scenario on screen may give way to lesson `slug` (asks when the learner's own work would be lost). */
  const mayReplaceWith = (slug: string) => {
    const s = get();
    const o = s.origin;
    if (o.kind === 'lesson') {
      // The same lesson resumes the attempt; a passed or untouched lesson has nothing to lose.
      if (o.id === slug || !o.forked || (o.id && s.passedLessons.includes(o.id))) return true;
      return ask('Leave this lesson? Your changes to it are not kept (Share keeps a link to them).');
    }
    const initial = defaultScenario();
    const dirty = o.kind === 'local' ? !(sameRecord(filesRecord(s.files), initial.files) && s.config === initial.config) : o.forked;
    return !dirty || ask('Open the tour? Its lesson replaces the files, config and requests you have now (share them first to keep a link).');
  };

  /** Shows lesson `key` (its list entry `target`), loading it as the scenario unless the learner's attempt at it is on screen. */
  const showLesson = async (key: string, target: { slug: string; n: number }) => {
    const o = get().origin;
    const ownsScenario = o.kind === 'lesson' && o.id === target.slug;
    if (ownsScenario && get().lesson?.slug === target.slug) {
      set({ lessonNumber: target.n, lessonError: null });
      return;
    }
    set({ lessonLoading: true, lessonError: null });
    const scope = get().scenarioScope();
    const stillWanted = () => {
      const r = get().tourRoute;
      return r.view === 'lesson' && r.key === key;
    };
    await scope.work(
      async () => {
        const lesson = await scope.api.lesson(target.slug);
        if (!stillWanted()) return;
        // A reload (or a return) keeps the attempt at this lesson, or its solution; otherwise the lesson's start is loaded.
        const o = get().origin;
        const resume = o.kind === 'lesson' && o.id === lesson.slug && (o.forked || o.solution === true);
        if (!resume) get().openScenario(() => get().loadScenario(lessonScenario(lesson), { kind: 'lesson', id: lesson.slug, forked: false }));
        set({ lesson, lessonNumber: target.n, lessonLoading: false, tourCheck: { state: 'idle' } });
      },
      (err) => {
        if (!stillWanted()) return;
        const o = failureOutcome(err);
        set({ lessonLoading: false, lessonError: `Could not open lesson ${key}: ${o.detail ?? o.title}` });
      },
    );
  };

  /** The address of what is on screen, once something was shown. */
  let shown: string | null = null;

  /** Shows `route` (the address already says it). */
  const show = async (route: TourRoute, target: { slug: string; n: number } | null) => {
    set({ tourRoute: route });
    shown = window.location.pathname + window.location.search;
    if (route.view === 'playground') return;
    if (route.view === 'index') {
      await get().loadLessons();
      return;
    }
    if (!target) {
      set({ lesson: null, lessonNumber: null, lessonLoading: false, lessonError: get().lessonsError ?? `There is no lesson ${route.key} on this server.` });
      return;
    }
    await showLesson(route.key, target);
  };

  /** The lesson a route names and whether the learner lets it replace their work (null target: no such lesson). */
  const prepare = async (route: TourRoute): Promise<{ ok: boolean; target: { slug: string; n: number } | null }> => {
    if (route.view !== 'lesson') return { ok: true, target: null };
    const lessons = await get().loadLessons();
    const target = lessons ? resolve(lessons, route.key) : null;
    return { ok: !target || mayReplaceWith(target.slug), target };
  };

  const addressOf = (path: string) => path + window.location.search;

  return {
    tourRoute: typeof window === 'undefined' ? { view: 'playground' } : routeOf(window.location.pathname),
    lessons: null,
    lessonsError: null,
    lesson: null,
    lessonNumber: null,
    lessonLoading: false,
    lessonError: null,
    tourCheck: { state: 'idle' },
    passedLessons: loadProgress(),

    navigate: async (path, opts = {}) => {
      const route = routeOf(path);
      const { ok, target } = await prepare(route);
      if (!ok) return false;
      // Keeps the query (the e2e tests' ?e2e) on the tour's own addresses.
      const address = route.view === 'playground' ? path : addressOf(target ? lessonPath(target.n) : path);
      if (opts.replace) window.history.replaceState(null, '', address);
      else window.history.pushState(null, '', address);
      await show(route, target);
      return true;
    },

    followAddress: async () => {
      const route = routeOf(window.location.pathname);
      const { ok, target } = await prepare(route);
      if (ok) {
        await show(route, target);
        return;
      }
      // The learner kept their work: back to the address of what is on screen (the list at start-up).
      if (shown) {
        window.history.replaceState(null, '', shown);
        set({ tourRoute: routeOf(new URL(shown, window.location.origin).pathname) });
      } else {
        window.history.replaceState(null, '', addressOf('/tour'));
        await show({ view: 'index' }, null);
      }
    },

    loadLessons: () => {
      if (get().lessons) return Promise.resolve(get().lessons);
      lessonsLoad ??= api.lessons().then(
        (lessons) => {
          set({ lessons, lessonsError: null });
          return lessons;
        },
        (err) => {
          lessonsLoad = null; // try again next time
          const o = failureOutcome(err);
          set({ lessonsError: `Could not load the tour: ${o.detail ?? o.title}` });
          return null;
        },
      );
      return lessonsLoad;
    },

    checkLesson: async () => {
      const s = get();
      const lesson = s.lesson;
      if (!lesson || s.tourCheck.state === 'checking' || !lesson.expectations.length || !lesson.requests.length) return;
      const problem = checkConfigYaml(s.config);
      if (problem) {
        set({ tourCheck: { state: 'failed', message: `config.yaml line ${problem.line}: ${problem.message}` } });
        s.revealAt(CONFIG_FILE, problem.line, problem.column);
        return;
      }
      const hash = attemptHash(s);
      const req: CheckRequest = {
        files: filesRecord(s.files),
        config: s.config,
        requests: lesson.requests,
        expectations: lesson.expectations,
        ...(lesson.services ? { services: lesson.services } : {}),
        ...(lesson.gateway ? { gateway: lesson.gateway } : {}),
      };
      set({ tourCheck: { state: 'checking' } });
      const scope = s.scenarioScope();
      await scope.work(
        async () => {
          const result = await scope.api.check(req);
          if (get().lesson?.slug !== lesson.slug) return;
          set({ tourCheck: { state: 'done', result, hash } });
          if (result.passed) get().markLessonPassed(lesson.slug);
        },
        (err) => {
          const o = failureOutcome(err);
          set({ tourCheck: { state: 'failed', message: o.detail ? `${o.title}: ${o.detail}` : o.title } });
        },
      );
    },

    revealSolution: () => {
      const s = get();
      const lesson = s.lesson;
      if (!lesson || !Object.keys(lesson.solution).length) return;
      const solution = { ...lesson.solution };
      // The editor and the build need main.go: a solution without one keeps the learner's.
      if (!(MAIN_FILE in solution)) solution[MAIN_FILE] = s.files.find((f) => f.name === MAIN_FILE)?.content ?? '';
      s.setFiles(Object.entries(solution).map(([name, content]) => ({ name, content })));
      if (lesson.solutionConfig !== undefined) s.setConfig(lesson.solutionConfig);
      s.setOrigin({ kind: 'lesson', id: lesson.slug, forked: false, solution: true });
      s.resetWorkspace();
      set({ tourCheck: { state: 'idle' } });
    },

    markLessonPassed: (slug) => {
      if (get().passedLessons.includes(slug)) return;
      const passedLessons = [...get().passedLessons, slug];
      set({ passedLessons });
      saveProgress(passedLessons);
    },
  };
};
